"""Helpers shared by the tests."""

from html.parser import HTMLParser

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


class _PostForms(HTMLParser):
    """The <form method="post"> of a page: each form's fields, as a browser would submit them untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "data": {}}
            self.forms.append(self._form)
        if tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select]["choices"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._form["data"].setdefault(self._select, []).append(attrs.get("value", ""))
            return
        if self._form is None or not attrs.get("name"):
            return
        name, fields, data = attrs["name"], self._form["fields"], self._form["data"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            fields.setdefault(name, {"kind": kind, "choices": []})
            if kind in ("checkbox", "radio"):
                fields[name]["choices"].append(attrs.get("value", "on"))
                if "checked" in attrs:
                    data.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea":
            fields.setdefault(name, {"kind": "textarea", "choices": []})
            self._textarea = name
            data[name] = [""]
        elif tag == "select":
            fields.setdefault(name, {"kind": "select", "choices": [], "multiple": "multiple" in attrs})
            self._select = name

    def handle_data(self, text):
        if self._form is not None and self._textarea:
            self._form["data"][self._textarea][0] += text

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_forms(html):
    """[{"action", "fields": {name: {"kind", "choices"}}, "data": {name: [values]}}] for each POST form of a page.

    The textarea's content starts after Django's leading newline, which the browser drops too.
    """
    parser = _PostForms()
    parser.feed(html)
    for form in parser.forms:
        for name, values in form["data"].items():
            if form["fields"][name]["kind"] == "textarea":
                form["data"][name] = [values[0].removeprefix("\n")]
    return parser.forms


def page_form(response):
    """The page's own POST form: the one that posts back to the page (the header's forms have an action)."""
    own = [form for form in post_forms(response.content.decode()) if not form["action"]]
    assert len(own) == 1, f"expected one form posting to the page itself, found {len(own)}"
    return own[0]


def form_data(response):
    """What the page's own form submits when nothing is changed, ready for client.post()."""
    return dict(page_form(response)["data"])
