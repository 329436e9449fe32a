from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on a public
    computer or a phone bought abroad is often English; the portal speaks Vietnamese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
