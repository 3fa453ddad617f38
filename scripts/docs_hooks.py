"""MkDocs hooks: the reference pages that are generated from the code, so they cannot drift.

A page asks for a generated part with a marker line, replaced when the site is built:

- ``<!-- generated: cli -->``: every command's ``--help``, from the parser itself;
- ``<!-- generated: schema -->``: each part of the file format, a table of its fields from
  the JSON Schema (the models' field descriptions);
- ``<!-- generated: rules -->``: each rule kind, its fields, and its two readings (the checker
  and the CP-SAT encoding, with their source) through mkdocstrings;
- ``<!-- generated: api -->``: every public name of ``course_scheduler``, through mkdocstrings.

Nothing here reaches the network: it imports the installed package and reads its parser and
schema.
"""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stdout
from typing import Any

MARKER = "<!-- generated: {} -->"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    for name, render in GENERATORS.items():
        marker = MARKER.format(name)
        if marker in markdown:
            markdown = markdown.replace(marker, render())
    return markdown


def cli_reference() -> str:
    from course_scheduler.cli import _parser

    parser = _parser()
    parts = ["### `course-scheduler`", "", "```text", _help(parser), "```", ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                parts += [f"### `course-scheduler {name}`", "", "```text", _help(sub), "```", ""]
    return "\n".join(parts)


def _help(parser: argparse.ArgumentParser) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        parser.print_help()
    return buffer.getvalue().rstrip()


def schema_reference() -> str:
    from course_scheduler.loading import json_schema

    schema = json_schema()
    parts = ["### `Programme` (the file)", "", _fields(schema), ""]
    for name, definition in sorted(schema.get("$defs", {}).items()):
        parts += [f"### `{name}`", ""]
        if definition.get("description"):
            parts += [_text(definition["description"]), ""]
        if "properties" in definition:
            parts.append(_fields(definition))
        elif "enum" in definition:
            parts.append("One of " + ", ".join(f"`{v}`" for v in definition["enum"]) + ".")
        parts.append("")
    return "\n".join(parts)


def _fields(definition: dict[str, Any], page: str = "") -> str:
    """A table of a model's fields; ``page`` is where the types' sections are (this page when
    empty)."""
    required = set(definition.get("required", []))
    rows = ["| field | type | required | default | meaning |", "|---|---|---|---|---|"]
    for name, spec in definition.get("properties", {}).items():
        default = spec.get("default")
        shown = "" if default is None else f"`{json.dumps(default, ensure_ascii=False)}`"
        rows.append(
            f"| `{name}` | {_type(spec, page)} | {'yes' if name in required else ''} | {shown} | "
            f"{_cell(spec.get('description', ''))} |"
        )
    return "\n".join(rows)


def _type(spec: dict[str, Any], page: str = "") -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return f"[`{name}`]({page}#{name.lower()})"
    if "anyOf" in spec or "oneOf" in spec:
        options = [_type(s, page) for s in spec.get("anyOf", spec.get("oneOf", []))]
        return " or ".join(dict.fromkeys(o for o in options if o != "null"))
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return " or ".join(f"`{v}`" for v in spec["enum"])
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), page)}"
    if kind == "object" and "additionalProperties" in spec:
        values = spec["additionalProperties"]
        return f"mapping to {_type(values, page) if isinstance(values, dict) else 'any'}"
    return str(kind)


def _text(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|")


def rules_reference() -> str:
    from course_scheduler.loading import json_schema
    from course_scheduler.rules import REGISTRY

    definitions = json_schema().get("$defs", {})
    by_kind = {}
    for name, definition in definitions.items():
        kind = definition.get("properties", {}).get("kind", {})
        if name.endswith("Rule") and "const" in kind:
            by_kind[kind["const"]] = (name, definition)
    parts = []
    for kind, entry in REGISTRY.items():
        parts += [f"### `{kind}`", ""]
        if kind in by_kind:
            name, definition = by_kind[kind]
            parts += [f"Written as [`{name}`](file-format.md#{name.lower()}):", ""]
            parts += [_fields(definition, "file-format.md"), ""]
        for role, function in (("Checker", entry.check), ("Encoding", entry.post)):
            path = f"{function.__module__}.{function.__name__}"
            parts += [
                f"**{role}**: `{path}`",
                "",
                f"::: {path}",
                "    options:",
                "      show_source: true",
                "      show_root_heading: false",
                "      show_root_toc_entry: false",
                "",
            ]
    return "\n".join(parts)


def api_reference() -> str:
    import course_scheduler

    modules = course_scheduler._LAZY
    parts = []
    for name in sorted(course_scheduler.__all__, key=lambda n: (n[0].isupper(), n.lower())):
        if name.startswith("__"):
            continue
        parts += [
            f"::: {_defined_at(name, modules.get(name, 'errors'))}",
            "    options:",
            "      show_root_heading: true",
            "      show_root_full_path: false",
            "",
        ]
    return "\n".join(parts)


def _defined_at(name: str, lazy_module: str) -> str:
    """Where a public name is defined (``whatif.sweep`` is a module as well as a function
    re-exported by ``whatif``: the function is ``whatif.sweep.sweep``)."""
    import course_scheduler

    value = getattr(course_scheduler, name)
    module = getattr(value, "__module__", "")
    if module.startswith("course_scheduler") and getattr(value, "__qualname__", "") == name:
        return f"{module}.{name}"
    return f"course_scheduler.{lazy_module}.{name}"


GENERATORS = {
    "cli": cli_reference,
    "schema": schema_reference,
    "rules": rules_reference,
    "api": api_reference,
}
