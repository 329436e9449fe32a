from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "opendvc.surveys"
    label = "surveys"
    verbose_name = "Đánh giá và khảo sát"
