"""The composer: defaults lists, packages, overrides, errors, extensions, provenance, threads."""

from __future__ import annotations

import pickle
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

import confcompose as cc
from confcompose.composition import Composer, ConfigStore, defaults_tree
from confcompose.errors import CompositionError, ConfigNotFoundError, OverrideError

DB = {
    "db/mysql.yaml": "driver: mysql\nuser: omry\npass: secret\n",
    "db/postgresql.yaml": "driver: postgresql\nuser: postgres\npass: drowssap\ntimeout: 10\n",
}
MYSQL = {"driver": "mysql", "user": "omry", "pass": "secret"}
PG = {"driver": "postgresql", "user": "postgres", "pass": "drowssap", "timeout": 10}
ML = {
    "config.yaml": """\
        defaults:
          - dataset: cifar10
          - model: resnet50
          - optimizer: adam

        seed: 42
        output_dir: ./outputs
        """,
    "dataset/cifar10.yaml": "name: cifar10\nbatch_size: 32\nnum_workers: 4\n",
    "dataset/imagenet.yaml": "name: imagenet\nbatch_size: 256\nnum_workers: 16\n",
    "model/resnet50.yaml": "name: resnet50\nnum_layers: 50\nlearning_rate: 0.001\n",
    "model/transformer.yaml": "name: transformer\nnum_layers: 12\nlearning_rate: 0.0001\n",
    "optimizer/adam.yaml": "name: adam\nlr: 0.001\n",
    "optimizer/sgd.yaml": "name: sgd\nlr: 0.1\nmomentum: 0.9\n",
}
ML_OUT = {
    "dataset": {"name": "cifar10", "batch_size": 32, "num_workers": 4},
    "model": {"name": "resnet50", "num_layers": 50, "learning_rate": 0.001},
    "optimizer": {"name": "adam", "lr": 0.001},
    "seed": 42,
    "output_dir": "./outputs",
}
PLAIN = {"config.yaml": "a:\n  b: 1\n  c: x\nn: 5\nlst: [1, 2, 3]\n"}
PLAIN_OUT = {"a": {"b": 1, "c": "x"}, "n": 5, "lst": [1, 2, 3]}


def db(config: str, **more: str) -> dict[str, str]:
    return {
        "config.yaml": config,
        **DB,
        **{k.replace("__", "/") + ".yaml": v for k, v in more.items()},
    }


def plain(**changes: Any) -> dict[str, Any]:
    return {**PLAIN_OUT, **changes}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


E = pytest.param


def err(exc: type[Exception], *fragments: str) -> tuple[type[Exception], tuple[str, ...]]:
    return exc, fragments


