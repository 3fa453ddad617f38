"""The package's logger, ``logging.getLogger("course_scheduler")``.

A library's logger gets a ``NullHandler`` (the logging HOWTO's advice), so an application that
configures no logging sees nothing; set up here rather than in the package's ``__init__``,
which imports nothing (the command listens for Ctrl-C from its first milliseconds).
"""

from __future__ import annotations

import logging

log = logging.getLogger("course_scheduler")
if not any(isinstance(handler, logging.NullHandler) for handler in log.handlers):
    log.addHandler(logging.NullHandler())
