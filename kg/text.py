"""Layout of a text: paragraphs, sentences and page furniture, as spans that never move offsets.

Everything here is rule-based and general: the rules know how web pages and press releases are
laid out in English (share buttons, photo credits, a republisher's trailing links), never the
lines of a particular file.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence

from .model import Furniture, Span

# --- characters -------------------------------------------------------------------------------

#: Characters that read as a space (press releases often carry U+00A0 no-break spaces).
SPACES = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"

_FOLD = str.maketrans(
    {**{c: " " for c in SPACES}, "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'",
     "—": "-", "–": "-", "\u2011": "-", "\u00ad": "-"}
)


_FOLD_PAIRS = tuple((chr(c), plain) for c, plain in _FOLD.items())


def fold(text: str) -> str:
    """Same-length view of ``text`` for matching: odd spaces become spaces, curly quotes straight.

    Offsets into the folded string are offsets into the original, so a match found here is
    cited with the original (stored) characters.
    """
    for char, plain in _FOLD_PAIRS:  # a replace per character: far faster than str.translate
        if char in text:
            text = text.replace(char, plain)
    return text


@functools.lru_cache(maxsize=1 << 16)
def normalize_name(name: str) -> str:
    """A comparison key for names: folded, case-folded, white space collapsed, accents dropped
    (remembered: a corpus names the same things thousands of times)."""
    name = unicodedata.normalize("NFKD", fold(name))
    name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(name.casefold().split())


def last_match(pattern: re.Pattern[str] | str, text: str, flags: int = 0) -> re.Match[str] | None:
    """The last (rightmost) non-overlapping match of ``pattern`` in ``text``, or ``None``."""
    compiled = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
    found = None
    for found in compiled.finditer(text):  # noqa: B007 - the loop only walks to the last match
        pass
    return found


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past surrounding white space (including no-break spaces)."""
    while start < end and (text[start].isspace()):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- lines and paragraphs -----------------------------------------------------------------------


def lines(text: str) -> Iterator[Span]:
    """Every line as a span, without its line break, stripped of surrounding white space.

    Blank lines are skipped.
    """
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        start, end = strip_span(text, pos, pos + len(body))
        if end > start:
            yield Span(start, end)
        pos += len(raw)


_TERMINAL = re.compile(r"[.!?…:;\"”’)\]]$")


def _is_wrapped_block(text: str, block: Sequence[Span]) -> bool:
    """A block of lines that were hard-wrapped at a fixed width (a wire report, an e-mail)."""
    if len(block) < 2:
        return False
    widths = [len(s) for s in block[:-1]]
    widest = max(widths)
    return widest >= 50 and min(widths) >= 0.6 * widest and any(
        not _TERMINAL.search(s.of(text)) for s in block[:-1]
    )


def paragraphs(text: str) -> tuple[Span, ...]:
    """Paragraph spans.

    Blocks are separated by blank lines.  A block whose lines were hard-wrapped is one
    paragraph; otherwise every line is its own paragraph (headlines, captions and the one-line
    paragraphs of web copy).
    """
    out: list[Span] = []
    block: list[Span] = []
    prev_end = -1

    def flush() -> None:
        if not block:
            return
        if _is_wrapped_block(text, block):
            out.append(Span(block[0].start, block[-1].end))
        else:
            out.extend(block)
        block.clear()

    for line in lines(text):
        gap = text[prev_end:line.start] if prev_end >= 0 else ""
        if prev_end >= 0 and gap.count("\n") >= 2:
            flush()
        block.append(line)
        prev_end = line.end
    flush()
    return tuple(out)


# --- sentences ----------------------------------------------------------------------------------

#: Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "mx", "dr", "prof", "st", "sgt", "insp", "supt", "det", "con", "pc", "dc", "ds", "di", "dci", "dsi", "cllr", "rev", "revd", "gen", "col", "lt", "capt", "maj", "cdr", "cmdr", "gov", "sen", "rep", "hon", "jr", "sr", "no", "nos", "vs", "v", "etc", "e.g", "i.e", "approx", "dept", "est", "fig", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
)

