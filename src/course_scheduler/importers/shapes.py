"""What a file that is not the schedule it was given as looks like, judged by its structure.

"The schedule has no 'conference'" tells a new user nothing when the file is a pretalx API
export, a calendar or a web page. The readers ask here before they refuse a file, and say
"this is not a frab schedule; it looks like ..." with what would read it. Only structure
counts (the keys and elements a format always has), never a file's name.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

PRETALX_HINT = "import it with --from pretalx-api"


def not_frab(looks: str) -> str:
    return f"this is not a frab schedule; it looks like {looks}"


def sniff(raw: bytes) -> str | None:
    """What the first characters give away: JSON, XML, iCalendar or HTML."""
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if head.startswith((b"{", b"[")):
        return "JSON (give --from frab-json, or --from pretalx-api for a pretalx API export)"
    if head.startswith(b"begin:vcalendar"):
        return "an iCalendar file (.ics), not a schedule; calendars are exports, not sources"
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page (a schedule's web page, not the schedule.xml or .json it links to)"
    if head.startswith(b"<"):
        return "XML (give --from frab-xml)"
    return None


def _first_dict(items: Any) -> dict[str, Any] | None:
    if isinstance(items, list):
        return next((x for x in items if isinstance(x, dict)), None)
    return None


def pretalx_shape(data: Any) -> str | None:
    """Which pretalx export ``data`` is, or None: the REST API's schedule (``slots`` and
    ``breaks``), a page or list of its talks or submissions, a bundle of its endpoints
    (``talks``/``submissions``/``slots`` with ``rooms``, ``speakers``...), the schedule widget's
    data, or the organisers' session export."""
    if isinstance(data, dict):
        slots = _first_dict(data.get("slots"))
        if "breaks" in data and isinstance(data.get("breaks"), list):
            return "a pretalx API schedule export ('slots' and 'breaks')"
        if slots is not None and ("start" in slots or "slot" in slots or "code" in slots):
            return "a pretalx API schedule export ('slots')"
        first = _first_dict(data.get("results"))
        if first is not None and _is_talk(first):
            return "a page of the pretalx API's talks or submissions ('results')"
        for key in ("talks", "submissions"):
            first = _first_dict(data.get(key))
            if first is not None and _is_talk(first):
                return f"a pretalx API export ('{key}')"
        return None
    first = _first_dict(data)
    if first is not None and _is_talk(first):
        return "a list of the pretalx API's talks or submissions"
    if first is not None and "Proposal title" in first and ("Start" in first or "Room" in first):
        return "a pretalx organisers' session export (JSON)"
    return None


def _is_talk(item: dict[str, Any]) -> bool:
    return "code" in item and any(
        key in item for key in ("slot", "slots", "submission_type", "speakers", "start")
    )


def looks_like_pretalx_api(raw: bytes) -> bool:
    """A ``.json`` file holding one of the pretalx exports ``pretalx-api`` reads."""
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head not in (b"{", b"["):
        return False
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return pretalx_shape(data) is not None


def describe_json(data: Any) -> str:
    """What a JSON document that is no frab schedule looks like."""
    found = pretalx_shape(data)
    if found is not None:
        return f"{found}: {PRETALX_HINT}"
    if isinstance(data, dict):
        if "course" in data and "days" in data:
            return "a course_scheduler programme: check, show and export read it as it is"
        if "conference" in data and isinstance(data["conference"], dict):
            return "a frab schedule's conference without the {'schedule': ...} around it"
        keys = ", ".join(repr(k) for k in list(data)[:6])
        return f"a JSON object of another shape (its keys: {keys})"
    if isinstance(data, list):
        first = _first_dict(data)
        keys = ", ".join(repr(k) for k in list(first or {})[:6])
        return f"a JSON list of {len(data)} items" + (f" (keys: {keys})" if keys else "")
    return f"a single JSON {type(data).__name__}"


def describe_xml(tag: str, children: list[str]) -> str:
    """What an XML document whose top element is ``tag``, holding elements named
    ``children``, looks like when it is no frab schedule."""
    lower = tag.casefold()
    if lower in ("icalendar", "vcalendar"):
        return "an xCal calendar (iCalendar as XML), not a schedule"
    if lower == "html":
        return "an HTML page (a schedule's web page, not the schedule.xml it links to)"
    if lower in ("rss", "feed"):
        return "a news feed, not a schedule"
    counted = Counter(children)
    held = ", ".join(f"{n} <{c}>" for c, n in counted.most_common(4))
    inside = f" holding {held}" if held else ""
    if lower == "schedule":
        return (
            f"a schedule XML of another shape: <schedule>{inside}, where frab has "
            "<conference> and <day><room><event>"
        )
    return f"an XML document of another shape: <{tag}>{inside}"
