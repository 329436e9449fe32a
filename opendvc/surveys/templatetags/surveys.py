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
