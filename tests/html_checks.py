"""Read a report page the way a browser would (html.parser) and list what must never be there.

Shared by the fast report tests and the batch tests: text by CSS class (to check that a name
shows exactly as typed) and the problems of a page meant to open offline and run nothing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {"src", "href", "xlink:href", "action", "formaction", "poster", "data"}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class PageReader(HTMLParser):
    """Collects every tag with its attributes, and the text inside elements by class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._open: list[tuple[str, list[str]]] = []
        self.text_by_class: dict[str, list[str]] = {}
        self._buffers: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self._open.append((tag, classes))
        for name in classes:
            self._buffers.append((name, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self._open:
            return
        _, classes = self._open.pop()
        for _ in classes:
            name, parts = self._buffers.pop()
            self.text_by_class.setdefault(name, []).append("".join(parts))

    def handle_data(self, data: str) -> None:
        for _, parts in self._buffers:
            parts.append(data)


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def texts(html: str, css_class: str) -> list[str]:
    """The text content of every element with this class, in document order."""
    return read_page(html).text_by_class.get(css_class, [])


def _reader_follows(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """A link a reader may click (``<a href>`` to http(s), opened without handing over the
    page): it loads nothing by itself."""
    found = dict(attrs)
    href = (found.get("href") or "").strip().lower()
    return (
        tag == "a"
        and href.startswith(("http://", "https://"))
        and "noopener" in (found.get("rel") or "").split()
    )


def page_problems(html: str) -> list[str]:
    """Scripts, event handlers, external URLs and embedded objects: each would make a page that
    runs code or reaches the network (a link the reader clicks does neither)."""
    problems = []
    for tag, attrs in read_page(html).tags:
        if _reader_follows(tag, attrs):
            continue
        if tag in ("script", "iframe", "object", "embed", "link", "base", "form"):
            problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag}> has an event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and value and EXTERNAL.match(value):
                problems.append(f"<{tag}> {name} points outside: {value!r}")
            if name in URL_ATTRIBUTES and value and value.strip().lower().startswith("javascript:"):
                problems.append(f"<{tag}> {name} runs script: {value!r}")
    if re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.IGNORECASE):
        problems.append("CSS loads a URL from elsewhere")
    return problems
