"""Build objects from configs: ``_target_`` instantiation with hydra-core 1.3's semantics.

``instantiate(cfg, *args, **kwargs)`` imports the dotted ``_target_`` and calls it with the other
keys as keyword arguments. Special keys: ``_args_`` (positional arguments), ``_recursive_``
(instantiate nested ``_target_`` nodes first; default true), ``_convert_`` (what the target receives
for config arguments: ``none`` keeps config nodes, ``partial`` gives dicts and lists but keeps
structured nodes, ``object`` gives dicts, lists and dataclass instances, ``all`` gives plain dicts
and lists only) and ``_partial_`` (return a ``functools.partial`` instead of calling). Keyword
arguments of the call are merged into the config first; positional ones replace ``_args_``.

Errors name the key path of the node being built and its target, keep the original exception as
``__cause__`` and show its type in the message.

Differences from hydra-core: an unknown ``_convert_`` value is an error (Hydra treats it as
``none``); flag values of the wrong type raise :class:`~confcompose.errors.InstantiationError`
(Hydra raises ``TypeError``).

Security
--------
``_target_`` imports and calls arbitrary code: a config from a less-trusted source (a file sent by
someone else, a command line assembled by a web service) can run anything importable. Pass
``allowed_targets=("mypkg.", "torch.optim.")`` to refuse every target whose dotted name does not
start with one of the prefixes (a prefix without a trailing dot matches that exact name or names
below it). The check runs on the name *before* anything is imported, and then on every object
reached on the way: a module must really be the module of that name (``mypkg.os.system`` passes
through ``os`` and is refused), any other object must be defined in an allowed module (a function
``mypkg`` re-exports from ``subprocess`` is refused), and dunder names are never followed.
``get_class``/``get_method``/``get_object`` apply no allow-list; give them trusted paths only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from types import ModuleType as _ModuleType
from typing import Any

import confcompose.tree as tree
from confcompose.api import attach, create
from confcompose.errors import InstantiationError
from confcompose.export import to_container
from confcompose.location import Location, code_location
from confcompose.merge import merge_into
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.resolve import resolve_all
from confcompose.structured import StructSchema, is_structured, plain_node, to_object

_SPECIAL = ("_target_", "_convert_", "_recursive_", "_partial_")
_MODES = ("none", "partial", "object", "all")
_PLAIN = (str, int, float, bool, type(None), bytes)


def instantiate(
    config: Any,
    *args: Any,
    allowed_targets: Sequence[str] | None = None,
    **kwargs: Any,
) -> Any:
    """Build the object described by ``config`` (a config node, dict, list or dataclass).

    >>> instantiate({"_target_": "fractions.Fraction", "numerator": 3, "denominator": 6})
    Fraction(1, 2)
    >>> instantiate({"_target_": "builtins.max", "_args_": [1, 5]}, 2, 3)
    3
    """
    if config is None:
        return None
    policy = _Policy(allowed_targets)
    node = _prepare(config, kwargs)
    if isinstance(node, DictNode):
        recursive = _pop(node, "_recursive_", True)
        convert = _pop(node, "_convert_", "none")
        partial = _pop(node, "_partial_", False)
    else:
        recursive = kwargs.pop("_recursive_", True)
        convert = kwargs.pop("_convert_", "none")
        partial = kwargs.pop("_partial_", False)
        if partial:
            raise InstantiationError(
                "the _partial_ keyword is not compatible with top-level list instantiation"
            )
    return _node(node, args, convert, recursive, partial, policy)


call = instantiate


def _prepare(config: Any, kwargs: dict[str, Any]) -> Container:
    """A private, resolved copy of ``config`` with the mergeable ``kwargs`` merged in."""
    node: Container
    if isinstance(config, Container):
        above = tree.parent(config)
        node = tree.copy_node(config, None, tree.key_in_parent(config))
        # interpolations to the rest of the tree still resolve
        tree.set_parent(node, above, tree.key_in_parent(config))
        tree.set_engine(node, tree.engine(config) if above is None else None)
        if above is None and tree.own_engine(node) is None:
            node = create(node)
    elif isinstance(config, dict | list | tuple) or is_structured(config):
        data = _targets_to_names(config) if isinstance(config, dict | list | tuple) else config
        node = attach(plain_node(data, code_location(), None, None))
    else:
        raise InstantiationError(
            f"cannot instantiate a config of type {type(config).__name__}",
            expected="a config node, a dict, a list, or a dataclass class or instance",
        )
    tree.set_flag(node, "struct", False)
    tree.set_flag(node, "readonly", False)
    tree.set_flag(node, "allow_objects", True)
    kwargs_node = _kwargs_node(kwargs, node)
    if kwargs_node is not None:
        if not isinstance(node, DictNode):
            raise InstantiationError("keyword arguments need a mapping config, not a list")
        merge_into(node, kwargs_node)
    resolve_all(node)
    return node


def _targets_to_names(data: Any) -> Any:
    """Hydra accepts classes and functions as ``_target_`` in Python dicts: use their names."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k == "_target_" and callable(v) and hasattr(v, "__qualname__"):
                v = f"{v.__module__}.{v.__qualname__}"
            out[k] = _targets_to_names(v)
        return out
    if isinstance(data, list | tuple):
        return [_targets_to_names(v) for v in data]
    return data


