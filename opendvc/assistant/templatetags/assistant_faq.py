"""The procedure page's answered questions, read where the catalog's template includes them."""

from django import template

from ..models import Question

register = template.Library()
PROCEDURE_FAQ_LIMIT = 5


@register.simple_tag
def procedure_faq(procedure) -> list[Question]:
    """Up to five published questions about `procedure`, most read first: one query, the
    answering agency joined."""
    if procedure is None:
        return []
    return list(
        Question.objects.published()
        .filter(procedure=procedure)
        .select_related("agency")
        .order_by("-view_count", "-answered_at", "-pk")[:PROCEDURE_FAQ_LIMIT]
    )