CASES = [
    # -- the seed notes --------------------------------------------------------------------
    E(
        {"config.yaml": "db:\n  driver: mysql\n  user: omry\n"},
        ["db.user=root"],
        "config",
        {"db": {"driver": "mysql", "user": "root"}},
        id="seed:basic-override",
    ),
    E(db("defaults:\n  - db: mysql\n"), [], "config", {"db": MYSQL}, id="seed:db-default"),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["db=postgresql", "db.timeout=20"],
        "config",
        {"db": {**PG, "timeout": 20}},
        id="seed:db-switch-and-set",
    ),
    E(ML, [], "config", ML_OUT, id="seed:ml"),
    E(
        ML,
        ["model.learning_rate=0.01", "dataset.batch_size=64"],
        "config",
        {
            **ML_OUT,
            "model": {**ML_OUT["model"], "learning_rate": 0.01},
            "dataset": {**ML_OUT["dataset"], "batch_size": 64},
        },
        id="seed:ml-values",
    ),
    E(
        ML,
        ["model=transformer", "optimizer=sgd"],
        "config",
        {
            **ML_OUT,
            "model": {"name": "transformer", "num_layers": 12, "learning_rate": 0.0001},
            "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9},
        },
        id="seed:ml-switch",
    ),
    # -- _self_ ----------------------------------------------------------------------------
    E(
        db("defaults:\n  - db: mysql\ndb:\n  user: me\n"),
        [],
        "config",
        {"db": {**MYSQL, "user": "me"}},
        id="self:absent-means-last",
    ),
    E(
        db("defaults:\n  - _self_\n  - db: mysql\ndb:\n  user: me\n"),
        [],
        "config",
        {"db": MYSQL},
        id="self:first",
    ),
    E(
        db("defaults:\n  - db: mysql\n  - _self_\ndb:\n  user: me\n"),
        [],
        "config",
        {"db": {**MYSQL, "user": "me"}},
        id="self:last",
    ),
    E(
        db("defaults:\n  - _self_\n  - db: mysql\n  - _self_\n"),
        [],
        "config",
        err(CompositionError, "Duplicate _self_"),
        id="self:twice",
    ),
    E(
        db(
            "defaults:\n  - server: a\n",
            server__a="defaults:\n  - _self_\n  - /db@db: mysql\ndb:\n  user: x\n",
        ),
        [],
        "config",
        {"server": {"db": MYSQL}},
        id="self:in-option-first",
    ),
    # -- groups, nesting, paths ------------------------------------------------------------
    E(
        {"config.yaml": "defaults:\n  - model/enc: small\n", "model/enc/small.yaml": "w: 2\n"},
        [],
        "config",
        {"model": {"enc": {"w": 2}}},
        id="group:nested",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - model/enc: small\n",
            "model/enc/small.yaml": "w: 2\n",
            "model/enc/big.yaml": "w: 9\n",
        },
        ["model/enc=big"],
        "config",
        {"model": {"enc": {"w": 9}}},
        id="group:nested-override",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - server: a\n",
            "server/a.yaml": "defaults:\n  - db: x\n",
            "server/db/x.yaml": "k: 1\n",
        },
        [],
        "config",
        {"server": {"db": {"k": 1}}},
        id="group:relative-in-option",
    ),
    E(
        db("defaults:\n  - server: a\n", server__a="defaults:\n  - /db: mysql\n"),
        [],
        "config",
        {"server": {"db": MYSQL}},
        id="group:absolute-in-option",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - server: a\n",
            "server/a.yaml": "defaults:\n  - db: x\n",
            "server/db/x.yaml": "k: 1\n",
            "server/db/y.yaml": "k: 2\n",
        },
        ["server/db=y"],
        "config",
        {"server": {"db": {"k": 2}}},
        id="group:nested-choice-from-cli",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - common\n  - _self_\nname: app\n",
            "common.yaml": "name: c\nlog: info\n",
        },
        [],
        "config",
        {"name": "app", "log": "info"},
        id="config:non-group",
    ),
    E(
        {"config.yaml": "defaults:\n  - extra/more\n", "extra/more.yaml": "k: v\n"},
        [],
        "config",
        {"extra": {"k": "v"}},
        id="config:non-group-subdir",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - db: m\n",
            "db/m.yaml": "defaults:\n  - /shared\nx: 1\n",
            "shared.yaml": "s: 1\n",
        },
        [],
        "config",
        {"db": {"s": 1, "x": 1}},
        id="config:absolute-non-group-in-option",
    ),
    E(db("defaults:\n  - db: null\na: 1\n"), [], "config", {"a": 1}, id="group:null"),
    E(
        db("defaults:\n  - db: null\n"),
        ["db=mysql"],
        "config",
        {"db": MYSQL},
        id="group:null-filled",
    ),
    E(
        db("defaults:\n  - db: [mysql, postgresql]\n"),
        [],
        "config",
        {"db": {**MYSQL, **PG}},
        id="group:list-of-options",
    ),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["db=[postgresql,mysql]"],
        "config",
        {"db": {**PG, **MYSQL}},
        id="group:list-from-cli",
    ),
    E(
        db("defaults:\n  - optional db: oracle\na: 1\n"),
        [],
        "config",
        {"a": 1},
        id="group:optional-absent",
    ),
    E(
        db("defaults:\n  - optional db: mysql\n"),
        [],
        "config",
        {"db": MYSQL},
        id="group:optional-present",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - d: x\n  - m: y\n  - c: ${d}_${m}\n",
            "d/x.yaml": "a: 1\n",
            "d/z.yaml": "a: 2\n",
            "m/y.yaml": "b: 1\n",
            "c/x_y.yaml": "lr: 1\n",
            "c/z_y.yaml": "lr: 2\n",
        },
        ["d=z"],
        "config",
        {"d": {"a": 2}, "m": {"b": 1}, "c": {"lr": 2}},
        id="group:interpolated-choice",
    ),
    E(
        {"config.yaml": "defaults:\n  - db: ${kind}\nkind: x\n", "db/x.yaml": "a: 1\n"},
        [],
        "config",
        err(CompositionError, "Error resolving interpolation"),
        id="group:interpolation-to-value-fails",
    ),
    E(
        db("defaults:\n  - db: ???\n"),
        ["db=mysql"],
        "config",
        {"db": MYSQL},
        id="group:mandatory-given",
    ),
    E(
        db("defaults:\n  - db: ???\n"),
        [],
        "config",
        err(CompositionError, "You must specify 'db'", "mysql", "postgresql"),
        id="group:mandatory-missing",
    ),
    # -- packages --------------------------------------------------------------------------
    E(db("defaults:\n  - db@backup: mysql\n"), [], "config", {"backup": MYSQL}, id="pkg:entry"),
    E(db("defaults:\n  - db@_global_: mysql\n"), [], "config", MYSQL, id="pkg:global"),
    E(db("defaults:\n  - db@a.b: mysql\n"), [], "config", {"a": {"b": MYSQL}}, id="pkg:dotted"),
    E(db("defaults:\n  - db@_group_: mysql\n"), [], "config", {"db": MYSQL}, id="pkg:group-kw"),
    E(
        db("defaults:\n  - server: a\n", server__a="defaults:\n  - /db@_here_: mysql\nport: 1\n"),
        [],
        "config",
        {"server": {**MYSQL, "port": 1}},
        id="pkg:here-nested",
    ),
    E(
        {"config.yaml": "defaults:\n  - db: m\n", "db/m.yaml": "# @package _global_\nk: 1\n"},
        [],
        "config",
        {"k": 1},
        id="header:global",
    ),
    E(
        {"config.yaml": "defaults:\n  - db: m\n", "db/m.yaml": "# @package x.y\nk: 1\n"},
        [],
        "config",
        {"x": {"y": {"k": 1}}},
        id="header:dotted",
    ),
    E(
        {"config.yaml": "defaults:\n  - db@z: m\n", "db/m.yaml": "# @package x.y\nk: 1\n"},
        [],
        "config",
        {"z": {"k": 1}},
        id="header:entry-wins",
    ),
    E({"sub/app.yaml": "a: 1\n"}, [], "sub/app", {"sub": {"a": 1}}, id="primary:in-subdir"),
    E({"config.yaml": "a: 1\n"}, [], "config.yaml", {"a": 1}, id="primary:with-extension"),
    E(db("a: 1\n"), ["+db=mysql"], None, {"db": MYSQL}, id="primary:none"),
    # -- override entries ------------------------------------------------------------------
    E(
        db("defaults:\n  - db: mysql\n  - override db: postgresql\n"),
        [],
        "config",
        {"db": PG},
        id="override:in-primary",
    ),
    E(
        db(
            "defaults:\n  - db: mysql\n  - _self_\nlr: 0.1\n",
            exp__fast="# @package _global_\ndefaults:\n  - override /db: postgresql\nlr: 1.0\n",
        ),
        ["+exp=fast"],
        "config",
        {"db": PG, "lr": 1.0},
        id="override:from-experiment",
    ),
    E(
        db("defaults:\n  - override db: postgresql\n"),
        [],
        "config",
        err(CompositionError, "Could not override 'db'", "No match"),
        id="override:unknown",
    ),
    E(
        db("defaults:\n  - override db: postgresql\n  - db: mysql\n"),
        [],
        "config",
        err(CompositionError, "Overrides must be at the end"),
        id="override:not-last",
    ),
    E(
        db("defaults:\n  - db: mysql\n  - override db: postgresql\n"),
        ["db=mysql"],
        "config",
        {"db": MYSQL},
        id="override:cli-wins",
    ),
    # -- group overrides -------------------------------------------------------------------
    E(db("a: 1\n"), ["+db=postgresql"], "config", {"a": 1, "db": PG}, id="cli:append-group"),
    E(
        db("a: 1\n"),
        ["db=postgresql"],
        "config",
        err(CompositionError, "Could not override 'db'", "+db=postgresql"),
        id="cli:group-not-there",
    ),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["+db=postgresql"],
        "config",
        err(CompositionError, "Multiple values for db"),
        id="cli:append-existing",
    ),
    E(db("defaults:\n  - db: mysql\na: 1\n"), ["~db"], "config", {"a": 1}, id="cli:delete-group"),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["~db=postgresql"],
        "config",
        err(CompositionError, "Could not delete 'db=postgresql'"),
        id="cli:delete-mismatch",
    ),
    E(
        db("defaults:\n  - db@backup: mysql\n"),
        ["db@backup=postgresql"],
        "config",
        {"backup": PG},
        id="cli:package-switch",
    ),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["++db=postgresql"],
        "config",
        err(OverrideError, "force-add of config groups"),
        id="cli:force-add-group",
    ),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["db=postgress"],
        "config",
        err(
            ConfigNotFoundError,
            "Could not find 'db/postgress'",
            "Closest match: 'postgresql'",
            "mysql",
            "override 'db=postgress'",
        ),
        id="cli:missing-option",
    ),
    E(
        db("defaults:\n  - db: mysql\n"),
        ["db.user=root", "db=postgresql"],
        "config",
        {"db": {**PG, "user": "root"}},
        id="cli:groups-before-values",
    ),
    # -- value overrides -------------------------------------------------------------------
    E(PLAIN, ["a.b=2"], "config", plain(a={"b": 2, "c": "x"}), id="value:change"),
    E(PLAIN, ["+z=1"], "config", plain(z=1), id="value:add"),
    E(
        PLAIN,
        ["+a.d.e=1"],
        "config",
        plain(a={"b": 1, "c": "x", "d": {"e": 1}}),
        id="value:add-deep",
    ),
    E(PLAIN, ["++n=7", "++q.r=1"], "config", plain(n=7, q={"r": 1}), id="value:force-add"),
    E(PLAIN, ["~n"], "config", {k: v for k, v in PLAIN_OUT.items() if k != "n"}, id="value:delete"),
    E(
        PLAIN,
        ["~n=5"],
        "config",
        {k: v for k, v in PLAIN_OUT.items() if k != "n"},
        id="value:delete-matching",
    ),
    E(PLAIN, ["~n=6"], "config", err(OverrideError, "is 5 and not 6"), id="value:delete-mismatch"),
    E(
        PLAIN,
        ["~nope"],
        "config",
        err(OverrideError, "'nope' does not exist", "override #1"),
        id="value:delete-missing",
    ),
    E(
        PLAIN,
        ["a.bb=1"],
        "config",
        err(OverrideError, "Could not override 'a.bb'", "did you mean 'b'", "config.yaml:2"),
        id="value:missing-key-did-you-mean",
    ),
    E(
        PLAIN,
        ["+n=1"],
        "config",
        err(OverrideError, "already at 'n'", "config.yaml:4"),
        id="value:add-existing",
    ),
    E(PLAIN, ["a={b:7}"], "config", plain(a={"b": 7, "c": "x"}), id="value:dict-merges"),
    E(
        PLAIN,
        ["a={d:1}"],
        "config",
        err(OverrideError, "Could not override 'a'"),
        id="value:dict-new-key-struct",
    ),
    E(PLAIN, ["lst=[9]"], "config", plain(lst=[9]), id="value:list-replaces"),
    E(PLAIN, ["lst.0=9"], "config", plain(lst=[9, 2, 3]), id="value:list-index"),
    E(PLAIN, ["n=${a.b}"], "config", plain(n=1), id="value:interpolation"),
    E(PLAIN, ["n=1,2"], "config", err(OverrideError, "Ambiguous value"), id="value:sweep"),
    E(
        PLAIN,
        ["n@x=1"],
        "config",
        err(OverrideError, "looks like a config group"),
        id="value:package-on-value",
    ),
    E(PLAIN, ["hydra.job.name=x"], "config", PLAIN_OUT, id="value:hydra-key-kept-apart"),
    # -- extensions ------------------------------------------------------------------------
    E(PLAIN, ["lst=extend_list(4,5)"], "config", plain(lst=[1, 2, 3, 4, 5]), id="ext:extend-list"),
    E(PLAIN, ["++new=extend_list(1)"], "config", plain(new=[1]), id="ext:extend-list-create"),
    E(
        PLAIN,
        ["n=extend_list(1)"],
        "config",
        err(OverrideError, "not a list"),
        id="ext:extend-non-list",
    ),
    E(
        {"config.yaml": "'a.b': 1\nc:\n  'd.e': 2\n"},
        ["'a.b'=3", "c.'d.e'=4"],
        "config",
        {"a.b": 3, "c": {"d.e": 4}},
        id="ext:quoted-dotted-keys",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - cb@_list_: [a, b]\n",
            "cb/a.yaml": "n: a\n",
            "cb/b.yaml": "n: b\n",
            "cb/c.yaml": "n: c\n",
        },
        [],
        "config",
        {"cb": [{"n": "a"}, {"n": "b"}]},
        id="ext:collect-list",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - cb@_list_: [a, b]\n",
            "cb/a.yaml": "n: a\n",
            "cb/b.yaml": "n: b\n",
            "cb/c.yaml": "n: c\n",
        },
        ["cb@_list_=[c,a]"],
        "config",
        {"cb": [{"n": "c"}, {"n": "a"}]},
        id="ext:collect-list-cli",
    ),
    E(
        {"config.yaml": "defaults:\n  - cb@trainer._list_: [a]\n", "cb/a.yaml": "n: a\n"},
        [],
        "config",
        {"trainer": [{"n": "a"}]},
        id="ext:collect-list-prefix",
    ),
    # -- errors ----------------------------------------------------------------------------
    E(
        db("defaults:\n  - db: oracle\n"),
        [],
        "config",
        err(
            ConfigNotFoundError,
            "Could not find 'db/oracle'",
            "Available options in 'db'",
            "config.yaml:2",
        ),
        id="error:missing-option-names-entry",
    ),
    E(
        {"config.yaml": "defaults:\n  - nogroup: x\n"},
        [],
        "config",
        err(ConfigNotFoundError, "Could not find 'nogroup/x'", "No config group 'nogroup'"),
        id="error:missing-group",
    ),
    E(
        {"other.yaml": "a: 1\n", "conf2.yaml": "b: 1\n"},
        [],
        "config",
        err(ConfigNotFoundError, "Cannot find primary config 'config'", "conf2, other"),
        id="error:missing-primary",
    ),
    E(
        {
            "config.yaml": "defaults:\n  - a\n",
            "a.yaml": "defaults:\n  - b\n",
            "b.yaml": "defaults:\n  - a\n",
        },
        [],
        "config",
        err(CompositionError, "Cycle", "a -> b -> a"),
        id="error:cycle",
    ),
    E(
        db("defaults:\n  - db: mysql\n  - db: postgresql\n"),
        [],
        "config",
        err(CompositionError, "Multiple values for db"),
        id="error:duplicate-group",
    ),
    E(
        {"config.yaml": "defaults: 3\n"},
        [],
        "config",
        err(CompositionError, "defaults must be a list"),
        id="error:defaults-not-list",
    ),
    E(
        {"config.yaml": "defaults:\n  - {a: x, b: y}\n"},
        [],
        "config",
        err(CompositionError, "Too many keys"),
        id="error:entry-two-keys",
    ),
    E(
        {"config.yaml": "defaults:\n  - a: 3\n"},
        [],
        "config",
        err(CompositionError, "Unsupported item value"),
        id="error:entry-int-value",
    ),
    E(
        {"config.yaml": "defaults:\n  - nothere\n"},
        [],
        "config",
        err(ConfigNotFoundError, "Could not load 'nothere'"),
        id="error:missing-config-entry",
    ),
]


