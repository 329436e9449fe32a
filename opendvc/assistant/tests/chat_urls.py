"""The site's URLs plus one page that shows the assistant widget, for the browser test: until
base.html includes the widget on every page, this page stands in for any portal page."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from opendvc.urls import urlpatterns as site

PAGE = (
    '{% extends "base.html" %}{% block content %}<h1>Trang thử</h1>'
    '<p>Nội dung trang.</p>{% include "assistant/_widget.html" %}{% endblock %}'
)


def widget_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(PAGE).render(request=request))


urlpatterns = [path("thu-tro-ly/", widget_page), *site]
