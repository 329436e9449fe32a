"""Every change in the surveys app: rating a dossier, building and answering surveys."""

from .ratings import AlreadyRated, CannotRate, NotRateable, can_rate, rate_dossier
from .surveys import (
    AlreadyAnswered,
    SurveyClosed,
    SurveyError,
    add_question,
    answer_survey,
    create_survey,
    delete_question,
    publish_survey,
    update_survey,
)

__all__ = [
    "AlreadyAnswered",
    "AlreadyRated",
    "CannotRate",
    "NotRateable",
    "SurveyClosed",
    "SurveyError",
    "add_question",
    "answer_survey",
    "can_rate",
    "create_survey",
    "delete_question",
    "publish_survey",
    "rate_dossier",
    "update_survey",
]
