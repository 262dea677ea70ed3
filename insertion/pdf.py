"""PDFs: a template rendered by WeasyPrint, with the project's static files and nothing from the network."""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    """Serves WeasyPrint the project's static files from disk and refuses every other URL.

    A PDF never waits on the network, and never reaches a server it was not meant to (SSRF).
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = urlsplit(settings.STATIC_URL).path
        url_path = unquote(urlsplit(url).path)
        if not url_path.startswith(prefix):
            raise ValueError(f"Only static files are available to the PDFs, not {url}")
        name = posixpath.normpath(url_path.removeprefix(prefix))
        if name.startswith(("..", "/")):
            raise ValueError(f"Not a static file: {url}")
        found = finders.find(name)
        if not found and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
        if not found:
            raise ValueError(f"No static file {name}")
        with open(found, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def pdf_bytes(html, base_url="http://localhost/"):
    """HTML to PDF bytes, with static files read from disk and nothing fetched from the network.

    Without a request (the command line, a frozen report), the base URL only serves to resolve static paths.
    """
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).write_pdf(pdf_tags=True)


def pdf_response(request, template_name, context, filename):
    """The template rendered to a PDF download that no cache keeps (it holds personal data).

    Rendered without the request's context processors: the document shows its context and nothing of the
    web page around it (menus, messages).
    """
    html = render_to_string(template_name, context)
    response = HttpResponse(pdf_bytes(html, request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
