"""The process boundary of the ``confcompose`` command (standalone apps have theirs in
:mod:`confcompose.app.standalone`; the two are the only modules that call ``sys.exit``).

Exit statuses: 0 success, 1 a job (the user's function) failed, 2 bad input (command line,
overrides, configs). Bad input prints one short message; ``--verbose`` or
``CONFCOMPOSE_FULL_ERROR=1`` adds the traceback.

    confcompose CONFIG_DIR [--config-name NAME] [--resolve] [--json] [overrides...]
    confcompose CONFIG_DIR --explain db.user db.user=root
    confcompose CONFIG_DIR --defaults-tree db=postgresql
    confcompose schema CONFIG_DIR [--out DIR [--vscode]]
    confcompose plot SWEEP_DIR [--out FILE.png]
    confcompose run SCRIPT [ARGS...]       # an unmodified Hydra app, served by confcompose
    confcompose --version
    confcompose cache info|clear
"""

from __future__ import annotations

import os
import sys

import confcompose
from confcompose import ConfigError
from confcompose.app.standalone import report_config_error, run_standalone

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, NoReturn

__all__ = ["explain", "main", "run_standalone"]

# -- the `confcompose` command ------------------------------------------------------------------


def _new_parser(**kwargs: Any) -> argparse.ArgumentParser:
    # argparse is imported here: standalone apps (run_standalone) never parse this way.
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            sys.stderr.write(f"{self.prog}: error: {message}\n")
            sys.exit(2)

    return Parser(**kwargs)


# Every subcommand, as `confcompose --help` lists them (a new subcommand adds its line here).
COMMANDS = {
    "schema": "confcompose schema CONFIG_DIR [--out DIR [--vscode]]: write JSON Schemas "
    "(and VS Code's yaml.schemas) for a config tree",
    "plot": "confcompose plot SWEEP_DIR [--out FILE.png]: draw a multirun's records into a PNG",
    "run": "confcompose run SCRIPT [ARGS...] (or run -m MODULE [ARGS...]): run an unmodified "
    "Hydra app as python would, its hydra/omegaconf imports (and its workers') served by "
    "confcompose",
}


