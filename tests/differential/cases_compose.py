"""Config trees composed by hydra-core and confcompose: the project's compatibility promise.

Every case was checked against hydra-core 1.3.8; ``expected`` values are written by hand from
Hydra's documented semantics and re-checked by the reference run, so a case that stops meaning
what its id says fails loudly instead of passing vacuously.
"""

from __future__ import annotations

from typing import Any

from .harness import NOT_GIVEN, ComposeCase

# Hydra's tutorial db group (https://hydra.cc/docs/tutorials/basic/your_first_app/config_groups/).
DB = {
    "db/mysql.yaml": """\
        driver: mysql
        user: omry
        password: secret
        """,
    "db/postgresql.yaml": """\
        driver: postgresql
        user: postgres_user
        password: drowssap
        timeout: 10
        """,
}
MYSQL = {"driver": "mysql", "user": "omry", "password": "secret"}
POSTGRESQL = {
    "driver": "postgresql",
    "user": "postgres_user",
    "password": "drowssap",
    "timeout": 10,
}

# The ML tree of the seed notes (dataset / model / optimizer groups).
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
    "optimizer/adam.yaml": "name: adam\nbetas: [0.9, 0.999]\nweight_decay: 0.0\n",
    "optimizer/sgd.yaml": "name: sgd\nmomentum: 0.9\n",
}
ML_DEFAULT: dict[str, Any] = {
    "dataset": {"name": "cifar10", "batch_size": 32, "num_workers": 4},
    "model": {"name": "resnet50", "num_layers": 50, "learning_rate": 0.001},
    "optimizer": {"name": "adam", "betas": [0.9, 0.999], "weight_decay": 0.0},
    "seed": 42,
    "output_dir": "./outputs",
}


def _with_db(config: str, **extra: str) -> dict[str, str]:
    return {"config.yaml": config, **DB, **extra}


def case(
    case_id: str, files: dict[str, str], *overrides: str, expected: Any = NOT_GIVEN, **kw: Any
) -> ComposeCase:
    """Build a :class:`ComposeCase` with the overrides given positionally."""
    return ComposeCase(case_id, files, tuple(overrides), expected=expected, **kw)


def error(case_id: str, files: dict[str, str], *overrides: str, ref: str, **kw: Any) -> ComposeCase:
    """Build an error case; ``ref`` is a regex hydra's message must match (proves the reason)."""
    return ComposeCase(case_id, files, tuple(overrides), error=True, ref_match=ref, **kw)


SEED_CASES = [
    case(
        "seed:basic",
        {"config.yaml": "db:\n  driver: mysql\n  user: omry\n  pass: secret\n"},
        expected={"db": {"driver": "mysql", "user": "omry", "pass": "secret"}},
    ),
    case(
        "seed:basic-overrides-retype",
        {"config.yaml": "db:\n  driver: mysql\n  user: omry\n  pass: secret\n"},
        "db.user=root",
        "db.pass=1234",
        # The override grammar types 1234 as an int, replacing the string.
        expected={"db": {"driver": "mysql", "user": "root", "pass": 1234}},
    ),
    case("seed:db-default", _with_db("defaults:\n  - db: mysql\n"), expected={"db": MYSQL}),
    case(
        "seed:db-postgresql-timeout",
        _with_db("defaults:\n  - db: mysql\n"),
        "db=postgresql",
        "db.timeout=20",
        expected={"db": {**POSTGRESQL, "timeout": 20}},
    ),
    error(
        "seed:db-mysql-timeout-needs-plus",
        _with_db("defaults:\n  - db: mysql\n"),
        "db.timeout=20",
        ref="Could not override 'db.timeout'",
    ),
    case(
        "seed:db-mysql-timeout-plus",
        _with_db("defaults:\n  - db: mysql\n"),
        "+db.timeout=20",
        expected={"db": {**MYSQL, "timeout": 20}},
    ),
    case("seed:ml", ML, expected=ML_DEFAULT),
    case(
        "seed:ml-overrides",
        ML,
        "model.learning_rate=0.01",
        "dataset.batch_size=64",
        expected={
            **ML_DEFAULT,
            "model": {**ML_DEFAULT["model"], "learning_rate": 0.01},
            "dataset": {**ML_DEFAULT["dataset"], "batch_size": 64},
        },
    ),
    case(
        "seed:ml-switch-options",
        ML,
        "model=transformer",
        "dataset=imagenet",
        "optimizer=sgd",
        "seed=7",
        expected={
            "dataset": {"name": "imagenet", "batch_size": 256, "num_workers": 16},
            "model": {"name": "transformer", "num_layers": 12, "learning_rate": 0.0001},
            "optimizer": {"name": "sgd", "momentum": 0.9},
            "seed": 7,
            "output_dir": "./outputs",
        },
    ),
]

NESTED = {
    "model/encoder/small.yaml": "layers: 2\nwidth: 64\n",
    "model/encoder/large.yaml": "layers: 24\nwidth: 1024\n",
}

