"""Surveys factories: a rating with given scores, a survey and its questions."""

from datetime import timedelta

import factory

from opendvc.accounts.tests.factories import CitizenFactory
from opendvc.dossiers.tests.factories import MONDAY
from opendvc.surveys.criteria import KEYS
from opendvc.surveys.models import DossierRating, Question, Survey

GOOD = {key: 2 for key in KEYS}


def rating(dossier, *, overall: int = 5, scores: dict | None = None, at=None) -> DossierRating:
    """A rating written straight to the table (what the action would store)."""
    return DossierRating.objects.create(
        dossier=dossier,
        rated_by=dossier.applicant,
        channel=DossierRating.Channel.ONLINE,
        overall=overall,
        rated_at=at or MONDAY + timedelta(days=4),
        **{**GOOD, **(scores or {})},
    )


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Khảo sát số {n}")
    opens_at = MONDAY - timedelta(days=1)
    closes_at = MONDAY + timedelta(days=30)
    is_published = True
    created_by = factory.SubFactory(CitizenFactory)
    created_at = MONDAY - timedelta(days=2)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Câu hỏi {n}")
    options = factory.LazyAttribute(lambda o: ["Có", "Không"] if o.kind == "SINGLE" else [])
