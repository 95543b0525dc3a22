"""Counts written as digits, number words or ordinals."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "both": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "dozen": 12,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}

#: A count word as a regular expression (digits, number words, "a dozen", "twenty-one").
COUNT_RE = (
    r"(?:\d{1,3}(?:,\d{3})*|(?:" + "|".join(sorted({*UNITS, *TENS} - {"a", "an", "no", "none", "single"}, key=len, reverse=True))
    + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?)"
)


def parse_count(word: str) -> int | None:
    """ "14" → 14, "Two" → 2, "twenty-one" → 21, "1,000" → 1000; ``None`` when not a count."""
    w = word.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", w):
        return int(w.replace(",", ""))
    if w in UNITS:
        return UNITS[w]
    if w in TENS:
        return TENS[w]
    m = re.fullmatch(r"([a-z]+)[-\s]([a-z]+)", w)
    if m and m.group(1) in TENS and m.group(2) in UNITS:
        return TENS[m.group(1)] + UNITS[m.group(2)]
    return None


