"""Deterministic generators for the benchmark config trees.

Two kinds of tree are written:

* ``generate(size, root, seed)``: a Hydra-style ML project (``config.yaml`` with a defaults list,
  groups ``model/``, ``model/encoder/``, ``dataset/``, ``optimizer/``, ``trainer/``, ``logger/``
  and a ``# @package _global_`` group ``env/``). Every interpolation resolves in the composed
  config, whichever option of a group is selected, because interpolations only point at keys of the
  same file or at "anchor" keys that every option of a group defines.
* ``generate_documents(size, root, seed)``: a flat tree for the load/merge/resolve workload. Each
  file nests its content under its own path (``data/d03.yaml`` holds ``data: {d03: ...}``), so
  merging all files keeps every key and absolute interpolations resolve from the merged root.

The YAML is written by a small emitter here (not a YAML library) so that the same seed always gives
byte-identical files, whatever library versions are installed.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Target key counts of the composed config (every dict entry counts, nested or not) and the
# target number of interpolation strings; the generator lands within a few percent of both.
SIZES: dict[str, tuple[int, int]] = {
    "small": (50, 8),
    "medium": (2_000, 100),
    "large": (20_000, 1_000),
}

# Keys that every composed config has, whatever option is selected: safe interpolation targets.
ANCHORS: tuple[str, ...] = (
    "seed",
    "name",
    "paths.root",
    "paths.data_dir",
    "paths.output_dir",
    "model.hidden_dim",
    "model.num_layers",
    "dataset.batch_size",
    "dataset.num_classes",
    "optimizer.lr",
    "trainer.max_epochs",
    "trainer.devices",
)

_WORDS = [
    "backbone",
    "head",
    "neck",
    "stem",
    "block",
    "stage",
    "layer",
    "proj",
    "norm",
    "attn",
    "mlp",
    "pool",
    "embed",
    "decoder",
    "augment",
    "crop",
    "flip",
    "jitter",
    "mixup",
    "cutmix",
    "metric",
    "callback",
    "checkpoint",
    "monitor",
    "sampler",
    "loader",
    "cache",
    "profiler",
    "schedule",
    "warmup",
    "ema",
    "swa",
    "distill",
    "loss",
    "aux",
]
_LEAF_NAMES = [
    "size",
    "width",
    "depth",
    "ratio",
    "scale",
    "rate",
    "enabled",
    "mode",
    "kind",
    "path",
    "prefix",
    "factor",
    "momentum",
    "eps",
    "gamma",
    "beta",
    "alpha",
    "steps",
    "interval",
    "patience",
    "threshold",
    "verbose",
    "strict",
    "stride",
    "padding",
    "groups",
]
_PLAIN_STR = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-./]*$")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "none", "~"}


# ----------------------------------------------------------------------------- YAML emitter


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Always a dot and never an exponent: YAML 1.1 and 1.2 loaders then agree on the type.
        text = f"{value:.8f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(value, str):
        if _PLAIN_STR.match(value) and value.lower() not in _YAML_WORDS:
            return value
        return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar
    raise TypeError(f"cannot emit {type(value).__name__}")


def _emit(obj: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in obj.items():
        if isinstance(value, dict) and value:
            out.append(f"{pad}{key}:")
            _emit(value, indent + 2, out)
        elif isinstance(value, dict):
            out.append(f"{pad}{key}: {{}}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{pad}{key}:")
            for item in value:
                lines: list[str] = []
                _emit(item, 0, lines)
                out.append(f"{pad}  - {lines[0]}")
                out.extend(f"{pad}    {line}" for line in lines[1:])
        elif isinstance(value, list):
            out.append(f"{pad}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")


def dump_yaml(obj: dict[str, Any], header: str = "") -> str:
    """Render dicts/lists/scalars as block YAML; e.g. ``dump_yaml({"a": 1}) == 'a: 1\\n'``."""
    out: list[str] = [header] if header else []
    _emit(obj, 0, out)
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- generated bodies


class _Body:
    """Builds filler sections: realistic nested dicts with a given key and interpolation budget."""

    def __init__(self, rng: random.Random, anchors: list[str], interp_rate: float) -> None:
        self.rng = rng
        self.anchors = anchors
        self.interp_rate = interp_rate

    def _value(self, name: str, ints: list[str], parent_ints: list[str]) -> Any:
        rng = self.rng
        if rng.random() < self.interp_rate:
            return self._interp(ints, parent_ints)
        kind = rng.randrange(7)
        if kind == 0:
            return rng.randrange(1, 1024)
        if kind == 1:
            return round(rng.uniform(0.0, 1.0), 4)
        if kind == 2:
            return rng.random() < 0.5
        if kind == 3:
            return None
        if kind == 4:
            return [rng.randrange(1, 512) for _ in range(rng.randrange(1, 5))]
        return f"{name}_{rng.choice(_WORDS)}"

    def _interp(self, ints: list[str], parent_ints: list[str]) -> str:
        rng = self.rng
        roll = rng.randrange(6)
        if roll == 0 and ints:
            return "${." + rng.choice(ints) + "}"  # sibling in the same dict
        if roll == 1 and parent_ints:
            return "${.." + rng.choice(parent_ints) + "}"  # key of the enclosing dict
        if roll == 2:
            return f"{rng.choice(_WORDS)}_${{{rng.choice(self.anchors)}}}"  # string interpolation
        if roll == 3:
            return "${oc.env:BENCH_UNSET_VAR," + rng.choice(_WORDS) + "}"  # resolver call
        return "${" + rng.choice(self.anchors) + "}"

    def section(self, n_keys: int, parent_ints: list[str] | None = None) -> dict[str, Any]:
        """A dict of about ``n_keys`` entries (nested entries counted), leaves before sub-dicts."""
        rng = self.rng
        out: dict[str, Any] = {}
        ints: list[str] = []
        remaining = n_keys
        index = 0
        while remaining > 0:
            if remaining > 8 and rng.random() < 0.25:
                sub_keys = min(remaining - 1, rng.randrange(4, 12))
                name = f"{rng.choice(_WORDS)}_{index}"
                out[name] = self.section(sub_keys, ints)
                remaining -= sub_keys + 1
            else:
                name = f"{rng.choice(_LEAF_NAMES)}_{index}"
                value = self._value(name, ints, parent_ints or [])
                if isinstance(value, int) and not isinstance(value, bool):
                    ints.append(name)
                out[name] = value
                remaining -= 1
            index += 1
        return out

    def components(self, n_keys: int, prefix: str) -> dict[str, Any]:
        """``n_keys`` split into named components of 10-40 keys each (a few lists of dicts too)."""
        out: dict[str, Any] = {}
        remaining = n_keys
        index = 0
        while remaining > 0:
            size = min(remaining, self.rng.randrange(10, 40))
            name = f"{prefix}_{self.rng.choice(_WORDS)}_{index:03d}"
            if size >= 12 and self.rng.random() < 0.1:
                items = [self.section(size // 3 - 1) for _ in range(3)]
                out[name] = items
                size = 1 + sum(count_keys(item) for item in items)
            else:
                out[name] = self.section(size - 1)
            remaining -= size
            index += 1
        return out


# ----------------------------------------------------------------------------- compose tree


def _heads(rng: random.Random) -> dict[str, dict[str, dict[str, Any]]]:
    """The hand-written, realistic part of every option: anchor keys and typical interpolations."""
    lr = round(rng.choice([1e-3, 3e-4, 1e-4]), 6)
    return {
        "model": {
            "resnet": {
                "name": "resnet50",
                "hidden_dim": 2048,
                "num_layers": 50,
                "dropout": 0.1,
                "activation": "relu",
                "pretrained": True,
                "checkpoint": None,
            },
            "vit": {
                "name": "vit_b16",
                "hidden_dim": 768,
                "num_layers": 12,
                "dropout": 0.0,
                "activation": "gelu",
                "pretrained": False,
                "checkpoint": None,
                "patch_size": 16,
            },
        },
        "model/encoder": {
            "conv": {
                "name": "conv",
                "channels": [64, 128, 256, 512],
                "out_dim": "${..hidden_dim}",
                "depth": "${..num_layers}",
            },
            "transformer": {
                "name": "transformer",
                "heads": 12,
                "out_dim": "${..hidden_dim}",
                "depth": "${..num_layers}",
                "mlp_ratio": 4.0,
            },
        },
        "dataset": {
            "imagenet": {
                "name": "imagenet",
                "num_classes": 1000,
                "batch_size": 256,
                "num_workers": 8,
                "root": "${paths.data_dir}/${.name}",
                "mean": [0.485, 0.456, 0.406],
            },
            "cifar10": {
                "name": "cifar10",
                "num_classes": 10,
                "batch_size": 128,
                "num_workers": 4,
                "root": "${paths.data_dir}/${.name}",
                "mean": [0.491, 0.482, 0.447],
            },
        },
        "optimizer": {
            "adam": {
                "name": "adam",
                "lr": lr,
                "weight_decay": 0.01,
                "betas": [0.9, 0.999],
                "scheduler": {
                    "name": "cosine",
                    "warmup_epochs": 5,
                    "total_epochs": "${trainer.max_epochs}",
                },
            },
            "sgd": {
                "name": "sgd",
                "lr": 0.1,
                "weight_decay": 0.0001,
                "momentum": 0.9,
                "nesterov": True,
                "scheduler": {
                    "name": "step",
                    "step_size": 30,
                    "total_epochs": "${trainer.max_epochs}",
                },
            },
        },
        "trainer": {
            "default": {
                "max_epochs": 100,
                "accelerator": "gpu",
                "devices": 1,
                "precision": "16-mixed",
                "gradient_clip_val": None,
                "log_every_n_steps": 50,
                "val_check_interval": 1.0,
            },
            "ddp": {"strategy": "ddp", "devices": 4, "sync_batchnorm": True},
        },
        "logger": {
            "tensorboard": {
                "name": "tensorboard",
                "save_dir": "${paths.output_dir}/tb",
                "version": None,
            },
            "wandb": {
                "name": "wandb",
                "project": "${name}",
                "save_dir": "${paths.output_dir}",
                "offline": False,
                "tags": ["${model.name}", "${dataset.name}"],
            },
        },
        "env": {
            "local": {
                "paths": {
                    "root": "${oc.env:BENCH_ROOT,/tmp/bench}",
                    "data_dir": "${paths.root}/data",
                    "output_dir": "${paths.root}/outputs",
                }
            },
            "cluster": {
                "paths": {
                    "root": "/scratch/${oc.env:USER,nobody}",
                    "data_dir": "/datasets",
                    "output_dir": "${paths.root}/runs",
                }
            },
        },
    }


_SELECTED = {
    "model": "resnet",
    "model/encoder": "conv",
    "dataset": "imagenet",
    "optimizer": "adam",
    "trainer": "default",
    "logger": "tensorboard",
    "env": "local",
}
# Files of the default composition, for counting without composing.
SELECTED_FILES: tuple[str, ...] = ("config.yaml", *(f"{g}/{o}.yaml" for g, o in _SELECTED.items()))
# Defaults lists of options: a nested group (model/encoder) and config extension (trainer/ddp).
_OPTION_DEFAULTS = {
    "model/resnet": ["encoder: conv", "_self_"],
    "model/vit": ["encoder: transformer", "_self_"],
    "trainer/ddp": ["default", "_self_"],
}


def _primary(rng: random.Random) -> dict[str, Any]:
    return {
        "seed": 42,
        "name": "run_${seed}",
        "work_dir": "${oc.env:HOME,/tmp}/experiments",
        "output_dir": "${paths.output_dir}/${name}",
        "debug": False,
        "tags": ["baseline", "${model.name}"],
    }


def generate(size: str, root: Path, seed: int = 0) -> Path:
    """Write the Hydra-style tree for ``size`` under ``root``; e.g. ``generate("small", tmp)``."""
    target_keys, target_interps = SIZES[size]
    rng = random.Random(f"compose:{size}:{seed}")
    heads = _heads(rng)
    selected_files = len(_SELECTED) + 1  # the options that are composed, plus config.yaml
    head_keys = (
        sum(count_keys(heads[g][o]) for g, o in _SELECTED.items()) + count_keys(_primary(rng)) + 1
    )  # the "encoder" entry that model/encoder adds under model
    per_file = max(0, (target_keys - head_keys) // selected_files - 1)
    head_interps = 14
    # Entries holding sub-dicts never get an interpolation, hence the 10% uplift.
    rate = 1.1 * max(0.0, (target_interps - head_interps) / max(1, per_file * selected_files))
    body = _Body(rng, list(ANCHORS), rate)

    conf = root / f"compose_{size}"
    files: dict[str, str] = {}
    for group, options in heads.items():
        for option, content in options.items():
            data = dict(content)
            if per_file:
                data["extra"] = body.components(per_file, f"{group.replace('/', '_')}_{option}")
            defaults = _OPTION_DEFAULTS.get(f"{group}/{option}", [])
            text = _option_yaml(data, defaults, global_package=(group == "env"))
            files[f"{group}/{option}.yaml"] = text
    primary = _primary(rng)
    if per_file:
        primary["extra"] = body.components(per_file, "main")
    main_defaults = [f"{g}: {o}" for g, o in _SELECTED.items() if "/" not in g] + ["_self_"]
    files["config.yaml"] = _option_yaml(primary, main_defaults, global_package=False)
    for rel, text in sorted(files.items()):
        path = conf / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return conf


def _option_yaml(data: dict[str, Any], defaults: list[str], global_package: bool) -> str:
    header = "# @package _global_" if global_package else ""
    lines = [header] if header else []
    if defaults:
        lines.append("defaults:")
        lines.extend(f"  - {entry}" for entry in defaults)
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "") + dump_yaml(data)


# ----------------------------------------------------------------------------- document tree


def generate_documents(size: str, root: Path, seed: int = 0) -> Path:
    """Write the flat load/merge tree for ``size``; e.g. ``generate_documents("medium", tmp)``."""
    target_keys, target_interps = SIZES[size]
    rng = random.Random(f"documents:{size}:{seed}")
    sections = ("data", "models", "runs", "services")
    n_files = max(4, target_keys // 250)
    per_file = target_keys // n_files - 2  # minus the two wrapper keys section/name
    body = _Body(rng, [], 1.1 * target_interps / target_keys)
    docs = root / f"documents_{size}"
    anchors: list[str] = []
    for index in range(n_files):
        section = sections[index % len(sections)]
        name = f"{section[0]}{index:03d}"
        # Absolute interpolations point only at earlier files' top-level int/str leaves.
        body.anchors = anchors[-50:] or [f"{section}.{name}.id"]
        content: dict[str, Any] = {"id": index, "title": f"{name}_doc"}
        content.update(body.components(per_file - 2, name))
        anchors.extend(f"{section}.{name}.{key}" for key in ("id", "title"))
        path = docs / section / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml({section: {name: content}}), encoding="utf-8")
    # A last file that overrides existing values, so the merge does real overriding work.
    overrides = {sections[0]: {f"{sections[0][0]}000": {"title": "overridden", "id": -1}}}
    (docs / "zz_overrides.yaml").write_text(dump_yaml(overrides), encoding="utf-8")
    return docs


def all_yaml_files(root: Path) -> list[Path]:
    """Every ``*.yaml`` under ``root`` in a stable order; e.g. ``all_yaml_files(docs)[0]``."""
    return sorted(root.rglob("*.yaml"), key=lambda p: p.relative_to(root).as_posix())


# ----------------------------------------------------------------------------- interp-heavy


def interp_heavy(n_interps: int = 5_000, variant: int = 0) -> dict[str, Any]:
    """A config with ``n_interps`` interpolations: short chains, string and relative ones.

    Chains stay three links long because OmegaConf re-resolves every link on every access, so long
    chains measure one quadratic corner instead of ordinary resolution. ``variant`` renames every
    key, so each benchmark repeat sees strings that no parse cache has seen.
    """
    rng = random.Random(f"interp:{n_interps}:{variant}")
    p = f"v{variant}_"
    out: dict[str, Any] = {f"{p}base": {"x": 1, "name": "base", "scale": 0.5}}
    for group in range(-(-n_interps // 5)):
        out[f"{p}g{group}"] = {
            "v0": rng.randrange(100),
            "label": f"g{group}",
            "v1": "${.v0}",  # relative sibling
            "v2": f"${{{p}g{group}.v1}}",  # absolute, chained to v1
            "v3": f"${{.label}}_${{.v2}}_${{{p}base.name}}",  # string interpolation over a chain
            "nested": {"up": "${..label}", "far": f"${{{p}base.x}}"},
        }
    return out


# ----------------------------------------------------------------------------- counting


def count_keys(obj: Any) -> int:
    """Number of dict entries, nested ones included; e.g. ``count_keys({"a": {"b": 1}}) == 2``."""
    if isinstance(obj, dict):
        return len(obj) + sum(count_keys(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(count_keys(v) for v in obj)
    return 0


def iter_strings(obj: Any) -> Iterator[str]:
    """Every string leaf of a plain container, in order."""
    if isinstance(obj, dict):
        for value in obj.values():
            yield from iter_strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from iter_strings(value)
    elif isinstance(obj, str):
        yield obj


def count_interpolations(obj: Any) -> int:
    """Number of string leaves holding ``${``; e.g. ``count_interpolations({"a": "${b}"}) == 1``."""
    return sum("${" in s for s in iter_strings(obj))
