"""The national portal's procedure list: code, name, fields, agencies, kind and state only."""

from __future__ import annotations

from .agencies import is_province_people_committee
from .reading import BadRecord, clean, parse_code, strings

KINDS = {"STANDARD", "SPECIFIC", "STANDARD_INTERNAL"}
STATES = {"ACTIVE", "UPDATED", "ABOLISHED"}


def looks_like(row: dict) -> bool:
    return "categories" in row or "departmentPromulgate" in row


def parse(row: dict) -> dict:
    code = parse_code(row.get("code"))
    name = clean(row.get("name"))
    if not name:
        raise BadRecord("missing name")
    kind = clean(row.get("type")) or "STANDARD"
    state = clean(row.get("state")) or "ACTIVE"
    if kind not in KINDS or state not in STATES:
        raise BadRecord("unknown type or state")
    publisher = clean(row.get("departmentPromulgate"))
    record = {
        "code": code,
        "portal_id": clean(row.get("id")),
        "name": name,
        "kind": kind,
        "state": state,
        "fields": [{"name": field, "code": ""} for field in strings(row.get("categories"))],
        "publisher": {"name": publisher, "code": ""} if publisher else None,
        "implementing": [{"name": n, "code": ""} for n in strings(row.get("departments"))],
        "target_groups": strings(row.get("formalityTargetType")),
    }
    # The list has no level; a province-specific procedure published by a province's
    # people's committee is carried out at the province.
    if kind == "SPECIFIC" and is_province_people_committee(publisher):
        record["levels"] = ["TINH"]
    return record
