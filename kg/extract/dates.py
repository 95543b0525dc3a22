"""Date expressions and their resolution, keeping precision.

Absolute dates ("1 February 2022", "March 2018", "2018") keep the precision the words give.
Relative ones ("yesterday", "last year", "April last year", "September last year (2021)",
"within 28 days", "last September") are resolved against an anchor — the publication date, or
the date the quoted words were said — and say so: the resolved value is only as precise as is
certain (a day shifted from a month-precise anchor may be only a month or a year).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import PartialDate, Value
from .numbers import parse_count

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted((m for m in MONTHS), key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_ORD = r"(?:st|nd|rd|th)?"
_NUM_WORD = r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|twenty|thirty|sixty|ninety|[a-z]+-[a-z]+)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "On 25/02/2021": a day in figures, day first (the British order of the reporting kg reads;
    # "02/25/2021" is no date in it)
    ("numeric_date", re.compile(r"(?<![\d/.])\b(?P<day>\d{1,2})/(?P<mon>\d{1,2})/(?P<year>(?:19|20)\d\d)\b(?![/\d])")),
    ("day_month_year", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH}\s*,?\s+(?P<year>\d{{4}})\b", re.I)),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD},?\s+(?P<year>\d{{4}})\b", re.I)),
    ("month_last_year", re.compile(rf"\b{_MONTH}\s+(?P<rel>last|this|next)\s+year(?:\s*\((?P<year>\d{{4}})\))?", re.I)),
    ("last_month_name", re.compile(rf"\b(?P<rel>last|this|next)\s+{_MONTH}(?!\w)", re.I)),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH}(?!\w)", re.I)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}\b(?!\s*(?:,\s*)?\d)", re.I)),
    ("relative_year", re.compile(r"\b(?P<rel>last|this|next)\s+(?P<unit>year|month|week)\b", re.I)),
    ("relative_day", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|this|next)\s+|on\s+){_WEEKDAY}\b", re.I)),
    ("within", re.compile(rf"\bwithin\s+{_NUM_WORD}\s+(?P<unit>days?|weeks?|months?)\b", re.I)),
    ("in_month", re.compile(rf"\b(?:in|since|during|until|by|from)\s+(?:early\s+|late\s+|mid-?)?{_MONTH}(?!\w)(?!\s+\d)", re.I)),
    ("year", re.compile(r"(?<![\d,.£$€])\b(?P<year>(?:19[5-9]\d|20\d\d))\b(?![\d%,.]\d)", re.I)),
]


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    text: str
    value: PartialDate
    relative: bool  # resolved against the anchor
    anchor: PartialDate | None
    due: bool = False  # a deadline ("within 28 days")
    offset_days: int | None = None


def _shift(anchor: PartialDate, days: int) -> PartialDate:
    try:
        return anchor.shift_days(days)
    except ValueError:
        first = anchor.first_day() + timedelta(days=days)
        return PartialDate(first.year)


def _recent_month(anchor: PartialDate, month: int, direction: str = "last") -> PartialDate:
    """The named month nearest the anchor in the given direction ("last September")."""
    year = anchor.year
    if direction == "next":
        if anchor.month is not None and month <= anchor.month:
            year += 1
        return PartialDate(year, month)
    if direction == "this":
        return PartialDate(year, month)
    if anchor.month is not None and month >= anchor.month:
        year -= 1
    return PartialDate(year, month)


def _nearest_day(anchor: PartialDate, month: int, day: int) -> PartialDate:
    """ "1 February" without a year: the year that puts it nearest the anchor."""
    ref = anchor.first_day()
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - ref).days) < abs((best - ref).days):
            best = d
    if best is None:
        raise ValueError(f"no day {day} in month {month}")
    return PartialDate.from_date(best)


def _resolve(kind: str, m: re.Match[str], anchor: PartialDate) -> tuple[PartialDate, bool, bool, int | None]:
    """(value, relative, due, offset_days) for one match; ``ValueError`` when it is no date."""
    g = m.groupdict()
    month = MONTHS.get((g.get("month") or "").lower().rstrip("."))
    if kind == "numeric_date":
        return PartialDate(int(g["year"]), int(g["mon"]), int(g["day"])), False, False, None
    if kind in ("day_month_year", "month_day_year"):
        return PartialDate(int(g["year"]), month, int(g["day"])), False, False, None
    if kind == "month_year":
        return PartialDate(int(g["year"]), month), False, False, None
    if kind == "month_last_year":
        rel = g["rel"].lower()
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[rel]
        if g.get("year") and int(g["year"]) != year:
            # the text states the year outright: it wins, and the expression stays on record
            year = int(g["year"])
        return PartialDate(year, month), True, False, None
    if kind == "last_month_name":
        assert month is not None
        return _recent_month(anchor, month, g["rel"].lower()), True, False, None
    if kind == "day_month":
        assert month is not None
        return _nearest_day(anchor, month, int(g["day"])), True, False, None
    if kind == "month_day":
        assert month is not None
        return _nearest_day(anchor, month, int(g["day"])), True, False, None
    if kind == "in_month":
        assert month is not None
        return _recent_month(anchor, month, "last" if anchor.month is None or month != anchor.month else "this"), True, False, None
    if kind == "relative_year":
        step = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        unit = g["unit"].lower()
        if unit == "year":
            return PartialDate(anchor.year + step), True, False, None
        if unit == "month":
            if anchor.month is None:
                raise ValueError("a month relative to a year")
            y, mo = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
            return PartialDate(y, mo + 1), True, False, None
        return _shift(anchor, 7 * step), True, False, None
    if kind == "relative_day":
        step = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["word"].lower()]
        return _shift(anchor, step), True, False, None
    if kind == "weekday":
        if anchor.precision != "day":
            raise ValueError("a weekday needs a day-precise anchor")
        target = WEEKDAYS[g["weekday"].lower()]
        ref = anchor.first_day()
        rel = (g.get("rel") or "").lower()
        if rel == "next":
            delta = (target - ref.weekday()) % 7 or 7
        else:
            delta = -((ref.weekday() - target) % 7 or (7 if rel == "last" else 0))
        return PartialDate.from_date(ref + timedelta(days=delta)), True, False, None
    if kind == "within":
        n = parse_count(g["n"])
        if n is None:
            raise ValueError("not a number")
        unit = g["unit"].lower().rstrip("s")
        days = n * {"day": 1, "week": 7, "month": 30}[unit]
        return _shift(anchor, days), True, True, days
    if kind == "year":
        return PartialDate(int(g["year"])), False, False, None
    raise ValueError(kind)


def find_dates(text: str, start: int, end: int, anchor: PartialDate) -> list[DateExpr]:
    """Date expressions in ``text[start:end]`` (folded text), longest first where they overlap."""
    found: list[DateExpr] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            try:
                value, relative, due, offset = _resolve(kind, m, anchor)
            except (ValueError, KeyError):
                continue
            found.append(
                DateExpr(m.start(), m.end(), text[m.start() : m.end()], value, relative, anchor if relative else None, due, offset)
            )
    # "on Tuesday 23 July", "On Tuesday (6 August)": the weekday names the day the date gives
    named = [d for d in found if not d.relative or d.value.precision == "day"]
    found = [d for d in found if not (_WEEKDAY_ONLY.fullmatch(d.text) and any(
        o is not d and 0 <= o.start - d.end <= 3 and re.fullmatch(r"[\s,(]*", text[d.end : o.start]) for o in named))]
    return sorted(found, key=lambda d: d.start)


_WEEKDAY_ONLY = re.compile(rf"(?:(?:last|this|next)\s+|on\s+)?{_WEEKDAY}", re.I)


def notes(d: DateExpr, text: str) -> list[tuple[str, Value]]:
    """What a resolved date says about itself, for its statement: the words, the anchor, the offset."""
    if not d.relative:
        return []
    out = [("kg:resolvedFrom", Value(" ".join(text[d.start : d.end].split())))]
    if d.anchor is not None:
        out.append(("kg:anchorDate", Value.of_date(d.anchor)))
    if d.offset_days is not None:
        out.append(("kg:offsetDays", Value.integer(d.offset_days)))
    return out
