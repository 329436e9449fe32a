"""Scenes several dossier test modules set up alike: a commune of a province, the case of
"Cấp phiếu lý lịch tư pháp" with its two documents, answers that fill that procedure's
e-form (the ProcedureFactory's) without an error, and a stored result of a finished dossier.

The `commune` fixture is named so that tests ask for it as `commune`; a module imports the
function (`from .scenes import answers, commune_of_a_province  # noqa: F401 - fixture`)."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from opendvc.catalog.models import ProcedureCase
from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
from opendvc.directory.models import AdminUnit, Agency
from opendvc.directory.tests.factories import CommuneFactory, ProvinceFactory
from opendvc.dossiers.models import Dossier, SignedResult
from opendvc.dossiers.tests.factories import MONDAY, pdf


@pytest.fixture(name="commune")
def commune_of_a_province(db) -> AdminUnit:
    """Phường Kinh Bắc, in a province of its own."""
    return CommuneFactory(parent=ProvinceFactory(), short_name="Kinh Bắc")


def criminal_record_case(agency: Agency, *, id_copy_required: bool = True) -> ProcedureCase:
    """The case of "Cấp phiếu lý lịch tư pháp", received by `agency`: the request form, then a
    copy of the identity card (optional when `id_copy_required` is False)."""
    procedure = ProcedureFactory(name="Cấp phiếu lý lịch tư pháp")
    procedure.implementing_agencies.set([agency])
    case = CaseFactory(procedure=procedure)
    DocumentFactory(case=case, name="Tờ khai yêu cầu", position=0)
    DocumentFactory(case=case, name="Bản chụp căn cước", position=1, is_required=id_copy_required)
    return case


def answers(commune: AdminUnit) -> dict:
    """A valid e-form of the applicant of the cast (Nguyễn Văn An) living in `commune`."""
    return {
        "ho_ten": "Nguyễn Văn An",
        "ngay_sinh": "1990-05-01",
        "so_dinh_danh_ca_nhan": "001090012345",
        "dien_thoai": "0912345678",
        "email": "an@example.vn",
        "tinh_thanh_pho": commune.parent.code,
        "phuong_xa": commune.code,
        "dia_chi_chi_tiet": "Số 5 đường Lý Thái Tổ",
        "noi_dung_yeu_cau": "Cấp một phiếu lý lịch tư pháp số 1.",
    }


def stored_result(dossier: Dossier, leader) -> SignedResult:
    """The result row and file of a finished dossier, as the leader's signing leaves them; the
    PDF is a plain one (tests of the signature itself sign for real)."""
    signed = SignedResult(
        dossier=dossier,
        token=hashlib.sha256(str(dossier.pk).encode()).hexdigest(),
        sha256="0" * 64,
        signed_at=MONDAY,
        signed_by=leader,
        signer_name="Sở Tư pháp",
        certificate_serial="01",
        certificate_sha256="0" * 64,
    )
    signed.file.save("ket-qua.pdf", ContentFile(pdf()), save=False)
    signed.save()
    return signed