@pytest.mark.parametrize(("files", "overrides", "name", "expected"), CASES)
def test_compose_table(
    tmp_path: Path, files: dict[str, str], overrides: list[str], name: str | None, expected: Any
) -> None:
    root = write(tmp_path / "conf", files)
    if isinstance(expected, tuple):
        exc, fragments = expected
        with pytest.raises(exc) as info:
            cc.compose(str(root), overrides, config_name=name)
        assert isinstance(info.value, cc.ConfigError)
        for fragment in fragments:
            assert fragment in str(info.value), str(info.value)
        return
    cfg = cc.compose(str(root), overrides, config_name=name)
    assert cc.to_container(cfg, resolve=True) == expected
    assert cc.is_struct(cfg)


# -- beyond the table ------------------------------------------------------------------------


@pytest.fixture
def ml_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "ml", ML)


def test_repeated_composes_do_not_leak_overrides(ml_dir: Path) -> None:
    composer = Composer(ml_dir)
    first = composer.compose(["seed=1", "+extra=2"])
    again = composer.compose([])
    assert cc.to_container(again) == ML_OUT
    first.dataset.batch_size = 1  # mutating a result never touches the memoized base
    assert composer.compose([]).dataset.batch_size == 32


def test_first_compose_hands_over_its_tree_later_ones_copy_the_memo(ml_dir: Path) -> None:
    """A key's first compose keeps nothing (its merged tree becomes the job: no copy, one tree
    in memory); the second memoizes; every result stays independent of the others."""
    composer = Composer(ml_dir)
    results = [composer.compose(["model=transformer"]) for _ in range(4)]
    assert len(composer._memo) == 1
    for i, job in enumerate(results):
        job.dataset.batch_size = i
        job.model.name = f"m{i}"
    for i, job in enumerate(results):
        assert job.dataset.batch_size == i and job.model.name == f"m{i}"
        assert job.dataset._parent is job and job.dataset._key == "dataset"
    fresh = cc.to_container(composer.compose(["model=transformer"]))
    assert fresh["dataset"]["batch_size"] == 32 and fresh["model"]["name"] == "transformer"
    composer.compose_with_hydra(["model=resnet50"])[0].seed = 7  # first of its key too
    assert cc.to_container(composer.compose(["model=resnet50"])) == ML_OUT


