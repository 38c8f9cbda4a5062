"""JSON Schema for config directories, so editors validate and complete config files as you type.

:func:`json_schema` describes one config file: from its dataclass schema where one is given (exact
types, required fields, no unknown keys) and otherwise from the YAML itself (the types of the
values written there, nested objects, and for the ``defaults`` list the options each group has).
:func:`write_json_schemas` writes one ``.schema.json`` per primary config and per group option.
Interpolations (``${...}``) and ``???`` are accepted wherever a value is.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Mapping
from typing import Any

from confcompose.api import load
from confcompose.export import to_container
from confcompose.fieldspecs import NO_DEFAULT, AnySpec, FieldSpec, LeafSpec, LiteralSpec, UnionSpec
from confcompose.structured import DictSpec, ListSpec, StructSpec, schema_of

_SPECIAL = {"type": "string", "pattern": r"^\?\?\?$|\$\{"}
# Draft 7: the newest draft that VS Code's YAML extension (yaml-language-server) fully supports.
_DRAFT = "http://json-schema.org/draft-07/schema#"


def json_schema(
    config_dir: str | os.PathLike[str],
    config_name: str = "config",
    *,
    schema: type | None = None,
) -> dict[str, Any]:
    """The JSON Schema of ``config_dir/config_name.yaml`` (a primary config or ``group/option``).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "config.yaml").write_text("port: 80\\n")
    >>> json_schema(d)["properties"]["port"]["anyOf"][0]
    {'type': 'integer'}
    """
    root = os.fspath(config_dir)
    defs: dict[str, Any] = {"special": _SPECIAL}
    path = os.path.join(root, config_name + ".yaml")
    data = to_container(load(path)) if os.path.exists(path) else {}
    if schema is not None:
        ref = _struct(schema, defs)["$ref"].rsplit("/", 1)[1]
        body = dict(defs[ref])
        extra = _yaml_object(data, root, defs, closed=False, only_defaults=True)["properties"]
        body["properties"] = {**body["properties"], **extra}
    else:
        body = _yaml_object(data, root, defs, closed=False)
    return {
        "$schema": _DRAFT,
        "$id": config_name.replace(os.sep, "/") + ".schema.json",
        "title": config_name,
        **body,
        "definitions": defs,
    }


def write_json_schemas(
    config_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    schemas: Mapping[str, type] | None = None,
) -> list[str]:
    """Write ``NAME.schema.json`` for every ``.yaml`` under ``config_dir``; return the paths.

    ``schemas`` maps a config name (``"config"``, ``"db/mysql"``) or a group (``"db"``) to the
    dataclass describing it.
    """
    root = os.fspath(config_dir)
    schemas = schemas or {}
    written: list[str] = []
    for name in _config_names(root):
        group = name.rpartition("/")[0]
        cls = schemas.get(name) or (schemas.get(group) if group else None)
        doc = json_schema(root, name, schema=cls)
        out = os.path.join(os.fspath(out_dir), name + ".schema.json")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, sort_keys=False)
            f.write("\n")
        written.append(out)
    return written


def vscode_yaml_schemas(
    config_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    workspace: str | os.PathLike[str] = ".",
) -> dict[str, list[str]]:
    """The ``yaml.schemas`` setting of VS Code's YAML extension for :func:`write_json_schemas`.

    Maps each schema file to the config file it describes, both relative to ``workspace`` (the
    folder opened in the editor), as ``.vscode/settings.json`` expects.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "conf" / "db").mkdir(parents=True)
    >>> _ = (d / "conf" / "db" / "mysql.yaml").write_text("port: 3306\\n")
    >>> vscode_yaml_schemas(d / "conf", d / "schemas", workspace=d)
    {'./schemas/db/mysql.schema.json': ['conf/db/mysql.yaml']}
    """
    root = os.fspath(config_dir)
    base = os.path.abspath(workspace)
    mapping: dict[str, list[str]] = {}
    for name, file in zip(_config_names(root), _config_files(root), strict=True):
        schema = os.path.join(os.fspath(out_dir), name + ".schema.json")
        rel_schema = os.path.relpath(os.path.abspath(schema), base).replace(os.sep, "/")
        if not rel_schema.startswith("../"):
            rel_schema = "./" + rel_schema
        glob = os.path.relpath(os.path.abspath(file), base).replace(os.sep, "/")
        mapping[rel_schema] = [glob]
    return mapping


def _config_files(root: str) -> list[str]:
    files_out: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        files_out.extend(
            os.path.join(folder, f) for f in sorted(files) if f.endswith((".yaml", ".yml"))
        )
    return files_out


def _config_names(root: str) -> list[str]:
    names = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(folder, root)
        for file in sorted(files):
            if file.endswith((".yaml", ".yml")):
                stem = file.rsplit(".", 1)[0]
                names.append(stem if rel == "." else f"{rel.replace(os.sep, '/')}/{stem}")
    return names


def _group_options(root: str, group: str) -> list[str]:
    folder = os.path.join(root, *group.split("/"))
    if not os.path.isdir(folder):
        return []
    return sorted(f.rsplit(".", 1)[0] for f in os.listdir(folder) if f.endswith((".yaml", ".yml")))


# -- from YAML values ---------------------------------------------------------------------------


def _or_special(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"$ref": "#/definitions/special"}]}


def _yaml_value(value: Any, root: str, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, bool):
        return _or_special({"type": "boolean"})
    if isinstance(value, int):
        return _or_special({"type": "integer"})
    if isinstance(value, float):
        return _or_special({"type": "number"})
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, dict):
        return _or_special(_yaml_object(value, root, defs, closed=False))
    if isinstance(value, list):
        items = [_yaml_value(v, root, defs) for v in value]
        unique = [
            json.loads(s) for s in dict.fromkeys(json.dumps(i, sort_keys=True) for i in items)
        ]
        if not unique:
            return _or_special({"type": "array"})
        return _or_special(
            {"type": "array", "items": unique[0] if len(unique) == 1 else {"anyOf": unique}}
        )
    return {}  # null: any value may replace it


def _yaml_object(
    data: Any, root: str, defs: dict[str, Any], *, closed: bool, only_defaults: bool = False
) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    props: dict[str, Any] = {}
    for key, value in data.items():
        if key == "defaults" and isinstance(value, list):
            props[key] = _defaults(value, root)
        elif not only_defaults:
            props[str(key)] = _yaml_value(value, root, defs)
    out: dict[str, Any] = {"type": "object", "properties": props}
    if closed:
        out["additionalProperties"] = False
    return out


def _defaults(entries: list[Any], root: str) -> dict[str, Any]:
    """A defaults list: ``_self_``, config names, and ``group: option`` with the known options."""
    groups: dict[str, Any] = {}
    for entry in entries:
        if isinstance(entry, dict):
            for key in entry:
                group = str(key).split("@", 1)[0].removeprefix("override ").strip()
                group = group.removeprefix("optional ").strip()
                options = _group_options(root, group)
                choice: dict[str, Any] = {"type": ["string", "null"]}
                if options:
                    choice = {"anyOf": [{"enum": [*options, None]}, {"type": "array"}]}
                groups[str(key)] = choice
    item = {
        "anyOf": [
            {"type": "string"},
            {
                "type": "object",
                "properties": groups,
                "additionalProperties": {"type": ["string", "null", "array"]},
                "minProperties": 1,
                "maxProperties": 1,
            },
        ]
    }
    return {"type": "array", "items": item}


# -- from dataclass schemas ---------------------------------------------------------------------


def _struct(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = f"{cls.__module__}.{cls.__qualname__}".replace("<", "").replace(">", "")
    ref = {"$ref": f"#/definitions/{name}"}
    if name in defs:
        return ref
    defs[name] = {}  # placeholder: recursive classes refer to themselves
    schema = schema_of(cls)
    props = {}
    required = []
    for field, spec in schema.fields.items():
        props[field] = _spec(spec, defs)
        default, factory = schema.defaults[field]
        missing = default == "???" if isinstance(default, str) else False
        if (default is NO_DEFAULT and factory is None) or missing:
            required.append(field)
    body: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        body["required"] = required
    defs[name] = body
    return ref


def _spec(spec: FieldSpec, defs: dict[str, Any]) -> dict[str, Any]:
    out = _spec_body(spec, defs)
    if isinstance(spec, AnySpec):
        return out
    options = [out, {"$ref": "#/definitions/special"}]
    if spec.optional:
        options.append({"type": "null"})
    return {"anyOf": options}


def _spec_body(spec: FieldSpec, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(spec, LeafSpec):
        return _leaf(spec.exact)
    if isinstance(spec, UnionSpec):
        return {"anyOf": [_leaf(m.exact) for m in spec.members]}
    if isinstance(spec, LiteralSpec):
        return {"enum": [c.name if isinstance(c, enum.Enum) else c for c in spec.choices]}
    if isinstance(spec, StructSpec):
        return _struct(spec.cls, defs)
    if isinstance(spec, ListSpec):
        el = spec.schema
        if el.items:
            return {
                "type": "array",
                "items": [_spec(s, defs) for s in el.items],  # a tuple, in draft 7
                "additionalItems": False,
                "minItems": len(el.items),
                "maxItems": len(el.items),
            }
        return {"type": "array", "items": _spec(el.spec, defs)}
    if isinstance(spec, DictSpec):
        return {"type": "object", "additionalProperties": _spec(spec.schema.spec, defs)}
    return {}


def _leaf(tp: type) -> dict[str, Any]:
    if tp is bool:
        # Hydra's string forms of booleans and 0/1 are accepted too.
        words = ["yes", "no", "y", "n", "on", "off", "true", "false"]
        cased = words + [w.capitalize() for w in words] + [w.upper() for w in words]
        return {"anyOf": [{"type": "boolean"}, {"enum": [0, 1, *cased]}]}
    if tp is int:
        return {
            "anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[-+]?\d[\d_]*\s*$"}]
        }
    if tp is float:
        return {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\s*[-+]?(\d|\.\d|inf|nan)"},
            ]
        }
    if tp is str:
        return {"type": ["string", "number", "boolean"]}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = [m.value for m in tp if isinstance(m.value, int) and not isinstance(m.value, bool)]
        return {"enum": [*tp.__members__, *(f"{tp.__name__}.{n}" for n in tp.__members__), *values]}
    if tp is bytes:
        return {}
    return {"type": "string"}  # paths


__all__ = ["json_schema", "vscode_yaml_schemas", "write_json_schemas"]