DEFAULTS_CASES = [
    case(
        "defaults:nested-group",
        {"config.yaml": "defaults:\n  - model/encoder: small\n", **NESTED},
        expected={"model": {"encoder": {"layers": 2, "width": 64}}},
    ),
    case(
        "defaults:nested-group-override",
        {"config.yaml": "defaults:\n  - model/encoder: small\n", **NESTED},
        "model/encoder=large",
        "model.encoder.width=512",
        expected={"model": {"encoder": {"layers": 24, "width": 512}}},
    ),
    case(
        "defaults:self-first",
        _with_db("defaults:\n  - _self_\n  - db: mysql\ndb:\n  user: me\n  extra: 1\n"),
        # _self_ first: the option is merged after the primary's own values and wins.
        expected={"db": {**MYSQL, "extra": 1}},
    ),
    case(
        "defaults:self-last",
        _with_db("defaults:\n  - db: mysql\n  - _self_\ndb:\n  user: me\n"),
        expected={"db": {**MYSQL, "user": "me"}},
    ),
    case(
        "defaults:self-absent-means-last",
        _with_db("defaults:\n  - db: mysql\ndb:\n  user: me\n"),
        expected={"db": {**MYSQL, "user": "me"}},
    ),
    case(
        "defaults:self-middle",
        _with_db(
            "defaults:\n  - base\n  - _self_\n  - db: mysql\nx: own\ndb:\n  user: me\n",
            **{"base.yaml": "x: from_base\ny: from_base\n"},
        ),
        expected={"x": "own", "y": "from_base", "db": MYSQL},
    ),
    case(
        "defaults:self-in-option-first",
        _with_db(
            "defaults:\n  - server: apache\n",
            **{
                "server/apache.yaml": "defaults:\n  - _self_\n  - /db@db: mysql\n"
                "port: 80\ndb:\n  user: apache_user\n",
            },
        ),
        expected={"server": {"port": 80, "db": MYSQL}},
    ),
    case(
        "defaults:self-in-option-last",
        _with_db(
            "defaults:\n  - server: apache\n",
            **{
                "server/apache.yaml": "defaults:\n  - /db@db: mysql\n  - _self_\n"
                "port: 80\ndb:\n  user: apache_user\n",
            },
        ),
        expected={"server": {"port": 80, "db": {**MYSQL, "user": "apache_user"}}},
    ),
    case(
        "defaults:entry-package-relative-to-parent",
        _with_db(
            "defaults:\n  - server: apache\n",
            **{"server/apache.yaml": "defaults:\n  - /db@server.db: mysql\n  - _self_\nport: 80\n"},
        ),
        # A package in a nested defaults list is relative to the parent's package (server).
        expected={"server": {"port": 80, "server": {"db": MYSQL}}},
    ),
    error(
        "defaults:self-twice",
        _with_db("defaults:\n  - _self_\n  - db: mysql\n  - _self_\n"),
        ref="Duplicate _self_",
    ),
    case(
        "defaults:optional-present",
        _with_db("defaults:\n  - optional db: mysql\n"),
        expected={"db": MYSQL},
    ),
    case(
        "defaults:optional-absent-option",
        _with_db("defaults:\n  - optional db: oracle\na: 1\n"),
        expected={"a": 1},
    ),
    case(
        "defaults:optional-absent-group",
        {"config.yaml": "defaults:\n  - optional nogroup: x\na: 1\n"},
        expected={"a": 1},
    ),
    case(
        "defaults:override-in-primary",
        _with_db("defaults:\n  - db: mysql\n  - override db: postgresql\n"),
        expected={"db": POSTGRESQL},
    ),
    case(
        "defaults:override-from-experiment",
        _with_db(
            "defaults:\n  - db: mysql\n  - _self_\nlr: 0.1\n",
            **{
                "experiment/fast.yaml": "# @package _global_\ndefaults:\n"
                "  - override /db: postgresql\nlr: 1.0\ndb:\n  timeout: 99\n"
            },
        ),
        "+experiment=fast",
        expected={"db": {**POSTGRESQL, "timeout": 99}, "lr": 1.0},
    ),
    case(
        "defaults:override-beaten-by-command-line",
        _with_db(
            "defaults:\n  - db: mysql\n  - override db: postgresql\n",
            **{"db/sqlite.yaml": "driver: sqlite\n"},
        ),
        "db=sqlite",
        expected={"db": {"driver": "sqlite"}},
    ),
    error(
        "defaults:override-unknown-group",
        _with_db("defaults:\n  - override db: postgresql\n"),
        ref="No match in the defaults list",
    ),
    case(
        "defaults:package-entry",
        _with_db("defaults:\n  - db@backup: mysql\n"),
        expected={"backup": MYSQL},
    ),
    case(
        "defaults:package-entry-twice-same-group",
        _with_db("defaults:\n  - db: mysql\n  - db@backup: postgresql\n"),
        expected={"db": MYSQL, "backup": POSTGRESQL},
    ),
    case(
        "defaults:package-global", _with_db("defaults:\n  - db@_global_: mysql\n"), expected=MYSQL
    ),
    case(
        "defaults:package-here-primary",
        _with_db("defaults:\n  - db@_here_: mysql\n"),
        expected=MYSQL,
    ),
    case(
        "defaults:package-here-nested",
        _with_db(
            "defaults:\n  - server: apache\n",
            **{"server/apache.yaml": "defaults:\n  - /db@_here_: mysql\n  - _self_\nport: 80\n"},
        ),
        expected={"server": {**MYSQL, "port": 80}},
    ),
    case(
        "defaults:package-dotted",
        _with_db("defaults:\n  - db@a.b: mysql\n"),
        expected={"a": {"b": MYSQL}},
    ),
    case(
        "defaults:package-global-dotted",
        _with_db("defaults:\n  - db@_global_.q: mysql\n"),
        expected={"q": MYSQL},
    ),
    case(
        "defaults:package-group-keyword-in-entry",
        _with_db("defaults:\n  - db@_group_: mysql\n"),
        expected={"db": MYSQL},
    ),
    case(
        "defaults:header-global",
        {
            "config.yaml": "defaults:\n  - db: mysql\n",
            "db/mysql.yaml": "# @package _global_\ndriver: mysql\n",
        },
        expected={"driver": "mysql"},
    ),
    case(
        "defaults:header-group-is-literal-in-1.3",
        # Hydra 1.2 dropped _group_ as a header keyword: it is now an ordinary key name.
        {
            "config.yaml": "defaults:\n  - db: mysql\n",
            "db/mysql.yaml": "# @package _group_\ndriver: mysql\n",
        },
        expected={"_group_": {"driver": "mysql"}},
    ),
    case(
        "defaults:header-dotted",
        {
            "config.yaml": "defaults:\n  - db: mysql\n",
            "db/mysql.yaml": "# @package foo.bar\ndriver: mysql\n",
        },
        expected={"foo": {"bar": {"driver": "mysql"}}},
    ),
    case(
        "defaults:header-global-dotted",
        {
            "config.yaml": "defaults:\n  - db: mysql\n",
            "db/mysql.yaml": "# @package _global_.x\ndriver: mysql\n",
        },
        expected={"x": {"driver": "mysql"}},
    ),
    case(
        "defaults:entry-package-beats-header",
        {
            "config.yaml": "defaults:\n  - db@zz: mysql\n",
            "db/mysql.yaml": "# @package foo.bar\ndriver: mysql\n",
        },
        expected={"zz": {"driver": "mysql"}},
    ),
    case(
        "defaults:option-selects-relative-group",
        {
            "config.yaml": "defaults:\n  - server: apache\n",
            "server/apache.yaml": "defaults:\n  - db: mysql\n  - _self_\nport: 80\n",
            "server/db/mysql.yaml": "driver: mysql\n",
        },
        expected={"server": {"db": {"driver": "mysql"}, "port": 80}},
    ),
    case(
        "defaults:option-selects-absolute-group",
        _with_db(
            "defaults:\n  - server: apache\n",
            **{"server/apache.yaml": "defaults:\n  - /db: mysql\n  - _self_\nport: 80\n"},
        ),
        # "/db" finds the group from the root, but the package stays relative to the parent.
        expected={"server": {"db": MYSQL, "port": 80}},
    ),
    case(
        "defaults:nested-choice-overridden-from-command-line",
        {
            "config.yaml": "defaults:\n  - server: apache\n",
            "server/apache.yaml": "defaults:\n  - db: mysql\n  - _self_\nport: 80\n",
            "server/db/mysql.yaml": "driver: mysql\n",
            "server/db/sqlite.yaml": "driver: sqlite\n",
        },
        "server/db=sqlite",
        expected={"server": {"db": {"driver": "sqlite"}, "port": 80}},
    ),
    case(
        "defaults:non-group-entry",
        {
            "config.yaml": "defaults:\n  - common\n  - _self_\nname: app\n",
            "common.yaml": "name: common\nlog: info\n",
        },
        expected={"name": "app", "log": "info"},
    ),
    case(
        "defaults:non-group-entry-in-option",
        _with_db(
            "defaults:\n  - db: mysql\n",
            **{
                "db/mysql.yaml": "defaults:\n  - base_db\n  - _self_\ndriver: mysql\n",
                "db/base_db.yaml": "driver: generic\nport: 3306\n",
            },
        ),
        expected={"db": {"driver": "mysql", "port": 3306}},
    ),
    case(
        "defaults:non-group-entry-subdir",
        {"config.yaml": "defaults:\n  - extra/more\n", "extra/more.yaml": "k: v\n"},
        expected={"extra": {"k": "v"}},
    ),
    case("defaults:null-selection", _with_db("defaults:\n  - db: null\na: 1\n"), expected={"a": 1}),
    case(
        "defaults:null-selection-filled-by-override",
        _with_db("defaults:\n  - db: null\n"),
        "db=mysql",
        expected={"db": MYSQL},
    ),
    case(
        "defaults:list-of-options",
        _with_db("defaults:\n  - db: [mysql, postgresql]\n"),
        expected={"db": {**MYSQL, **POSTGRESQL}},
    ),
    case(
        "defaults:interpolated-choice",
        {
            "config.yaml": "defaults:\n  - dataset: cifar10\n  - model: resnet\n"
            "  - combo: ${dataset}_${model}\n",
            "dataset/cifar10.yaml": "name: cifar10\n",
            "dataset/imagenet.yaml": "name: imagenet\n",
            "model/resnet.yaml": "name: resnet\n",
            "combo/cifar10_resnet.yaml": "lr: 0.1\n",
            "combo/imagenet_resnet.yaml": "lr: 0.01\n",
        },
        "dataset=imagenet",
        expected={
            "dataset": {"name": "imagenet"},
            "model": {"name": "resnet"},
            "combo": {"lr": 0.01},
        },
    ),
    case(
        "defaults:option-is-a-list",
        {"config.yaml": "defaults:\n  - db: items\n", "db/items.yaml": "- 1\n- two\n"},
        expected={"db": [1, "two"]},
    ),
    case(
        "defaults:empty-option-file",
        {"config.yaml": "defaults:\n  - db: empty\na: 1\n", "db/empty.yaml": ""},
        expected={"db": {}, "a": 1},
    ),
    case("defaults:empty-primary", {"config.yaml": ""}, expected={}),
    case(
        "defaults:primary-in-subdir-gets-package",
        {"sub/app.yaml": "a: 1\n"},
        config_name="sub/app",
        expected={"sub": {"a": 1}},
    ),
    case(
        "defaults:config-name-with-extension",
        {"config.yaml": "a: 1\n"},
        config_name="config.yaml",
        expected={"a": 1},
    ),
    case(
        "defaults:key-inside-nested-node-is-data",
        {"config.yaml": "a:\n  defaults: [x, y]\n"},
        expected={"a": {"defaults": ["x", "y"]}},
    ),
    case(
        "defaults:later-options-merge-over-earlier",
        {
            "config.yaml": "defaults:\n  - a@shared: one\n  - b@shared: two\n",
            "a/one.yaml": "x: 1\nnest:\n  p: 1\n  q: 1\nlst: [1, 2, 3]\n",
            "b/two.yaml": "y: 2\nnest:\n  q: 2\nlst: [9]\n",
        },
        expected={"shared": {"x": 1, "y": 2, "nest": {"p": 1, "q": 2}, "lst": [9]}},
    ),
    case(
        "defaults:hydra-group-override-ignored",
        {"config.yaml": "defaults:\n  - override hydra/job_logging: disabled\n  - _self_\na: 1\n"},
        expected={"a": 1},
    ),
    error(
        "defaults:same-group-twice",
        _with_db("defaults:\n  - db: mysql\n  - db: postgresql\n"),
        ref="Multiple values for db",
    ),
    error(
        "defaults:missing-option",
        _with_db("defaults:\n  - db: oracle\n"),
        ref="Could not find 'db/oracle'",
        error_match="oracle",
    ),
    error(
        "defaults:missing-group",
        {"config.yaml": "defaults:\n  - nogroup: x\n"},
        ref="Could not find 'nogroup/x'",
    ),
    error(
        "defaults:missing-non-group-entry",
        {"config.yaml": "defaults:\n  - nothere\n"},
        ref="Could not load 'nothere'",
        error_match="nothere",
    ),
    error(
        "defaults:missing-primary",
        {"other.yaml": "a: 1\n"},
        ref="Cannot find primary config",
        error_match="config",
    ),
    error(
        "defaults:cycle",
        {
            "config.yaml": "defaults:\n  - a\n",
            "a.yaml": "defaults:\n  - b\nx: 1\n",
            "b.yaml": "defaults:\n  - a\ny: 1\n",
        },
        ref="recursion",
    ),
    error(
        "defaults:not-a-list",
        {"config.yaml": "defaults: 3\n"},
        ref="defaults must be a list",
    ),
    error(
        "defaults:interpolated-choice-to-config-value",
        {
            "config.yaml": "defaults:\n  - db: ${kind}\nkind: mysql\n",
            "db/mysql.yaml": "driver: mysql\n",
        },
        # Defaults may interpolate other group choices only, never config values.
        ref="Error resolving interpolation",
    ),
]

