"""What a dossier must pay online: the procedure's catalog fees (phí, lệ phí) for the online
channel, with the amounts the agency set where the catalog leaves them to the province."""

from dataclasses import dataclass, field

from opendvc.catalog.models import Channel, Fee
from opendvc.dossiers.models import Dossier

from .models import AgencyFee


@dataclass(frozen=True)
class Line:
    fee: int | None
    kind: str
    label: str
    amount: int  # VND

    def as_json(self) -> dict:
        return {"fee": self.fee, "kind": self.kind, "label": self.label, "amount": self.amount}


@dataclass(frozen=True)
class Bill:
    """The lines to pay and their total. `unset` lists the fees whose amount the province
    decides and the agency has not set yet: until it does, the bill cannot be paid online."""

    lines: list[Line] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def is_payable(self) -> bool:
        return self.total > 0 and not self.unset


def online_fees(procedure_id: int) -> list[Fee]:
    """The procedure's fees that apply to an online filing. Where the catalog lists fees per
    channel, the online rows (and those without a channel) apply; otherwise the rows without a
    channel, or failing those the rows of one channel, so no fee is counted twice."""
    fees = list(Fee.objects.filter(procedure_id=procedure_id).order_by("position", "pk"))
    channels = {fee.channel for fee in fees}
    if Channel.ONLINE in channels:
        return [fee for fee in fees if fee.channel in (Channel.ONLINE, "")]
    if "" in channels:
        return [fee for fee in fees if fee.channel == ""]
    for channel in (Channel.DIRECT, Channel.POSTAL):
        if channel in channels:
            return [fee for fee in fees if fee.channel == channel]
    return []


def _is_set_by_province(fee: Fee) -> bool:
    return fee.amount == 0 and bool(fee.description.strip())


def bill_for(dossier: Dossier) -> Bill:
    """What the dossier's applicant must pay online now (its lines may be empty: nothing)."""
    fees = online_fees(dossier.procedure_id)
    set_amounts = dict(
        AgencyFee.objects.filter(agency_id=dossier.agency_id, fee__in=fees).values_list(
            "fee_id", "amount"
        )
    )
    lines, unset = [], []
    for fee in fees:
        label = fee.description.strip() or fee.get_kind_display()
        amount = set_amounts.get(fee.pk, fee.amount) if _is_set_by_province(fee) else fee.amount
        if _is_set_by_province(fee) and fee.pk not in set_amounts:
            unset.append(label)
        elif amount > 0:
            lines.append(Line(fee=fee.pk, kind=fee.kind, label=label[:500], amount=amount))
    return Bill(lines=lines, unset=unset)


def province_fees(procedure_id: int) -> list[Fee]:
    """The procedure's online fees whose amount the province decides (for the fee page)."""
    return [fee for fee in online_fees(procedure_id) if _is_set_by_province(fee)]