def test_sixteen_threads_compose_identical_results(ml_dir: Path) -> None:
    composer = Composer(ml_dir)
    jobs = [[f"seed={i}", "model=transformer" if i % 2 else "model=resnet50"] for i in range(16)]
    expected = [cc.to_container(Composer(ml_dir).compose(j), resolve=True) for j in jobs]
    results: list[Any] = [None] * 16
    barrier = threading.Barrier(16)

    def run(i: int) -> None:
        barrier.wait()
        for _ in range(20):
            results[i] = cc.to_container(composer.compose(jobs[i]), resolve=True)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected


def test_compose_inside_a_resolver_of_another_compose(ml_dir: Path, tmp_path: Path) -> None:
    inner = write(tmp_path / "inner", {"config.yaml": "value: 7\n"})
    resolvers = cc.builtin_resolvers()
    resolvers.register("inner", lambda key: cc.select(cc.compose(str(inner)), key))
    outer = write(tmp_path / "outer", {"config.yaml": "x: ${inner:value}\n"})
    cfg = cc.compose(str(outer), resolvers=resolvers)
    assert cfg.x == 7


def test_different_dirs_in_one_process(tmp_path: Path) -> None:
    a = write(tmp_path / "a", {"config.yaml": "k: a\n"})
    b = write(tmp_path / "b", {"config.yaml": "k: b\n"})
    assert (cc.compose(str(a)).k, cc.compose(str(b)).k, cc.compose(str(a)).k) == ("a", "b", "a")