PLAIN = {"config.yaml": "a:\n  b: 1\n  c: x\nn: 5\nlst: [1, 2, 3]\nempty: {}\n"}
PLAIN_VALUE = {"a": {"b": 1, "c": "x"}, "n": 5, "lst": [1, 2, 3], "empty": {}}


def _plain(**changes: Any) -> dict[str, Any]:
    return {**PLAIN_VALUE, **changes}


OVERRIDE_CASES = [
    case("override:nested-value", PLAIN, "a.b=2", expected=_plain(a={"b": 2, "c": "x"})),
    case("override:append", PLAIN, "+new=1", expected=_plain(new=1)),
    case(
        "override:append-deep",
        PLAIN,
        "+a.d.e=1",
        expected=_plain(a={"b": 1, "c": "x", "d": {"e": 1}}),
    ),
    case("override:force-existing", PLAIN, "++n=2", expected=_plain(n=2)),
    case("override:force-new-deep", PLAIN, "++new.deep=3", expected=_plain(new={"deep": 3})),
    case(
        "override:delete", PLAIN, "~n", expected={k: v for k, v in PLAIN_VALUE.items() if k != "n"}
    ),
    case("override:delete-nested", PLAIN, "~a.c", expected=_plain(a={"b": 1})),
    case(
        "override:delete-matching-value",
        PLAIN,
        "~n=5",
        expected={k: v for k, v in PLAIN_VALUE.items() if k != "n"},
    ),
    error("override:delete-mismatching-value", PLAIN, "~n=6", ref="is 5 and not 6"),
    error(
        "override:delete-missing-key",
        PLAIN,
        "~nope",
        ref="'nope' does not exist",
        error_match="nope",
    ),
    error(
        "override:unknown-key-without-plus",
        PLAIN,
        "nope=1",
        ref="Could not override 'nope'",
        error_match="nope",
    ),
    error("override:plus-on-existing-key", PLAIN, "+n=1", ref="already at 'n'"),
    case(
        "override:group-switch",
        _with_db("defaults:\n  - db: mysql\n"),
        "db=postgresql",
        expected={"db": POSTGRESQL},
    ),
    case(
        "override:group-append-when-absent",
        _with_db("a: 1\n"),
        "+db=postgresql",
        expected={"a": 1, "db": POSTGRESQL},
    ),
    error(
        "override:group-without-plus-when-absent",
        _with_db("a: 1\n"),
        "db=postgresql",
        ref="No match in the defaults list",
    ),
    error(
        "override:group-plus-when-present",
        _with_db("defaults:\n  - db: mysql\n"),
        "+db=postgresql",
        ref="Multiple values for db",
    ),
    case(
        "override:group-delete",
        _with_db("defaults:\n  - db: mysql\na: 1\n"),
        "~db",
        expected={"a": 1},
    ),
    case(
        "override:group-delete-matching",
        _with_db("defaults:\n  - db: mysql\na: 1\n"),
        "~db=mysql",
        expected={"a": 1},
    ),
    error(
        "override:group-delete-mismatching",
        _with_db("defaults:\n  - db: mysql\n"),
        "~db=postgresql",
        ref="Could not delete 'db=postgresql'",
    ),
    case(
        "override:group-package-switch",
        _with_db("defaults:\n  - db@backup: mysql\n"),
        "db@backup=postgresql",
        expected={"backup": POSTGRESQL},
    ),
    case(
        "override:group-package-append",
        _with_db("defaults:\n  - db: mysql\n"),
        "+db@backup=postgresql",
        expected={"db": MYSQL, "backup": POSTGRESQL},
    ),
    error(
        "override:group-package-wrong-address",
        _with_db("defaults:\n  - db: mysql\n"),
        "db@backup=postgresql",
        ref="Could not override 'db@backup'",
    ),
    case(
        "override:group-package-delete",
        _with_db("defaults:\n  - db@backup: mysql\na: 1\n"),
        "~db@backup",
        expected={"a": 1},
    ),
    case(
        "override:group-twice-last-wins",
        _with_db("defaults:\n  - db: mysql\n"),
        "db=postgresql",
        "db=mysql",
        expected={"db": MYSQL},
    ),
    error(
        "override:group-missing-option",
        _with_db("defaults:\n  - db: mysql\n"),
        "db=oracle",
        ref="db/oracle",
        error_match="oracle",
    ),
    case(
        "override:plus-unknown-group-is-a-value",
        {"config.yaml": "a: 1\n"},
        "+nogroup=x",
        # With no nogroup/ folder the override is an ordinary new value, not a group choice.
        expected={"a": 1, "nogroup": "x"},
    ),
    case(
        "override:group-then-values",
        _with_db("defaults:\n  - db: mysql\n"),
        "db.user=root",
        "db=postgresql",
        # Group choices are applied before value overrides, whatever their order.
        expected={"db": {**POSTGRESQL, "user": "root"}},
    ),
    case(
        "override:list-value",
        PLAIN,
        "lst=[a,1,1.5,true,null]",
        expected=_plain(lst=["a", 1, 1.5, True, None]),
    ),
    case("override:empty-list", PLAIN, "lst=[]", expected=_plain(lst=[])),
    case(
        "override:dict-value-replaces-scalar",
        PLAIN,
        "n={x:1,y:[2]}",
        expected=_plain(n={"x": 1, "y": [2]}),
    ),
    case(
        "override:dict-value-merges-into-dict",
        PLAIN,
        "a={b:7}",
        expected=_plain(a={"b": 7, "c": "x"}),
    ),
    error("override:dict-value-new-key-is-struct", PLAIN, "a={d:4}", ref="Could not override 'a'"),
    case(
        "override:force-dict-value-new-key",
        PLAIN,
        "++a={d:4}",
        expected=_plain(a={"b": 1, "c": "x", "d": 4}),
    ),
    case("override:scalar-replaces-dict", PLAIN, "a=5", expected=_plain(a=5)),
    case("override:single-quoted", PLAIN, "n='1,2'", expected=_plain(n="1,2")),
    case("override:double-quoted-number", PLAIN, 'n="42"', expected=_plain(n="42")),
    case("override:quoted-with-spaces", PLAIN, "n='  padded  '", expected=_plain(n="  padded  ")),
    case(
        "override:unquoted-inner-spaces", PLAIN, "n=hello world", expected=_plain(n="hello world")
    ),
    case("override:escaped-comma", PLAIN, r"n=a\,b", expected=_plain(n="a,b")),
    case("override:empty-string", PLAIN, "n=", expected=_plain(n="")),
    case("override:null", PLAIN, "a=null", expected=_plain(a=None)),
    case(
        "override:typed-scalars",
        PLAIN,
        "+i=-3",
        "+f=1e3",
        "+t=TRUE",
        "+inf=-inf",
        "+h=0x10",
        "+o=010",
        "+u=1_000",
        "+s=yes",
        expected=_plain(
            i=-3, f=1000.0, t=True, inf=float("-inf"), h="0x10", o="010", u=1000, s="yes"
        ),
    ),
    case("override:nan", PLAIN, "+x=nan", expected=_plain(x=float("nan"))),
    case("override:type-change-int-to-str", PLAIN, "n=abc", expected=_plain(n="abc")),
    case("override:interpolation-value", PLAIN, "n=${a.b}", expected=_plain(n=1)),
    case(
        "override:string-interpolation-value", PLAIN, "+s=v${a.b}_${a.c}", expected=_plain(s="v1_x")
    ),
    case("override:hydra-key-ignored", PLAIN, "hydra.job.name=foo", expected=PLAIN_VALUE),
    case(
        "override:float-forms",
        PLAIN,
        "n=1.",
        "+m=.5",
        "+k=1_000.5",
        expected=_plain(n=1.0, m=0.5, k=1000.5),
    ),
    case("override:null-uppercase", PLAIN, "n=NULL", expected=_plain(n=None)),
    case(
        "override:colon-and-path",
        PLAIN,
        "n=a:b",
        "+p=/abs/path",
        expected=_plain(n="a:b", p="/abs/path"),
    ),
    case("override:escaped-interpolation", PLAIN, r"n=\${a.b}", expected=_plain(n="${a.b}")),
    case("override:quoted-interpolation", PLAIN, "n='${a.b}'", expected=_plain(n=1)),
    case("override:quoted-escaped-quote", PLAIN, r"n='it\'s'", expected=_plain(n="it's")),
    case(
        "override:cast-functions",
        PLAIN,
        "n=int(3.7)",
        "+s=str(3)",
        "+f=float(2)",
        "+b=bool(1)",
        expected=_plain(n=3, s="3", f=2.0, b=True),
    ),
    case(
        "override:nested-list-values",
        PLAIN,
        "lst=[1,[2,3],{}]",
        expected=_plain(lst=[1, [2, 3], {}]),
    ),
    case("override:list-index", PLAIN, "lst.0=9", expected=_plain(lst=[9, 2, 3])),
    case("override:negative-zero", PLAIN, "+z=-0.0", expected=_plain(z=-0.0)),
    error("override:list-bracket-index", PLAIN, "lst[0]=9", ref="LexerNoViableAltException"),
    error("override:append-past-list-end", PLAIN, "+lst.3=9", ref="Error merging override"),
    # Override keys match exactly: the segment `1` is the key "1", never the int key 1.
    case(
        "override:int-key-is-not-its-text",
        {"config.yaml": "a:\n  1: x\n"},
        "+a.1=5",
        expected={"a": {1: "x", "1": 5}},
    ),
    error(
        "override:int-key-text-without-plus",
        {"config.yaml": "a:\n  1: x\n"},
        "a.1=5",
        ref="Could not override 'a.1'",
    ),
    # An interpolation inside a list is followed, as OmegaConf.select follows it.
    case(
        "override:delete-through-list-interpolation",
        {"config.yaml": "a:\n  b: 1\n  c: 2\nlst: ['${a}']\n"},
        "~lst.0.b",
        expected={"a": {"c": 2}, "lst": [{"c": 2}]},
    ),
    case(
        "override:list-merges-into-list",
        {"config.yaml": "a:\n  lst: [1, 2]\n"},
        "a.lst=[3]",
        expected={"a": {"lst": [3]}},
    ),
    error(
        "override:dict-into-list",
        {"config.yaml": "a:\n  lst: [1, 2]\n"},
        "a.lst={k: 1}",
        ref="Error merging override",
    ),
    error("override:tilde-is-not-null", PLAIN, "n=~", ref="LexerNoViableAltException"),
    # Hydra's override lexer is ASCII-only outside quotes; values and keys alike are rejected.
    error("override:unicode-value", PLAIN, "n=新", ref="LexerNoViableAltException"),
    error(
        "override:unicode-key",
        {"config.yaml": "名前: 値\n"},
        "名前=新",
        ref="LexerNoViableAltException",
    ),
    error("override:sweep-in-compose", PLAIN, "n=1,2", ref="Ambiguous value"),
    error("override:syntax", PLAIN, "n=[1,2", ref="no viable alternative"),
    error("override:no-key", PLAIN, "=1", ref=""),
    error("override:missing-equals", PLAIN, "n", ref="missing EQUAL"),
    error(
        "override:string-key-vs-int-key",
        {"config.yaml": "b:\n  2: c\n"},
        "b.2=d",
        ref="Could not override 'b.2'",
    ),
]

