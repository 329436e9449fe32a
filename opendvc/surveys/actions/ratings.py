"""Rating a dossier's handling."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from opendvc.audit.actions import record
from opendvc.dossiers.models import Dossier

from ..criteria import KEYS
from ..models import COMMENT_MAX, RATEABLE, DossierRating


class CannotRate(Exception):
    """The dossier cannot be rated now; str() is for the user."""


class NotRateable(CannotRate):
    pass


class AlreadyRated(CannotRate):
    pass


def can_rate(dossier: Dossier) -> bool:
    """Whether the dossier's handling is over and it has no rating yet (reads the rating)."""
    return dossier.status in RATEABLE and not DossierRating.objects.filter(dossier=dossier).exists()


def clean_comment(text: str) -> str:
    """Plain text: tags removed (the comment is shown to officials), cut to the limit."""
    return strip_tags(text or "").strip()[:COMMENT_MAX]


def rate_dossier(
    *,
    dossier: Dossier,
    scores: dict[str, int],
    overall: int,
    comment: str = "",
    by=None,
    channel: str = DossierRating.Channel.ONLINE,
    now: datetime,
) -> DossierRating:
    """Record the one rating of `dossier`: the nine criteria (0–2 each), the overall level and
    a comment. `by` is the applicant, or None at a kiosk. The caller has checked who rates.
    Raises NotRateable before the result, AlreadyRated for a second rating."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status not in RATEABLE:
            raise NotRateable(_("Hồ sơ chỉ được đánh giá sau khi đã có kết quả giải quyết."))
        if DossierRating.objects.filter(dossier=locked).exists():
            raise AlreadyRated(_("Hồ sơ này đã được đánh giá."))
        rating = DossierRating(
            dossier=locked,
            rated_by=by,
            channel=channel,
            overall=overall,
            comment=clean_comment(comment),
            rated_at=now,
            **{key: scores[key] for key in KEYS},
        )
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            # Another request rated the same dossier between our check and our write.
            raise AlreadyRated(_("Hồ sơ này đã được đánh giá.")) from None
        record(
            action="surveys.dossier_rated",
            actor=by,
            target=rating,
            payload={"code": locked.code, "overall": overall, "channel": channel},
            now=now,
        )
    return rating
