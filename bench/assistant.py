"""Assistant benchmark: does the answer name the right procedure, carry the record's facts
(documents, time, fee) and state nothing the record lacks; how fast is it.

Run:  .venv/bin/python bench/assistant.py      (--quiet hides the list of misses)

In-process (the engine's `respond`, no HTTP, nothing stored), on the catalog bench/search.py
uses (the imported one in var/, or a temporary SQLite database it fills). Questions:
bench/data/assistant_questions.json (written from how citizens ask, labelled with codes of
the catalog) and the development sets in opendvc/data/qa (labelled as in bench/search.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from search import QA_DIR, QA_PROCEDURES, prepare_database  # bench/search.py, a neighbour

QUESTIONS = Path(__file__).resolve().parent / "data" / "assistant_questions.json"
MISSING = "không ghi"
# What each QA question asks, in the engine's aspect names.
QA_ASPECTS = {
    "documents": "documents",
    "timeline": "time",
    "fees": "fee",
    "legal": "legal",
    "process": "steps",
    "requirements": "conditions",
    "overview": "overview",
}


def qa_questions() -> list[tuple[str, set[str], str]]:
    out = []
    for path in sorted(QA_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["test_cases"]:
            code = (case.get("metadata") or {}).get("thu_tuc_id")
            codes = code or QA_PROCEDURES.get(case.get("source_procedure", ""))
            if codes:
                aspect = QA_ASPECTS.get(case.get("category"), "overview")
                out.append((case["question"], set(codes.split()), aspect))
    return out


def record_dump(procedure) -> str:
    """The record straight from the database, every field: what an answer may state. Written
    here, not taken from the engine, so the check does not trust the code it checks."""
    from django.forms.models import model_to_dict

    parts = [
        json.dumps(
            model_to_dict(procedure, exclude=["fields", "life_events", "implementing_agencies"]),
            ensure_ascii=False,
            default=str,
        )
    ]
    stamp = procedure.source_updated_at or procedure.imported_at
    parts.append(stamp.strftime("%d/%m/%Y"))
    parts += [a.name for a in procedure.implementing_agencies.all()]
    for case in procedure.cases.all():
        parts.append(json.dumps(model_to_dict(case), ensure_ascii=False, default=str))
        parts += [json.dumps(model_to_dict(d), ensure_ascii=False) for d in case.documents.all()]
    for row in [*procedure.channels.all(), *procedure.fees.all()]:
        parts.append(json.dumps(model_to_dict(row), ensure_ascii=False, default=str))
    for row in [*procedure.cases.all(), *procedure.channels.all()]:
        if row.processing_amount is not None:  # "5.00" + "WORKING_DAY" as words
            parts.append(
                f"{row.processing_amount.normalize():f} {row.get_processing_unit_display()}"
            )
    # Fee.amount is in đồng (the model says so): the unit is part of the field.
    parts += [f"{f.amount:,}".replace(",", ".") + " đồng" for f in procedure.fees.all()]
    return "\n".join(parts)


def facts_present(answer: str, procedure, aspect: str) -> tuple[int, int]:
    """(facts found, facts expected) of the record for the aspect asked (overview = the
    documents, time and fee)."""
    from opendvc.core.text import fold

    folded = fold(answer)
    wanted: list[bool] = []
    if aspect in ("documents", "overview"):
        cases = [list(c.documents.all()) for c in procedure.cases.all()]
        cases = [docs for docs in cases if docs]
        if cases:  # the documents of one of the cases, all of them
            wanted.append(
                any(all(fold(d.name.strip(" -•+"))[:60] in folded for d in docs) for docs in cases)
            )
        else:
            wanted.append(MISSING in answer)
    if aspect in ("time", "overview"):
        amounts = {
            str(int(c.processing_amount))
            for c in procedure.channels.all()
            if c.processing_amount is not None and c.processing_unit != "OTHER"
        }
        texts = {fold(c.processing_text) for c in procedure.channels.all()} - {""}
        if amounts or texts:
            wanted.append(all(a in answer for a in amounts) and all(t in folded for t in texts))
        else:
            wanted.append(MISSING in answer or "ngày" in answer)
    if aspect in ("fee", "overview"):
        fees = list(procedure.fees.all())
        shown = [f for f in fees if f.amount or f.description.strip()]
        if shown:
            wanted.append(
                all(
                    f"{f.amount:,}".replace(",", ".") in answer
                    if f.amount
                    else f.description.strip()[:40] in answer
                    for f in shown
                )
            )
        else:
            wanted.append(MISSING in answer)
    return sum(wanted), len(wanted)


def run(questions, respond, load, checks, quiet: bool) -> dict:
    hits = shown = clarified = resolved = found = expected = unsupported = 0
    latencies, misses, inventions = [], [], []
    for item in questions:
        q, codes, aspect = item["question"], set(item["codes"]), item.get("aspect", "overview")
        started = time.perf_counter()
        reply = respond(q)
        latencies.append(time.perf_counter() - started)
        listed = [p["code"] for p in reply.procedures]
        if reply.intent == "clarify":
            clarified += 1
            if codes & set(listed):
                shown += 1
                pick = str(next(n for n, c in enumerate(listed, 1) if c in codes))
                reply = respond(pick, choices=reply.choices)
                listed = [p["code"] for p in reply.procedures]
                resolved += bool(listed and listed[0] in codes)
        elif listed and listed[0] in codes:
            hits += 1
            shown += 1
        if not (listed and listed[0] in codes):
            misses.append(f"{q!r}: {listed[:3]} expected {sorted(codes)}")
            continue
        procedure = load(listed[0])
        got, want = facts_present(reply.answer, procedure, aspect)
        found, expected = found + got, expected + want
        dump = [record_dump(procedure)]
        bad = checks.unsupported_numbers(reply.answer, dump)
        bad += checks.unsupported_quantities(reply.answer, dump)
        if bad:
            unsupported += 1
            inventions.append(f"{q!r}: {bad}")
    n = len(questions)
    if not quiet:
        for line in misses + [f"NOT IN RECORD {x}" for x in inventions]:
            print("  -", line)
    return {
        "n": n,
        "first_answer_right": hits / n,
        "right_procedure_in_answer": shown / n,
        "clarified": clarified / n,
        "right_after_one_clarification": (hits + resolved) / n,
        "facts_present": found / expected if expected else 0.0,
        "answers_with_facts_not_in_record": unsupported,
        "latency_ms": latencies,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    database = prepare_database()
    from opendvc.assistant.engine import checks, compose
    from opendvc.assistant.engine.reply import respond

    data = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    started = time.perf_counter()
    respond("khai sinh")  # builds the search index once, as the first request of a process
    warmup = time.perf_counter() - started
    sets = {
        "citizens": data["procedure_questions"],
        "qa": [{"question": q, "codes": sorted(c), "aspect": a} for q, c, a in qa_questions()],
    }
    print(f"database: {database}; index built in {warmup:.1f} s")
    all_latencies = []
    for name, questions in sets.items():
        print(f"\n## {name} ({len(questions)} questions)")
        result = run(questions, respond, compose.load, checks, args.quiet)
        all_latencies += result.pop("latency_ms")
        for key, value in result.items():
            print(f"{key:38} {value:.1%}" if isinstance(value, float) else f"{key:38} {value}")
    intents_right = [respond(o["question"]).intent == o["intent"] for o in data["other_questions"]]
    print(f"\nintent (greeting, help, out of scope)   {sum(intents_right)}/{len(intents_right)}")
    ms = sorted(x * 1000 for x in all_latencies)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(
        f"latency per answer: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, "
        f"max {ms[-1]:.1f} ms over {len(ms)} questions"
    )


if __name__ == "__main__":
    sys.exit(main())