INTERP = {
    "config.yaml": """\
        defaults:
          - db: mysql
          - _self_
        host: localhost
        port: 8080
        url: http://${host}:${port}/${db.driver}
        port_copy: ${port}
        server:
          name: srv
          alias: ${.name}
          parent_port: ${..port}
        db_copy: ${db}
        required: ???
        """,
    **DB,
}

INTERP_CASES = [
    case(
        "interp:absolute-relative-string",
        INTERP,
        expected={
            "db": MYSQL,
            "host": "localhost",
            "port": 8080,
            "url": "http://localhost:8080/mysql",
            "port_copy": 8080,
            "server": {"name": "srv", "alias": "srv", "parent_port": 8080},
            "db_copy": MYSQL,
            "required": "???",
        },
    ),
    case(
        "interp:follows-overrides",
        INTERP,
        "port=9",
        "db=postgresql",
        "required=set",
        expected={
            "db": POSTGRESQL,
            "host": "localhost",
            "port": 9,
            "url": "http://localhost:9/postgresql",
            "port_copy": 9,
            "server": {"name": "srv", "alias": "srv", "parent_port": 9},
            "db_copy": POSTGRESQL,
            "required": "set",
        },
    ),
    case(
        "interp:oc-env-set",
        {"config.yaml": "user: ${oc.env:CC_DIFF_USER,nobody}\nhome: ${oc.env:CC_DIFF_HOME}\n"},
        expected={"user": "alice", "home": "/home/alice"},
        env={"CC_DIFF_USER": "alice", "CC_DIFF_HOME": "/home/alice"},
    ),
    case(
        "interp:oc-env-default",
        {
            "config.yaml": "user: ${oc.env:CC_DIFF_UNSET_VAR,nobody}\n"
            "n: ${oc.env:CC_DIFF_UNSET_VAR,null}\n"
        },
        expected={"user": "nobody", "n": None},
    ),
    case(
        "interp:oc-select-and-decode",
        {
            "config.yaml": "a: 1\nsel: ${oc.select:a,0}\nfallback: ${oc.select:nope,dflt}\n"
            "dec: ${oc.decode:'[1, 2.5, x]'}\nnum: ${oc.decode:${s}}\ns: '123'\n"
        },
        expected={
            "a": 1,
            "sel": 1,
            "fallback": "dflt",
            "dec": [1, 2.5, "x"],
            "num": 123,
            "s": "123",
        },
    ),
    case(
        "interp:from-option-to-primary",
        {
            "config.yaml": "defaults:\n  - db: mysql\n  - _self_\nhost: dbhost\n",
            "db/mysql.yaml": "url: mysql://${host}/${.name}\nname: main\n",
        },
        expected={"db": {"url": "mysql://dbhost/main", "name": "main"}, "host": "dbhost"},
    ),
    error(
        "interp:missing-target",
        {"config.yaml": "a: ${nope}\n"},
        ref="nope",
    ),
    error(
        "interp:to-missing-value",
        {"config.yaml": "a: ???\nb: ${a}\n"},
        ref="Missing mandatory value",
    ),
    case(
        "interp:hydra-section-removed",
        {"config.yaml": "a: 1\nhydra:\n  job:\n    name: x\n  run:\n    dir: out/${a}\n"},
        expected={"a": 1},
    ),
]

