"""Serve ``hydra``/``omegaconf`` imports from confcompose's facades, for one process tree.

:func:`install` puts an :class:`AliasFinder` first on ``sys.meta_path``. From then on
``import hydra.utils`` binds ``sys.modules["hydra.utils"]`` to ``confcompose.hydra.utils`` (the
same module object), and no file of an installed hydra-core or omegaconf is ever read.

The hook travels to worker processes three ways:

- ``fork`` children inherit it with the rest of the process;
- ``multiprocessing`` ``spawn``/``forkserver`` children and loky workers unpickle their
  "preparation data" before they re-run ``__main__`` or load a task: the finder adds a token to
  that data whose unpickling installs the hook (``multiprocessing.spawn`` is patched when it is
  first imported, so a run that never starts a process never pays for importing it);
- launchers that ship jobs by other means (submitit, Ray) wrap each job with :func:`travel`,
  whose unpickling installs the hook before the job itself is loaded.

``import confcompose`` never loads this module; ``confcompose run`` does.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

#: Top-level names served by confcompose, and the package that serves each.
ALIASES: Mapping[str, str] = MappingProxyType(
    {"hydra": "confcompose.hydra", "omegaconf": "confcompose.omegaconf"}
)

# Modules whose ``get_preparation_data`` builds what a spawned worker unpickles first.
_SPAWN_MODULES = (
    "multiprocessing.spawn",
    "joblib.externals.loky.backend.spawn",
    "loky.backend.spawn",
)
_TOKEN_KEY = "confcompose_compat_hook"


def target_of(fullname: str, aliases: Mapping[str, str] = ALIASES) -> str | None:
    """The module that serves ``fullname``, or ``None`` when it is not aliased.

    >>> target_of("hydra.core.config_store"), target_of("omegaconf"), target_of("hydras")
    ('confcompose.hydra.core.config_store', 'confcompose.omegaconf', None)
    """
    top, dot, rest = fullname.partition(".")
    base = aliases.get(top)
    if base is None:
        return None
    return base + dot + rest


class _AliasLoader:
    """Hands the import system the already-importable target module itself."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.own_spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # Nothing to run (the module ran under its own name), but the import system has just
        # put the alias spec on it: give the module its own back, so it stays what it was.
        module.__spec__ = self.own_spec


class _PatchingLoader:
    """Loads a module with its own loader, then applies a patch (a post-import hook)."""

    def __init__(self, loader: Any, patch: Callable[[ModuleType], None]) -> None:
        self.loader = loader
        self.patch = patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        self.patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... of the real loader
        return getattr(self.loader, name)


class AliasFinder:
    """First on ``sys.meta_path``: aliased names from their targets, spawn modules patched."""

    def __init__(self, aliases: Mapping[str, str] = ALIASES) -> None:
        self.aliases = dict(aliases)

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname in _SPAWN_MODULES:
            return self._patched_spec(fullname, path, target)
        served = target_of(fullname, self.aliases)
        if served is None:
            return None
        found = importlib.util.find_spec(served)
        if found is None:
            if "." in fullname:
                # The parent is ours, so the path finders look only inside the facade and
                # raise "No module named 'hydra.x'"; the installed hydra-core is never reached.
                return None
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: confcompose run serves it from {served!r}, "
                "which this confcompose does not have",
                name=fullname,
            )
        # Loaders need only create_module/exec_module: importlib.abc (and its import) is not.
        loader = cast("Loader", _AliasLoader(served))
        return importlib.machinery.ModuleSpec(
            fullname, loader, is_package=found.submodule_search_locations is not None
        )

    def _patched_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None
    ) -> importlib.machinery.ModuleSpec | None:
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    patching = _PatchingLoader(spec.loader, self.patch_preparation)
                    spec.loader = cast("Loader", patching)
                return spec
        return None

    def patch_preparation(self, module: ModuleType) -> None:
        """Make ``module.get_preparation_data`` carry this hook to the worker it prepares."""
        original = module.get_preparation_data
        if getattr(original, "_confcompose_hook", False):
            return
        token = _HookToken(self.aliases)

        def get_preparation_data(*args: Any, **kwargs: Any) -> Any:
            data = original(*args, **kwargs)
            data[_TOKEN_KEY] = token  # prepare() ignores keys it does not know
            return data

        get_preparation_data._confcompose_hook = True  # type: ignore[attr-defined]
        module.get_preparation_data = get_preparation_data  # type: ignore[attr-defined]


class _HookToken:
    """Unpickles as a call to :func:`install` (rides in a worker's preparation data)."""

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.aliases = dict(aliases)

    def __reduce__(self) -> tuple[Any, ...]:
        return (install, (self.aliases,))


