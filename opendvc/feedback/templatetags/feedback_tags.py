from django import template

from ..answers import for_procedure

register = template.Library()


@register.simple_tag
def procedure_answers(procedure):
    """The published answers shown on a procedure's page (one query)."""
    return for_procedure(procedure)
