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


def copies_asked(dossier: Dossier) -> int:
    """The copies the applicant asked for on the e-form (the civil-status forms' "Đề nghị cấp
    bản sao: Có" with "Số lượng bản"); 0 when none were asked."""
    data = dossier.form_data or {}
    if data.get("de_nghi_cap_ban_sao") != "Có":
        return 0
    try:
        return max(0, int(data.get("so_luong_ban_sao") or 0))
    except (TypeError, ValueError):
        return 0


def _per_copy(fee: Fee, agency_fee: AgencyFee | None) -> bool:
    # An amount the agency set says so itself; a catalog amount is per copy when the fee is for
    # copies ("Cấp bản sao trích lục hộ tịch": 8.000 đồng each).
    if agency_fee is not None:
        return agency_fee.is_per_copy
    return "bản sao" in fee.description.lower()


def bill_for(dossier: Dossier) -> Bill:
    """What the dossier's applicant must pay online now (its lines may be empty: nothing). A
    per-copy fee counts the copies asked for, and nothing when none were."""
    fees = online_fees(dossier.procedure_id)
    agency_fees = {
        row.fee_id: row
        for row in AgencyFee.objects.filter(agency_id=dossier.agency_id, fee__in=fees)
    }
    copies = copies_asked(dossier)
    lines, unset = [], []
    for fee in fees:
        label = (fee.description.strip() or fee.get_kind_display())[:400]
        by_province = _is_set_by_province(fee)
        agency_fee = agency_fees.get(fee.pk) if by_province else None
        if by_province and agency_fee is None:
            unset.append(label)
            continue
        amount = agency_fee.amount if agency_fee is not None else fee.amount
        if _per_copy(fee, agency_fee):
            amount, label = amount * copies, f"{label} (× {copies} bản)"
        if amount > 0:
            lines.append(Line(fee=fee.pk, kind=fee.kind, label=label, amount=amount))
    return Bill(lines=lines, unset=unset)


def province_fees(procedure_id: int) -> list[Fee]:
    """The procedure's online fees whose amount the province decides (for the fee page)."""
    return [fee for fee in online_fees(procedure_id) if _is_set_by_province(fee)]