def finder() -> AliasFinder | None:
    """The hook installed in this process, if any."""
    for f in sys.meta_path:
        if isinstance(f, AliasFinder):
            return f
    return None


def installed() -> bool:
    """Whether this process serves ``hydra``/``omegaconf`` imports from confcompose."""
    return finder() is not None


def install(aliases: Mapping[str, str] = ALIASES) -> None:
    """Serve ``hydra*``/``omegaconf*`` from confcompose in this process (idempotent).

    ``aliases`` maps top-level names to the packages that serve them. Modules of the aliased
    packages imported before the call are dropped from ``sys.modules``, so that later imports
    get the targets.
    """
    if installed():
        return
    hook = AliasFinder(aliases)
    sys.meta_path.insert(0, hook)
    for name in list(sys.modules):
        served = target_of(name, hook.aliases)
        if served is not None and sys.modules[name] is not sys.modules.get(served):
            del sys.modules[name]
    for name in _SPAWN_MODULES:
        if name in sys.modules:  # imported before the hook: patch it now
            hook.patch_preparation(sys.modules[name])


class _Travelling:
    """A pickled job that installs the hook where it is unpickled, then loads the job."""

    def __init__(self, aliases: Mapping[str, str], payload: bytes) -> None:
        self.aliases = dict(aliases)
        self.payload = payload

    def __reduce__(self) -> tuple[Any, ...]:
        return (_arrive, (self.aliases, self.payload))


def _arrive(aliases: Mapping[str, str], payload: bytes) -> Any:
    import pickle

    install(aliases)
    return pickle.loads(payload)


def travel(job: Any, dumps: Callable[[Any], bytes]) -> Any:
    """``job`` ready to be pickled for another process: there the hook is installed first.

    ``dumps`` is the pickler of the launcher's engine (cloudpickle for submitit and Ray). When
    this process has no hook, ``job`` is returned unchanged.
    """
    hook = finder()
    if hook is None:
        return job
    return _Travelling(hook.aliases, dumps(job))


# -- running a script as `python SCRIPT ARGS` would -----------------------------------------------


def prepare_script(script: str, args: Sequence[str]) -> tuple[Any, dict[str, Any]]:
    """Compile ``script`` and make it ``__main__``: ``sys.argv``, ``sys.path[0]``, module attrs.

    Returns the code object and the globals to run it in. Raises ``OSError`` when the file cannot
    be read and ``SyntaxError`` when it does not compile (``python`` reports both before running).
    """
    import os

    path = os.path.abspath(script)
    with open(path, "rb") as f:
        source = f.read()
    # dont_inherit: this module's `from __future__ import annotations` must not leak in.
    code = compile(source, path, "exec", dont_inherit=True)
    module = _fresh_main()
    module.__file__ = path
    module.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    module.__cached__ = None  # type: ignore[attr-defined]
    sys.argv[:] = [script, *args]
    _set_path0(os.path.dirname(os.path.realpath(path)))
    sys.modules["__main__"] = module
    return code, module.__dict__


def _set_path0(folder: str) -> None:
    """Put ``folder`` first on ``sys.path`` in place of the entry python made for this command.

    That entry is the folder of the ``confcompose`` script (or the cwd for ``python -m``): the
    user's script gets the place python would have given it. ``python -P`` adds none (3.11+).
    """
    if getattr(sys.flags, "safe_path", False):
        return
    if sys.path:
        sys.path[0] = folder
    else:
        sys.path.insert(0, folder)


def _fresh_main() -> ModuleType:
    """A new ``__main__`` module as the interpreter makes it (builtins module, annotations)."""
    import builtins

    module = ModuleType("__main__")
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    module.__annotations__ = {}
    return module


def run_folder(script: str, args: Sequence[str]) -> None:
    """Run a folder or zip file with a ``__main__.py``, as ``python SCRIPT ARGS`` would."""
    import os
    import runpy

    sys.argv[:] = [script, *args]
    _set_path0(os.path.abspath(script))
    sys.modules["__main__"] = _fresh_main()
    run_as_main = runpy._run_module_as_main  # type: ignore[attr-defined]
    run_as_main("__main__", alter_argv=False)


def run_module(name: str, args: Sequence[str]) -> None:
    """Run module ``name`` as ``python -m NAME ARGS`` would.

    Returns after the module ran; its exceptions propagate, with tracebacks that start in
    ``runpy`` as ``python -m`` shows them.
    """
    import os
    import runpy

    sys.argv[:] = ["-m", *args]  # runpy puts the module's file in argv[0], as python -m does
    _set_path0(os.getcwd())
    sys.modules["__main__"] = _fresh_main()
    run_as_main = runpy._run_module_as_main  # type: ignore[attr-defined]
    run_as_main(name, alter_argv=True)
