"""A job's Python logging, set up as Hydra sets it up, and paid for only when something logs.

Hydra configures the root logger before every job from ``hydra.job_logging`` (the console and a
``<job>.log`` file) and, before that, from ``hydra.hydra_logging``. Importing :mod:`logging` (with
``traceback``, ``string``, ``tokenize`` ...) costs ~4 ms of a process whose task may never log.

So when nothing has imported :mod:`logging` yet and the configuration has the default shape (a
``version: 1`` dictConfig of stream and file handlers on the root, formatters, standard levels),
:func:`configure_logging` checks everything that could fail now, creates the log files now (as
the handlers would), captures the streams now, and builds the handlers the moment anything
imports :mod:`logging`: the task, a library it calls, or the failure report of a crashed job.
Until then nothing can log, so nothing is lost. Any other shape, ``hydra.verbose``, or a process
where :mod:`logging` is already loaded is configured at once, as before.

>>> _percent_format_ok("[%(asctime)s][%(name)s][%(levelname)s] - %(message)s")
True
>>> _percent_format_ok("%(message)")
False
"""

from __future__ import annotations

import _thread
import os
import sys

import confcompose
from confcompose import ConfigError, DictNode

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["configure_logging", "flush_logs", "log_traceback"]

_SIMPLE_HANDLERS = {"logging.StreamHandler", "logging.FileHandler"}
_STREAMS = {"ext://sys.stdout": "stdout", "ext://sys.stderr": "stderr"}
_HANDLER_KEYS = {"class", "formatter", "stream", "filename", "level", "mode", "encoding"}
_TOP_KEYS = {"version", "formatters", "handlers", "root", "loggers", "disable_existing_loggers"}
# The levels logging knows before anything registers its own (which needs logging imported).
_LEVELS = {
    "CRITICAL": 50,
    "FATAL": 50,
    "ERROR": 40,
    "WARN": 30,
    "WARNING": 30,
    "INFO": 20,
    "DEBUG": 10,
    "NOTSET": 0,
}
_FALLBACK_FORMAT = "[%(asctime)s][%(name)s][%(levelname)s] - %(message)s"


class _Handler:
    """One root handler to build: a stream (captured now) or a file (absolute path)."""

    __slots__ = ("datefmt", "encoding", "file", "filename", "fmt", "level", "mode", "stream")

    def __init__(self) -> None:
        self.stream: Any = None
        self.file: Any = None  # a deferred file handler's file, opened at the job's start
        self.filename: str | None = None
        self.mode = "a"
        self.encoding: str | None = None
        self.fmt: str | None = None
        self.datefmt: str | None = None
        self.level: Any = None


class _Plan:
    """What one dictConfig of the default shape does to the logging module."""

    __slots__ = ("handlers", "loggers", "replace", "root_level")

    def __init__(self, replace: bool) -> None:
        self.replace = replace  # replace the root's handlers (dictConfig) or add (fallback)
        self.handlers: list[_Handler] = []
        self.root_level: Any = None
        self.loggers: dict[str, Any] = {}  # named logger -> level (or None: only re-enabled)

    def absorb(self, later: _Plan) -> None:
        """Fold ``later`` (applied after this plan) in: applying the result is applying both."""
        if later.replace:
            for h in self.handlers:  # replaced, as dictConfig closes the root's old handlers
                if h.file is not None:
                    h.file.close()
            self.replace = True
            self.handlers = list(later.handlers)
        else:
            self.handlers.extend(later.handlers)
        if later.root_level is not None:
            self.root_level = later.root_level
        for name, level in later.loggers.items():
            if level is None and name in self.loggers:
                continue
            self.loggers[name] = level


def _percent_format_ok(fmt: str) -> bool:
    """Whether :class:`logging.Formatter` accepts ``fmt`` (``%`` style) without an error: it
    needs one ``%(name)`` field with a conversion, as its ``validate`` checks (an empty one
    means the default format)."""
    if not fmt:
        return True
    start = fmt.find("%(")
    while start >= 0:
        close = fmt.find(")", start + 2)
        if close < 0:
            return False
        name = fmt[start + 2 : close]
        i = close + 1
        if name.replace("_", "a").isalnum():  # `\w+`
            while i < len(fmt) and fmt[i] in "#0+ -":
                i += 1
            if i < len(fmt) and fmt[i] == "*":
                i += 1
            else:
                while i < len(fmt) and fmt[i].isdigit():
                    i += 1
            if i < len(fmt) and fmt[i] == ".":
                i += 1
                if i < len(fmt) and fmt[i] == "*":
                    i += 1
                else:
                    digits = i
                    while i < len(fmt) and fmt[i].isdigit():
                        i += 1
                    if i == digits:
                        i = -1
            if 0 <= i < len(fmt) and fmt[i].lower() in "diouxefgcrsa%":
                return True
        start = fmt.find("%(", start + 2)
    return False


def _level_ok(level: Any) -> bool:
    return (type(level) is int and level >= 0) or (type(level) is str and level in _LEVELS)


