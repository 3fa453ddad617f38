"""``python -m course_scheduler.cli``: the same as the ``course-scheduler`` command."""

from . import main

raise SystemExit(main())
