"""`confcompose --version`, `--help` listing every subcommand, and the editor files of `schema`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import confcompose
from confcompose.app import cli
from tests.app.conftest import EXAMPLES

CONF = EXAMPLES / "my_app" / "conf"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"confcompose {confcompose.__version__}\n", "")


def test_version_is_the_distributions() -> None:
    from importlib import metadata

    assert metadata.version("confcompose") == confcompose.__version__


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str], name: str) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert f"confcompose {name} " in out
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"confcompose {name} " in readme


def _settings(workspace: Path) -> dict[str, list[str]]:
    data = json.loads((workspace / ".vscode" / "settings.json").read_text())
    return data["yaml.schemas"]  # type: ignore[no-any-return]


def test_schema_writes_the_yaml_schemas_mapping(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(CONF, tmp_path / "conf")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text(
        '{"editor.tabSize": 2, "yaml.schemas": {"other.json": ["x.yaml"]}}'
    )
    status, out, err = run(capsys, "schema", "conf", "--out", "schemas", "--vscode")
    assert status == 0, err
    assert "schemas/yaml.schemas.json" in out.splitlines()
    mapping = json.loads((tmp_path / "schemas" / "yaml.schemas.json").read_text())["yaml.schemas"]
    assert mapping["./schemas/db/mysql.schema.json"] == ["conf/db/mysql.yaml"]
    assert mapping["./schemas/config.schema.json"] == ["conf/config.yaml"]
    # every schema and every config file named in the mapping exists
    for schema, globs in mapping.items():
        assert (tmp_path / schema).is_file()
        assert all((tmp_path / g).is_file() for g in globs)
    assert len(mapping) == len(list((tmp_path / "conf").rglob("*.yaml")))
    settings = _settings(tmp_path)
    assert settings == {"other.json": ["x.yaml"], **mapping}  # other settings kept
    assert json.loads((tmp_path / ".vscode" / "settings.json").read_text())["editor.tabSize"] == 2


def test_schema_mapping_relative_to_the_workspace(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run(
        capsys, "schema", str(CONF), "--out", str(tmp_path / "s"), "--workspace", str(tmp_path)
    )
    assert status == 0, err
    mapping = json.loads((tmp_path / "s" / "yaml.schemas.json").read_text())["yaml.schemas"]
    assert "./s/db/mysql.schema.json" in mapping
    assert mapping["./s/db/mysql.schema.json"][0].endswith("my_app/conf/db/mysql.yaml")
    assert not (tmp_path / ".vscode").exists()  # only with --vscode


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param("// a comment\n{}", "cannot read the settings", id="jsonc"),
        pytest.param("[]", "not a JSON object", id="array"),
    ],
)
def test_schema_vscode_unreadable_settings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, settings: str, message: str
) -> None:
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text(settings)
    args = ("schema", str(CONF), "--out", str(tmp_path / "s"), "--workspace", str(tmp_path))
    status, _, err = run(capsys, *args, "--vscode")
    assert status == 2
    assert message in err
    assert (tmp_path / ".vscode" / "settings.json").read_text() == settings


def test_schema_vscode_needs_out(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "schema", str(CONF), "--vscode")
    assert status == 2
    assert "--vscode needs --out" in err
