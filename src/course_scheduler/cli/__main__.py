"""``python -m course_scheduler.cli``: the same as the ``course-scheduler`` command."""

from ..launch import run

run()
