"""Building, publishing and answering surveys."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opendvc.audit.actions import record

from ..answering import Value
from ..models import Answer, Question, Survey, SurveyResponse

CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
SURVEY_FIELDS = ("title", "description", "agency", "opens_at", "closes_at", "is_anonymous")


class SurveyError(Exception):
    """A change the survey does not allow; str() is for the user."""


class SurveyClosed(SurveyError):
    pass


class AlreadyAnswered(SurveyError):
    pass


def _check_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise SurveyError(_("Ngày kết thúc phải sau ngày bắt đầu."))


def create_survey(*, by, now: datetime, **fields) -> Survey:
    """A new unpublished survey with the SURVEY_FIELDS given. Raises SurveyError."""
    _check_dates(fields["opens_at"], fields["closes_at"])
    with transaction.atomic():
        survey = Survey.objects.create(created_by=by, created_at=now, **fields)
        record(action="surveys.survey_created", actor=by, target=survey, now=now)
    return survey


def update_survey(*, survey: Survey, by, now: datetime, **fields) -> Survey:
    """Change the title, description, agency, dates or anonymity. Raises SurveyError."""
    _check_dates(fields["opens_at"], fields["closes_at"])
    with transaction.atomic():
        for name in SURVEY_FIELDS:
            setattr(survey, name, fields[name])
        survey.save()
        record(action="surveys.survey_updated", actor=by, target=survey, now=now)
    return survey


def _frozen(survey: Survey) -> None:
    # Answers index options by position: changing questions after answers would change
    # what those answers mean.
    if survey.is_published or survey.responses.exists():
        raise SurveyError(_("Khảo sát đã công bố, không thể sửa câu hỏi."))


def _check_question(
    survey: Survey, kind: str, options: Sequence[str], rows: Sequence[str], condition, option
) -> None:
    if kind in CHOICE_KINDS and len(options) < 2:
        raise SurveyError(_("Câu hỏi lựa chọn cần ít nhất hai phương án."))
    if kind == Question.Kind.MATRIX and (len(options) < 2 or not rows):
        raise SurveyError(_("Câu hỏi dạng bảng cần ít nhất một dòng và hai mức đánh giá."))
    if condition is None:
        return
    if condition.survey_id != survey.pk or condition.kind not in CHOICE_KINDS:
        raise SurveyError(_("Điều kiện phải dựa trên một câu hỏi lựa chọn của khảo sát này."))
    if option is None or not 0 <= option < len(condition.options):
        raise SurveyError(_("Phương án điều kiện không có trong câu hỏi đã chọn."))


def add_question(
    *,
    survey: Survey,
    by,
    kind: str,
    text: str,
    help_text: str = "",
    is_required: bool = False,
    options: Sequence[str] = (),
    rows: Sequence[str] = (),
    condition_question: Question | None = None,
    condition_option: int | None = None,
    now: datetime,
) -> Question:
    """Append a question. A condition names an earlier choice question and one of its
    options. Raises SurveyError once the survey is published, or for an incomplete question."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _frozen(survey)
        keep = kind in CHOICE_KINDS or kind == Question.Kind.MATRIX
        options = list(options) if keep else []
        rows = list(rows) if kind == Question.Kind.MATRIX else []
        _check_question(survey, kind, options, rows, condition_question, condition_option)
        last = survey.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(
            survey=survey,
            position=last + 1,
            kind=kind,
            text=text,
            help_text=help_text,
            is_required=is_required,
            options=options,
            rows=rows,
            condition_question=condition_question,
            condition_option=condition_option if condition_question else None,
        )
        record(
            action="surveys.question_added",
            actor=by,
            target=question,
            payload={"survey": survey.pk},
            now=now,
        )
    return question


def delete_question(*, question: Question, by, now: datetime) -> None:
    """Remove a question of an unpublished survey. Raises SurveyError when published or when
    another question's condition reads it."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.survey_id)
        _frozen(survey)
        if question.dependents.exists():
            raise SurveyError(_("Có câu hỏi khác dùng câu hỏi này làm điều kiện."))
        record(
            action="surveys.question_deleted",
            actor=by,
            target=question,
            payload={"survey": survey.pk, "text": question.text},
            now=now,
        )
        question.delete()


def publish_survey(*, survey: Survey, by, now: datetime) -> Survey:
    """Make the survey answerable through its link between its dates. Raises SurveyError for
    a survey without questions."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.questions.exists():
            raise SurveyError(_("Khảo sát cần ít nhất một câu hỏi."))
        survey.is_published = True
        survey.save(update_fields=["is_published"])
        record(action="surveys.survey_published", actor=by, target=survey, now=now)
    return survey


def answer_survey(
    *, survey: Survey, values: Sequence[Value], user=None, device: str = "", now: datetime
) -> SurveyResponse:
    """Store one response: `values` as answering.evaluate read them. A signed-in survey
    takes `user`; an anonymous one `device` (and no user, so answers stay anonymous).
    Raises SurveyClosed outside its dates, AlreadyAnswered for a second response."""
    if not survey.is_open(now):
        raise SurveyClosed(_("Khảo sát này hiện không nhận câu trả lời."))
    if not survey.is_anonymous and user is None:
        raise SurveyError(_("Cần đăng nhập để trả lời khảo sát này."))
    who = {"device": device} if survey.is_anonymous else {"user": user}
    try:
        with transaction.atomic():
            # An anonymous answer without a device id (an API client) has nothing to match.
            known = any(who.values())
            if known and SurveyResponse.objects.filter(survey=survey, **who).exists():
                raise AlreadyAnswered(_("Bạn đã trả lời khảo sát này."))
            response = SurveyResponse.objects.create(survey=survey, submitted_at=now, **who)
            Answer.objects.bulk_create(
                Answer(
                    response=response, question=v.question, row=v.row, value=v.value, text=v.text
                )
                for v in values
            )
    except IntegrityError:
        # The same person or device answered in a parallel request.
        raise AlreadyAnswered(_("Bạn đã trả lời khảo sát này.")) from None
    # No audit entry: the response row is the record, and an entry naming who answered an
    # anonymous survey would undo its anonymity.
    return response