_BOUNDARY = re.compile(
    r"""(?P<end>[.!?…]+[”"’')\]]*)   # terminal punctuation, closing quotes or brackets
        (?P<gap>\s+)                   # white space
        (?=[“"‘'(\[]?[A-Z0-9])          # a sentence starts: capital or digit, maybe quoted""",
    re.VERBOSE,
)


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or an initial."""
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    return word.lower().rstrip(".") in ABBREVIATIONS


def sentences_in(text: str, para: Span) -> list[Span]:
    """The sentences of one paragraph.  The boundaries are searched in ``text`` itself between the
    paragraph's ends (``endpos`` stops the look-ahead there, as the end of a copy would): a copy
    of the text up to each paragraph made splitting quadratic in the length of the document."""
    out: list[Span] = []
    start = para.start
    for m in _BOUNDARY.finditer(text, para.start, para.end):
        end_mark = m.group("end")
        single_stop = end_mark.startswith(".") and len(end_mark.rstrip("”\"’')]")) == 1
        if single_stop and _ends_with_abbreviation(text, m.start("end")):
            continue
        end = m.end("end")
        s, e = strip_span(text, start, end)
        if e > s:
            out.append(Span(s, e))
        start = m.end("gap")
    s, e = strip_span(text, start, para.end)
    if e > s:
        out.append(Span(s, e))
    return out


def outside(text: str, paras: Sequence[Span], furniture: Iterable[Furniture]) -> tuple[Span, ...]:
    """The paragraphs without the furniture that covers only part of them (a feed's date in front
    of the first sentence, a cut-off last word): what sentences are made of."""
    cuts = sorted((f.span for f in furniture), key=lambda sp: sp.start)
    out: list[Span] = []
    for p in paras:
        start, end = p.start, p.end
        for c in cuts:
            if c.start <= start < c.end < end:
                start = c.end
            elif start < c.start < end <= c.end:
                end = c.start
        start, end = strip_span(text, start, end)
        if end > start:
            out.append(Span(start, end))
    return tuple(out)


def sentences(text: str, paras: Iterable[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for para in paras:
        out.extend(sentences_in(text, para))
    return tuple(out)


# --- furniture ----------------------------------------------------------------------------------

_SHARE = re.compile(
    r"""^(?:pin\s+it|share(?:\s+(?:this|on)\s*\w*)?|tweet(?:\s+this)?|e-?mail(?:\s+this)?|print(?:\s+this\s+\w+)?|
        printable\s+version|print\s+version|print\s+page|copy\s+link|save(?:\s+for\s+later)?|
        facebook|twitter|whatsapp|linkedin|reddit|flipboard|bookmark|follow\s+us|listen\s+to\s+this\s+article|
        comments?|\d+\s+comments?)$""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT = re.compile(
    r"""^(?:photograph(?:y|ed)?|photos?|pictures?|images?|illustrations?|artwork|video|credit|courtesy|
        ©|\(c\)|copyright)\b(?:\s+by\b)?[\s:]""",
    re.IGNORECASE | re.VERBOSE,
)
_AGENCY_CREDIT = re.compile(r"(?:/|via|by)\s+(?:getty\s+images|shutterstock|alamy|reuters|ap|afp|pa\s+images?|pa\s+media)\s*$", re.I)
_TRAILER = re.compile(
    r"""^(?:channel\s+website|original\s+article(?:\s+link)?|share\s+this(?:\s+\w+)?|latest\s+news(?:\s+from)?|
        related(?:\s+(?:stories|articles|content|news|links|reading|topics))?|more\s+(?:from|on|stories|news)\b.*|
        top\s+stories|features|elsewhere\s+on\s+\w+(?:\s+\w+)?|
        read\s+more|you\s+may\s+also\s+like|most\s+(?:read|popular|viewed)|recommended(?:\s+for\s+you)?|
        see\s+also|tags?|topics?|follow\s+us|sign\s+up\b.*|subscribe\b.*|newsletter|back\s+to\s+top|
        about\s+(?:us|this\s+site))\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)


#: Lines of page chrome wherever they stand: skip links, quick exits, accessibility controls,
#: language switches, breadcrumbs.
_NAVIGATION = re.compile(
    r"""^(?:skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|search)(?:\s+quick\s+exit)?|quick(?:ly)?\s+exit\b.*|
        leave\s+this\s+site|accessibility(?:\s+(?:controls|statement|tools|options))?|text\s+size|main\s+content(?:\s+area)?|
        cymraeg(?:\s+isod)?|english(?:\s+below)?|welsh(?:\s+version)?|menu|close\s+menu|open\s+menu|search(?:\s+this\s+site)?|
        home|back(?:\s+to\s+\w+)?|breadcrumbs?|you\s+are\s+here:?.*|[|›»>/\s]+|\|.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
#: Cookie, consent and beta notices.
_BANNER = re.compile(
    r"\b(?:cookies?|cookie\s+settings|consent|this\s+site\s+is\s+a\s+beta|your\s+feedback\s+helps\s+us|"
    r"(?:accept|reject|manage|customi[sz]e)\s+(?:all\s+)?(?:cookies|preferences|settings))\b",
    re.I,
)
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_A_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?,?\s+\d{{4}}|{_MONTHS}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
#: The page's own dates: "Published: 7 Oct 2019", "Updated 10 May 2021", "News release date: …".
_DATELINE = re.compile(
    rf"^(?:(?:first\s+)?published|updated|last\s+(?:updated|modified|reviewed)|posted|(?:news\s+)?release\s+date|date(?:\s+published)?|"
    rf"created|modified)\s*(?:on\s*)?:?\s*{_A_DATE}(?:\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm)?)?(?:\s*[,|–-].{{0,40}})?$"
    rf"|^{_A_DATE}(?:\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm)?)?$",
    re.I,
)
#: The search tool's or a feed's date in front of an excerpt: "date 2022-06-28 …".
_LEADING_DATE = re.compile(r"\s*date\s+\d{4}-\d{2}-\d{2}\b\s*", re.I)
#: Bylines and reading times: "By Jane Roe", "Jane Roe, Home Affairs Correspondent", "4 years ago 2 min read".
_BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}(?:\s*(?:,|and|&)\s*.*)?|.*\b\d+\s+(?:min(?:ute)?s?|hours?)\s+read\b.*|"
    r".*\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b.*)$",
)
#: Content warnings ("[Trigger warning: …]", "Content warning: …", "TW: …").
_WARNING = re.compile(r"^\[?\s*(?:trigger|content)\s+warnings?\b|^\[?\s*tw\s*:|^\[?\s*cw\s*:", re.I)
#: Links to other stories inside or after an article.
_READ_MORE = re.compile(r"^(?:read\s+more|related|see\s+also|more\s+on\s+this\s+story|watch|listen|also\s+read)\b\s*:?", re.I)
#: A page's type or section, on a line of its own ("News", "Policy paper", "Independent report").
_LABEL = re.compile(
    r"^(?:news|news\s+(?:release|story|article)|press\s+release|policy\s+paper|correspondence|independent\s+report|"
    r"guidance|statement|update|updates|speech|consultation|research\s+and\s+analysis|corporate\s+report|"
    r"transparency\s+data|notice|open\s+letter|blog(?:\s+post)?|feature|opinion|analysis|explainer|live)$",
    re.I,
)


