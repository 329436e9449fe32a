"""`{% dossier_documents dossier staff=True as documents %}`: the slips and the signed result
a dossier has now, as links for the citizen's or the staff's detail page."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Dossier, SignedResult
from ..pdf.slips import Slip, available_slips

register = template.Library()


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    file_name: str


@dataclass(frozen=True)
class Documents:
    slips: list[Link]
    result: Link | None
    verify_url: str


@register.simple_tag
def dossier_documents(dossier: Dossier, staff: bool = False) -> Documents:
    if dossier is None or dossier.is_draft:
        return Documents([], None, "")
    prefix = "dossiers:staff_" if staff else "dossiers:"
    slips = [
        Link(
            _slip_title(slip),
            reverse(f"{prefix}slip", kwargs={"code": dossier.code, "kind": slip.kind}),
            slip.file_name(dossier),
        )
        for slip in available_slips(dossier)
    ]
    signed = SignedResult.objects.filter(dossier=dossier).only("token").first()
    if signed is None:
        return Documents(slips, None, "")
    result = Link(
        _("Kết quả giải quyết (bản điện tử có chữ ký số)"),
        reverse(f"{prefix}result", kwargs={"code": dossier.code}),
        f"{dossier.code}-ket-qua.pdf",
    )
    return Documents(slips, result, reverse("dossiers:verify", kwargs={"token": signed.token}))


def _slip_title(slip: Slip) -> str:
    if slip.number is None:
        return _(slip.title)
    return _("%(title)s (lần %(number)d)") % {"title": _(slip.title), "number": slip.number}
