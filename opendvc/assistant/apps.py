from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "opendvc.assistant"
    label = "assistant"
    verbose_name = "Hỏi đáp và trợ lý ảo"