def _plan(plain: Mapping[str, Any]) -> _Plan | None:
    """The plan of a dictConfig of the default shape, or None for anything else (which goes to
    ``logging.config.dictConfig``). Nothing here imports :mod:`logging`."""
    formatters = plain.get("formatters") or {}
    handlers = plain.get("handlers") or {}
    root = plain.get("root") or {}
    loggers = plain.get("loggers") or {}
    if (
        plain.get("version") != 1
        or set(plain) - _TOP_KEYS
        or not isinstance(formatters, dict)
        or not isinstance(handlers, dict)
        or not isinstance(loggers, dict)
        or not isinstance(root, dict)
        # named loggers given only a level (hydra_logging's `logging_example: {level: DEBUG}`)
        or any(not isinstance(v, dict) or set(v) - {"level"} for v in loggers.values())
        or plain.get("disable_existing_loggers", True) is not False
        or any(
            not isinstance(f, dict) or set(f) - {"format", "datefmt"} for f in formatters.values()
        )
        or set(root) - {"level", "handlers"}
        or not isinstance(root.get("handlers") or [], list)
    ):
        return None
    for h in handlers.values():
        if (
            not isinstance(h, dict)
            or h.get("class") not in _SIMPLE_HANDLERS
            or set(h) - _HANDLER_KEYS
            or ("stream" in h and h["stream"] not in _STREAMS)
            or ("formatter" in h and h["formatter"] not in formatters)
        ):
            return None
    if any(name not in handlers for name in root.get("handlers") or []):
        return None
    plan = _Plan(replace=True)
    for name in root.get("handlers") or []:
        spec, handler = handlers[name], _Handler()
        if spec["class"] == "logging.FileHandler":
            handler.filename = spec.get("filename")
            handler.mode = spec.get("mode", "a")
            handler.encoding = spec.get("encoding")
        else:
            handler.stream = _STREAMS[spec["stream"]] if "stream" in spec else "stderr"
        if "formatter" in spec:
            fmt = formatters[spec["formatter"]]
            handler.fmt, handler.datefmt = fmt.get("format"), fmt.get("datefmt")
        handler.level = spec.get("level")
        plan.handlers.append(handler)
    plan.root_level = root.get("level")
    plan.loggers = {str(name): conf.get("level") for name, conf in loggers.items()}
    return plan


def _deferrable(plan: _Plan) -> bool:
    """Whether building ``plan`` later cannot fail: every check the handlers, formatters and
    levels would make is made here (anything unusual is configured at once instead)."""
    import codecs

    levels = [plan.root_level, *plan.loggers.values(), *(h.level for h in plan.handlers)]
    if not all(level is None or _level_ok(level) for level in levels):
        return False
    for h in plan.handlers:
        if h.fmt is not None and (type(h.fmt) is not str or not _percent_format_ok(h.fmt)):
            return False
        if h.datefmt is not None and type(h.datefmt) is not str:
            return False
        if h.stream is None:
            if type(h.filename) is not str or h.mode not in ("a", "w"):
                return False
            if h.encoding is not None:
                try:
                    codecs.lookup(h.encoding)
                except (LookupError, TypeError):
                    return False
    return True


def _build(plan: _Plan, logging: Any) -> None:
    """Apply ``plan`` as ``logging.config.dictConfig`` (or Hydra's fallback) would (a deferred
    plan's file handlers get the files opened at the job's start, as eager ones hold them)."""
    built = []
    for h in plan.handlers:
        handler: Any
        if h.stream is None:
            handler = logging.FileHandler(
                h.filename, mode=h.mode, encoding=h.encoding, delay=h.file is not None
            )
            if h.file is not None:
                handler.stream = h.file
        else:
            stream = getattr(sys, h.stream) if isinstance(h.stream, str) else h.stream
            handler = logging.StreamHandler(stream)
        if h.fmt is not None or h.datefmt is not None:
            handler.setFormatter(logging.Formatter(h.fmt, h.datefmt))
        if h.level is not None:
            handler.setLevel(h.level)
        built.append(handler)
    logger = logging.getLogger()
    if plan.replace:
        for old in logger.handlers[:]:  # dictConfig replaces (and closes) the root's handlers
            logger.removeHandler(old)
            old.close()
    for handler in built:
        logger.addHandler(handler)
    if plan.root_level is not None:
        logger.setLevel(plan.root_level)
    for name, level in plan.loggers.items():
        named = logging.getLogger(name)
        for old in named.handlers[:]:
            named.removeHandler(old)
        if level is not None:
            named.setLevel(level)
        named.disabled = False


def _simple_logging(plain: dict[str, Any]) -> bool:
    """Apply a dictConfig of the default shape directly, as ``logging.config.dictConfig``
    would; False (nothing done) when it has anything else.

    ``logging.config`` imports ``logging.handlers`` and ``socket`` (~20 ms of every run).
    """
    plan = _plan(plain)
    if plan is None:
        return False
    import logging

    _build(plan, logging)
    return True


# -- building the handlers when logging is first imported ----------------------------------------
# The pending plan and the import hook are process-wide, as the logging module they configure.
_LOCK = _thread.allocate_lock()
_pending: list[_Plan] = []  # at most one: plans fold into it


