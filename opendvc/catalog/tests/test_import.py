"""The import of the shipped national data, run once for the module (it takes seconds)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from opendvc.audit.models import AuditEntry
from opendvc.catalog.importers.popularity import load_popularity
from opendvc.catalog.models import (
    Fee,
    Field,
    LifeEvent,
    Procedure,
    ProcedureCase,
    ProcedureChannel,
    RequiredDocument,
)
from opendvc.directory.models import Agency

pytestmark = pytest.mark.django_db

SUMMARY = (
    "Read 9021 lines (5774 procedures): created 5774, updated 0, unchanged 0, skipped 0\n"
    "New fields 285, agencies 638, life events 15;"
)


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """Import the shipped files inside a transaction that is rolled back after the module,
    so other tests still start from an empty catalog."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out, err = StringIO(), StringIO()
            call_command("import_catalog", stdout=out, stderr=err)
            yield out.getvalue(), err.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def counts() -> dict:
    models = (Procedure, Field, LifeEvent, Agency, ProcedureCase, RequiredDocument, Fee)
    return {model.__name__: model.objects.count() for model in (*models, ProcedureChannel)}


def test_the_shipped_files_import_whole(first_run):
    out, err = first_run
    assert out.startswith(SUMMARY)
    assert err == ""
    assert counts() == {
        "Procedure": 5774,
        "Field": 285,
        "LifeEvent": 15,
        "Agency": 638,
        "ProcedureCase": 5872,
        "RequiredDocument": 18988,
        "Fee": 8904,
        "ProcedureChannel": 9401,
    }


def test_each_procedure_records_the_sources_that_filled_it(first_run):
    sources = Counter(tuple(s) for s in Procedure.objects.values_list("sources", flat=True))
    assert sources == {
        ("list",): 2500,
        ("list", "page_text"): 2496,
        ("list", "details"): 502,
        ("list", "bqp"): 171,
        ("page_text",): 69,
        ("bqp",): 36,
    }


def test_every_procedure_has_a_case(first_run):
    assert not Procedure.objects.filter(cases__isnull=True).exists()
    # Only 341 of the 502 detail records name cases; every other procedure gets the default.
    assert ProcedureCase.objects.filter(name="Trường hợp chung").count() == 5774 - 341


def test_khai_sinh_has_its_case_documents_fees_time_and_legal_basis(first_run):
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Thủ tục đăng ký khai sinh"
    assert procedure.sources == ["list", "details"]
    assert procedure.levels == ["XA"]
    assert procedure.online_level == Procedure.OnlineLevel.PARTIAL
    assert procedure.publishing_agency.name == "Bộ Tư pháp"
    assert procedure.publishing_agency.code == "G15"
    assert [f.name for f in procedure.fields.all()] == ["Hộ tịch"]
    [case] = procedure.cases.all()  # the portal lists the same case twice
    assert (case.code, case.processing_amount, case.processing_unit) == (
        "1.001193.01",
        1,
        "WORKING_DAY",
    )
    documents = list(case.documents.all())
    assert len(documents) == 33
    assert documents[0].group == "Giấy tờ phải nộp"
    assert documents[0].original_qty == 1
    assert sorted(procedure.channels.values_list("channel", flat=True)) == [
        "DIRECT",
        "ONLINE",
        "POSTAL",
    ]
    assert procedure.fees.count() == 3
    assert {"code": "KQ.G15.000031", "name": "Giấy khai sinh"} in procedure.results
    assert len(procedure.legal_basis) == 15
    assert procedure.popularity == max(Procedure.objects.values_list("popularity", flat=True))


def test_thuong_tru_exists_with_its_details(first_run):
    procedure = Procedure.objects.get(code="1.004222")
    assert procedure.name == "Đăng ký thường trú"
    assert procedure.levels == ["XA"]
    assert procedure.steps and procedure.legal_basis and procedure.results
    assert sum(case.documents.count() for case in procedure.cases.all()) == 18
    assert procedure.fees.count() == 2


def test_detail_documents_keep_their_form_files(first_run):
    procedure = Procedure.objects.get(code="1.004194")  # đăng ký tạm trú
    forms = [
        form for d in RequiredDocument.objects.filter(case__procedure=procedure) for form in d.forms
    ]
    assert forms and all(form["name"] and form["path"] for form in forms)


