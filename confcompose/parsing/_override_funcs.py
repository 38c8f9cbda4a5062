"""The functions of the override grammar (``int()``, ``choice()``, ``range()``, ...).

They are evaluated while parsing, as Hydra 1.3 does, and follow Hydra's semantics, with these
deliberate differences: argument errors are reported at parse time (``range(1,2,0)``, a sweep
nested in ``choice()``), ``tag()`` makes a choice explicit (so it renders as ``choice(...)``),
``sort(range(...), reverse=true)`` reverses from the real last element (Hydra 1.3 starts from
``stop``), and ``json_str``, ``extend_list`` (Hydra 1.4) and ``zip`` are added.
"""

from __future__ import annotations

import builtins
import decimal
import functools
import inspect
import json
import math
import os
import random
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import Any

from confcompose.parsing.override_values import (
    SWEEP_TYPES,
    ChoiceSweep,
    GlobSweep,
    IntervalSweep,
    ListExtension,
    RangeSweep,
    ZipSweep,
)
from confcompose.parsing.override_values import replace as _replace


class FunctionError(ValueError):
    """A function of the grammar was called with bad arguments."""


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, SWEEP_TYPES):
        return f"a {type(value).__name__}"
    return f"{type(value).__name__} {value!r}"


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def holds_no_sweep(value: Any) -> bool:
    """Whether ``value`` may be a sweep item: no sweep or list extension anywhere inside."""
    if isinstance(value, (*SWEEP_TYPES, ListExtension)):
        return False
    if isinstance(value, list):
        return all(holds_no_sweep(v) for v in value)
    if isinstance(value, dict):
        return all(holds_no_sweep(v) for v in value.values())
    return True


def _items(args: tuple[Any, ...], what: str) -> tuple[Any, ...]:
    for i, arg in enumerate(args):
        if not holds_no_sweep(arg):
            raise FunctionError(f"{what} argument {i + 1} cannot be {_describe(arg)}")
    return tuple(args)


# ---- ranges -------------------------------------------------------------------------------


#: The largest sweep (number of jobs, or values of one ``range()``) expanded by default; the
#: environment variable :data:`SWEEP_SIZE_ENV` raises (or lowers) it.
MAX_SWEEP_SIZE = 10_000_000
SWEEP_SIZE_ENV = "CONFCOMPOSE_MAX_SWEEP_SIZE"


def max_sweep_size() -> int:
    """The sweep size limit: ``$CONFCOMPOSE_MAX_SWEEP_SIZE`` if set, else :data:`MAX_SWEEP_SIZE`."""
    text = os.environ.get(SWEEP_SIZE_ENV, "").strip().replace("_", "")
    if not text:
        return MAX_SWEEP_SIZE
    if not text.isdigit() or int(text) < 1:
        raise FunctionError(
            f"{SWEEP_SIZE_ENV}={os.environ[SWEEP_SIZE_ENV]!r} is not a positive integer"
        )
    return int(text)


def range_values(sweep: RangeSweep) -> Iterator[int | float]:
    """The values of a range: Python's ``range`` for ints, exact decimal steps for floats."""
    start, stop, step = sweep.start, sweep.stop, sweep.step
    if type(start) is int and type(stop) is int and type(step) is int:
        yield from builtins.range(start, stop, step)
        return
    _check_finite(start, stop, step)
    # Hydra adds Decimal(step) to Decimal(start) so that 0.1 steps do not drift.
    cur, end, inc = decimal.Decimal(start), decimal.Decimal(stop), decimal.Decimal(step)
    if inc == 0:
        raise FunctionError("range step must not be zero")
    while (cur < end) if inc > 0 else (cur > end):
        yield float(cur)
        cur += inc


def _check_finite(*bounds: int | float) -> None:
    for name, value in zip(("start", "stop", "step"), bounds, strict=False):
        if type(value) is float and not math.isfinite(value):
            raise FunctionError(f"range() {name} must be a finite number, got {value}")


