"""Input and output schemas of the surveys API, and the readers that fill the outputs."""

from datetime import datetime

from ninja import Field, Schema

from .criteria import CRITERIA, KEYS, Overall
from .models import COMMENT_MAX, DossierRating, Question, Survey

Score = Field(..., ge=0, le=2)


class SatisfactionLevelOut(Schema):
    value: int
    label: str


class SatisfactionCriterionOut(Schema):
    key: str
    question: str
    levels: list[SatisfactionLevelOut] = Field(description="Scored 0, 1 and 2 points.")


class SatisfactionCriteriaOut(Schema):
    criteria: list[SatisfactionCriterionOut]
    overall: list[SatisfactionLevelOut] = Field(
        description="5 rất hài lòng … 1 rất không hài lòng."
    )


def criteria() -> dict:
    return {
        "criteria": [
            {
                "key": c.key,
                "question": c.question,
                "levels": [{"value": i, "label": t} for i, t in enumerate(c.levels)],
            }
            for c in CRITERIA
        ],
        "overall": [{"value": v, "label": label} for v, label in Overall.choices],
    }


class DossierRatingIn(Schema):
    time_legal: int = Score
    time_units: int = Score
    contacts: int = Score
    agencies: int = Score
    reception: int = Score
    publicity: int = Score
    attitude: int = Score
    feedback_response: int = Score
    online_quality: int = Score
    overall: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=COMMENT_MAX, description="Plain text; tags are removed.")

    def scores(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in KEYS}


class DossierRatingOut(Schema):
    dossier_id: int
    code: str
    scores: dict[str, int]
    total: int = Field(description="The nine scores added up, out of 18.")
    overall: int
    overall_label: str
    comment: str
    rated_at: datetime


def rating(r: DossierRating) -> dict:
    return {
        "dossier_id": r.dossier_id,
        "code": r.dossier.code or "",
        "scores": {key: getattr(r, key) for key in KEYS},
        "total": r.total,
        "overall": r.overall,
        "overall_label": r.get_overall_display(),
        "comment": r.comment,
        "rated_at": r.rated_at,
    }


class SurveySummaryOut(Schema):
    token: str
    title: str
    description: str
    agency: str | None
    opens_at: datetime
    closes_at: datetime
    is_anonymous: bool


class SurveyConditionOut(Schema):
    question_id: int
    option: int = Field(description="Index of the option that shows the question.")


class SurveyQuestionOut(Schema):
    id: int
    position: int
    kind: Question.Kind
    text: str
    help_text: str
    is_required: bool
    options: list[str] = Field(description="Choices, or the shared scale of a matrix.")
    rows: list[str]
    condition: SurveyConditionOut | None


class SurveyOut(SurveySummaryOut):
    is_open: bool
    questions: list[SurveyQuestionOut]


def survey_summary(s: Survey) -> dict:
    return {
        "token": s.token,
        "title": s.title,
        "description": s.description,
        "agency": s.agency.name if s.agency_id else None,
        "opens_at": s.opens_at,
        "closes_at": s.closes_at,
        "is_anonymous": s.is_anonymous,
    }


def question(q: Question) -> dict:
    condition = None
    if q.condition_question_id:
        condition = {"question_id": q.condition_question_id, "option": q.condition_option}
    return {
        "id": q.pk,
        "position": q.position,
        "kind": q.kind,
        "text": q.text,
        "help_text": q.help_text,
        "is_required": q.is_required,
        "options": q.options,
        "rows": q.rows,
        "condition": condition,
    }


class SurveyAnswerIn(Schema):
    question_id: int
    values: list[int] = Field(
        default_factory=list,
        max_length=50,
        description="Option indices (from 0); for a 1–5 scale the score.",
    )
    text: str = Field("", max_length=2000)
    rows: list[int | None] = Field(
        default_factory=list,
        max_length=50,
        description="A matrix: per row, the scale index or null.",
    )


class SurveyResponseIn(Schema):
    answers: list[SurveyAnswerIn] = Field(max_length=200)

    def as_post(self) -> dict[str, list[str]]:
        """The answers as the answer page posts them, for answering.evaluate."""
        data: dict[str, list[str]] = {}
        for a in self.answers:
            name = f"q{a.question_id}"
            data[name] = [a.text] if a.text else [str(v) for v in a.values]
            for r, value in enumerate(a.rows):
                data[f"{name}_r{r}"] = [] if value is None else [str(value)]
        return data


class SurveyResponseOut(Schema):
    id: int
    submitted_at: datetime
