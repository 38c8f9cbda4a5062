"""``hydra.searchpath`` in the primary config (and on the command line) adds config sources."""

from __future__ import annotations

from pathlib import Path

import pytest

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
