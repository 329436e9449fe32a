"""Writing merged records: new procedures are inserted, changed ones updated with their
children replaced, unchanged ones (same fingerprint) left alone. Bulk statements only."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.db import transaction

from opendvc.directory.text import slugify_vi

from ..models import (
    Fee,
    Field,
    LifeEvent,
    Procedure,
    ProcedureCase,
    ProcedureChannel,
    RequiredDocument,
)
from .agencies import AgencyBook

UPDATED_FIELDS = [
    "portal_id", "name", "kind", "state", "publishing_agency", "is_ministry_level",
    "is_province_level", "is_commune_level", "online_level", "target_groups", "decision_no",
    "steps", "requirements", "legal_basis", "results", "receiving_address", "sources",
    "popularity", "fingerprint", "source_updated_at", "imported_at",
]  # fmt: skip
MAX_AMOUNT = Decimal("999999.99")


class Writer:
    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self.existing = {
            code: (pk, fp)
            for code, pk, fp in Procedure.objects.values_list("code", "pk", "fingerprint")
        }
        self.fields = {field.name: field for field in Field.objects.all()}
        self.life_events = {event.name: event for event in LifeEvent.objects.order_by("pk")}
        self.agencies = AgencyBook()
        self.fields_created = 0
        self.life_events_created = 0

    def status(self, code: str, fingerprint: str) -> str:
        if code not in self.existing:
            return "created"
        return "unchanged" if self.existing[code][1] == fingerprint else "updated"

    @transaction.atomic
    def prepare(self, records: list[dict]) -> None:
        """Create the fields, life events and agencies the records name, once for all."""
        refs = [ref for r in records for ref in [r.get("publisher"), *r.get("implementing", [])]]
        self.agencies.ensure([ref for ref in refs if ref])
        self._ensure_fields([f for r in records for f in r.get("fields", [])])
        self._ensure_life_events([e for r in records for e in r.get("life_events", [])])

    def _ensure_fields(self, refs: list[dict]) -> None:
        new: dict[str, Field] = {}
        slugs = {field.slug for field in self.fields.values()}
        for ref in refs:
            name = ref["name"][:300]
            if name in self.fields or (name in new and new[name].code):
                continue
            if name in new:
                new[name].code = ref["code"][:40]
                continue
            new[name] = Field(name=name, code=ref["code"][:40], slug=_unique(name, slugs))
        Field.objects.bulk_create(new.values())
        self.fields.update(new)
        self.fields_created += len(new)

    def _ensure_life_events(self, refs: list[dict]) -> None:
        new: dict[str, LifeEvent] = {}
        slugs = {event.slug for event in self.life_events.values()}
        for ref in refs:
            name = ref["name"][:300]
            if name not in self.life_events and name not in new:
                new[name] = LifeEvent(
                    name=name, audience=ref["audience"], slug=_unique(name, slugs)
                )
        LifeEvent.objects.bulk_create(new.values())
        self.life_events.update(new)
        self.life_events_created += len(new)

    @transaction.atomic
    def write(self, items: list[tuple[dict, int, str]]) -> None:
        """Insert or update one chunk of (record, popularity, fingerprint), in one transaction."""
        new = [
            self._procedure(r, pop, fp) for r, pop, fp in items if r["code"] not in self.existing
        ]
        changed = [
            self._procedure(r, pop, fp) for r, pop, fp in items if r["code"] in self.existing
        ]
        for procedure in changed:
            procedure.pk = self.existing[procedure.code][0]
        Procedure.objects.bulk_create(new)
        for procedure in changed:
            # One UPDATE per row: bulk_update builds a CASE per column and row, which is
            # far slower for this many columns.
            values = {name: getattr(procedure, name) for name in UPDATED_FIELDS}
            Procedure.objects.filter(pk=procedure.pk).update(**values)
        if changed:
            self._delete_children([p.pk for p in changed])
        by_code = {p.code: p for p in [*new, *changed]}
        self._create_children([(by_code[r["code"]], r) for r, _, _ in items])
        for procedure in by_code.values():
            self.existing[procedure.code] = (procedure.pk, procedure.fingerprint)

    def _procedure(self, record: dict, popularity: int, fingerprint: str) -> Procedure:
        levels = record.get("levels", [])
        updated_ms = record.get("source_updated_at")
        return Procedure(
            code=record["code"],
            portal_id=record.get("portal_id", "")[:40],
            name=record["name"],
            kind=record.get("kind") or Procedure.Kind.STANDARD,
            state=record.get("state") or Procedure.State.ACTIVE,
            publishing_agency=self.agencies.get(record.get("publisher")),
            is_ministry_level="BO" in levels,
            is_province_level="TINH" in levels,
            is_commune_level="XA" in levels,
            online_level=record["online_level"],
            target_groups=record.get("target_groups", []),
            decision_no=record.get("decision_no", "")[:120],
            steps=record.get("steps", []),
            requirements=record.get("requirements", ""),
            legal_basis=record.get("legal_basis", []),
            results=record.get("results", []),
            receiving_address=record.get("receiving_address", ""),
            sources=record["sources"],
            popularity=popularity,
            fingerprint=fingerprint,
            source_updated_at=datetime.fromtimestamp(updated_ms / 1000, UTC)
            if updated_ms
            else None,
            imported_at=self.now,
        )

    def _delete_children(self, ids: list[int]) -> None:
        RequiredDocument.objects.filter(case__procedure_id__in=ids).delete()
        for model in (ProcedureCase, ProcedureChannel, Fee):
            model.objects.filter(procedure_id__in=ids).delete()
        for relation in ("fields", "life_events", "implementing_agencies"):
            getattr(Procedure, relation).through.objects.filter(procedure_id__in=ids).delete()

    def _create_children(self, pairs: list[tuple[Procedure, dict]]) -> None:
        cases, channels, fees, links = [], [], [], {"fields": [], "life_events": [], "agencies": []}
        documents: list[tuple[ProcedureCase, list[dict]]] = []
        for procedure, record in pairs:
            for position, case in enumerate(record["cases"]):
                cases.append(_case(procedure, case, position))
                documents.append((cases[-1], case["documents"]))
            channels += [
                _channel(procedure, c, i) for i, c in enumerate(record.get("channels", []))
            ]
            fees += [_fee(procedure, fee, i) for i, fee in enumerate(record.get("fees", []))]
            self._links(procedure, record, links)
        ProcedureCase.objects.bulk_create(cases)
        RequiredDocument.objects.bulk_create(
            _document(case, doc, i) for case, docs in documents for i, doc in enumerate(docs)
        )
        ProcedureChannel.objects.bulk_create(channels)
        Fee.objects.bulk_create(fees)
        Procedure.fields.through.objects.bulk_create(links["fields"])
        Procedure.life_events.through.objects.bulk_create(links["life_events"])
        Procedure.implementing_agencies.through.objects.bulk_create(links["agencies"])

    def _links(self, procedure: Procedure, record: dict, links: dict) -> None:
        field_ids = {self.fields[f["name"][:300]].pk for f in record.get("fields", [])}
        event_ids = {self.life_events[e["name"][:300]].pk for e in record.get("life_events", [])}
        agency_ids = {self.agencies.get(ref).pk for ref in record.get("implementing", [])}
        links["fields"] += [
            Procedure.fields.through(procedure_id=procedure.pk, field_id=pk)
            for pk in sorted(field_ids)
        ]
        links["life_events"] += [
            Procedure.life_events.through(procedure_id=procedure.pk, lifeevent_id=pk)
            for pk in sorted(event_ids)
        ]
        links["agencies"] += [
            Procedure.implementing_agencies.through(procedure_id=procedure.pk, agency_id=pk)
            for pk in sorted(agency_ids)
        ]


def _unique(name: str, taken: set[str]) -> str:
    base = (slugify_vi(name) or "muc")[:190]
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def _amount(value: float | None) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    return amount if 0 <= amount <= MAX_AMOUNT else None


def _case(procedure: Procedure, case: dict, position: int) -> ProcedureCase:
    return ProcedureCase(
        procedure=procedure,
        code=case["code"][:60],
        name=case["name"],
        processing_amount=_amount(case["amount"]),
        processing_unit=case["unit"],
        position=position,
    )


def _channel(procedure: Procedure, channel: dict, position: int) -> ProcedureChannel:
    return ProcedureChannel(
        procedure=procedure,
        channel=channel["channel"],
        processing_amount=_amount(channel["amount"]),
        processing_unit=channel["unit"],
        processing_text=channel["text"][:300],
        description=channel["description"],
        position=position,
    )


def _fee(procedure: Procedure, fee: dict, position: int) -> Fee:
    return Fee(
        procedure=procedure,
        channel=fee["channel"],
        kind=fee["kind"],
        amount=fee["amount"],
        description=fee["description"],
        position=position,
    )


def _document(case: ProcedureCase, document: dict, position: int) -> RequiredDocument:
    return RequiredDocument(
        case=case,
        group=document["group"][:500],
        name=document["name"],
        original_qty=document["original_qty"],
        copy_qty=document["copy_qty"],
        is_required=document["is_required"],
        forms=document["forms"],
        position=position,
    )
