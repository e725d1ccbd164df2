from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    """Chinese unless the user picked another language with the page's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; the
    centre's screens and shared phones must speak Chinese regardless of how the
    browser was set up, so only the explicit choice (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
