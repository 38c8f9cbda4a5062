"""JSON Schema output: example configs validate, wrong ones do not."""

from __future__ import annotations

import dataclasses
import json
import pathlib
from typing import Any, Optional

import pytest

from confcompose.export import to_container
from confcompose.parsing.yaml import load_text
from confcompose.schema import json_schema, write_json_schemas

jsonschema = pytest.importorskip("jsonschema")

TREE = {
    "config.yaml": "defaults:\n  - db: mysql\n  - _self_\nname: app\nport: 80\nratio: 0.5\n"
    "debug: false\ntags: [a, b]\nnested:\n  depth: 3\n",
    "db/mysql.yaml": "host: localhost\nport: 3306\n",
    "db/postgres.yaml": "host: pg\nport: 5432\nuser: ???\n",
}


@dataclasses.dataclass
class DB:
    host: str = "localhost"
    port: int = 3306
    user: Optional[str] = None  # noqa: UP045


@dataclasses.dataclass
class Root:
    name: str = "app"
    port: int = 80
    db: DB = dataclasses.field(default_factory=DB)
    ratio: float = 0.5
    debug: bool = False
    tags: list[str] = dataclasses.field(default_factory=list)
    size: tuple[int, str] = (1, "px")


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> pathlib.Path:
    for name, text in TREE.items():
        path = tmp_path / "conf" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "conf"


def _data(text: str) -> Any:
    return to_container(load_text(text))


# (config name, use the dataclass schema, YAML text, valid)
CASES = [
    pytest.param("config", False, TREE["config.yaml"], True, id="yaml:the-file-itself"),
    pytest.param("config", False, "port: ${other}\nname: x\n", True, id="yaml:interpolation"),
    pytest.param("config", False, "port: ???\n", True, id="yaml:missing"),
    pytest.param("config", False, "port: eighty\n", False, id="yaml:wrong-type"),
    pytest.param("config", False, "nested: {depth: x}\n", False, id="yaml:nested-wrong-type"),
    pytest.param("config", False, "defaults: [{db: postgres}]\n", True, id="yaml:group-option"),
    pytest.param("config", False, "defaults: [{db: oracle}]\n", False, id="yaml:unknown-option"),
    pytest.param("config", False, "extra: 1\n", True, id="yaml:new-keys-allowed"),
    pytest.param("db/postgres", False, "host: h\nport: 1\nuser: me\n", True, id="option:valid"),
    pytest.param("db/postgres", False, "port: '1'\n", False, id="option:wrong-type"),
    pytest.param(
        "config",
        True,
        TREE["config.yaml"].split("nested")[0] + "db: {user: u}\n",
        True,
        id="dc:valid",
    ),
    pytest.param("config", True, "db:\n  port: ${x}\n", True, id="dc:interpolation"),
    pytest.param("config", True, TREE["config.yaml"], False, id="dc:key-not-in-schema"),
    pytest.param("config", True, "debug: yes\nport: '81'\n", True, id="dc:hydra-conversions"),
    pytest.param("config", True, "db: {user: null}\n", True, id="dc:optional-null"),
    pytest.param("config", True, "port: null\n", False, id="dc:null-not-optional"),
    pytest.param("config", True, "debug: maybe\n", False, id="dc:bad-bool"),
    pytest.param("config", True, "db: {prot: 1}\n", False, id="dc:unknown-nested-key"),
    pytest.param("config", True, "unknown: 1\n", False, id="dc:unknown-key"),
    pytest.param("config", True, "tags: [1, x]\n", True, id="dc:str-list-accepts-scalars"),
    pytest.param("config", True, "tags: [[1]]\n", False, id="dc:nested-list"),
    pytest.param("config", True, "size: [2, em]\n", True, id="dc:tuple"),
    pytest.param("config", True, "size: [em, 2]\n", False, id="dc:tuple-wrong-item"),
    pytest.param("config", True, "size: [2, em, 3]\n", False, id="dc:tuple-too-long"),
]


@pytest.mark.parametrize(("name", "typed", "text", "valid"), CASES)
def test_validation(tree: pathlib.Path, name: str, typed: bool, text: str, valid: bool) -> None:
    schema = json_schema(tree, name, schema=Root if typed else None)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"  # what editors support
    jsonschema.Draft7Validator.check_schema(schema)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(_data(text)))
    assert (not errors) == valid, [e.message for e in errors]


def test_write_json_schemas(tree: pathlib.Path, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "schemas"
    written = write_json_schemas(tree, out, schemas={"db": DB})
    names = sorted(pathlib.Path(p).relative_to(out).as_posix() for p in written)
    assert names == ["config.schema.json", "db/mysql.schema.json", "db/postgres.schema.json"]
    for name in ("db/mysql", "db/postgres"):
        schema = json.loads((out / f"{name}.schema.json").read_text())
        validator = jsonschema.Draft7Validator(schema)
        assert not list(validator.iter_errors(_data(TREE[f"{name}.yaml"])))
        assert list(validator.iter_errors({"port": "x"}))
        assert list(validator.iter_errors({"hots": "h"}))  # the DB schema has no such key