_COUNTED = 100_000  # float ranges up to this size are counted by stepping (~30 ms at most)


def range_size(sweep: RangeSweep) -> int:
    """How many values a range has, without listing them (exact for ints and for float ranges
    up to 100,000 values; above that, within one of the stepped count)."""
    start, stop, step = sweep.start, sweep.stop, sweep.step
    if type(start) is int and type(stop) is int and type(step) is int:
        if step > 0:
            return max(0, (stop - start + step - 1) // step)
        return max(0, (start - stop - step - 1) // -step)
    _check_finite(start, stop, step)
    span = (decimal.Decimal(stop) - decimal.Decimal(start)) / decimal.Decimal(step)
    estimate = max(0, math.ceil(span))
    if estimate <= _COUNTED:  # the stepped sum rounds at each step: count it exactly
        return sum(1 for _ in range_values(sweep))
    return estimate


def _check_size(sweep: RangeSweep) -> RangeSweep:
    size, limit = range_size(sweep), max_sweep_size()
    if size > limit:
        raise FunctionError(
            f"range({sweep.start}, {sweep.stop}, {sweep.step}) has {size} values, more than "
            f"the maximum sweep size {limit} (set {SWEEP_SIZE_ENV} to raise it)"
        )
    return sweep


def _last(sweep: RangeSweep) -> tuple[int, int | float | None]:
    if type(sweep.start) is int and type(sweep.stop) is int and type(sweep.step) is int:
        rng = builtins.range(sweep.start, sweep.stop, sweep.step)
        return len(rng), (rng[-1] if rng else None)
    count, last = 0, None
    for value in range_values(sweep):
        count, last = count + 1, value
    return count, last


def _sort_sweep(sweep: Any, reverse: bool) -> Any:
    if isinstance(sweep, ChoiceSweep):
        try:
            return _replace(sweep, items=tuple(sorted(sweep.items, reverse=reverse)))
        except TypeError:
            raise FunctionError("cannot sort values of different types") from None
    if isinstance(sweep, RangeSweep):
        if (sweep.step > 0) != reverse:  # already in the requested order
            return sweep
        count, last = _last(sweep)
        if count < 2 or last is None:
            return sweep
        return _replace(sweep, start=last, stop=sweep.start - sweep.step, step=-sweep.step)
    raise FunctionError(f"cannot sort {_describe(sweep)}")


# ---- casts --------------------------------------------------------------------------------


def _to_int(value: Any) -> int:
    if value is None:
        raise FunctionError("cannot cast null to int")
    return int(value)


def _to_float(value: Any) -> float:
    if value is None:
        raise FunctionError("cannot cast null to float")
    return float(value)


def _to_str(value: Any) -> str:
    if value is None:
        raise FunctionError("cannot cast null to str")
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise FunctionError(f"cannot cast {value!r} to bool")
    return bool(value)


def _cast(value: Any, conv: Callable[[Any], Any], name: str) -> Any:
    if isinstance(value, dict):
        return {k: _cast(v, conv, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_cast(v, conv, name) for v in value]
    if isinstance(value, ChoiceSweep):  # like Hydra, a cast choice loses shuffle and tags
        return ChoiceSweep(tuple(_cast(v, conv, name) for v in value.items), value.simple)
    if isinstance(value, ZipSweep):
        return ZipSweep(tuple(_cast(v, conv, name) for v in value.items), value.tags)
    if isinstance(value, RangeSweep):
        if name not in ("int", "float"):
            raise FunctionError("a range can only be cast to int or float")
        cast = RangeSweep(conv(value.start), conv(value.stop), conv(value.step))
        if cast.step == 0:
            raise FunctionError(f"the range step becomes zero when cast to {name}")
        return _check_size(cast)
    if isinstance(value, IntervalSweep):
        if name not in ("int", "float"):
            raise FunctionError(f"an interval cannot be cast to {name}")
        return IntervalSweep(conv(value.start), conv(value.end), value.tags)
    if isinstance(value, (GlobSweep, ListExtension)):
        raise FunctionError(f"cannot cast {_describe(value)} to {name}")
    return conv(value)


def _cast_arg(args: tuple[Any, ...], value: Any) -> Any:
    if args and value is not None:
        raise FunctionError("cannot use both positional and named arguments")
    if value is not None:
        return value
    if not args:
        raise FunctionError("no positional args or value specified")
    if len(args) == 1:
        return args[0]
    return ChoiceSweep(_items(args, "cast"), simple=True)


def f_int(*args: Any, value: Any = None) -> Any:
    return _cast(_cast_arg(args, value), _to_int, "int")


def f_float(*args: Any, value: Any = None) -> Any:
    return _cast(_cast_arg(args, value), _to_float, "float")


def f_str(*args: Any, value: Any = None) -> Any:
    return _cast(_cast_arg(args, value), _to_str, "str")


def f_bool(*args: Any, value: Any = None) -> Any:
    return _cast(_cast_arg(args, value), _to_bool, "bool")


def f_json_str(*args: Any, value: Any = None) -> Any:
    arg = _cast_arg(args, value)
    if isinstance(arg, (ChoiceSweep, ZipSweep)):
        return _replace(arg, items=tuple(json.dumps(v) for v in arg.items))
    if isinstance(arg, (RangeSweep, IntervalSweep, GlobSweep, ListExtension)):
        raise FunctionError(f"cannot cast {_describe(arg)} to json_str")
    return json.dumps(arg)


# ---- sweeps -------------------------------------------------------------------------------


def f_choice(*args: Any) -> ChoiceSweep:
    if not args:
        raise FunctionError("empty choice is not legal")
    if len(args) == 1 and isinstance(args[0], ChoiceSweep):
        if not args[0].simple:
            raise FunctionError("nesting choices is not supported")
        return _replace(args[0], simple=False)  # type: ignore[no-any-return]
    for i, arg in enumerate(args):
        if arg is None:
            raise FunctionError(f"choice() argument {i + 1} cannot be null")
    return ChoiceSweep(_items(args, "choice()"))


def f_range(start: Any, stop: Any = None, step: Any = 1) -> RangeSweep:
    if stop is None:
        start, stop = 0, start
    for name, arg in (("start", start), ("stop", stop), ("step", step)):
        if not _is_number(arg):
            raise FunctionError(f"range() {name} must be a number, got {_describe(arg)}")
    if step == 0:
        raise FunctionError("range() step must not be zero")
    _check_finite(start, stop, step)
    return _check_size(RangeSweep(start, stop, step))


def f_interval(start: Any, end: Any) -> IntervalSweep:
    for name, arg in (("start", start), ("end", end)):
        if not _is_number(arg):
            raise FunctionError(f"interval() {name} must be a number, got {_describe(arg)}")
    return IntervalSweep(float(start), float(end))


def f_tag(*args: Any, sweep: Any = None) -> Any:
    if not args:
        raise FunctionError("not enough arguments to tag(), it takes tags and a sweep")
    if sweep is not None:
        args = (*args, sweep)
    *tags, last = args
    if not isinstance(last, SWEEP_TYPES):
        raise FunctionError(f"the last argument of tag() must be a sweep, got {_describe(last)}")
    for tag in tags:
        if not isinstance(tag, str):
            raise FunctionError(f"tag() tags must be strings, got {_describe(tag)}")
    if isinstance(last, ChoiceSweep):
        return _replace(last, tags=frozenset(tags), simple=False)
    return _replace(last, tags=frozenset(tags))


def f_shuffle(*args: Any, sweep: Any = None, list: Any = None) -> Any:
    if list is not None:
        args = (list,)
    elif sweep is not None:
        args = (sweep,)
    if not args:
        raise FunctionError("shuffle() needs a list, a sweep or values")
    if len(args) > 1:
        return ChoiceSweep(_items(args, "shuffle()"), simple=True, shuffle=True)
    arg = args[0]
    if isinstance(arg, (ChoiceSweep, RangeSweep)):
        return _replace(arg, shuffle=True)
    if isinstance(arg, builtins.list):
        shuffled = arg.copy()
        random.shuffle(shuffled)
        return shuffled
    if not holds_no_sweep(arg):
        raise FunctionError(f"cannot shuffle {_describe(arg)}")
    return [arg]


def f_sort(*args: Any, sweep: Any = None, list: Any = None, reverse: Any = False) -> Any:
    if type(reverse) is not bool:
        raise FunctionError(f"sort() reverse must be a bool, got {_describe(reverse)}")
    if list is not None:
        args = (list,)
    elif sweep is not None:
        return _sort_sweep(sweep, reverse)
    if not args:
        raise FunctionError("empty sort input")
    if len(args) == 1:
        arg = args[0]
        if isinstance(arg, SWEEP_TYPES):
            return _sort_sweep(arg, reverse)
        if isinstance(arg, builtins.list):
            try:
                return sorted(arg, reverse=reverse)
            except TypeError:
                raise FunctionError("cannot sort values of different types") from None
        return arg
    for i, arg in enumerate(args):
        if type(arg) not in (int, float, bool, str):
            raise FunctionError(f"sort() argument {i + 1} cannot be {_describe(arg)}")
    return _sort_sweep(ChoiceSweep(tuple(args), simple=True), reverse)


def _patterns(value: Any, name: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, builtins.list) or not all(isinstance(p, str) for p in items):
        raise FunctionError(f"glob() {name} must be a string or a list of strings")
    return tuple(items)


def f_glob(include: Any, exclude: Any = None) -> GlobSweep:
    return GlobSweep(_patterns(include, "include"), _patterns(exclude or [], "exclude"))


def f_extend_list(*args: Any) -> ListExtension:
    return ListExtension(_items(args, "extend_list()"))


def f_zip(*args: Any) -> ZipSweep:
    if len(args) == 1 and isinstance(args[0], ChoiceSweep):
        return ZipSweep(args[0].items)
    if len(args) == 1 and isinstance(args[0], RangeSweep):
        return ZipSweep(tuple(range_values(_check_size(args[0]))))
    if not args:
        raise FunctionError("zip() needs at least one value")
    return ZipSweep(_items(args, "zip()"))


FUNCTIONS: MappingProxyType[str, Callable[..., Any]] = MappingProxyType(
    {
        "int": f_int,
        "float": f_float,
        "str": f_str,
        "bool": f_bool,
        "json_str": f_json_str,
        "choice": f_choice,
        "range": f_range,
        "interval": f_interval,
        "tag": f_tag,
        "sort": f_sort,
        "shuffle": f_shuffle,
        "glob": f_glob,
        "extend_list": f_extend_list,
        "zip": f_zip,
    }
)


@functools.cache
def _signature(name: str) -> inspect.Signature:
    return inspect.signature(FUNCTIONS[name])


def call_function(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Evaluate ``name(*args, **kwargs)``; bad calls raise :class:`FunctionError`."""
    if name not in FUNCTIONS:
        known = ", ".join(sorted(FUNCTIONS))
        raise FunctionError(f"unknown function {name!r} (known: {known})")
    try:
        _signature(name).bind(*args, **kwargs)
    except TypeError as exc:
        raise FunctionError(f"{name}(): {exc}") from None
    try:
        return FUNCTIONS[name](*args, **kwargs)
    except FunctionError as exc:
        msg = str(exc)
        raise FunctionError(msg if name + "()" in msg else f"{name}(): {msg}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise FunctionError(f"{name}(): {exc}") from None
