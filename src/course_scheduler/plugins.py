"""pydantic's search for plugins, answered sooner when no installed package offers one.

The first time pydantic builds a model it looks for plugins: entry points of the group
``pydantic`` in the metadata of every installed distribution, read through
``importlib.metadata``. With a hundred packages installed that reading is a few milliseconds of
every command (a ``check`` of the reference takes about a quarter of a second, most of it
importing). ``settle`` reads the same files directly: every ``*.dist-info`` and ``*.egg-info``
directory in every directory on ``sys.path``, and its ``entry_points.txt``. Only when none of
them so much as mentions pydantic does it give pydantic the answer its own search would give:
no plugins. Whatever it cannot read as plainly as that (a zip archive or an egg on the path,
another finder of distributions, ``PYDANTIC_DISABLE_PLUGINS`` set, a pydantic that keeps its
plugins elsewhere or has already looked) leaves the search to pydantic, so a user who installed
a plugin (logfire, for one) gets it exactly as before.
"""

import os
import sys
from importlib.machinery import PathFinder

_METADATA = (".dist-info", ".egg-info")


def settle() -> None:
    """Record "no plugins" in pydantic when ``no_plugins_offered``; otherwise do nothing."""
    if "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        return
    from pydantic.plugin import _loader

    if getattr(_loader, "_plugins", {}) is None and no_plugins_offered():
        _loader._plugins = {}


def no_plugins_offered() -> bool:
    """Whether, for certain, no distribution ``importlib.metadata`` would find declares an
    entry point for pydantic (``False`` also when that cannot be told this way)."""
    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return False
    return all(_none_in(entry) for entry in sys.path)


def _none_in(entry: object) -> bool:
    """No mention of pydantic in the entry points of the distributions in a directory on
    ``sys.path`` (as ``importlib.metadata`` reads it: '' is the working directory)."""
    if not isinstance(entry, str):
        return False
    root = entry or "."
    if os.path.basename(root).lower().endswith(".egg"):
        return False
    try:
        names = os.listdir(root)
    except OSError:
        return not os.path.exists(root)  # absent: nothing there; a file may be a zip
    for name in names:
        if name.lower().endswith(_METADATA):
            try:
                with open(os.path.join(root, name, "entry_points.txt"), "rb") as file:
                    if b"pydantic" in file.read().lower():
                        return False
            except OSError:
                continue  # no entry points (or no directory): none for pydantic
    return True
