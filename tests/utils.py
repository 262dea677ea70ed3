"""Helpers shared by the tests."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from insertion.two_factor import confirmed_device


def read_response(response):
    """The body of any response; a download (streamed) is read to its end, which closes its file the way the
    test client expects (closing it by hand would end the test's database connection on PostgreSQL)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class TwoFactorClient(Client):
    """Django's test client, whose `force_login` also passes two-factor authentication when the user has a device.

    `force_login` stands for "this person has signed in": for a member with an authenticator app, that includes
    typing its code, so the session is marked verified with their device, as django_otp.login() does once the code
    is accepted. The two-factor steps themselves are tested through the real pages (tests/insertion/
    test_security.py); `force_login(user, verified=False)` stops after the password.
    """

    def force_login(self, user, backend=None, *, verified=True):
        super().force_login(user, backend)
        device = confirmed_device(user) if verified else None
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
