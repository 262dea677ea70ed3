"""A browser tab that checks each page with axe, and the reading of downloaded PDFs."""

import io
import re
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from pypdf import PdfReader

# What fails a page: a violation axe rates serious or critical (minor and moderate ones are reported, not failed).
FAILING_IMPACTS = ("serious", "critical")


def _page_address(url):
    """The page a URL shows: path and query, without the #fragment of a jump within the page."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def axe_report(violations, where):
    """A readable list of axe's violations: rule, impact, what it asks and each element with axe's advice."""
    lines = [f"axe: {len(violations)} serious or critical violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(selector) for selector in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


class Tab:
    """A Playwright page that keeps a record of the pages it reached, of those axe checked, and of the errors.

    `audit()` runs axe-core (the copy shipped with axe-playwright-python) on the page as it stands and fails on a
    serious or critical violation. The `open_tab` fixture fails the test at its end if the tab landed on a page
    (a new document, or a new address pushed by htmx) that was not audited before the next one, so that a journey
    cannot pass through a page without checking it.
    """

    def __init__(self, page, device):
        self.page = page
        self.device = device
        self.landings, self.errors = [], []  # [address, audited] for each page the tab landed on
        page.on("framenavigated", self._navigated)
        page.on("domcontentloaded", self._loaded)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"script error on {page.url}: {error}"))
        page.on("response", self._response)

    def _navigated(self, frame):
        if frame != self.page.main_frame or not frame.url.startswith("http"):
            return
        address = _page_address(frame.url)
        if self.landings and self.landings[-1][0] == address:
            return  # a jump within the page (#plan) or htmx pushing the address it already shows
        self.landings.append([address, False])

    def _loaded(self, page):
        # A new document at the address already shown (a form posted back to its own page) is a new landing too.
        address = _page_address(page.url)
        if page.url.startswith("http") and self.landings[-1:] != [[address, False]]:
            self.landings.append([address, False])

    def _console(self, message):
        # Chromium logs a refusal of the Content Security Policy, a failed resource or a script error as an error.
        if message.type == "error":
            self.errors.append(f"browser error on {_page_address(self.page.url)}: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"{response.status} for {response.request.method} {_page_address(response.url)}")

    def goto(self, path):
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        return response

    def audit(self):
        """Run axe on the page as it is now; fail with the list of serious and critical violations."""
        self.page.wait_for_load_state()
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SCRIPT)
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        failing = [violation for violation in results["violations"] if violation["impact"] in FAILING_IMPACTS]
        address = _page_address(self.page.url)
        if self.landings and self.landings[-1][0] == address:
            self.landings[-1][1] = True
        assert not failing, axe_report(failing, f"{address} ({self.device})")

    def download(self, click):
        """Run `click` (which starts a download) and return the file's bytes and suggested name."""
        with self.page.expect_download() as info:
            click()
        download = info.value
        assert download.failure() is None, download.failure()
        with open(download.path(), "rb") as file:
            return file.read(), download.suggested_filename

    def problems(self):
        unaudited = [address for address, audited in self.landings if not audited]
        return [
            *(f"page reached but not checked by axe ({self.device}): {address}" for address in unaudited),
            *self.errors,
        ]


def pdf_text(content):
    """The text of a PDF, pages joined, with its whitespace collapsed (WeasyPrint places words one by one)."""
    assert content.startswith(b"%PDF-"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def field(page, label):
    """The form field of that label; crispy-forms adds an asterisk to the labels of required fields (a regular
    expression is matched against the label's text as written, spaces and line breaks included)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


# The focus ring (static/css/app.css: an outline of 3px) on the element that shows the focus: the element itself,
# or the label of a radio drawn as a button (its input, out of sight, keeps the focus).
_FOCUS_RING = """() => {
  const focused = document.activeElement;
  const label = document.querySelector(`label[for="${focused.id}"]`);
  const shown = focused.classList.contains("btn-check") ? label : focused;
  const style = getComputedStyle(shown);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const box = shown.getBoundingClientRect();
  const seen = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {ring: ring, box: box.width > 2, uncovered: seen !== null && (shown.contains(seen) || seen.contains(shown))};
}"""


def tab_to(page, target, *, limit=200):
    """Press Tab until `target` has the focus, as a keyboard user moves through the page; at each stop the focus
    must be visible (RGAA 10.7): a ring, on an element that nothing covers. Fails if `target` is never reached."""
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS_RING)
        described = page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)")
        assert focus == {"ring": True, "box": True, "uncovered": True}, (
            f"the focus cannot be seen on {described}: {focus}"
        )
        if page.evaluate("element => document.activeElement === element", element):
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key ({limit} presses)")
