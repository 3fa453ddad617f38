"""pretalx-downstream, the plugin through which pretalx reads a published schedule: what it
needs of a frab XML file, and a run of the real plugin where it is installed.

``requirements(data)`` is our reading of the plugin's importer (``pretalx_downstream.tasks``,
read to learn its requirements, not copied): it lists every way a file would make it fail.
The plugin takes ``<version>``'s text (it must be there and not empty: it names the release);
for each ``<day>/<room>`` it needs the room's ``name``; for each event it needs an ``id``
attribute, ``<title>``, ``<type>``, ``<track>`` and ``<subtitle>`` elements (it reads their
``.text`` unguarded), ``<date> + " " + <start>`` readable by dateutil as the start,
``<duration>`` as exactly ``H:MM``, and, when the subtitle has text, a ``<description>`` that
is absent or has text (it concatenates ``subtitle + "\\n" + description``, which fails on an
empty ``<description/>``). Persons are read from ``<persons>`` only.

Run as a script (``python tests/pretalx_reader.py FILE...``, with a Python that has pretalx
and pretalx-downstream installed), it migrates a throw-away SQLite database, creates one event
per file and runs the plugin's own ``process_frab`` on it, printing ``ok FILE TALKS`` or
``FAIL FILE ERROR`` per file.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def requirements(data: bytes) -> list[str]:
    """Every reason pretalx-downstream would fail on this frab XML (empty: it reads it)."""
    import dateutil.parser

    problems = []
    root = ET.fromstring(data)
    version = root.find("version")
    if version is None or not (version.text or "").strip():
        problems.append("no <version> text")
    for day in root.findall("day"):
        for room in day.findall("room"):
            if not room.get("name"):
                problems.append(f"a room of day {day.get('date')} has no name")
            for event in room.findall("event"):
                where = f"event {event.get('id')} ({event.findtext('title')!r})"
                if not event.get("id"):
                    problems.append(f"{where}: no id attribute")
                for tag in ("title", "type", "track", "subtitle", "date", "start", "duration"):
                    if event.find(tag) is None:
                        problems.append(f"{where}: no <{tag}>")
                if problems and problems[-1].startswith(where):
                    continue
                if not (event.findtext("title") or "").strip():
                    problems.append(f"{where}: an empty title")
                try:
                    dateutil.parser.parse(f"{event.findtext('date')} {event.findtext('start')}")
                except (ValueError, OverflowError):
                    problems.append(f"{where}: date and start are no date-time")
                parts = (event.findtext("duration") or "").split(":")
                if len(parts) != 2 or not all(p.isdigit() for p in parts):
                    problems.append(f"{where}: duration is not H:MM")
                subtitle = event.find("subtitle")
                description = event.find("description")
                empty = description is not None and description.text is None
                if subtitle is not None and subtitle.text and empty:
                    problems.append(f"{where}: a subtitle and an empty <description/>")
    return problems


def _run(paths: list[str]) -> int:  # pragma: no cover - runs in pretalx's own environment
    import datetime as dt
    import os
    import tempfile

    data_dir = tempfile.mkdtemp()
    config = os.path.join(data_dir, "pretalx.cfg")
    with open(config, "w", encoding="utf-8") as stream:
        stream.write(f"[filesystem]\nbase = {data_dir}\n[celery]\nbroker =\nbackend =\n")
    os.environ["PRETALX_CONFIG_FILE"] = config
    os.environ["PRETALX_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx.settings")
    import django

    django.setup()
    import defusedxml.ElementTree as SafeET
    from django.core.management import call_command
    from django_scopes import scope, scopes_disabled
    from pretalx.event.models import Event, Organiser
    from pretalx.schedule.models import TalkSlot
    from pretalx.submission.models import Submission
    from pretalx_downstream.tasks import process_frab

    call_command("migrate", verbosity=0, interactive=False)
    with scopes_disabled():
        organiser = Organiser.objects.create(name="Test", slug="test")
    failed = 0
    for k, path in enumerate(paths):
        with scopes_disabled():
            TalkSlot.objects.all().delete()  # submission codes are unique across events
            Submission.objects.all().delete()
            event = Event.objects.create(
                organiser=organiser,
                name=f"Event {k}",
                slug=f"event{k}",
                date_from=dt.date(2000, 1, 1),
                date_to=dt.date(2000, 1, 2),
                timezone="UTC",
                email="test@localhost",
            )
        with open(path, "rb") as stream:
            root = SafeET.fromstring(stream.read())
        try:
            with scope(event=event):
                _, schedule = process_frab(root, event, release_new_version=True)
                print(f"ok {path} {schedule.talks.count()}")
        except Exception as exc:  # report and go on: every file gets its verdict
            failed += 1
            print(f"FAIL {path} {type(exc).__name__}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_run(sys.argv[1:]))