def _words(s: str) -> int:
    return len(s.split())


def _is_sentence_like(s: str) -> bool:
    """Running prose: ends like a sentence or is long."""
    return bool(re.search(r"[.!?…:\"”’]$", s)) or _words(s) > 14


def _title_line(text: str, all_lines: Sequence[Span], title: str | None) -> int | None:
    """Index of the line that is the document's title, when the metadata title is found early on."""
    if not title:
        return None
    key = normalize_name(title)
    for i, line in enumerate(all_lines[:12]):
        if normalize_name(line.of(text)) == key:
            return i
    return None


def publisher_names(publisher: str) -> list[str]:
    """The names a publisher string gives: "Long Name (ABBR)" gives both."""
    names = []
    m = re.match(r"^\s*(.+?)\s*\(([^)]+)\)\s*$", publisher)
    if m:
        names += [m.group(1), m.group(2)]
    else:
        names.append(publisher.strip())
    return [n for n in names if n]


def _names_publisher(line: str, publisher: str | None) -> bool:
    if not publisher:
        return False
    key = normalize_name(line)
    return any(normalize_name(n) in key for n in publisher_names(publisher) if len(n) >= 3)


def furniture(
    text: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    extra: Iterable[Furniture] = (),
) -> tuple[Furniture, ...]:
    """Find page furniture by layout and wording.

    - Lines above the title (or, with no title found, the short unpunctuated lines that open the
      document) are share buttons, photo credits, a publisher masthead, or else an image caption.
    - A line that is only a share button or a photo credit is furniture wherever it stands.
    - From the first line that opens a republisher's trailer ("Related stories", "Share this
      article", "Channel website:", …) to the end, everything is furniture: trailing links,
      footers and the sidebar headlines that follow them.
    """
    all_lines = list(lines(text))
    found: dict[Span, Furniture] = {f.span: f for f in extra}

    def mark(span: Span, kind: str, reason: str) -> None:
        found.setdefault(span, Furniture(span, kind, reason))

    title_at = _title_line(text, all_lines, title)
    if title_at is not None:
        header = all_lines[:title_at]
    else:
        header = []
        for line in all_lines:
            if _is_sentence_like(line.of(text)) or _words(line.of(text)) > 8:
                break
            header.append(line)
        if len(header) == len(all_lines) or len(header) > 6:
            header = []  # nothing but short lines: not a header block

    for line in header:
        s = line.of(text)
        if _SHARE.match(s):
            mark(line, "share", "a share or print button above the title")
        elif _CREDIT.match(s) or _AGENCY_CREDIT.search(s):
            mark(line, "credit", "a photo credit above the title")
        elif _names_publisher(s, publisher):
            mark(line, "masthead", "the publisher's name above the title")
        elif not _is_sentence_like(s):
            mark(line, "caption", "a short unpunctuated line above the title (an image caption)")

    body_start = all_lines[title_at].end if title_at is not None else (header[-1].end if header else 0)
    for i, line in enumerate(all_lines):
        s = line.of(text)
        if line.start < body_start:
            continue
        if _words(s) <= 6 and _TRAILER.match(s):
            for rest in all_lines[i:]:
                mark(rest, "trailer", f"after {s!r}, where a republisher's trailer begins")
            break
        if _SHARE.match(s):
            mark(line, "share", "a share or print button")
        elif _words(s) <= 8 and (_CREDIT.match(s) or _AGENCY_CREDIT.search(s)) and not _is_sentence_like(s):
            mark(line, "credit", "a photo credit")
    _page_chrome(text, all_lines, title_at, mark, found)
    return tuple(sorted(found.values(), key=lambda f: (f.span.start, f.span.end)))


