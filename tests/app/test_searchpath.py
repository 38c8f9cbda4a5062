"""``hydra.searchpath`` in the primary config (and on the command line) adds config sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.app.conftest import Runner

APP = """\
import confcompose

@confcompose.main(config_path="conf", config_name="config")
def app(cfg):
    print("DB", cfg.db.host)

if __name__ == "__main__":
    app()
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "proj" / "conf").mkdir(parents=True)
    for name, host in (("shared", "shared-host"), ("other", "other-host")):
        (tmp_path / name / "db").mkdir(parents=True)
        (tmp_path / name / "db" / f"{name}.yaml").write_text(f"host: {host}\n")
    (tmp_path / "proj" / "conf" / "config.yaml").write_text(
        "defaults:\n  - db: shared\n  - _self_\n"
        f"hydra:\n  searchpath:\n    - file://{tmp_path / 'shared'}\n"
    )
    (tmp_path / "proj" / "app.py").write_text(APP)
    return tmp_path


def test_searchpath_from_primary_config(project: Path, run: Runner) -> None:
    done = run(project / "proj" / "app.py")
    assert done.returncode == 0, done.stderr
    assert "DB shared-host" in done.stdout


def test_searchpath_override_replaces_it(project: Path, run: Runner) -> None:
    done = run(project / "proj" / "app.py", f"hydra.searchpath=[{project / 'other'}]", "db=other")
    assert done.returncode == 0, done.stderr
    assert "DB other-host" in done.stdout


def test_bad_searchpath_entry_is_a_clear_error(project: Path, run: Runner) -> None:
    done = run(project / "proj" / "app.py", "hydra.searchpath=[1]")
    assert done.returncode == 2
    assert "hydra.searchpath" in done.stderr
    assert "Traceback" not in done.stderr


# -- the plugin source scanner reads what its patterns match ------------------------------------

FRAGMENTS = [
    "class ",
    "class",
    "X",
    "Plug",
    "(",
    "SearchPathPlugin",
    ")",
    ":",
    "\n",
    " ",
    "\t",
    ".append(",
    ".prepend(",
    "provider",
    "path",
    "=",
    '"',
    "'",
    "a",
    ",",
    "pkg://x.conf",
    "é",
]


def _by_patterns(text: str) -> list[str]:
    import re

    from confcompose.app.plugins import CALL_PATTERN, CLASS_PATTERN

    first = re.search(CLASS_PATTERN, text, re.M)
    if first is None:
        return []
    return [m.group(3) for m in re.compile(CALL_PATTERN).finditer(text, first.end())]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_plugin_scanner_is_the_patterns(text: str) -> None:
    from confcompose.app.plugins import _sources_in

    assert _sources_in(text) == _by_patterns(text)


@pytest.mark.parametrize(
    "text",
    [
        'class P(SearchPathPlugin):\n    def m(self, sp):\n        sp.append("c", "pkg://a.conf")\n',
        "class P(\n    plugins.SearchPathPlugin\n) :\n  sp.prepend(provider = 'c', path='file://x')\n",
        'x = 1\nclass P(SearchPathPlugin): pass\nsp.append("c", "") ; sp.append("d", "pkg://b")\n',
    ],
    ids=["plain", "keywords-multiline", "empty-path-then-one"],
)
def test_plugin_scanner_examples(text: str) -> None:
    from confcompose.app.plugins import _sources_in

    assert _sources_in(text) == _by_patterns(text) != []
