"""Which text of a page is in the wrong language.

``runs(html, "km")`` lists the English (Latin-script) text runs a reader of
the Khmer page meets; ``runs(html, "en")`` the Khmer runs of an English
page.  Counted: text nodes, the window title, and what screen readers or
the browser show from attributes (``alt``, ``title``, ``placeholder``,
``aria-label``, tooltips, button values).  Not counted: scripts and styles,
what is hidden from everyone (``hidden``, ``d-none``, ``aria-hidden``),
what is marked not to be translated (``translate="no"``: an address), and
text marked as another language (``lang="en"`` inside a Khmer page: a
language's own name in the language switch, a title shown in the only
language it has).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

#: Latin-script words, with what joins them inside a phrase.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’]*(?:[ \-/&.,:]*[A-Za-z][A-Za-z0-9'’]*)*")
_KM = r"[\u1780-\u17ff\u19e0-\u19ff]+"
KHMER_RUN = re.compile(_KM + r"(?:[\s\u200b]+" + _KM + ")*")

ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "data-bs-title",
              "data-original-title")
SKIPPED = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}
HIDDEN_CLASSES = {"d-none", "js-hide", "hide"}


class _Page(HTMLParser):
    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden or foreign)
        self.texts: list[tuple[str, str]] = []   # (where, text)

    @property
    def muted(self) -> bool:
        return any(muted for _tag, muted in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        classes = set(values.get("class", "").split())
        lang = values.get("lang", "").split("-")[0]
        muted = (tag in SKIPPED or "hidden" in values or classes & HIDDEN_CLASSES
                 or values.get("aria-hidden") == "true"
                 or values.get("type") == "hidden"
                 or values.get("translate") == "no"
                 or (bool(lang) and lang != self.lang))
        if not self.muted and not muted:
            for name in ATTRIBUTES:
                if values.get(name):
                    self.texts.append((f"<{tag} {name}>", values[name]))
            if tag == "input" and values.get("type") in ("submit", "button") and \
                    values.get("value"):
                self.texts.append((f"<{tag} value>", values["value"]))
        if tag not in VOID:
            self.stack.append((tag, bool(muted)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.muted:
            where = self.stack[-1][0] if self.stack else "#text"
            self.texts.append((f"<{where}>", data))


def texts(html: str, lang: str) -> list[tuple[str, str]]:
    """``(where, text)`` of everything a reader meets on the page."""
    page = _Page(lang)
    page.feed(html)
    page.close()
    return page.texts


def runs(html: str, lang: str, excepted: Iterable[str] = (),
         allowed: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Runs of the other script on a page in ``lang`` (``km``: Latin runs;
    ``en``: Khmer runs), as ``(where, run)``.  A run found inside one of the
    ``excepted`` texts (data values) is left out; the ``allowed`` names
    (proper nouns, format names) are taken out of the text first."""
    pattern = LATIN_RUN if lang == "km" else KHMER_RUN
    data = "\n".join(" ".join(e.split()) for e in excepted if e and e.strip())
    names = [re.compile(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])")
             for name in sorted(set(allowed), key=len, reverse=True)]
    found = []
    for where, text in texts(html, lang):
        flat = " ".join(text.split())
        for name in names:
            flat = name.sub(" | ", flat)
        for match in pattern.finditer(flat):
            run = match.group().strip(" -/&.,:")
            if run and not _within(run, data):
                found.append((where, run))
    return found


def _within(run: str, data: str) -> bool:
    """Whether ``run`` appears in the data as whole words."""
    return bool(data) and re.search(
        r"(?<![A-Za-z\u1780-\u17ff])" + re.escape(run) + r"(?![A-Za-z\u1780-\u17ff])",
        data) is not None
