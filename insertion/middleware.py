from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from insertion.models import Membership

SESSION_KEY = "organisation_id"


class CurrentOrganisationMiddleware:
    """Sets `request.memberships`, `request.membership` and `request.organisation` for the signed-in user.

    The organisation is the one chosen from the switcher (kept in the session), else the user's first.
    One query per request, shared by the views, the switcher and the menus.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.membership = None
        request.organisation = None
        if request.user.is_authenticated:
            request.memberships = list(
                Membership.objects.active()
                .filter(user=request.user, organisation__is_active=True)
                .select_related("organisation")
                .order_by("organisation__name")
            )
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in request.memberships if m.organisation_id == chosen), None)
            if current is None and request.memberships:
                current = request.memberships[0]
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """French unless the person chose another language with the switcher.

    Django would follow the browser's Accept-Language; a shared office computer set up in English would then
    show English to a French team. The choice is the person's, kept in the language cookie.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
