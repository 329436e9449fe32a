"""The assistant's question form (the page and the widget post the same one)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .chat import QUESTION_MAX


class ChatForm(forms.Form):
    question = forms.CharField(
        label=_("Câu hỏi của bạn"),
        max_length=QUESTION_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "id": "assistant-question"}),
    )
