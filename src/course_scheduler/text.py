"""Small helpers for sentences a planner reads: counts with the right noun, lists joined
with "and", lengths in hours."""

from __future__ import annotations

import unicodedata

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""English day names by ``date.weekday()``: what the programmes and our sentences print."""
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, January first (``MONTHS[date.month - 1]``)."""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 activity", "3 activities", "0 minutes"."""
    if count == 1:
        return f"1 {singular}"
    return f"{count} {plural_form or _plural(singular)}"


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def and_list(words: list[str]) -> str:
    """ "A", "A and B", "A, B and C" ("" for none)."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def hours(minutes: int) -> str:
    """ "45 minutes", "1 hour", "3 hours 30 min"."""
    whole, rest = divmod(minutes, 60)
    if not whole:
        return plural(minutes, "minute")
    return plural(whole, "hour") + (f" {rest} min" if rest else "")


def base_letters(text: str) -> str:
    """Each accented Latin letter as its base letter ("Rößler" is Rossler, "Łódź" Lodz), for
    the ids and slugs made from names: planners type them, and schemas that read slugs take
    ASCII only. Other scripts are left as they are (an id or slug then drops them)."""
    plain = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in plain if not unicodedata.combining(c))


_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
    }
)
"""Latin letters with no decomposition to a base letter."""
