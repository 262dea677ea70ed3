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
