from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsertionConfig(AppConfig):
    name = "insertion"
    verbose_name = _("Organisations and accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from insertion import two_factor
        from insertion.middleware import session_signed_in

        # Every way of signing in goes through django.contrib.auth.login(), which sends this signal.
        user_logged_in.connect(session_signed_in, dispatch_uid="insertion.session_signed_in")
        user_logged_in.connect(two_factor.signed_in, dispatch_uid="insertion.two_factor_signed_in")