def _parser() -> argparse.ArgumentParser:
    import argparse

    epilog = "commands:\n" + "".join(f"  {line}\n" for line in COMMANDS.values())
    p = _new_parser(
        prog="confcompose",
        description="Compose a config from CONFIG_DIR and overrides; print it as YAML.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument("--version", action="version", version=f"confcompose {confcompose.__version__}")
    p.add_argument("config_dir", metavar="CONFIG_DIR")
    p.add_argument("overrides", nargs="*", help="key=value, group=option, +key=v, ~key")
    p.add_argument(
        "--config-name", "-cn", default="config", help="primary config (default: config)"
    )
    p.add_argument("--resolve", action="store_true", help="resolve ${...} interpolations")
    p.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    p.add_argument("--explain", metavar="KEY", help="where KEY's value came from (its history)")
    p.add_argument("--defaults-tree", action="store_true", help="print the defaults tree")
    p.add_argument("--verbose", "-v", action="store_true", help="tracebacks for errors")
    return p


def _schema_parser() -> argparse.ArgumentParser:
    p = _new_parser(prog="confcompose schema", description="Write JSON Schemas for a config tree.")
    p.add_argument("config_dir", metavar="CONFIG_DIR")
    p.add_argument("--out", "-o", default=None, help="output folder (default: print config's)")
    p.add_argument(
        "--workspace",
        default=".",
        help="the folder opened in the editor; yaml.schemas paths are relative to it (default: .)",
    )
    p.add_argument(
        "--vscode",
        action="store_true",
        help="also merge yaml.schemas into WORKSPACE/.vscode/settings.json (needs --out)",
    )
    p.add_argument("--config-name", "-cn", default="config")
    p.add_argument("--verbose", "-v", action="store_true")
    return p


def _plot_parser() -> argparse.ArgumentParser:
    p = _new_parser(
        prog="confcompose plot",
        description="Draw a multirun's records (summary.json) into a PNG.",
    )
    p.add_argument("sweep_dir", metavar="SWEEP_DIR")
    p.add_argument("--out", "-o", default=None, help="the PNG (default: SWEEP_DIR/summary.png)")
    p.add_argument("--verbose", "-v", action="store_true")
    return p


def _plot_command(args: argparse.Namespace) -> str:
    from confcompose.app.plot import plot

    return f"{plot(args.sweep_dir, args.out)}\n"


def explain(cfg: Any, key: str) -> str:
    """The value at ``key`` and every place that set it, last one winning."""
    value = confcompose.select(cfg, key)
    shown = (
        confcompose.to_yaml(value).rstrip() if isinstance(value, confcompose.DictNode) else value
    )
    lines = [f"{key}: {shown}"]
    where = confcompose.where(cfg, key)
    lines.append(f"  set by: {where.format() if where else 'unknown'}")
    history = confcompose.history(cfg, key)
    if len(history) > 1:
        lines.append("  history (merge order, last wins):")
        lines.extend(f"    {i}. {loc.format()}" for i, loc in enumerate(history, 1))
    return "\n".join(lines) + "\n"


def _compose_command(args: argparse.Namespace) -> str:
    if not os.path.isdir(args.config_dir):
        raise ConfigError(f"config directory {args.config_dir!r} does not exist")
    composer = confcompose.Composer(args.config_dir, resolvers=_cli_resolvers(args))
    if args.defaults_tree:
        return str(composer.defaults_tree(args.overrides, args.config_name)) + "\n"
    cfg = composer.compose(args.overrides, args.config_name)
    if args.explain:
        return explain(cfg, args.explain)
    if args.json:
        import json

        data = confcompose.to_container(cfg, resolve=args.resolve, enum_to_str=True)
        return json.dumps(data, indent=2, default=str) + "\n"
    return str(confcompose.to_yaml(cfg, resolve=args.resolve))


class HydraNode:
    """``${hydra:key}`` for the ``confcompose`` command: the ``hydra`` node an app composing this
    config would get (built-in ``hydra/*`` configs, job name = config name), made on first use.
    """

    def __init__(self, args: argparse.Namespace, resolvers: Any) -> None:
        self.args = args
        self.resolvers = resolvers
        self._hydra: Any = None

    def __call__(self, path: str) -> Any:
        if self._hydra is None:
            self._hydra = self._compose()
        return confcompose.select(self._hydra, str(path))

    def _compose(self) -> Any:
        from confcompose.app.plugins import plugin_searchpath
        from confcompose.app.sources import builtin_conf
        from confcompose.app.sweep import compose_hydra_values
        from confcompose.app.versions import CURRENT_VERSION_BASE

        args = self.args
        composer = confcompose.Composer(
            args.config_dir,
            search_path=[*plugin_searchpath(), builtin_conf()],
            resolvers=self.resolvers,
        )
        _, hydra, _, choices = composer.compose_all(args.overrides, args.config_name)
        compose_hydra_values(
            hydra,
            args.overrides,
            args.config_name,
            choices,
            job_name=args.config_name,
            version=confcompose.__version__,
            version_base=CURRENT_VERSION_BASE,
        )
        return hydra


def _cli_resolvers(args: argparse.Namespace) -> Any:
    # `${hydra:...}` and `${now:...}` resolve as in an app (hydra.runtime.output_dir stays
    # null: no job runs). Copies: the process's default registry is not changed.
    import time

    from confcompose.app.runs import NowResolver

    resolvers = confcompose.default_context().resolvers.copy()
    resolvers.register("hydra", HydraNode(args, resolvers), replace=True)
    if "now" not in resolvers:
        resolvers.register("now", NowResolver(time.time_ns()))
    return resolvers


def _schema_command(args: argparse.Namespace) -> str:
    from confcompose.schema import json_schema, write_json_schemas

    if not os.path.isdir(args.config_dir):
        raise ConfigError(f"config directory {args.config_dir!r} does not exist")
    if args.out is None:
        import json

        return json.dumps(json_schema(args.config_dir, args.config_name), indent=2) + "\n"
    written = write_json_schemas(args.config_dir, args.out)
    written.extend(_write_yaml_schemas(args))
    return "".join(f"{path}\n" for path in written)


# -- `confcompose run`: a Hydra app with hydra/omegaconf served by confcompose ------------------

_RUN_USAGE = """usage: confcompose run SCRIPT [ARGS...]
       confcompose run -m MODULE [ARGS...]

Runs SCRIPT exactly as `python SCRIPT ARGS` would (as __main__, with sys.argv == [SCRIPT, *ARGS]
and SCRIPT's folder first on sys.path), except that every import of hydra, hydra.*, omegaconf and
omegaconf.* is served by confcompose.hydra and confcompose.omegaconf, in this process and in the
worker processes of its launchers. An installed hydra-core or omegaconf is never imported.
"""


def _run_command(argv: list[str]) -> NoReturn:
    if not argv or argv[0] in ("-h", "--help"):
        (sys.stdout if argv else sys.stderr).write(_RUN_USAGE)
        sys.exit(0 if argv else 2)
    import runpy

    from confcompose.app import compat

    first_code = runpy._run_module_as_main.__code__  # type: ignore[attr-defined]
    if argv[0].startswith("-m"):  # `-m MODULE` or `-mMODULE`, as python takes them
        rest = argv[1:] if argv[0] == "-m" else [argv[0][2:], *argv[1:]]
        if not rest or not rest[0]:
            sys.stderr.write("confcompose run: -m needs a module name\n")
            sys.exit(2)
        compat.install()
        _guarded(compat.run_module, rest[0], rest[1:], first_code=first_code)
    compat.install()
    if os.path.isdir(argv[0]) or _is_zip(argv[0]):  # a folder or zip with a __main__.py
        _guarded(compat.run_folder, argv[0], argv[1:], first_code=first_code)
    try:
        code, namespace = compat.prepare_script(argv[0], argv[1:])
    except OSError as e:
        path = os.path.abspath(argv[0])
        sys.stderr.write(f"confcompose run: can't open file {path!r}: [Errno {e.errno}] ")
        sys.stderr.write(f"{e.strerror}\n")
        sys.exit(2)
    except SyntaxError as e:
        e.__traceback__ = None  # python shows only the offending line, no frames of ours
        sys.excepthook(type(e), e, None)
        sys.exit(1)
    _guarded(exec, code, namespace, first_code=code)


def _is_zip(path: str) -> bool:
    if path.endswith(".py") or not os.path.isfile(path):
        return False  # the usual case, without importing zipfile
    import zipfile

    return zipfile.is_zipfile(path)


def _guarded(run: Any, *args: Any, first_code: Any) -> NoReturn:
    """Run the user's code; end the process as the interpreter would after it."""
    try:
        run(*args)
    except SystemExit:
        raise
    except BaseException as e:
        _uncaught(e, first_code)
    sys.exit(0)


def _uncaught(e: BaseException, code: Any) -> NoReturn:
    """Report ``e`` as the interpreter does for a script: its traceback starts in the script."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code is not code:
        tb = tb.tb_next
    if tb is not None:
        e.__traceback__ = tb  # the default excepthook prints the exception's own traceback
    sys.excepthook(type(e), e, e.__traceback__)
    if isinstance(e, KeyboardInterrupt):
        # Python ends a process interrupted this way by SIGINT itself, after its atexit handlers.
        import atexit
        import signal

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    sys.exit(1)


def _write_yaml_schemas(args: argparse.Namespace) -> list[str]:
    """Write OUT/yaml.schemas.json (and with --vscode merge it into .vscode/settings.json)."""
    import json

    from confcompose.schema import vscode_yaml_schemas

    mapping = vscode_yaml_schemas(args.config_dir, args.out, workspace=args.workspace)
    out = os.path.join(args.out, "yaml.schemas.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"yaml.schemas": mapping}, f, indent=2)
        f.write("\n")
    if not args.vscode:
        return [out]
    settings_path = os.path.join(args.workspace, ".vscode", "settings.json")
    settings: dict[str, Any] = {}
    if os.path.exists(settings_path):
        with open(settings_path, encoding="utf-8") as f:
            try:
                settings = json.load(f)
            except json.JSONDecodeError as e:
                raise ConfigError(
                    f"{settings_path}:{e.lineno}:{e.colno}: cannot read the settings ({e.msg})",
                    expected=f"plain JSON; or copy the mapping from {out} by hand",
                ) from None
        if not isinstance(settings, dict):
            raise ConfigError(f"{settings_path}: not a JSON object", expected="a JSON object")
    current = settings.get("yaml.schemas")
    settings["yaml.schemas"] = {**(current if isinstance(current, dict) else {}), **mapping}
    os.makedirs(os.path.dirname(settings_path), exist_ok=True)
    with open(settings_path, "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=2)
        f.write("\n")
    return [out, settings_path]


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``confcompose`` console script (and of ``python -m confcompose``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"]:
        _run_command(argv[1:])
    if argv[:1] == ["cache"] and len(argv) == 2 and argv[1] in ("info", "clear"):
        from confcompose.composition.diskcache import cache_command

        sys.stdout.write(cache_command(argv[1]))
        sys.exit(0)
    if argv[:1] == ["schema"]:
        args = _schema_parser().parse_args(argv[1:])
        if args.vscode and args.out is None:
            _schema_parser().error("--vscode needs --out DIR (where the schemas are written)")
        command = _schema_command
    elif argv[:1] == ["plot"]:
        args = _plot_parser().parse_args(argv[1:])
        command = _plot_command
    else:
        args = _parser().parse_intermixed_args(argv)
        command = _compose_command
    try:
        sys.stdout.write(command(args))
    except ConfigError as e:
        report_config_error(e, args.verbose)
    except BrokenPipeError:  # `confcompose conf | head`
        sys.exit(0)
    sys.exit(0)


if __name__ == "__main__":
    main()
