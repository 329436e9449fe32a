"""E-forms (tờ khai điện tử): the spec of a procedure's form, its Django form, and its rules.

spec = get_form_spec(procedure)            # real form for five procedures, else generated
form = build_django_form(spec, request.POST)
if form.is_valid(): dossier.form_data = form.json_data()
errors = validate(spec, payload)           # coded FormErrors for an API
"""

from .forms import Cleaned, EForm, build_django_form, clean, form_class, validate
from .messages import FormError, catalog
from .spec import FORM_SLUGS, FieldSpec, FormSpec, SectionSpec, get_form_spec, real_specs

__all__ = [
    "FORM_SLUGS",
    "Cleaned",
    "EForm",
    "FieldSpec",
    "FormError",
    "FormSpec",
    "SectionSpec",
    "build_django_form",
    "catalog",
    "clean",
    "form_class",
    "get_form_spec",
    "real_specs",
    "validate",
]
