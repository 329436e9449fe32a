"""The dossier page's rating hook, in at most one query."""

from django import template

from ..models import RATEABLE, DossierRating

register = template.Library()


@register.simple_tag
def dossier_rating(dossier):
    """The rating of a rateable dossier, False when it can still be rated, None when it
    cannot be rated (no result yet): the hook shows the rating, the invitation, or nothing."""
    if dossier is None or dossier.status not in RATEABLE:
        return None  # no query: a dossier in progress cannot be rated
    try:
        return DossierRating.objects.get(dossier_id=dossier.pk)
    except DossierRating.DoesNotExist:
        return False


@register.simple_tag
def rateable_ids(dossiers) -> set[int]:
    """Ids of those `dossiers` (a page of "Hồ sơ của tôi") that can be rated now: a result
    is out and no rating yet. One query, whatever the page's length."""
    done = [d.pk for d in dossiers if d.status in RATEABLE]
    if not done:
        return set()
    rated = set(
        DossierRating.objects.filter(dossier_id__in=done).values_list("dossier_id", flat=True)
    )
    return set(done) - rated