def test_pickle_round_trip(ml_dir: Path) -> None:
    cfg = cc.compose(str(ml_dir), ["model.learning_rate=0.5"])
    back = pickle.loads(pickle.dumps(cfg))
    assert cc.to_container(back) == cc.to_container(cfg)
    assert cc.is_struct(back)
    assert cc.where(back, "model.learning_rate").kind == "override"


def test_provenance_names_files_and_overrides(ml_dir: Path) -> None:
    cfg = cc.compose(str(ml_dir), ["model.learning_rate=0.5"])
    where = cc.where(cfg, "dataset.batch_size")
    assert where.file is not None and where.file.endswith("dataset/cifar10.yaml")
    assert (where.line, where.column) == (2, 13)
    assert cc.where(cfg, "model.learning_rate") == cc.Location(
        None, 0, 21, "override", "model.learning_rate=0.5"
    )
    assert [loc.kind for loc in cc.history(cfg, "model.learning_rate")] == ["file", "override"]


def test_edited_file_is_read_again(ml_dir: Path) -> None:
    composer = Composer(ml_dir)
    assert composer.compose([]).seed == 42
    text = (ml_dir / "config.yaml").read_text().replace("seed: 42", "seed: 43  # edited")
    (ml_dir / "config.yaml").write_text(text)
    assert composer.compose([]).seed == 43


