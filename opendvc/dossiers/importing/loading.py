"""Writing one batch of parsed dossiers: resolve codes to rows, skip those already here, then
bulk-insert the dossiers and everything hanging off them in one transaction with one audit
entry. A batch the database refuses (a constraint, or a code inserted meanwhile by someone
else) is retried line by line, so only the offending lines are rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from opendvc.audit.actions import record
from opendvc.catalog.models import Procedure, ProcedureCase
from opendvc.directory.models import Agency

from ..models import Dossier
from .counters import advance_past
from .fields import BadLine
from .parsing import ImportedDossier
from .writing import Planned, Target, insert, plan

# Supplement requests and apology letters need the official who made them; the legacy system
# does not tell, so they are attributed to this inactive account, which can never sign in.


@dataclass
class BatchResult:
    imported: int = 0
    already: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Procedure:
    pk: int
    cases: tuple[tuple[int, str, str, int], ...]  # (pk, name, code, position) in order


class Loader:
    """Loads batches from one file; caches procedure and agency codes across batches."""

    def __init__(self, *, now: datetime, file_name: str, sha256: str, dry_run: bool) -> None:
        self.now = now
        self.file_name = file_name
        self.sha256 = sha256
        self.dry_run = dry_run
        self._procedures: dict[str, _Procedure | None] = {}
        self._agencies: dict[str, int | None] = {}

    def load(self, batch: list[ImportedDossier], lines: tuple[int, int]) -> BatchResult:
        """Import the batch (lines: the first and last line numbers it was read from)."""
        result = BatchResult()
        existing = self._existing([item.code for item in batch])
        self._warm(batch)
        ready: list[tuple[ImportedDossier, Target]] = []
        for item in batch:
            if item.code in existing:
                result.already += 1
                continue
            try:
                ready.append((item, self._resolve(item)))
            except BadLine as error:
                result.rejected.append((item.line, str(error)))
        with transaction.atomic():
            imported = self._write(ready, result)
            result.imported = len(imported)
            advance_past(imported)
            if imported:
                record(
                    action="dossiers.import",
                    target_type="dossiers.dossier",
                    payload={
                        "file": self.file_name,
                        "sha256": self.sha256,
                        "lines": list(lines),
                        "codes": len(imported),
                    },
                    now=self.now,
                )
            if self.dry_run:
                transaction.set_rollback(True)
        return result

    def _existing(self, codes: list[str]) -> set[str]:
        return set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))

    def _warm(self, batch: list[ImportedDossier]) -> None:
        wanted = {item.procedure_code for item in batch} - self._procedures.keys()
        if wanted:
            found: dict[str, list] = {}
            for pk, code in Procedure.objects.filter(code__in=wanted).values_list("pk", "code"):
                found[code] = [pk]
            by_pk = {values[0]: code for code, values in found.items()}
            cases = ProcedureCase.objects.filter(procedure_id__in=by_pk).order_by(
                "procedure_id", "position", "pk"
            )
            for row in cases.values_list("procedure_id", "pk", "name", "code", "position"):
                found[by_pk[row[0]]].append(row[1:])
            for code in wanted:
                values = found.get(code)
                self._procedures[code] = (
                    _Procedure(values[0], tuple(values[1:])) if values else None
                )
        agencies = {item.agency_code for item in batch} - self._agencies.keys()
        if agencies:
            known = dict(Agency.objects.filter(code__in=agencies).values_list("code", "pk"))
            self._agencies.update({code: known.get(code) for code in agencies})

    def _resolve(self, item: ImportedDossier) -> Target:
        procedure = self._procedures.get(item.procedure_code)
        if procedure is None:
            raise BadLine(f"không có thủ tục mã “{item.procedure_code}” trong danh mục")
        agency_id = self._agencies.get(item.agency_code)
        if agency_id is None:
            raise BadLine(f"không có cơ quan mã “{item.agency_code}”")
        return Target(procedure.pk, _case_of(procedure, item), agency_id)

    def _write(self, ready: list, result: BatchResult) -> list[Planned]:
        """Insert the batch at once; if the database refuses it, line by line."""
        planned = []
        for item, target in ready:
            try:
                planned.append(plan(item, target, now=self.now))
            except BadLine as error:
                result.rejected.append((item.line, str(error)))
        if not planned:
            return []
        try:
            with transaction.atomic():
                insert(planned)
            return planned
        except IntegrityError:
            pass
        written = []
        for entry in planned:
            try:
                with transaction.atomic():
                    insert([entry])
                written.append(entry)
            except IntegrityError as error:
                result.rejected.append((entry.line, _constraint_reason(error)))
        return written


def _case_of(procedure: _Procedure, item: ImportedDossier) -> int:
    if not procedure.cases:
        raise BadLine(f"thủ tục “{item.procedure_code}” chưa có trường hợp nào")
    if item.case is None:
        return procedure.cases[0][0]
    for pk, name, code, position in procedure.cases:
        if item.case in ((name.strip(), code) if isinstance(item.case, str) else (position,)):
            return pk
    raise BadLine(f"thủ tục “{item.procedure_code}” không có trường hợp “{item.case}”")


def _constraint_reason(error: IntegrityError) -> str:
    text = str(error)
    if "code" in text and ("UNIQUE" in text or "unique" in text or "duplicate" in text):
        return "mã hồ sơ đã có trong cơ sở dữ liệu (ghi cùng lúc bởi tiến trình khác)"
    return f"cơ sở dữ liệu từ chối hồ sơ: {text.splitlines()[0][:200]}"