MERGE_CASES = [
    case(
        "merge:yaml-typing-in-option",
        {
            "config.yaml": "defaults:\n  - types: all\n",
            "types/all.yaml": """\
                y: yes
                n: No
                on_: ON
                off_: off
                sci: 1e3
                octal: 010
                hex: 0x10
                under: 1_000
                inf: .inf
                tilde: ~
                date: 2024-11-26
                qnum: '42'
                qbool: "true"
                sexa: 1:30
                """,
        },
        expected={
            "types": {
                "y": True,
                "n": False,
                "on_": True,
                "off_": False,
                "sci": 1000.0,
                "octal": 8,
                "hex": 16,
                "under": 1000,
                "inf": float("inf"),
                "tilde": None,
                "date": "2024-11-26",
                "qnum": "42",
                "qbool": "true",
                "sexa": 90,
            }
        },
    ),
    case(
        "merge:none-overrides-dict",
        _with_db("defaults:\n  - db: mysql\n  - _self_\ndb: null\n"),
        expected={"db": None},
    ),
    case(
        "merge:dict-overrides-none",
        {
            "config.yaml": "defaults:\n  - _self_\n  - extra\nx: null\n",
            "extra.yaml": "x:\n  k: 1\n",
        },
        expected={"x": {"k": 1}},
    ),
    case(
        "merge:list-replaced-not-appended",
        {
            "config.yaml": "defaults:\n  - base\n  - _self_\nitems: [c]\n",
            "base.yaml": "items: [a, b]\n",
        },
        expected={"items": ["c"]},
    ),
    case(
        "merge:deep-nesting",
        {
            "config.yaml": "defaults:\n  - base\n  - _self_\n"
            "a: {b: {c: {d: {e: {f: 2, h: [1]}}}}}\n",
            "base.yaml": "a: {b: {c: {d: {e: {f: 1, g: 1}}, x: 1}}}\n",
        },
        expected={"a": {"b": {"c": {"d": {"e": {"f": 2, "g": 1, "h": [1]}}, "x": 1}}}},
    ),
    case(
        "merge:unicode-keys",
        {
            "config.yaml": "defaults:\n  - base\n  - _self_\nключ: значение\n名前: 値\n",
            "base.yaml": "ключ: old\némoji: 🎉\n",
        },
        expected={"ключ": "значение", "名前": "値", "émoji": "🎉"},
    ),
    case(
        "merge:integer-keys",
        {
            "config.yaml": "defaults:\n  - base\n  - _self_\nm:\n  1: one\n  2: two\n",
            "base.yaml": "m:\n  2: deux\n  3: trois\n",
        },
        expected={"m": {1: "one", 2: "two", 3: "trois"}},
    ),
    case(
        "merge:missing-value-filled-by-later-config",
        {
            "config.yaml": "defaults:\n  - _self_\n  - filler\nv: ???\nw: ???\n",
            "filler.yaml": "v: 3\n",
        },
        expected={"v": 3, "w": "???"},
    ),
    case(
        "merge:missing-value-not-overwriting",
        {"config.yaml": "defaults:\n  - base\n  - _self_\nv: ???\n", "base.yaml": "v: 3\n"},
        expected={"v": 3},
    ),
    case(
        "merge:interpolation-kept-through-merge",
        {
            "config.yaml": "defaults:\n  - base\n  - _self_\nname: final\n",
            "base.yaml": "name: base\ngreeting: hi ${name}\n",
        },
        expected={"name": "final", "greeting": "hi final"},
    ),
]