def _page_chrome(
    text: str, all_lines: Sequence[Span], title_at: int | None, mark: Callable[[Span, str, str], None],
    found: dict[Span, Furniture],
) -> None:
    """The chrome of real web pages: navigation and accessibility lines, cookie and beta banners,
    datelines, section labels near the headline, bylines and reading times, content warnings,
    "Read more" links, the topic tags that close a page, a feed's date in front of the text, and
    the cut-off last word of an excerpt."""
    top = set(range(min(len(all_lines), (title_at or 0) + 8)))
    for i, line in enumerate(all_lines):
        s = line.of(text)
        words = _words(s)
        if words <= 10 and _NAVIGATION.match(s):
            mark(line, "navigation", "a navigation, accessibility or language line")
        elif words <= 60 and _BANNER.search(s) and (i in top or words <= 30):
            mark(line, "banner", "a cookie, consent or beta notice")
        elif words <= 14 and _DATELINE.match(s):
            mark(line, "dateline", "the page's own date")
        elif words <= 3 and i in top and i != title_at and _LABEL.match(s.strip(" :|-–")):
            mark(line, "label", "the page's type or section")
        elif words <= 12 and i in top and i != title_at and _BYLINE.match(s):
            mark(line, "byline", "a byline or reading time")
        elif words <= 40 and _WARNING.match(s):
            mark(line, "warning", "a content warning")
        elif words <= 25 and _READ_MORE.match(s) and not _is_sentence_like(s):
            mark(line, "navigation", "a link to another story")
    # the topic tags that close a page: short bulleted lines at the very end
    for line in reversed(all_lines):
        s = line.of(text)
        if re.match(r"^[•·▪◦]\s*\S", s) and _words(s) <= 6 and not _is_sentence_like(s):
            mark(line, "tags", "a topic tag at the end of the page")
        else:
            break
    if all_lines:
        first = all_lines[0]
        m = _LEADING_DATE.match(text, first.start, first.end)
        if m and m.end() > first.start:
            end = first.start + len(text[first.start : m.end()].rstrip())
            mark(Span(first.start, end), "dateline", "a feed's date in front of the text")
        last = all_lines[-1]
        s = last.of(text)
        tail = re.search(r"(?<![\w'’-])[\w'’-]+$", s)
        covered = any(f.span.start <= last.start and last.end <= f.span.end for f in found.values())
        if tail and not covered and not _TERMINAL.search(s) and len(s.split()) > 1:
            # the text stops mid-sentence: its last word may be cut ("…the investigation fo")
            mark(Span(last.start + tail.start(), last.end), "cut", "the last word of a text cut short")