def test_defaults_tree_format(tmp_path: Path) -> None:
    root = write(tmp_path / "c", db("defaults:\n  - db: mysql\n  - _self_\na: 1\n"))
    tree = defaults_tree(str(root), ["db=postgresql"])
    assert [r.config_path for r in tree.results] == ["db/postgresql", "config"]
    text = str(tree)
    assert "db/postgresql" in text and "package=db" in text
    assert "override 'db=postgresql'" in text and "(_self_)" in text
    assert tree.choices == {"db": "postgresql"}
    plain_tree = defaults_tree(str(root))
    assert "config.yaml:2:" in plain_tree.format()


def test_store_as_a_source() -> None:
    store = ConfigStore()
    store.store("config", "defaults:\n  - db: mysql\n  - _self_\napp: x\n")
    store.store("mysql", {"driver": "mysql"}, group="db")
    store.store("pg", "driver: pg\n", group="db", package="storage")
    assert cc.to_container(cc.compose(None, store=store)) == {"db": {"driver": "mysql"}, "app": "x"}
    cfg = cc.compose(None, ["db=pg"], store=store)
    assert cc.to_container(cfg) == {"storage": {"driver": "pg"}, "app": "x"}


def test_search_path_first_hit_wins(tmp_path: Path) -> None:
    first = write(
        tmp_path / "one", {"config.yaml": "defaults:\n  - db: a\n", "db/a.yaml": "k: 1\n"}
    )
    second = write(tmp_path / "two", {"db/a.yaml": "k: 2\n", "db/b.yaml": "k: 3\n"})
    assert cc.compose(str(first), search_path=[str(second)]).db.k == 1
    assert cc.compose(str(first), ["db=b"], search_path=[str(second)]).db.k == 3


