"""pydantic's search for plugins, answered sooner when no installed package offers one.

Each time pydantic builds a model's validator it asks for its plugins: the first time, it
imports ``importlib.metadata`` (with email, zipfile, csv...) and reads the metadata of every
installed distribution for entry points of the group ``pydantic``. On the fast path of a
``check`` (about a quarter of a second for the reference, most of it importing) that is some
20 ms of the process, for an answer that is nearly always "none".

``settle`` finds that answer more directly: every ``*.dist-info`` and ``*.egg-info`` directory
in every directory on ``sys.path``, and its ``entry_points.txt`` (``no_plugins_offered``).
Only when none of them so much as mentions pydantic does it act, and then it builds the
models' validators as pydantic builds them when it has no plugins (a plain
``SchemaValidator`` of the same schema and configuration), without asking. Whatever it cannot
read as plainly (a zip archive or an egg on the path, another finder of distributions,
``PYDANTIC_DISABLE_PLUGINS`` set, plugins already loaded, a pydantic whose function has
another signature) leaves everything to pydantic, so a user who installed a plugin (logfire,
for one) gets it exactly as before. Other validators (a ``TypeAdapter``) still ask pydantic,
which then searches as it always did.

Only the command calls ``settle`` (``launch``, before its first model): the process is then
the command's. A program that imports the package keeps pydantic exactly as it found it, its
own models included, and pays the search once, as it would for any pydantic model.
"""

import os
import sys
from importlib.machinery import PathFinder
from inspect import CO_VARARGS, CO_VARKEYWORDS
from typing import TYPE_CHECKING, Any

from pydantic_core import SchemaValidator

if TYPE_CHECKING:
    from pydantic.plugin import SchemaKind
    from pydantic_core import CoreConfig, CoreSchema

_METADATA = (".dist-info", ".egg-info")
_PARAMETERS = (
    "schema",
    "schema_type",
    "schema_type_module",
    "schema_type_name",
    "schema_kind",
    "config",
    "plugin_settings",
    "_use_prebuilt",
)
_DEFAULTS = (None, None, True)
"""pydantic's ``create_schema_validator``, as ``plain`` takes it: its parameters and defaults."""


def settle() -> None:
    """Have pydantic build models' validators without its search for plugins, when
    ``no_plugins_offered``; otherwise (or when unsure) change nothing."""
    if "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        return
    loader = sys.modules.get("pydantic.plugin._loader")
    if loader is not None and getattr(loader, "_plugins", None):
        return  # pydantic has searched already, and found plugins
    from pydantic._internal import _model_construction as construction

    original = getattr(construction, "create_schema_validator", None)
    code = getattr(original, "__code__", None)
    if getattr(original, "__module__", None) != "pydantic.plugin._schema_validator":
        return
    if code is None or code.co_kwonlyargcount or code.co_flags & (CO_VARARGS | CO_VARKEYWORDS):
        return
    if code.co_varnames[: code.co_argcount] != _PARAMETERS:
        return
    if getattr(original, "__defaults__", None) != _DEFAULTS or not no_plugins_offered():
        return
    vars(construction)["create_schema_validator"] = plain  # a name pydantic does not export


def plain(
    schema: "CoreSchema",
    schema_type: Any,
    schema_type_module: str,
    schema_type_name: str,
    schema_kind: "SchemaKind",
    config: "CoreConfig | None" = None,
    plugin_settings: dict[str, Any] | None = None,
    _use_prebuilt: bool = True,
) -> SchemaValidator:
    """The validator pydantic's ``create_schema_validator`` returns when it has no plugins."""
    return SchemaValidator(schema, config, _use_prebuilt=_use_prebuilt)


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