def test_page_text_fills_level_channels_fees_and_documents(first_run):
    procedure = Procedure.objects.get(code="1.000823")
    assert procedure.sources == ["list", "page_text"]
    assert procedure.levels == ["BO"]
    channels = procedure.channels.order_by("position")
    assert [(c.channel, c.processing_amount, c.processing_unit) for c in channels] == [
        ("POSTAL", 22, "WORKING_DAY"),
        ("DIRECT", 22, "WORKING_DAY"),
    ]
    assert list(procedure.fees.values_list("amount", "description")) == [(0, "Miễn phí")] * 2
    assert procedure.online_level == ""
    [case] = procedure.cases.all()
    first = case.documents.order_by("position").first()
    assert first.name.startswith("Đơn đề nghị chuyển đổi Giấy phép theo Mẫu số 08")
    assert first.forms == [{"name": "Mus08.docx", "url": ""}]
    assert procedure.legal_basis[0] == {
        "code": "121/2021/NĐ-CP",
        "name": "Nghị định 121/2021/NĐ-CP",
    }


def test_bqp_records_fill_fees_in_vnd(first_run):
    fees = Fee.objects.filter(amount__gt=0).values_list("procedure__sources", "amount")
    amounts = {amount for sources, amount in fees if sources == ["list", "bqp"]}
    assert amounts >= {2_000_000, 3_500_000, 5_000_000}


def test_province_specific_list_procedures_are_province_level(first_run):
    specific = Procedure.objects.filter(
        kind="SPECIFIC", publishing_agency__kind=Agency.Kind.PROVINCE_PC
    ).values_list("sources", "is_province_level")
    list_only = [is_province for sources, is_province in specific if sources == ["list"]]
    assert len(list_only) == 490
    assert all(list_only)


def test_agencies_get_a_kind_and_level_from_their_name(first_run):
    def kind_and_level(name):
        return Agency.objects.filter(name=name).values_list("kind", "level").get()

    assert kind_and_level("Bộ Tư pháp") == ("MINISTRY", "BO")
    assert kind_and_level("UBND tỉnh Bắc Ninh") == ("PROVINCE_PC", "TINH")
    assert kind_and_level("Sở Tư pháp") == ("DEPARTMENT", "TINH")
    assert kind_and_level("Ủy ban nhân dân cấp xã") == ("COMMUNE_PC", "XA")
    assert kind_and_level("Công an tỉnh") == ("POLICE", "TINH")


def test_life_events_come_from_the_service_groups(first_run):
    event = LifeEvent.objects.get(name="Tiếp cận đất đai")
    assert event.audience == LifeEvent.Audience.BUSINESS
    assert (
        LifeEvent.objects.get(name="Khai sinh").procedures.filter(code="1.001193").exists() is False
    )
    assert LifeEvent.objects.get(name="Khai sinh").procedures.count() == 5


def test_popular_procedures_rank_first(first_run):
    top = list(Procedure.objects.order_by("-popularity").values_list("code", flat=True)[:3])
    assert top == ["1.001193", "1.004222", "1.004194"]
    # Every seeded code names a real procedure of the shipped catalog.
    seeded = load_popularity()
    assert len(seeded) >= 40
    assert set(Procedure.objects.filter(popularity__gt=0).values_list("code", flat=True)) == set(
        seeded
    )


def test_the_run_is_audited_once_with_its_counts(first_run):
    [entry] = AuditEntry.objects.filter(action="catalog.catalog_imported")
    assert entry.actor_label == "system"
    assert entry.target_type == "catalog.procedure"
    assert entry.payload == {
        "files": [
            "bqp_207_procedures_parsed.jsonl.gz",
            "chatbot_tthc_2642.jsonl.gz",
            "dvc_catalog_5670.jsonl.gz",
            "dvc_details_502.jsonl.gz",
        ],
        "read": 9021,
        "procedures": 5774,
        "created": 5774,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "skipped_reasons": {},
        "fields_created": 285,
        "agencies_created": 638,
        "life_events_created": 15,
    }


def test_a_second_run_changes_nothing(first_run):
    before = counts()
    stamps = dict(Procedure.objects.values_list("code", "imported_at"))
    case_ids = set(ProcedureCase.objects.values_list("pk", flat=True))
    out = StringIO()

    call_command("import_catalog", stdout=out, stderr=StringIO())

    assert out.getvalue().startswith(
        "Read 9021 lines (5774 procedures): created 0, updated 0, unchanged 5774, skipped 0\n"
        "New fields 0, agencies 0, life events 0;"
    )
    assert counts() == before
    assert dict(Procedure.objects.values_list("code", "imported_at")) == stamps
    assert set(ProcedureCase.objects.values_list("pk", flat=True)) == case_ids
    runs = AuditEntry.objects.filter(action="catalog.catalog_imported").order_by("pk")
    assert runs.count() == 2
    assert runs.last().payload["unchanged"] == 5774