def test_pkg_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "mypkg_cc" / "conf", {"config.yaml": "a: 1\n", "__init__.py": ""})
    (tmp_path / "mypkg_cc" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cc.to_container(cc.compose("pkg://mypkg_cc.conf")) == {"a": 1}


def test_compose_with_hydra_keeps_the_section_apart(tmp_path: Path) -> None:
    files = {
        "config.yaml": "defaults:\n  - db: m\n  - _self_\napp: x\nhydra:\n  job:\n    name: ${app}\n",
        "db/m.yaml": "k: 1\n",
        "hydra/config.yaml": "job:\n  name: default\n  chdir: false\nrun:\n  dir: out/${hydra.job.name}\n",
    }
    root = write(tmp_path / "h", files)
    composer = Composer(root)
    job, hydra, choices = composer.compose_with_hydra(["hydra.job.chdir=true", "app=y"])
    assert "hydra" not in job
    assert cc.to_container(hydra, resolve=True) == {
        "job": {"name": "y", "chdir": True},
        "run": {"dir": "out/y"},
    }
    assert choices == {"db": "m"}
    with pytest.raises(OverrideError, match="Could not override 'hydra.job.nope'"):
        composer.compose(["hydra.job.nope=1"])
    with pytest.raises(OverrideError, match="no config group 'hydra/launcher'"):
        composer.compose(["hydra/launcher=x"])


def test_compose_all_returns_the_root_of_job_and_hydra(tmp_path: Path) -> None:
    files = {
        "config.yaml": "app: x\nhydra:\n  job:\n    name: ${app}\n",
        "hydra/config.yaml": "job:\n  name: default\n",
    }
    composed = Composer(write(tmp_path / "h", files)).compose_all(["app=y"])
    job, hydra, root, choices = composed
    assert list(root) == ["hydra", "app"]  # hydra first, as `--cfg all` shows it
    assert root["hydra"] is hydra and root["app"] == "y"
    assert cc.to_container(hydra, resolve=True) == {"job": {"name": "y"}}
    assert "hydra" not in job and choices == {}


def test_overrides_must_be_a_list(ml_dir: Path) -> None:
    with pytest.raises(OverrideError, match="list of strings"):
        cc.compose(str(ml_dir), "seed=1")  # type: ignore[arg-type]
