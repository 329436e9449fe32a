"""The Django form of an e-form spec, and the one validation path pages and the API share.

`build_django_form(spec, data)` gives a form a page renders and checks; `validate(spec, data)`
and `clean(spec, data)` run the same form for an API and return coded findings and
JSON-ready values for Dossier.form_data. Warnings and information never block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils import timezone

from .fields import EMPTY_CHOICE, PROVINCE_FIRST, catalog_code, django_field
from .messages import FormError, make_error
from .provinces import communes_of, current_code
from .rules import run_rules
from .spec import COMMUNE_REF, MEMBER_TABLE, FieldSpec, FormSpec

MEMBER_ROWS = 6  # rows of a member table on the page; more go in an attached list
_SCALARS = (str, int, float, Decimal)


def cell_name(table: str, row: int, column: str) -> str:
    return f"{table}__{row}__{column}"


def _cells(spec: FieldSpec):
    for row in range(MEMBER_ROWS):
        for column in spec.columns:
            label = f"{spec.label}, dòng {row + 1}: {column.label}"
            yield cell_name(spec.name, row, column.name), column, label


class EForm(forms.Form):
    """A form whose fields come from `spec`; `findings` holds every coded result after
    is_valid(), blocking or not."""

    spec: FormSpec

    def __init__(self, *args, today: date | None = None, input_errors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.input_errors = list(input_errors)
        self.findings: list[FormError] = []
        for spec in self.spec.fields():
            if spec.options_ref == COMMUNE_REF:
                self._list_communes(spec)

    def _list_communes(self, spec: FieldSpec) -> None:
        """The commune list of the province chosen (posted, or given as initial), so a page
        without JavaScript offers it after one round trip."""
        given = self.data.get(spec.depends_on) if self.is_bound else None
        given = given or self.initial.get(spec.depends_on) or ""
        code = str(given).strip()
        if not code:
            return
        field, listed = self.fields[spec.name], []

        def choices() -> list:
            # Read when the page renders the list, once: a check needs no list (CommuneField).
            if not listed:
                communes = communes_of(code) or communes_of(current_code(code))
                listed.append([EMPTY_CHOICE, *communes] if communes else [PROVINCE_FIRST])
            return listed[0]

        field.choices = choices

    def clean(self):
        cleaned = super().clean()
        found = self.input_errors + run_rules(self.spec, cleaned, self.today)
        failed = {name for name in self.errors if name != NON_FIELD_ERRORS}
        # A field that already failed its own check gets no second, derived finding.
        self.findings = [f for f in found if f.field not in failed or f in self.input_errors]
        for finding in self.findings:
            if finding.is_blocking:
                # A member table's own findings name the table, which is no single field.
                name = finding.field if finding.field in self.fields else None
                self.add_error(name, forms.ValidationError(finding.message, code=finding.code))
        return cleaned

    def errors_found(self) -> list[FormError]:
        """Every finding, coded: the fields' own errors, then the rules' (errors first)."""
        self.is_valid()
        ruled = {(f.field, f.code) for f in self.findings}
        typed = {f.field for f in self.input_errors}
        own = []
        for name, errors in self.errors.as_data().items():
            if name not in self.fields or name in typed:
                continue
            spec = self._spec_of(name)
            found = [catalog_code(spec, error.code or "") for error in errors]
            if any((name, code) in ruled for code in found):
                continue  # a rule's finding, already listed
            # One finding per field: the first says what to fix; the rest would repeat it.
            label = str(self.fields[name].label)
            own.append(make_error(found[0], name, label, max=spec.max_length or ""))
        return sorted(own + self.findings, key=lambda f: f.severity != "error")

    def _spec_of(self, name: str) -> FieldSpec:
        table, _, rest = name.partition("__")
        spec = self.spec.field(table)
        if rest:
            column = rest.partition("__")[2]
            return next(c for c in spec.columns if c.name == column)
        return spec

    def json_data(self) -> dict:
        """The cleaned values as JSON-ready data (dates as ISO strings), for form_data."""
        data = getattr(self, "cleaned_data", {})
        result = {}
        for spec in self.spec.fields():
            if spec.type == MEMBER_TABLE:
                result[spec.name] = self._rows(spec, data)
            elif spec.name in data:
                result[spec.name] = _jsonable(data[spec.name])
        return result

    def _rows(self, spec: FieldSpec, data: dict) -> list[dict]:
        rows = []
        for row in range(MEMBER_ROWS):
            values = {
                c.name: _jsonable(data.get(cell_name(spec.name, row, c.name))) for c in spec.columns
            }
            if any(v not in (None, "") for v in values.values()):
                rows.append(values)
        return rows

    def sections(self):
        """(section, bound fields) in the spec's order, for a template to render."""
        for section in self.spec.sections:
            names = []
            for spec in section.fields:
                names += [c[0] for c in _cells(spec)] if spec.type == MEMBER_TABLE else [spec.name]
            yield section, [self[name] for name in names]


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value) if isinstance(value, str) else value