# Parity items of issue 8 (hardening), each checked against hydra-core 1.3.8.
_MODEL = {"config.yaml": "defaults:\n  - model: a\n", "model/a.yaml": "x: 1\n"}
_SOLVER = {
    "config.yaml": "defaults:\n  - solver/compression: default\n",
    "solver/default.yaml": "lr: 1\n",
}
HARDENING_CASES = [
    case(
        "defaults:dotdot-loads-parent-group-config",
        {
            **_SOLVER,
            "solver/compression/default.yaml": "defaults:\n  - ../default\n  - _self_\nc: 2\n",
        },
        expected={"solver": {"compression": {"": {"": {"": {"lr": 1}}}, "c": 2}}},
    ),
    case(
        "defaults:dotdot-at-here",
        {
            **_SOLVER,
            "solver/compression/default.yaml": "defaults:\n  - ../default@_here_\n  - _self_\nc: 2\n",
        },
        expected={"solver": {"compression": {"lr": 1, "c": 2}}},
    ),
    error(
        "defaults:dotdot-above-the-root",
        {"config.yaml": "defaults:\n  - ../../etc/passwd\n"},
        ref="Could not load",
    ),
    case(
        "hydra-override:known-launcher",
        _MODEL,
        "hydra/launcher=basic",
        expected={"model": {"x": 1}},
    ),
    error(
        "hydra-override:unknown-launcher",
        _MODEL,
        "hydra/launcher=unknown",
        ref="hydra/launcher/unknown",
    ),
    case("hydra-override:known-key", _MODEL, "hydra.job.name=foo", expected={"model": {"x": 1}}),
    error(
        "hydra-override:unknown-key",
        _MODEL,
        "hydra.nope=foo",
        ref="Could not override 'hydra.nope'",
    ),
    case("hydra-override:added-key", _MODEL, "+hydra.nope=foo", expected={"model": {"x": 1}}),
    error(
        "merge:list-over-mapping",
        {"config.yaml": "defaults:\n  - a\n  - _self_\nk: [1]\n", "a.yaml": "k: {b: 1}\n"},
        ref="Cannot merge DictConfig with ListConfig",
    ),
    error(
        "merge:mapping-over-list",
        {"config.yaml": "defaults:\n  - a\n  - _self_\nk: {b: 1}\n", "a.yaml": "k: [1]\n"},
        ref="Cannot merge DictConfig with ListConfig",
    ),
    error("override:group-options-not-names", _MODEL, "model=[0]", ref="not iterable"),
    error("override:group-options-null", _MODEL, "model=[null]", ref="not iterable"),
    error("override:empty-key", _MODEL, "=", ref="Could not override ''"),
    error(
        "override:yml-is-not-read",
        {**_MODEL, "model/b.yml": "x: 2\n"},
        "model=b",
        ref="Could not find 'model/b'",
    ),
]

COMPOSE_CASES: list[ComposeCase] = [
    *SEED_CASES,
    *HARDENING_CASES,
    *DEFAULTS_CASES,
    *OVERRIDE_CASES,
    *INTERP_CASES,
    *MERGE_CASES,
]
