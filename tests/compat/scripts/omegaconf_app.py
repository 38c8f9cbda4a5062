"""A typical OmegaConf-using script (the port test runs it as is and with its imports ported)."""

import dataclasses
import pickle
import sys
import tempfile
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import Path

from omegaconf import II, MISSING, DictConfig, ListConfig, OmegaConf, SCMode, open_dict, read_write
from omegaconf.errors import (
    ConfigAttributeError,
    ConfigKeyError,
    InterpolationKeyError,
    MissingMandatoryValue,
    ReadonlyConfigError,
    ValidationError,
)


class Mode(Enum):
    TRAIN = 1
    EVAL = 2


@dataclasses.dataclass
class Optim:
    name: str = "adam"
    lr: float = 1e-3
    betas: list = dataclasses.field(default_factory=lambda: [0.9, 0.999])


@dataclasses.dataclass
class Trainer:
    epochs: int = 10
    mode: Mode = Mode.TRAIN
    optim: Optim = dataclasses.field(default_factory=Optim)
    run_name: str = II("optim.name")
    data_dir: str | None = None
    seed: int = MISSING


def describe(cfg: DictConfig) -> str:
    kind = "dict" if isinstance(cfg, DictConfig) else "list" if isinstance(cfg, ListConfig) else "?"
    return f"{kind}:{len(cfg)}"


def main() -> None:
    OmegaConf.register_new_resolver("mul", lambda a, b: a * b, replace=True)
    base = OmegaConf.create(
        """
        model:
          name: resnet
          depth: 50
          width: ${mul:${.depth},2}
        data:
          batch_size: 32
          paths: [a, b]
        tag: ${model.name}-${model.depth}
        """
    )
    cli = OmegaConf.from_cli()
    cfg = OmegaConf.merge(base, cli)
    print(OmegaConf.to_yaml(cfg), end="")
    print(OmegaConf.to_yaml(cfg, resolve=True, sort_keys=True), end="")
    print(describe(cfg), describe(cfg.data), cfg.model.width, cfg.tag)
    print(OmegaConf.select(cfg, "data.paths[1]"), OmegaConf.select(cfg, "nope", default="dflt"))

    schema = OmegaConf.structured(Trainer)
    print(sorted(OmegaConf.missing_keys(schema)), OmegaConf.is_missing(schema, "seed"))
    trainer = OmegaConf.merge(schema, {"seed": 7, "optim": {"lr": "0.1"}, "mode": "EVAL"})
    print(trainer.optim.lr, trainer.mode, trainer.run_name, OmegaConf.get_type(trainer, "optim"))
    obj = OmegaConf.to_object(trainer)
    print(type(obj).__name__, obj.optim, obj.mode)
    print(OmegaConf.to_container(trainer, resolve=True, enum_to_str=True))
    kept = OmegaConf.to_container(trainer, structured_config_mode=SCMode.DICT_CONFIG)
    print(isinstance(kept, DictConfig), isinstance(kept["optim"], DictConfig))

    for label, action in [
        ("missing", lambda: schema.seed),
        ("attr", lambda: cfg.model.nope),
        ("key", lambda: cfg["nope"]),
        ("interp", lambda: OmegaConf.create({"a": "${b}"}).a),
        ("type", lambda: setattr(trainer, "epochs", "many")),
    ]:
        try:
            action()
        except MissingMandatoryValue:
            print(label, "-> MissingMandatoryValue")
        except ConfigAttributeError:
            print(label, "-> ConfigAttributeError")
        except ConfigKeyError:
            print(label, "-> ConfigKeyError")
        except InterpolationKeyError:
            print(label, "-> InterpolationKeyError")
        except ValidationError:
            print(label, "-> ValidationError")

    OmegaConf.set_readonly(cfg, True)
    try:
        cfg.model.depth = 1
    except ReadonlyConfigError:
        print("readonly -> ReadonlyConfigError")
    with read_write(cfg):
        cfg.model.depth = 101
    OmegaConf.set_struct(cfg, True)
    with read_write(cfg), open_dict(cfg):
        cfg.extra = {"k": [1, 2]}
    print(cfg.model.width, cfg.extra.k, OmegaConf.is_readonly(cfg), OmegaConf.is_struct(cfg))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cfg.yaml"
        OmegaConf.save(cfg, path)
        again = OmegaConf.load(path)
        print(again == cfg, OmegaConf.to_container(again) == OmegaConf.to_container(cfg))
    print(pickle.loads(pickle.dumps(cfg)).model.width)
    dotted = OmegaConf.from_dotlist(["x.y=1", "z=[1, 2]"])
    OmegaConf.update(dotted, "x.w", {"q": True})
    dotted.merge_with({"x": {"y": 2}}, OmegaConf.create({"extra": "${x.y}"}))
    dotted.merge_with_dotlist(["z.0=9", "x.w.q=false"])
    copied = dotted.copy()
    copied.x.y = 3
    print(dotted, copied.x.y, dotted.extra, sys.argv[1:])
    print(walk(OmegaConf.create({"a": [1, {"b": 2}], "c": {"d": None}})))


def walk(data: object) -> object:
    """What a library that knows nothing of configs does with one."""
    if isinstance(data, Mapping):
        return {k: walk(v) for k, v in data.items()}
    if isinstance(data, Sequence) and not isinstance(data, str):
        return [walk(v) for v in data]
    return data


if __name__ == "__main__":
    main()
