import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

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
        if request.organisation is not None:
            # Dates typed and shown, "today" and the report periods follow the organisation's clock.
            timezone.activate(zoneinfo.ZoneInfo(request.organisation.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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


SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# The idle limit moves at most once a minute: saving the session on every request would cost a write each time.
SEEN_REFRESH_SECONDS = 60


def session_signed_in(sender, request, user, **kwargs):
    """Starts the session's two clocks at sign-in (connected to `user_logged_in` in InsertionConfig.ready)."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """Ends a session SESSION_MAX_AGE after sign-in whatever the activity, and SESSION_COOKIE_AGE after the last
    request.

    Django ends a session SESSION_COOKIE_AGE seconds after it was last saved; saving it while the person works (at
    most once a minute, see SEEN_REFRESH_SECONDS) turns that into an idle limit. A signed-in session without a
    sign-in time (opened before this rule existed) is ended too: failing closed costs one sign-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if USER_SESSION_KEY in session:
            now = timezone.now().timestamp()
            signed_in_at = session.get(SIGNED_IN_AT)
            if signed_in_at is None or now - signed_in_at >= settings.SESSION_MAX_AGE:
                logout(request)
                messages.info(request, _("Your session has ended: sign in again to go on."))
            elif now - session.get(LAST_SEEN, 0) >= SEEN_REFRESH_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in person.

    Pages, exports and PDFs hold personal data that neither the browser (the back button of a shared computer, its
    disk cache) nor a proxy may keep. Static files are served before this middleware and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True)
        return response
