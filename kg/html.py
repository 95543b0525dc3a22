"""Main text of an HTML page, with lxml: no navigation, scripts, styles, sidebars or footers.

The result is the string that citations index into.  Block elements become paragraphs separated
by a blank line; white space inside a block collapses as a browser collapses it (no-break spaces
are kept, they are not HTML white space).  Figure captions and photo credits stay in the text
but are reported as furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from .model import Furniture, Span

#: Elements that are never part of the main text.
DROP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "nav", "aside", "form", "button", "select", "input", "textarea", "svg", "canvas", "iframe", "object", "embed", "video", "audio", "map", "menu", "dialog", "head", "link", "meta"]
)
#: Page-level wrappers that are dropped when they are not inside the article itself.
PAGE_CHROME_TAGS = frozenset({"header", "footer"})
#: class/id words of page chrome (menus, sidebars, share bars, cookie banners, …).
CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|sidebar|side-bar|related|recommended|"
    r"share|sharing|social|cookie|consent|newsletter|subscribe|promo|advert|advertisement|ads?|"
    r"comments?|footer|masthead|topbar|toolbar|skip|most-read|trending|popular|tags)(?:$|[\s_-])",
    re.I,
)
CAPTION_WORDS = re.compile(r"(?:^|[\s_-])(?:caption|figcaption)(?:$|[\s_-])", re.I)
CREDIT_WORDS = re.compile(r"(?:^|[\s_-])(?:credit|credits|photo-credit|image-credit)(?:$|[\s_-])", re.I)
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})

BLOCK_TAGS = frozenset(
    ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "dt", "dd", "td", "th", "caption", "div", "section", "article", "header", "footer", "main", "figure", "ul", "ol", "dl", "table", "tr", "address", "summary", "details", "hr"]
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class HtmlText:
    text: str
    title: str | None
    furniture: tuple[Furniture, ...]


def _classes(el: etree._Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".strip()


def _is_chrome(el: etree._Element, inside_article: bool) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in DROP_TAGS:
        return True
    if el.get("role", "").lower() in CHROME_ROLES or el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    if tag in PAGE_CHROME_TAGS and not inside_article:
        return True
    if tag in ("section", "div", "ul", "ol") and _furniture_heading(el):
        return True
    return bool(CHROME_WORDS.search(_classes(el)))


#: Headings of a page's lists of other stories and topics: "More on this story", "Related
#: Topics", "Top Stories", "Most read", "You may also like", "Read more".
FURNITURE_HEADINGS = re.compile(
    r"(?:more\s+on\s+this\s+(?:story|topic)|related\s+(?:topics|stories|articles|content|links|news)|top\s+stories|"
    r"most\s+(?:read|popular|watched)|you\s+may\s+(?:also\s+)?(?:like|be\s+interested\s+in)|read\s+more|"
    r"more\s+(?:stories|from\s+\w+(?:\s+\w+)?)|latest\s+(?:news|stories)|around\s+the\s+\w+|trending(?:\s+now)?|"
    r"share\s+this(?:\s+(?:story|article|page))?|follow\s+us)[\s:.]*",
    re.I,
)


def _furniture_heading(el: etree._Element) -> bool:
    """Whether a block opens with a heading of page furniture ("More on this story")."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("h2", "h3", "h4", "h5", "h6", "header", "strong"):
            return bool(FURNITURE_HEADINGS.fullmatch(_HTML_SPACE.sub(" ", child.text_content()).strip()))
        return False
    return False


def _main_root(doc: etree._Element) -> etree._Element:
    for xpath in ("//article", "//main", "//*[@role='main']", "//body"):
        found = doc.xpath(xpath)
        if found:
            return found[0]  # type: ignore[no-any-return]
    return doc


class _Writer:
    """Collects blocks of text with their kinds, then joins them with blank lines."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str | None]] = []
        self.buffer: list[str] = []
        self.kind: list[str | None] = [None]

    def text(self, s: str | None) -> None:
        if s:
            self.buffer.append(s)

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer.clear()
        parts = [_HTML_SPACE.sub(" ", part).strip(" ") for part in raw.split("\n")]
        block = "\n".join(p for p in parts if p.strip())
        if block.strip():
            self.blocks.append((block, self.kind[-1]))


def _walk(root: etree._Element, out: _Writer, inside_article: bool) -> None:
    """Write the text of ``root`` and its descendants, in document order.  A loop over a stack,
    not a recursion: a page may nest elements thousands deep (see :data:`MAX_DEPTH`)."""
    # ("enter", element, inside an article) or ("leave", element, whether it opened a block)
    stack: list[tuple[str, etree._Element, bool]] = [("enter", root, inside_article)]
    while stack:
        action, el, flag = stack.pop()
        if action == "leave":
            if flag:
                out.flush()
                out.kind.pop()
            out.text(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or _is_chrome(el, flag):  # comments, processing instructions; page chrome
            out.text(el.tail)
            continue
        block = tag in BLOCK_TAGS
        kind: str | None = None
        if tag == "figcaption" or CAPTION_WORDS.search(_classes(el)):
            kind = "caption"
        elif CREDIT_WORDS.search(_classes(el)):
            kind = "credit"
        opens = bool(block or kind)
        if opens:
            out.flush()
            out.kind.append(kind or out.kind[-1])
        if tag == "br":
            out.text("\n")
        out.text(el.text)
        stack.append(("leave", el, opens))
        inside = flag or tag in ("article", "main")
        stack.extend(("enter", child, inside) for child in reversed(el))


#: How deep libxml2 reads nested elements when its limits are lifted (``huge_tree``): a page
#: nested deeper is refused, since libxml2 would silently drop everything after the nest.
MAX_DEPTH = 2048


def extract(markup: str) -> HtmlText:
    """The main text of an HTML page and the furniture regions in it.

    Raises ``ValueError`` when the markup cannot be parsed or holds no text.
    """
    if not markup.strip():
        raise ValueError("the page is empty")
    parser = lxml_html.HTMLParser(huge_tree=True)  # a parser per page: lxml's parsers are not shared
    try:
        doc = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"the HTML cannot be parsed ({exc})") from exc
    for entry in parser.error_log:
        if "Excessive depth" in entry.message:
            raise ValueError(
                f"the page nests elements more than {MAX_DEPTH:,} levels deep (line {entry.line}), and the text "
                "after the nest would be lost"
            )
    title_el = doc.find(".//title")
    root = _main_root(doc)
    h1 = root.find(".//h1")
    title = None
    for cand in (h1, title_el):
        if cand is not None:
            t = _HTML_SPACE.sub(" ", cand.text_content()).strip()
            if t:
                title = t
                break
    writer = _Writer()
    _walk(root, writer, root.tag in ("article", "main"))
    writer.flush()
    text_parts: list[str] = []
    furniture: list[Furniture] = []
    pos = 0
    for i, (block, kind) in enumerate(writer.blocks):
        if i:
            text_parts.append("\n\n")
            pos += 2
        if kind:
            reason = "an HTML figure caption" if kind == "caption" else "an HTML photo credit"
            furniture.append(Furniture(Span(pos, pos + len(block)), kind, reason))
        text_parts.append(block)
        pos += len(block)
    text = "".join(text_parts)
    if not text.strip():
        raise ValueError("the page has no main text")
    return HtmlText(text + "\n", title, tuple(furniture))
