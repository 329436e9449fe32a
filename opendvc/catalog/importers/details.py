"""Full detail records of the national portal, one {"code": "OK", "data": {...}} per line."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .reading import (
    BadRecord,
    as_dict,
    clean,
    clean_block,
    dicts,
    informative,
    parse_code,
)

CHANNELS = {"DIRECT", "ONLINE", "POSTAL"}
UNITS = {"WORKING_DAY", "DAY", "HOUR", "MONTH", "OTHER"}
FEE_KINDS = {"FEE": "FEE", "SERVICE_FEE": "CHARGE", "PRICE_LEVEL": "OTHER"}
AUDIENCES = {"CITIZEN": "CITIZEN", "BUSINESS": "BUSINESS", "CORPORATE": "BUSINESS"}
TEXT_LIMIT = 300


def looks_like(row: dict) -> bool:
    return "data" in row and "code" in row


def parse(row: dict) -> dict:
    data = as_dict(row.get("data"))
    if not data:
        raise BadRecord("empty detail envelope")
    record = {
        "code": parse_code(data.get("code")),
        "portal_id": clean(data.get("id")),
        "name": clean(data.get("name")),
        "kind": clean(data.get("type")),
        "state": clean(data.get("state")),
        "fields": [_ref(item) for item in dicts(data.get("categoriesDetails"))],
        "publisher": _publisher(data),
        "implementing": _implementing(data),
        "levels": _levels(data),
        "online_full": data.get("isFullProcess") is True,
        "target_groups": [clean(s.get("name")) for s in dicts(data.get("subjectTypesDetails"))],
        "decision_no": clean(data.get("decisionNo"))
        or clean(as_dict(data.get("procedureProposal")).get("proposalNumber")),
        "steps": _steps(data),
        "requirements": informative(data.get("requirementsAndConditions")),
        "legal_basis": [_ref(item) for item in dicts(data.get("legalBasisesDetails"))],
        "results": [_ref(item) for item in dicts(data.get("resultsDetails"))],
        "receiving_address": informative(data.get("dossierReceivingAddresses")),
        "life_events": _life_events(data),
        "source_updated_at": _epoch_ms(data.get("updatedAt")),
        "cases": _cases(data),
        "documents": _documents(data),
    }
    record["channels"], record["fees"] = _methods(data)
    if record["kind"] not in {"", "STANDARD", "SPECIFIC", "STANDARD_INTERNAL"}:
        record["kind"] = ""
    if record["state"] not in {"", "ACTIVE", "UPDATED", "ABOLISHED"}:
        record["state"] = ""
    return record


def _ref(item: dict) -> dict:
    return {"code": clean(item.get("code")), "name": clean(item.get("name"))}


def _publisher(data: dict) -> dict | None:
    name = clean(data.get("departmentPromulgateName"))
    return {"name": name, "code": clean(data.get("departmentPromulgateCode"))} if name else None


def _implementing(data: dict) -> list[dict]:
    refs = [_ref(item) for item in dicts(data.get("departmentsExecuting"))]
    refs += [
        {"name": clean(g.get("name")), "code": ""} for g in dicts(data.get("unitGroupsExecuting"))
    ]
    return [ref for ref in refs if ref["name"]]


def _levels(data: dict) -> list[str]:
    flags = (("isMinistry", "BO"), ("isProvince", "TINH"), ("isWard", "XA"))
    return [level for flag, level in flags if data.get(flag) is True]


def _steps(data: dict) -> list[dict]:
    steps = [
        {"name": clean(step.get("name")), "description": clean_block(step.get("description"))}
        for step in dicts(data.get("executionSteps"))
    ]
    return [step for step in steps if step["name"] or step["description"]]


def _life_events(data: dict) -> list[dict]:
    return [
        {"name": clean(g.get("name")), "audience": AUDIENCES.get(clean(g.get("type")), "CITIZEN")}
        for g in dicts(data.get("serviceGroupsDetails"))
        if clean(g.get("name"))
    ]


def _epoch_ms(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, int | float):
        raise BadRecord("wrong types")
    return int(value)


def amount_of(value) -> float | None:
    """A processing time as a number, or None when the source gives text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(Decimal(clean(value).replace(",", ".")))
    except (InvalidOperation, ValueError):
        return None


def _cases(data: dict) -> list[dict]:
    cases, seen = [], set()
    # The portal repeats identical cases under several codes; a citizen could not tell
    # them apart, so one of each (name, time) is kept, the lowest code first.
    for case in sorted(dicts(data.get("cases")), key=lambda c: clean(c.get("code"))):
        day = as_dict(case.get("processingDay"))
        unit = clean(day.get("type"))
        entry = {
            "code": clean(case.get("code")),
            "name": clean(case.get("name")),
            "amount": amount_of(day.get("qty")),
            "unit": unit if unit in UNITS else "OTHER",
        }
        key = (entry["name"], entry["amount"], entry["unit"])
        if entry["name"] and key not in seen:
            seen.add(key)
            cases.append(entry)
    return cases


def _documents(data: dict) -> list[dict]:
    documents = []
    for group in dicts(data.get("executionCases")):
        group_name = clean(group.get("name")).strip("*: ")
        for item in dicts(group.get("profileComponents")):
            forms = [
                {"name": clean(a.get("fileName")), "url": "", "path": clean(a.get("filePath"))}
                for a in dicts(item.get("attachments"))
                if clean(a.get("fileName"))
            ]
            documents.append(
                {
                    "group": group_name[:500],
                    "name": clean(item.get("name")),
                    "original_qty": _qty(item.get("originalQty")),
                    "copy_qty": _qty(item.get("copyQty")),
                    # The portal sends "required": false for every document (the flag is not
                    # filled in), so it is not read as "optional".
                    "is_required": True,
                    "forms": forms,
                }
            )
    return [doc for doc in documents if doc["name"]]


def _qty(value) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRecord("wrong types")
    return max(0, min(value, 32767))


def _methods(data: dict) -> tuple[list[dict], list[dict]]:
    channels, fees = [], []
    for method in dicts(data.get("executionMethods")):
        channel = clean(method.get("submissionMethod"))
        if channel not in CHANNELS:
            continue
        unit = clean(method.get("processingTimeUnit"))
        amount = amount_of(method.get("processingTime"))
        text = "" if amount is not None else clean(method.get("processingTime"))
        description = clean_block(method.get("description"))
        if len(text) > TEXT_LIMIT:
            # Kept whole in the description rather than cut.
            description = f"{text}\n{description}".strip()
            text = text[: TEXT_LIMIT - 1] + "…"
        channels.append(
            {
                "channel": channel,
                "amount": amount,
                "unit": unit if unit in UNITS else "OTHER",
                "text": text,
                "description": description,
            }
        )
        fees += [_fee(channel, fee) for fee in dicts(method.get("fees"))]
    return channels, [fee for fee in fees if fee]


def _fee(channel: str, fee: dict) -> dict | None:
    value = fee.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise BadRecord("wrong types")
    description = clean_block(fee.get("description"))
    currency = clean(fee.get("currencyName"))
    amount = int(value or 0)
    if currency and currency != "Việt Nam Đồng" and amount:
        # Amounts are kept in VND; a fee in another currency stays in the text.
        description = f"{value:g} {currency}. {description}".strip()
        amount = 0
    return {
        "channel": channel,
        "kind": FEE_KINDS.get(clean(fee.get("type")), "OTHER"),
        "amount": amount,
        "description": description,
    }
