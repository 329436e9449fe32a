"""The slips of a dossier, made on request from what is stored (nothing new is saved): the
receipt of an online submission and the forms of Circular 01/2018/TT-VPCP — Mẫu 01 (reception
and appointment), 02 (supplement request), 03 (refusal) and 04 (apology and new appointment)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_noop
from reportlab.platypus import Flowable

from ..models import Dossier, RefusalReason, Status, StatusChange, SupplementReason
from . import layout
from .layout import para, text, when

RECEIPT, RECEPTION, REFUSAL, APOLOGY, SUPPLEMENT = (
    "bien-nhan",
    "tiep-nhan",
    "tu-choi",
    "xin-loi",
    "bo-sung",
)


class SlipUnavailable(LookupError):
    """The dossier has no such slip now (wrong kind, or not at this stage)."""


@dataclass(frozen=True)
class Slip:
    kind: str  # as in the URL: "tiep-nhan", "bo-sung-2"…
    title: str  # Vietnamese, as printed; marked for translation where it is a link
    number: int | None = None  # of the supplement request

    def file_name(self, dossier: Dossier) -> str:
        return f"{dossier.code}-{self.kind}.pdf"


def available_slips(dossier: Dossier) -> list[Slip]:
    """The slips this dossier has now, in the order they were issued."""
    slips = []
    if dossier.status != Status.DRAFT and dossier.channel == Dossier.Channel.ONLINE:
        slips.append(Slip(RECEIPT, gettext_noop("Giấy biên nhận hồ sơ")))
    if dossier.received_at is not None:
        slips.append(Slip(RECEPTION, gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")))
    if _refusal(dossier) is not None:
        slips.append(Slip(REFUSAL, gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ")))
    for number in range(1, dossier.supplements.count() + 1):
        title = gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        slips.append(Slip(f"{SUPPLEMENT}-{number}", title, number))
    if _apology(dossier) is not None:
        slips.append(Slip(APOLOGY, gettext_noop("Phiếu xin lỗi và hẹn lại ngày trả kết quả")))
    return slips


def find_slip(dossier: Dossier, kind: str) -> Slip:
    for slip in available_slips(dossier):
        if slip.kind == kind:
            return slip
    raise SlipUnavailable(kind)


def render_slip(dossier: Dossier, kind: str) -> tuple[Slip, bytes]:
    """The slip and its PDF. Raises SlipUnavailable."""
    slip = find_slip(dossier, kind)
    if kind.startswith(f"{SUPPLEMENT}-"):
        story = _supplement(dossier, int(kind.removeprefix(f"{SUPPLEMENT}-")))
    else:
        story = BUILDERS[kind](dossier)
    pdf = layout.render(
        story,
        title=f"{slip.title} – {dossier.code}",
        author=dossier.agency.name,
        subject=dossier.code,
    )
    return slip, pdf


# The pieces every slip shares.


def _top(dossier: Dossier, main: str, form: str = "") -> list[Flowable]:
    return [
        layout.heading(dossier.agency.name, f"Mã hồ sơ: {dossier.code}"),
        *layout.title(main, form),
    ]


def _applicant(dossier: Dossier) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("Người nộp hồ sơ", dossier.applicant_name)]
    if dossier.applicant_phone:
        rows.append(("Số điện thoại", dossier.applicant_phone))
    if dossier.applicant_email:
        rows.append(("Thư điện tử", dossier.applicant_email))
    return rows


def _components(dossier: Dossier) -> list[Flowable]:
    items = []
    for component in dossier.components.prefetch_related("files"):
        files = ", ".join(f.original_name for f in component.files.all())
        items.append(text(component.name) + (f" ({text(files)})" if files else ""))
    if not items:
        return [para("Hồ sơ không có thành phần giấy tờ.")]
    return [para("<b>Thành phần hồ sơ:</b>", "heading"), *layout.numbered(items)]


def _name(user) -> str:
    return (getattr(user, "full_name", "") or str(user)) if user is not None else ""


def place_of(dossier: Dossier) -> str:
    unit = dossier.agency.admin_unit
    if unit is None:
        return ""
    return unit.parent.short_name if unit.parent_id else unit.short_name


def _track_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("dossiers:track")


def _refusal(dossier: Dossier) -> StatusChange | None:
    if dossier.status != Status.REFUSED:
        return None
    return dossier.history.filter(action="refuse").select_related("actor").last()


def _apology(dossier: Dossier):
    try:
        return dossier.apology
    except Dossier.apology.RelatedObjectDoesNotExist:
        return None


# One builder per slip.


def _receipt(dossier: Dossier) -> list[Flowable]:
    rows = [
        ("Mã hồ sơ", dossier.code),
        ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Cơ quan tiếp nhận", dossier.agency.name),
        *_applicant(dossier),
        ("Hình thức nộp", dossier.get_channel_display()),
        ("Thời điểm nộp", when(dossier.submitted_at)),
    ]
    return [
        *_top(dossier, "Giấy biên nhận hồ sơ", "(Hồ sơ nộp trực tuyến)"),
        layout.facts(rows),
        *_components(dossier),
        para("<b>Theo dõi hồ sơ</b>", "heading"),
        para(
            "Hồ sơ đã được gửi đến cơ quan và đang chờ tiếp nhận. Tra cứu tình trạng hồ sơ tại "
            f"{text(_track_url())} với mã hồ sơ {text(dossier.code)} và mã bí mật được hiển thị "
            "khi nộp hồ sơ, hoặc số điện thoại đã dùng khi nộp. Vì lý do an toàn, mã bí mật "
            "không được lưu lại nên không in trên giấy biên nhận này."
        ),
        para(
            "Giấy biên nhận này xác nhận cơ quan đã nhận được hồ sơ trực tuyến; giấy tiếp nhận "
            "và hẹn trả kết quả được cấp khi hồ sơ được tiếp nhận.",
            "small",
        ),
    ]


def _reception(dossier: Dossier) -> list[Flowable]:
    accepted = (
        dossier.history.filter(to_status=Status.RECEIVED)
        .exclude(action="resubmit")
        .select_related("actor")
        .first()
    )
    officer = _name(accepted.actor) if accepted else ""
    due = dossier.original_due_at or dossier.due_at
    rows = [
        *_applicant(dossier),
        ("Nội dung yêu cầu giải quyết", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Thời gian tiếp nhận", when(dossier.received_at)),
        (
            "Hẹn trả kết quả",
            when(due) if due else "Thủ tục không quy định thời hạn giải quyết",
        ),
        ("Nơi trả kết quả", dossier.agency.name),
    ]
    if officer:
        rows.append(("Cán bộ tiếp nhận", officer))
    return [
        *_top(dossier, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Mẫu số 01"),
        para(f"{text(dossier.agency.name)} đã tiếp nhận hồ sơ của:"),
        layout.facts(rows),
        *_components(dossier),
        para(f"Tra cứu tình trạng hồ sơ tại {text(_track_url())}.", "small"),
        layout.signatures(
            ("Người nộp hồ sơ", dossier.applicant_name),
            ("Người tiếp nhận hồ sơ", officer),
            date=layout.date_line(place_of(dossier), dossier.received_at),
        ),
    ]


def _supplement(dossier: Dossier, number: int) -> list[Flowable]:
    requests = list(dossier.supplements.select_related("requested_by"))
    if not 1 <= number <= len(requests):
        raise SlipUnavailable(f"{SUPPLEMENT}-{number}")
    request = requests[number - 1]
    names = dict(dossier.components.values_list("pk", "name"))
    labels = dict(SupplementReason.choices)
    items = []
    for reason in request.reasons:
        component = names.get(reason.get("component"), "Hồ sơ nói chung")
        item = (
            f"<b>{text(component)}</b>: {text(labels.get(reason.get('code'), reason.get('code')))}"
        )
        if reason.get("note"):
            item += f". {text(reason['note'])}"
        items.append(item)
    return [
        *_top(dossier, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", f"Mẫu số 02 – lần {number}"),
        para(
            f"{text(dossier.agency.name)} tiếp nhận hồ sơ của {text(dossier.applicant_name)} "
            f"đề nghị giải quyết thủ tục {text(dossier.procedure.name)}, lúc "
            f"{when(dossier.received_at)}."
        ),
        para("Sau khi xem xét, đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
        *layout.numbered(items),
        para(
            "Thời gian chờ bổ sung không tính vào thời hạn giải quyết. Ông/bà bổ sung trực tuyến "
            f"tại trang hồ sơ của mình hoặc tại bộ phận một cửa. Tra cứu tại {text(_track_url())}."
        ),
        para(f"Yêu cầu lúc {when(request.requested_at)}.", "small"),
        layout.signatures(
            ("Người yêu cầu", _name(request.requested_by)),
            date=layout.date_line(place_of(dossier), request.requested_at),
        ),
    ]


def _refusal_slip(dossier: Dossier) -> list[Flowable]:
    change = _refusal(dossier)
    if change is None:
        raise SlipUnavailable(REFUSAL)
    reason = dict(RefusalReason.choices).get(change.reason_code, change.reason_code)
    return [
        *_top(dossier, "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Mẫu số 03"),
        para(
            f"{text(dossier.agency.name)} nhận được hồ sơ của {text(dossier.applicant_name)} "
            f"đề nghị giải quyết thủ tục {text(dossier.procedure.name)}, nộp lúc "
            f"{when(dossier.submitted_at)}."
        ),
        para("Qua xem xét, cơ quan từ chối tiếp nhận hồ sơ với lý do sau:"),
        layout.facts([("Lý do", reason), *([("Giải thích", change.note)] if change.note else [])]),
        para("Xin thông báo để ông/bà được biết và thực hiện."),
        layout.signatures(
            ("Người từ chối tiếp nhận", _name(change.actor)),
            date=layout.date_line(place_of(dossier), change.at),
        ),
    ]


def _apology_slip(dossier: Dossier) -> list[Flowable]:
    apology = _apology(dossier)
    if apology is None:
        raise SlipUnavailable(APOLOGY)
    return [
        *_top(dossier, "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Mẫu số 04"),
        para(
            f"Ngày {when(dossier.received_at)}, {text(dossier.agency.name)} tiếp nhận hồ sơ của "
            f"{text(dossier.applicant_name)} đề nghị giải quyết thủ tục "
            f"{text(dossier.procedure.name)}."
        ),
        layout.facts(
            [
                ("Thời hạn trả kết quả đã hẹn", when(apology.previous_due_at)),
                ("Lý do chậm trễ", apology.reason),
                ("Hẹn lại ngày trả kết quả", when(apology.new_due_at)),
            ]
        ),
        para(
            "Sự chậm trễ này đã gây phiền hà cho ông/bà; cơ quan xin lỗi ông/bà và hẹn lại thời "
            "gian trả kết quả như trên."
        ),
        layout.signatures(
            ("Người xin lỗi", _name(apology.issued_by)),
            date=layout.date_line(place_of(dossier), apology.issued_at),
        ),
    ]


BUILDERS: dict[str, Callable[[Dossier], list[Flowable]]] = {
    RECEIPT: _receipt,
    RECEPTION: _reception,
    REFUSAL: _refusal_slip,
    APOLOGY: _apology_slip,
}