@lru_cache(maxsize=256)
def form_class(spec: FormSpec) -> type[EForm]:
    """The Django form class of a spec, built once per process for each spec (specs are frozen
    values; each form instance gets its own copies of the fields)."""
    fields = {}
    for field in spec.fields():
        if field.type == MEMBER_TABLE:
            fields.update(
                {name: django_field(column, label) for name, column, label in _cells(field)}
            )
        else:
            fields[field.name] = django_field(field)
    name = "EForm_" + spec.slug.replace("-", "_").replace(".", "_")
    return type(name, (EForm,), {"spec": spec, **fields})


def _bindable(spec: FormSpec, data: Mapping) -> tuple[Mapping, list[FormError]]:
    """JSON from an API bound like a POST: one scalar per field, member tables flattened.
    A value of the wrong shape (a list for a name, an object…) is an error, not a crash."""
    if isinstance(data, QueryDict):
        return data, []
    if not isinstance(data, Mapping):  # a JSON body that is a list, a string…
        return {}, [make_error("E_KIEU", "", spec.title)]
    bound, errors = {}, []
    for field in spec.fields():
        value = data.get(field.name)
        if field.type == MEMBER_TABLE:
            rows, found = _table(field, value)
            bound.update(rows)
            errors += found
        elif value is None:
            continue
        elif isinstance(value, bool) and field.type != "checkbox":
            errors.append(make_error("E_KIEU", field.name, field.label))
        elif isinstance(value, (*_SCALARS, bool)):
            bound[field.name] = value
        else:
            errors.append(make_error("E_KIEU", field.name, field.label))
    return bound, errors


def _table(field: FieldSpec, rows) -> tuple[dict, list[FormError]]:
    if rows is None:
        return {}, []
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        return {}, [make_error("E_KIEU", field.name, field.label)]
    if len(rows) > MEMBER_ROWS:
        return {}, [make_error("E_SO_DONG", field.name, field.label, max=MEMBER_ROWS)]
    bound, errors = {}, []
    for index, row in enumerate(rows):
        for column in field.columns:
            value = row.get(column.name)
            name = cell_name(field.name, index, column.name)
            if isinstance(value, _SCALARS) and not isinstance(value, bool):
                bound[name] = value
            elif value is not None:
                errors.append(
                    make_error("E_KIEU", name, f"{field.label}, dòng {index + 1}: {column.label}")
                )
    return bound, errors


def build_django_form(
    spec: FormSpec,
    data: Mapping | None = None,
    *,
    today: date | None = None,
    initial: dict | None = None,
) -> EForm:
    """The spec's Django form, bound when `data` (a POST or a JSON object) is given.
    `initial`: values to show first (the applicant's own details, their province)."""
    if data is None:
        return form_class(spec)(today=today, initial=initial)
    bound, errors = _bindable(spec, data)
    return form_class(spec)(bound, today=today, initial=initial, input_errors=errors)


@dataclass(frozen=True)
class Cleaned:
    data: dict  # JSON-ready values of the fields that passed their checks
    errors: list[FormError]

    @property
    def is_valid(self) -> bool:
        return not any(e.is_blocking for e in self.errors)


def clean(spec: FormSpec, data: Mapping | None, *, today: date | None = None) -> Cleaned:
    if data is not None and not isinstance(data, Mapping):
        return Cleaned(data={}, errors=[make_error("E_KIEU", "", spec.title)])
    # Nothing sent is an empty form (every required field missing), not an unbound one.
    form = build_django_form(spec, {} if data is None else data, today=today)
    errors = form.errors_found()
    return Cleaned(data=form.json_data(), errors=errors)


def validate(spec: FormSpec, data: Mapping | None, *, today: date | None = None) -> list[FormError]:
    """Every coded finding for `data`; those with severity "error" block submission."""
    return clean(spec, data, today=today).errors


__all__ = ["EForm", "build_django_form", "clean", "form_class", "validate"]
