"""``python -m course_scheduler``: the same as the ``course-scheduler`` command."""

from .cli import main

raise SystemExit(main())
