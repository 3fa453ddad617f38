"""pydantic's plugins: found as pydantic finds them, and the shortcut taken only when there are none.

``plugins.no_plugins_offered`` and ``importlib.metadata`` (what pydantic reads) are two readings
of the same installed metadata: they are tested against each other on this environment and on
made-up ones. A plugin installed beside the package is still given every model it builds; with
none, the models' validators are the ones pydantic builds itself, and the check never reads
the installed packages' metadata.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from course_scheduler import plugins

from .conftest import PUBLISHED

PLUGIN = """\
import os


class _Plugin:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        with open(os.environ["PLUGIN_LOG"], "a") as log:
            log.write(f"{path.name}\\n")
        return None, None, None


plugin = _Plugin()
"""


def _distribution(where: Path, name: str, entry_points_txt: str | None) -> None:
    info = where / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    if entry_points_txt is not None:
        (info / "entry_points.txt").write_text(entry_points_txt)


READINGS = """\
import json, sys
from importlib.metadata import entry_points
from course_scheduler import plugins
sys.path[:] = json.loads(sys.argv[1])
if sys.argv[2] == "finder":
    class Finder:
        @staticmethod
        def find_distributions(*args, **kwargs):
            return []
    sys.meta_path.insert(0, Finder())
print(json.dumps([bool(entry_points(group="pydantic")), plugins.no_plugins_offered()]))
"""


def _readings(path: list[Path], finder: str = "") -> tuple[bool, bool]:
    """What ``importlib.metadata`` finds and what ``no_plugins_offered`` says, with ``path`` as
    ``sys.path``, in a fresh interpreter as a command's (a library this test run imports,
    ``importlib_metadata``, replaces the interpreter's finder of distributions by its own)."""
    out = subprocess.run(
        [sys.executable, "-c", READINGS, json.dumps([str(p) for p in path]), finder],
        capture_output=True,
        text=True,
        check=True,
    )
    found, none_offered = json.loads(out.stdout)
    return found, none_offered


def test_this_environment_is_never_read_as_having_none_when_it_has_one() -> None:
    assert not (entry_points(group="pydantic") and plugins.no_plugins_offered())


@pytest.mark.parametrize(
    ("entry_points_txt", "found", "none_offered"),
    [
        (None, False, True),
        ("[console_scripts]\ntool = tool.cli:main\n", False, True),
        ("[pydantic]\nfake = fake_plugin:plugin\n", True, False),
        (
            "[console_scripts]\ntool = t:m\n\n  [pydantic]  \nfake = fake_plugin:plugin\n",
            True,
            False,
        ),
        # no plugin, but pydantic is named: left to pydantic (which then finds none)
        ("[console_scripts]\npydantic-tool = tool:main\n", False, False),
    ],
)
def test_a_directory_on_the_path_reads_as_importlib_metadata_reads_it(
    tmp_path: Path, entry_points_txt: str | None, found: bool, none_offered: bool
) -> None:
    _distribution(tmp_path, "other", "[console_scripts]\nother = other:main\n")
    _distribution(tmp_path, "tool", entry_points_txt)
    assert _readings([tmp_path, tmp_path / "absent"]) == (found, none_offered)


def test_what_it_cannot_read_plainly_is_left_to_pydantic(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("tool-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tool\n")
        zipped.writestr("tool-1.0.dist-info/entry_points.txt", "[pydantic]\nfake = f:p\n")
    assert _readings([archive]) == (True, False)  # found inside the archive

    egg = tmp_path / "old.egg" / "EGG-INFO"
    egg.mkdir(parents=True)
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: old\nVersion: 1.0\n")
    (egg / "entry_points.txt").write_text("[pydantic]\nfake = f:p\n")
    assert _readings([egg.parent]) == (True, False)  # an egg's own metadata

    assert _readings([tmp_path / "empty"]) == (False, True)
    assert _readings([tmp_path / "empty"], "finder") == (False, False)


def _load_with(tmp_path: Path, env: dict[str, str]) -> list[str]:
    """The models a plugin installed on the path saw while the reference was loaded."""
    log = tmp_path / "seen.txt"
    log.write_text("")
    code = (
        "import sys\n"
        "from course_scheduler import load\n"
        f"load({str(PUBLISHED)!r})\n"
        "import pydantic.plugin._loader as loader\n"
        "print('PLUGINS', sorted(type(p).__name__ for p in loader.get_plugins()))\n"
    )
    environ = {**os.environ, **env, "PLUGIN_LOG": str(log)}
    environ["PYTHONPATH"] = os.pathsep.join([str(tmp_path), environ.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environ
    )
    assert "PLUGINS" in out.stdout
    return log.read_text().split()


def test_an_installed_plugin_is_still_given_every_model(tmp_path: Path) -> None:
    (tmp_path / "fake_plugin.py").write_text(PLUGIN)
    _distribution(tmp_path, "fake_plugin", "[pydantic]\nfake = fake_plugin:plugin\n")
    seen = _load_with(tmp_path, {})
    assert {"Programme", "Activity", "Day", "DurationRange", "NoOverlapRule"} <= set(seen)
    assert _load_with(tmp_path, {"PYDANTIC_DISABLE_PLUGINS": "fake"}) == []


def test_without_a_plugin_no_model_goes_through_one(tmp_path: Path) -> None:
    (tmp_path / "fake_plugin.py").write_text(PLUGIN)  # importable, but no package offers it
    _distribution(tmp_path, "unrelated", "[console_scripts]\nunrelated = u:main\n")
    assert _load_with(tmp_path, {}) == []


def _validators(disable: str | None) -> tuple[str, list[str]]:
    """Whether the check read the installed packages' metadata, and the programme's validator
    (pydantic-core prints its lookups in hash order: compared line by line, sorted)."""
    code = (
        "import sys\n"
        f"sys.argv = ['course-scheduler', 'check', {str(PUBLISHED)!r}, '--format', 'json']\n"
        "from course_scheduler.launch import main\n"
        "main()\n"
        "from course_scheduler.model import Programme\n"
        "print('METADATA', 'importlib.metadata' in sys.modules, file=sys.stderr)\n"
        "print(repr(Programme.__pydantic_validator__), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if disable is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = disable
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    read, _, validator = out.stderr.partition("\n")
    lines = [re.sub(r"0x[0-9a-f]+|:[0-9]{6,}", "N", line) for line in validator.splitlines()]
    return read, sorted(lines)


def test_the_check_reads_no_metadata_and_builds_pydantic_s_own_validators() -> None:
    if entry_points(group="pydantic"):
        pytest.skip("a pydantic plugin is installed here: pydantic searches, as it should")
    read, ours = _validators(None)
    assert read == "METADATA False"
    read, pydantic_s = _validators("__all__")
    assert read == "METADATA True"  # pydantic's own path, left to it when the variable is set
    assert len(ours) > 1000
    assert ours == pydantic_s


def test_importing_the_package_leaves_pydantic_as_it_found_it() -> None:
    """A program that imports the package (and loads a programme) keeps pydantic's own
    validator builder: only the command's process takes the shortcut."""
    code = (
        "from course_scheduler import load\n"
        f"load({str(PUBLISHED)!r})\n"
        "from pydantic._internal import _model_construction as construction\n"
        "print(construction.create_schema_validator.__module__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "pydantic.plugin._schema_validator"
