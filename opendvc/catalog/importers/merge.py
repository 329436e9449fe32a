"""Merging the sources of one procedure into the record the catalog stores.

The national list gives the base record; the details fill everything they have and win;
the BQP records and the page texts only fill what is still missing.
"""

from __future__ import annotations

import hashlib
import json

from .agencies import guess_kind_and_level

SOURCE_ORDER = ("list", "details", "bqp", "page_text")
DEFAULT_CASE = "Trường hợp chung"
# Keys filled together from one source: a procedure's channels and its fees describe the
# same table, and mixing two sources' halves would pair times and fees that never met.
TOGETHER = {"channels": ("channels", "fees"), "fees": ("channels", "fees")}
CHANNEL_PREFERENCE = ("DIRECT", "ONLINE", "POSTAL")


def _empty(value) -> bool:
    return value in (None, "", [], {})


def merge(parts: dict[str, dict]) -> dict:
    """One record from the parsed parts of each source ({"list": {...}, "details": {...}})."""
    record: dict = {}
    sources: list[str] = []
    for source in SOURCE_ORDER:
        part = parts.get(source)
        if part is None:
            continue
        wins = source in ("list", "details")
        before = dict(record)
        filled = False
        for key, value in part.items():
            if key == "code" or _empty(value):
                continue
            # A filling source looks at the record as it was before it: its own channels
            # do not stop its own fees.
            if not wins and not _empty(before.get(key)):
                continue
            if not wins and any(not _empty(before.get(k)) for k in TOGETHER.get(key, ())):
                continue
            record[key] = value
            filled = True
        if filled:
            sources.append(source)
    record["code"] = next(part["code"] for part in parts.values())
    record["sources"] = sources
    return finalise(record)


def finalise(record: dict) -> dict:
    """Derive the online level, and hang the documents on every case (a default case when
    the data names none): the portal does not tie documents to cases."""
    channels = record.get("channels", [])
    if record.pop("online_full", False):
        record["online_level"] = "TOAN_TRINH"
    elif any(channel["channel"] == "ONLINE" for channel in channels):
        record["online_level"] = "MOT_PHAN"
    else:
        record["online_level"] = ""
    if _empty(record.get("levels")):
        record["levels"] = _levels_from_agencies(record.get("implementing", []))
    cases = record.pop("cases", None) or [_default_case(channels)]
    documents = record.pop("documents", [])
    record["cases"] = [{**case, "documents": documents} for case in cases]
    record.setdefault("name", record["code"])
    return record


def _levels_from_agencies(implementing: list[dict]) -> list[str]:
    """No source gave a level: the implementing agencies tell it (a "Sở …" works at the
    province, a commune's people's committee at the commune, a ministry at its own level)."""
    levels = {guess_kind_and_level(ref["name"])[1] for ref in implementing if ref.get("name")}
    return [level for level in ("BO", "TINH", "XA") if level in levels]


def _default_case(channels: list[dict]) -> dict:
    timed = [c for c in channels if c["amount"] is not None]
    timed.sort(key=lambda c: CHANNEL_PREFERENCE.index(c["channel"]))
    first = timed[0] if timed else {"amount": None, "unit": "WORKING_DAY"}
    return {"code": "", "name": DEFAULT_CASE, "amount": first["amount"], "unit": first["unit"]}


def fingerprint(record: dict, popularity: int) -> str:
    body = json.dumps([record, popularity], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()
