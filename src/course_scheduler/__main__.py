"""``python -m course_scheduler``: the same as the ``course-scheduler`` command."""

from .launch import run

run()