class _BuildOnImport:
    """A ``sys.meta_path`` finder that lets ``logging`` import normally, then builds the
    pending handlers before the importer sees the module."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "logging":
            return None
        _remove_hook()
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _ThenBuild(spec.loader)
        return spec


class _ThenBuild:
    """The real loader of ``logging``, then the pending plan; it hands the module its real
    loader back, so nothing later sees this wrapper."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        _build_pending(module)


_HOOK: list[_BuildOnImport] = []


def _remove_hook() -> None:
    with _LOCK:
        for hook in _HOOK:
            if hook in sys.meta_path:
                sys.meta_path.remove(hook)
        _HOOK.clear()


def _defer(plan: _Plan) -> None:
    """Create the plan's log files now, then build it when :mod:`logging` is imported."""
    for h in plan.handlers:
        if h.stream is None:
            assert h.filename is not None
            h.filename = os.path.abspath(h.filename)  # as FileHandler does, before any chdir
            # Opened now and held, as Hydra's FileHandler holds it from the job's start.
            h.file = open(h.filename, h.mode, encoding=h.encoding)  # noqa: SIM115
        elif isinstance(h.stream, str):
            h.stream = getattr(sys, h.stream)  # the stream of now (a redirect may end)
    with _LOCK:
        if _pending:
            _pending[0].absorb(plan)
        else:
            _pending.append(plan)
        if not _HOOK:
            _HOOK.append(_BuildOnImport())
            sys.meta_path.insert(0, _HOOK[0])
    if "logging" in sys.modules:  # imported meanwhile (another thread): build now
        _remove_hook()
        _build_pending(sys.modules["logging"])


def _build_pending(logging: Any) -> None:
    """Build the pending plan, if any (``logging``: the module, being imported or not)."""
    with _LOCK:
        plans = _pending[:]
        _pending.clear()
    for plan in plans:
        _build(plan, logging)


def _configure(plain: dict[str, Any], plan: _Plan | None, verbose: Any, which: str) -> None:
    """Apply ``plan`` (deferred when it can be), or ``plain`` through ``dictConfig`` when it has
    no plan; a configuration that fails is a ConfigError on ``hydra.<which>``."""
    try:
        quiet = verbose in (False, None)
        if plan is not None and quiet and "logging" not in sys.modules and _deferrable(plan):
            _defer(plan)
            return
        import logging  # (builds a pending plan through the hook, if one is installed)

        _build_pending(logging)  # (or here, when logging was already loaded)
        if plan is not None:
            _build(plan, logging)
        else:
            from logging import config as logging_config

            logging_config.dictConfig(plain)
    except (ValueError, TypeError, AttributeError, ImportError, OSError) as e:
        raise ConfigError(
            f"invalid logging configuration: {e}", key_path=f"hydra.{which}"
        ) from None


def configure_logging(hydra: DictNode, which: str = "job_logging") -> None:
    """Set up Python logging from ``hydra.<which>`` (a dictConfig) and ``hydra.verbose``.

    ``which`` is ``job_logging`` (the task's logging) or ``hydra_logging`` (the framework's
    own messages, such as ``Launching 2 jobs locally``). A ``null`` config means Hydra's
    fallback: one stdout handler on the root logger.
    """
    conf = confcompose.select(hydra, which, default=None)
    verbose = confcompose.select(hydra, "verbose", default=False)
    if conf is not None:
        plain = confcompose.to_container(conf, resolve=True)
        if plain.get("root") is not None:
            _configure(plain, _plan(plain), verbose, which)
    else:
        fallback = _Plan(replace=False)
        handler = _Handler()
        handler.stream, handler.fmt = "stdout", _FALLBACK_FORMAT
        fallback.handlers.append(handler)
        fallback.root_level = "INFO"
        _configure({}, fallback, verbose, which)
    if verbose is False or verbose is None:
        return
    import logging

    if isinstance(verbose, bool):
        if verbose:
            logging.getLogger().setLevel(logging.DEBUG)
        return
    names = [verbose] if isinstance(verbose, str) else list(verbose)
    for name in names:
        logging.getLogger(None if name == "root" else str(name)).setLevel(logging.DEBUG)


def log_traceback(text: str) -> None:
    """Append a failed job's traceback to the job's log file(s), not to the console.

    The log files are the root logger's file handlers, which ``hydra.job_logging`` set up for
    this job (none when job logging is disabled).
    """
    import logging  # builds the job's pending handlers, if any

    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    if not handlers:
        return
    entry = logging.LogRecord(
        "confcompose", logging.ERROR, __file__, 0, "job failed:\n%s", (text.rstrip(),), None
    )
    for handler in handlers:
        handler.handle(entry)
        handler.flush()


def flush_logs() -> None:
    """Flush the root logger's handlers (nothing to do when nothing imported logging)."""
    logging: Any = sys.modules.get("logging")
    if logging is None:
        return
    flush: Callable[[], None]
    for handler in logging.getLogger().handlers:
        flush = handler.flush
        try:
            flush()
        except Exception:
            continue
