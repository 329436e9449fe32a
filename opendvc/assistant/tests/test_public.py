"""The public FAQ: only published questions, searchable without diacritics, per procedure and
per field, with the answering agency and date, and never the asker's name or contact data."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendvc.assistant import knowledge
from opendvc.assistant.models import Question

from .factories import QuestionFactory

FAQ = reverse("assistant:faq")


@pytest.fixture
def published(citizen, agency, procedure, field):
    return QuestionFactory(
        asker=citizen,
        agency=agency,
        procedure=procedure,
        field=field,
        published=True,
        title="Đăng ký khai sinh ở nơi tạm trú",
        text="Tôi tạm trú ở Bắc Ninh, có đăng ký khai sinh cho con được không?",
        answer="Được: cha hoặc mẹ đăng ký tại UBND cấp xã nơi cư trú, kể cả nơi tạm trú.",
    )


@pytest.fixture
def unpublished(other_citizen, agency, procedure, field):
    return QuestionFactory(
        asker=other_citizen,
        agency=agency,
        procedure=procedure,
        field=field,
        state=Question.State.ANSWERED,
        title="Đăng ký khai sinh quá hạn",
        answer="Bí mật nội bộ: chưa duyệt.",
    )


def _public_pages(client, question, procedure, field) -> list[str]:
    paths = [
        FAQ,
        FAQ + "?q=khai+sinh",
        question.get_absolute_url(),
        reverse("assistant:field", kwargs={"slug": field.slug}),
        procedure.get_absolute_url(),
        reverse("api:faq_list"),
        reverse("api:faq_detail", kwargs={"question_id": question.pk}),
    ]
    pages = [client.get(path) for path in paths]
    assert [page.status_code for page in pages] == [200] * len(paths)
    # The API's JSON escapes Vietnamese letters; decoded, a name would read as on a page.
    return [
        json.dumps(page.json(), ensure_ascii=False)
        if page["Content-Type"].startswith("application/json")
        else page.content.decode()
        for page in pages
    ]


def test_public_pages_never_show_the_askers_contact_data(
    client, citizen, published, procedure, field
):
    pages = _public_pages(client, published, procedure, field)

    for page in pages:
        assert published.answer in page or published.title in page
        for private in (citizen.full_name, citizen.email, citizen.phone):
            assert private not in page


def test_published_answers_carry_the_agency_and_date(client, published, agency):
    page = client.get(published.get_absolute_url()).content.decode()

    assert f"{agency.name} trả lời ngày 24/11/2026" in page
    assert "Người hỏi: N.V.A.," in page
    assert published.answer in page


def test_search_without_diacritics_finds_a_published_answer(client, published, unpublished):
    page = client.get(FAQ, {"q": "dang ky khai sinh noi tam tru"}).content.decode()
    overdue = client.get(FAQ, {"q": "qua han"}).content.decode()

    assert published.title in page
    assert unpublished.title not in page
    assert unpublished.title not in overdue
    assert "Không có câu hỏi nào phù hợp." in overdue


def test_an_unpublished_question_is_not_found(client, unpublished, other_citizen):
    client.force_login(other_citizen)  # even its asker reads it on "my questions" only

    assert client.get(unpublished.get_absolute_url()).status_code == 404
    assert client.get(reverse("api:faq_detail", args=[unpublished.pk])).status_code == 404


def test_filters_by_field_and_agency(client, published, other_agency):
    other = QuestionFactory(agency=other_agency, published=True, title="Cấp phép xây dựng")
    by_agency = client.get(FAQ, {"agency": other_agency.code}).content.decode()
    by_field = client.get(reverse("assistant:field", args=[published.field.slug])).content.decode()

    assert other.title in by_agency and published.title not in by_agency
    assert published.title in by_field and other.title not in by_field


def test_the_procedure_page_shows_only_published_ones_in_one_query(
    client, published, unpublished, procedure
):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(procedure.get_absolute_url()).content.decode()

    assert published.title in page
    assert unpublished.title not in page
    assert f"{reverse('assistant:ask')}?thu-tuc={procedure.code}" in page
    assert sum('"assistant_question"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_procedure_page_shows_at_most_five(client, agency, procedure):
    QuestionFactory.create_batch(6, agency=agency, procedure=procedure, published=True)

    page = client.get(procedure.get_absolute_url()).content.decode()

    assert page.count(reverse("assistant:faq")) >= 1
    assert sum(f'href="/hoi-dap/{q.pk}/"' in page for q in Question.objects.all()) == 5


def test_reading_counts_a_view(client, published):
    client.get(published.get_absolute_url())
    client.get(published.get_absolute_url())

    published.refresh_from_db()
    assert published.view_count == 2


def test_the_list_pages(client, agency):
    QuestionFactory.create_batch(23, agency=agency, published=True)

    first = client.get(FAQ).content.decode()
    second = client.get(FAQ, {"page": 2}).content.decode()

    assert "23 câu hỏi" in first and "Trang 1/2" in first
    assert "Trang 2/2" in second


def test_search_answers_for_the_assistant(published, unpublished, procedure):
    found = knowledge.search_answers("khai sinh tam tru", procedure=procedure.code)
    none_elsewhere = knowledge.search_answers("khai sinh", procedure="9.999999")

    assert [a.question_id for a in found] == [published.pk]
    answer = found[0]
    assert (answer.title, answer.answer) == (published.title, published.answer)
    assert (answer.procedure_code, answer.agency_name) == ("1.001193", published.agency.name)
    assert answer.answered_at == published.answered_at
    assert answer.url == f"/hoi-dap/{published.pk}/"
    assert none_elsewhere == []


def test_search_sees_a_newly_published_answer(client, published, leader, unpublished):
    before = knowledge.search_answers("qua han")
    client.force_login(leader)
    client.post(reverse("assistant:staff_publish", args=[unpublished.pk]))
    after = knowledge.search_answers("qua han")

    assert before == []
    assert [a.question_id for a in after] == [unpublished.pk]


def test_list_pages_read_a_fixed_number_of_queries(
    client, agency, procedure, specialist, django_assert_max_num_queries
):
    QuestionFactory.create_batch(20, agency=agency, procedure=procedure, published=True)
    QuestionFactory.create_batch(20, agency=agency, procedure=procedure)
    knowledge.search_ids("khai sinh")  # the index is built once per process, not per page

    with django_assert_max_num_queries(4):
        found = client.get(FAQ, {"q": "thu nghiem"}).content.decode()
    client.force_login(specialist)
    with django_assert_max_num_queries(6):
        listed = client.get(reverse("assistant:staff_list")).content.decode()

    assert "20 câu hỏi" in found
    assert "40 câu hỏi" in listed