def _is_plain(value: Any) -> bool:
    if isinstance(value, (*_PLAIN, Container)) or is_structured(value):
        return True
    if isinstance(value, dict):
        return all(_is_plain(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_is_plain(v) for v in value)
    return False


def _kwargs_node(kwargs: dict[str, Any], node: Container) -> DictNode | None:
    """Keyword arguments that are config-like merge into the config; objects pass through."""
    mergeable = {k: v for k, v in kwargs.items() if _is_plain(v)}
    objects = {k: v for k, v in kwargs.items() if k not in mergeable}
    if objects:
        # Objects (models, tensors, ...) are stored as they are: the node allows objects.
        if not isinstance(node, DictNode):
            raise InstantiationError("keyword arguments need a mapping config, not a list")
        for k, v in objects.items():
            tree.put(node, k, v)
    if not mergeable:
        return None
    origin = Location(None, None, None, "code", "instantiate() keyword argument")
    src = tree.new_dict()
    for k, v in _targets_to_names(mergeable).items():
        tree.put(src, k, plain_node(v, origin, src, k), origin)
    return src


def _pop(node: DictNode, key: str, default: Any) -> Any:
    if key not in tree.content(node):
        return default
    value = tree.value(node, key)
    tree.remove(node, key)
    return value


# -- the recursive walk -----------------------------------------------------------------------


class _Policy:
    """The allow-list of target prefixes (``None`` allows everything)."""

    __slots__ = ("prefixes",)

    def __init__(self, prefixes: Sequence[str] | None) -> None:
        if isinstance(prefixes, str):
            prefixes = (prefixes,)
        self.prefixes = None if prefixes is None else tuple(prefixes)

    def allows(self, name: str) -> bool:
        if self.prefixes is None:
            return True
        for p in self.prefixes:
            if name == p.rstrip(".") or name.startswith(p if p.endswith(".") else p + "."):
                return True
        return False

    def may_traverse(self, module_name: str) -> bool:
        """Whether a module may be passed through: allowed, or a parent package of a prefix."""
        if self.allows(module_name):
            return True
        assert self.prefixes is not None  # allows() returned True otherwise
        return any(p.rstrip(".").startswith(module_name + ".") for p in self.prefixes)

    def check_step(self, dotted: str, obj: Any) -> str | None:
        """Why reaching ``obj`` as ``dotted`` is refused (``None`` if it is not)."""
        if self.prefixes is None:
            return None
        if isinstance(obj, _ModuleType):
            real = getattr(obj, "__name__", None)
            if real != dotted or not isinstance(real, str) or not self.may_traverse(real):
                return f"{dotted!r} is the module {real!r}, outside the allowed targets"
            return None
        home = getattr(obj, "__module__", None)
        qualname = getattr(obj, "__qualname__", None)
        if not isinstance(home, str) or not (
            self.allows(home) or (isinstance(qualname, str) and self.allows(f"{home}.{qualname}"))
        ):
            return f"{dotted!r} is defined in module {home!r}, outside the allowed targets"
        return None

    def check_final(self, dotted: str, obj: Any) -> str | None:
        """Why the located target is refused: a module must itself be allowed."""
        if self.prefixes is None:
            return None
        if isinstance(obj, _ModuleType) and not self.allows(getattr(obj, "__name__", "")):
            return f"{dotted!r} is a module outside the allowed targets"
        return self.check_step(dotted, obj)


def _mode(convert: Any, node: Container) -> str:
    text = str(getattr(convert, "value", convert)).lower()
    if text not in _MODES:
        raise InstantiationError(
            f"invalid _convert_ value {convert!r}",
            key_path=tree.path(node) or None,
            expected="one of none, partial, object, all",
        )
    return text


def _flag(value: Any, name: str, node: Container) -> bool:
    if not isinstance(value, bool):
        raise InstantiationError(
            f"the {name} flag must be a bool, got {type(value).__name__}",
            key_path=tree.path(node) or None,
        )
    return value


def _node(
    node: Any,
    args: tuple[Any, ...],
    convert: Any,
    recursive: Any,
    partial: Any,
    policy: _Policy,
) -> Any:
    if not isinstance(node, Container):
        return node
    if isinstance(node, DictNode):
        content = tree.content(node)
        convert = tree.value(node, "_convert_") if "_convert_" in content else convert
        recursive = tree.value(node, "_recursive_") if "_recursive_" in content else recursive
        partial = tree.value(node, "_partial_") if "_partial_" in content else partial
    mode = _mode(convert, node)
    recursive = _flag(recursive, "_recursive_", node)
    partial = _flag(partial, "_partial_", node)
    if isinstance(node, ListNode):
        items = [_node(v, (), mode, recursive, False, policy) for v in node]
        if mode != "none":
            return items
        return _result(tree.new_list(items), node)
    assert isinstance(node, DictNode)
    if "_target_" in tree.content(node):
        return _call(node, args, mode, recursive, partial, policy)
    items_d = {
        k: _node(tree.value(node, k), (), mode, recursive, False, policy)
        for k in list(tree.content(node))
    }
    typed = tree.schema(node)
    if mode == "all" or (mode in ("partial", "object") and not isinstance(typed, StructSchema)):
        return items_d
    result = _result(tree.new_dict(items_d, dict(tree.origins(node)), schema=typed), node)
    return to_object(result) if mode == "object" else result


def _result(result: Container, source: Container) -> Container:
    """A config holding built objects, in ``source``'s place: the same parent (its
    interpolations resolve as the source's did) and key path (errors name ``tree.left``, not
    ``tree.tree.left``), the source's flags, and objects allowed."""
    for name in ("struct", "readonly"):
        value = tree.get_flag(source, name)
        if value is not None:
            tree.set_flag(result, name, value)
    tree.set_flag(result, "allow_objects", True)
    tree.set_parent(result, tree.parent(source), tree.key_in_parent(source))
    if tree.parent(source) is None:
        tree.set_engine(result, tree.engine(source))
    return result


def _convert(value: Any, mode: str) -> Any:
    """What the target receives for a config argument, per ``_convert_``."""
    if not isinstance(value, Container):
        return value
    if mode == "all":
        return to_container(value, resolve=True)
    if mode == "partial":
        return _partial_export(value)
    if mode == "object":
        return to_object(value)
    return value


def _partial_export(value: Any) -> Any:
    if isinstance(value, DictNode):
        if isinstance(tree.schema(value), StructSchema):
            return value
        return {k: _partial_export(tree.value(value, k)) for k in list(tree.content(value))}
    if isinstance(value, ListNode):
        return [_partial_export(v) for v in value]
    return value


def _call(
    node: DictNode,
    args: tuple[Any, ...],
    mode: str,
    recursive: bool,
    partial: bool,
    policy: _Policy,
) -> Any:
    path = tree.path(node)
    target = _target(node, policy)
    kwargs: dict[str, Any] = {}
    content = tree.content(node)
    for key in list(content):
        if key in _SPECIAL:
            continue
        raw = content[key]
        if partial and type(raw) is str and raw == MISSING:
            continue
        value = tree.value(node, key)
        if recursive:
            value = _node(value, (), mode, recursive, False, policy)
        kwargs[key] = _convert(value, mode)
    config_args = kwargs.pop("_args_", ())
    if not isinstance(config_args, list | tuple | ListNode):
        raise InstantiationError(
            f"unsupported _args_ type {type(config_args).__name__}",
            key_path=tree.child_path(node, "_args_"),
            expected="a list",
        )
    call_args = tuple(args) if args else tuple(config_args)
    for v in (*call_args, *kwargs.values()):
        if isinstance(v, Container) and tree.parent(v) is not None:
            # Values are resolved: detach, so the tree is not kept alive (or pickled) by them.
            tree.set_engine(v, tree.engine(v))
            tree.set_parent(v, None, tree.key_in_parent(v))
    name = _name(target)
    try:
        if partial:
            return functools.partial(target, *call_args, **kwargs)
        return target(*call_args, **kwargs)
    except Exception as e:
        what = f"partial({name}, ...)" if partial else f"target {name!r}"
        raise InstantiationError(
            f"error in call to {what}: {type(e).__name__}: {e}",
            key_path=path or None,
            location=tree.origin(node, "_target_"),
        ) from e


def _name(target: Any) -> str:
    if hasattr(target, "__qualname__"):
        return f"{target.__module__}.{target.__qualname__}"
    return repr(target)


def _target(node: DictNode, policy: _Policy) -> Callable[..., Any]:
    raw = tree.content(node)["_target_"]
    key_path = tree.child_path(node, "_target_")
    location = tree.origin(node, "_target_")
    if type(raw) is str and raw == MISSING:
        raise InstantiationError("missing value for _target_", key_path=key_path, location=location)
    target = tree.value(node, "_target_")
    if isinstance(target, str):
        if not policy.allows(target):
            raise InstantiationError(
                f"target {target!r} is not allowed",
                key_path=key_path,
                location=location,
                expected="a target starting with " + ", ".join(map(repr, policy.prefixes or ())),
            )
        try:
            target = _locate(target, policy)
        except _Refused as e:
            raise InstantiationError(
                f"target {target!r} is not allowed: {e}",
                key_path=key_path,
                location=location,
                expected="a target starting with " + ", ".join(map(repr, policy.prefixes or ())),
            ) from None
        except ImportError as e:
            raise InstantiationError(
                f"error locating target {target!r}: {e}", key_path=key_path, location=location
            ) from e
    elif callable(target) and not policy.allows(_name(target)):
        raise InstantiationError(
            f"target {_name(target)!r} is not allowed", key_path=key_path, location=location
        )
    if not callable(target):
        raise InstantiationError(
            f"expected a callable target, got {target!r} of type {type(target).__name__}",
            key_path=key_path,
            location=location,
        )
    return target  # type: ignore[no-any-return]


# -- dotted paths ------------------------------------------------------------------------------


class _Refused(Exception):
    """A dotted path that leaves the allow-list on the way (``myapp.os.system``)."""


def _locate(path: str, policy: _Policy | None = None) -> Any:
    """The object at a dotted ``path``, importing modules along the way (ImportError if absent).

    With an allow-list, every object reached on the way is checked, not only the text: a module
    must really be the module of that name (``myapp.os`` is ``os``, refused) and other objects
    must be defined in an allowed module; dunder names are refused.
    """
    from importlib import import_module

    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise ImportError(f"invalid dotted path {path!r} (relative imports are not supported)")
    if policy is not None and policy.prefixes is not None:
        dunder = next((p for p in parts if p.startswith("__") and p.endswith("__")), None)
        if dunder is not None:
            raise _Refused(f"the dunder name {dunder!r} may not be traversed")
        return _locate_checked(parts, policy)
    try:
        obj: Any = import_module(parts[0])
    except Exception as e:
        raise ImportError(f"cannot import module {parts[0]!r}: {type(e).__name__}: {e}") from e
    for i in range(1, len(parts)):
        try:
            obj = getattr(obj, parts[i])
            continue
        except AttributeError as e:
            if not hasattr(obj, "__path__") and not hasattr(obj, "__file__"):
                raise ImportError(f"{'.'.join(parts[:i])!r} has no attribute {parts[i]!r}") from e
        module = ".".join(parts[: i + 1])
        try:
            obj = import_module(module)
        except ModuleNotFoundError as e:
            raise ImportError(
                f"{parts[i]!r} is neither an attribute nor a submodule of {'.'.join(parts[:i])!r}"
            ) from e
        except Exception as e:
            raise ImportError(f"importing {module!r} raised {type(e).__name__}: {e}") from e
    return obj


def _locate_checked(parts: list[str], policy: _Policy) -> Any:
    from importlib import import_module

    obj: Any = _locate(parts[0])
    for i in range(1, len(parts) + 1):
        dotted = ".".join(parts[:i])
        why = policy.check_step(dotted, obj) if i < len(parts) else policy.check_final(dotted, obj)
        if why is not None:
            raise _Refused(why)
        if i == len(parts):
            return obj
        name = parts[i]
        if isinstance(obj, _ModuleType) and name not in vars(obj):
            try:
                obj = import_module(f"{dotted}.{name}")
                continue
            except ModuleNotFoundError:
                pass
            except Exception as e:
                msg = f"importing {dotted}.{name} raised {type(e).__name__}: {e}"
                raise ImportError(msg) from e
        try:
            obj = getattr(obj, name)
        except AttributeError as e:
            raise ImportError(f"{dotted!r} has no attribute {name!r}") from e
    return obj  # pragma: no cover - the loop returns


def get_object(path: str) -> Any:
    """The object at the dotted ``path`` (no allow-list: trusted paths only).

    >>> get_object("math.pi")
    3.141592653589793
    """
    try:
        return _locate(path)
    except ImportError as e:
        raise InstantiationError(f"cannot locate {path!r}: {e}") from e


def get_class(path: str) -> type:
    """The class at the dotted ``path``.

    >>> get_class("collections.OrderedDict").__name__
    'OrderedDict'
    """
    obj = get_object(path)
    if not isinstance(obj, type):
        raise InstantiationError(f"{path!r} is a {type(obj).__name__}, not a class")
    return obj


def get_method(path: str) -> Callable[..., Any]:
    """The callable at the dotted ``path``.

    >>> get_method("math.sqrt")(16.0)
    4.0
    """
    obj = get_object(path)
    if not callable(obj):
        raise InstantiationError(f"{path!r} is a {type(obj).__name__}, not callable")
    return obj  # type: ignore[no-any-return]


__all__ = ["call", "get_class", "get_method", "get_object", "instantiate"]
