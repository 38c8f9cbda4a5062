"""YAML in: safe loading into the node tree (the writers are in ``confcompose.yaml_writer``).

Loading reads ruamel.yaml *parser events* (never its constructor or resolver: ruamel resolves
YAML 1.2, OmegaConf loads YAML 1.1) and types plain scalars itself the way OmegaConf 2.3 does
(``yaml_scalars``: PyYAML's 1.1 resolver, OmegaConf's wider float pattern). Every value gets the
``Location`` of its text. Only the standard tags are accepted, so no object is ever constructed.
This is the only module that imports ruamel.yaml for loading, and it does so inside functions.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
from typing import TYPE_CHECKING, Any

from confcompose import tree
from confcompose._lazy_re import lazy_re
from confcompose.errors import YAMLError
from confcompose.location import Location
from confcompose.nodes import Container, DictNode, ListNode
from confcompose.parsing.yaml_scalars import (
    TAG_MAP,
    TAG_SEQ,
    container_tag_error,
    explicit_scalar,
    resolve_plain,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_intern = sys.intern
_new_location = tuple.__new__
_HEADER_RE = lazy_re(r"\s*#\s*@")
_MAX_ALIAS_SIZE = 2_000_000  # values + characters copied through aliases (max_alias_size())
_UNSET: Any = object()


def load_text(text: str, file: str | None = None) -> DictNode | ListNode | Any:
    """Parse one YAML document into a node tree (an empty document gives an empty DictNode).

    >>> load_text("a: 1e3\\nb: [yes, '010']")._content["b"]._content
    [True, '010']
    """
    value = _build(text, file)
    if value is None:
        return tree.new_dict({}, {})
    return value


def load_value(text: str) -> Any:
    """Parse one YAML document as a value: an empty document or ``null`` is ``None``.

    >>> load_value("[1, yes]")._content, load_value(""), load_value("a")
    ([1, True], None, 'a')
    """
    return _build(text, None)


def read_header(text: str, file: str | None = None) -> dict[str, str]:
    """The ``# @key value`` lines Hydra reads before the first other line (first 512 chars).

    >>> read_header("# @package _global_\\na: 1\\n")
    {'package': '_global_'}
    """
    header: dict[str, str] = {}
    # Hydra reads only the first 512 characters and stops at the first line (blank lines
    # aside) that is not a directive, so a plain comment above "# @package" hides it.
    for number, raw in enumerate(text[:512].splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not _HEADER_RE.match(line):
            break
        words = line.lstrip("#").strip().split(" ")
        words = [w for w in words if w]
        if len(words) != 2:
            problem = "is missing its value" if len(words) < 2 else "has too many parts"
            raise YAMLError(
                f"header line {line!r} {problem}; expected '# @KEY VALUE'",
                location=Location(file, number, 1),
            )
        key, value = words[0][1:], words[1]
        if key == "package" and "" in value.split("."):
            raise YAMLError(
                f"header line {line!r}: the package {value!r} has an empty part; "
                "expected names separated by single dots, such as 'db.primary' or '_global_'",
                location=Location(file, number, 1),
            )
        header[key] = value
    return header


def _describe(value: object) -> str:
    if isinstance(value, ListNode):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"the {type(value).__name__} {value!r}"


# -- building the tree from parser events ------------------------------------------------------


class _MapFrame:
    """A mapping being read: own keys so far, their key locations, pending key, merge sources."""

    __slots__ = ("anchor", "content", "key", "key_loc", "key_locs", "loc", "merges", "origins")

    def __init__(self, loc: Location, anchor: str | None) -> None:
        self.loc = loc
        self.anchor = anchor
        self.content: dict[Any, Any] = {}
        self.origins: dict[Any, Any] = {}
        self.key_locs: dict[Any, Location] = {}
        self.key: Any = _UNSET
        self.key_loc = loc
        self.merges: list[DictNode] | None = None


class _SeqFrame:
    """A sequence being read."""

    __slots__ = ("anchor", "content", "loc", "origins")

    def __init__(self, loc: Location, anchor: str | None) -> None:
        self.loc = loc
        self.anchor = anchor
        self.content: list[Any] = []
        self.origins: list[Location] = []


_MERGE: Any = object()  # the pending key of a mapping after a plain "<<"
_IN_PROGRESS: Any = object()  # an anchored collection whose end has not been read yet


class _Builder:
    """Turns parser events into DictNode/ListNode trees without recursion."""

    __slots__ = (
        "alias_budget",
        "anchor_locs",
        "anchors",
        "documents",
        "file",
        "result",
        "source",
        "stack",
    )

    def __init__(self, file: str | None, source: str | None = None) -> None:
        self.file = file
        # The parsed text, kept only when it has ':' right before ',', ']' or '}' (see scalar).
        self.source = source
        self.stack: list[_MapFrame | _SeqFrame] = []
        self.anchors: dict[str, Any] = {}
        self.anchor_locs: dict[str, Location] = {}
        self.alias_budget = max_alias_size()
        self.documents = 0
        self.result: Any = None

    def _loc(self, event: Any) -> Location:
        mark = event.start_mark
        # tuple.__new__: Location(...) without its keyword handling (one per value read).
        return _new_location(Location, (self.file, mark.line + 1, mark.column + 1, "file", None))

    def document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YAMLError(
                "found a second YAML document; a config file holds exactly one",
                location=self._loc(event),
            )

    def scalar(self, event: Any) -> None:
        loc = self._loc(event)
        tag = event.tag
        text = event.value
        if self.source is not None and tag is None and _ends_in_flow_colon(event, self.source):
            self._flow_colon(text[:-1], loc)
            return
        if tag is None or tag == "!":  # "!" asks for the plain-scalar typing even when quoted
            if not event.implicit[0]:
                value: Any = text
            elif text == "<<":
                self._merge_key(loc)
                return
            else:
                try:
                    value = resolve_plain(text)
                except (ValueError, IndexError):
                    raise YAMLError(f"cannot read {text!r} as a number", location=loc) from None
        else:
            value = explicit_scalar(tag, text, loc)
        if event.anchor is not None:
            self._anchor(event.anchor, loc, value)
        self._add(value, loc)

    def _flow_colon(self, text: str, loc: Location) -> None:
        """``{a:}`` / ``[a:]``: PyYAML reads the ':' before ',', ']' or '}' as the value
        indicator (ruamel, like YAML 1.2, keeps it in the text)."""
        stripped = text.rstrip(" ")
        if stripped.endswith("\t"):
            raise YAMLError(
                "found character '\\t' that cannot start any token; indent with spaces, not tabs",
                location=loc,
            )
        text = stripped
        try:
            key = resolve_plain(text)
        except (ValueError, IndexError):
            raise YAMLError(f"cannot read {text!r} as a number", location=loc) from None
        top = self.stack[-1] if self.stack else None
        if isinstance(top, _SeqFrame):  # a single-pair mapping with an empty value
            self._add(tree.new_dict({key: None}, {key: loc}), loc)
        elif isinstance(top, _MapFrame) and top.key is _UNSET:
            self._add(key, loc)
        else:
            raise YAMLError("expected ',' or '}', but got ':'", location=loc)

    def _merge_key(self, loc: Location) -> None:
        top = self.stack[-1] if self.stack else None
        if not isinstance(top, _MapFrame) or top.key is not _UNSET:
            raise YAMLError(
                "'<<' is the merge key and only works as a mapping key; quote it for the text",
                location=loc,
            )
        top.key = _MERGE
        top.key_loc = loc

    def start(self, event: Any, is_map: bool) -> None:
        loc = self._loc(event)
        tag = event.tag
        if tag is not None and tag != "!" and tag != (TAG_MAP if is_map else TAG_SEQ):
            raise container_tag_error(tag, is_map, loc)
        top = self.stack[-1] if self.stack else None
        if isinstance(top, _MapFrame) and top.key is _UNSET:
            found = "mapping" if is_map else "sequence"
            raise YAMLError(f"a mapping key must be a scalar, found a {found}", location=loc)
        anchor = event.anchor
        if anchor is not None:
            self._anchor(anchor, loc, _IN_PROGRESS)
        self.stack.append(_MapFrame(loc, anchor) if is_map else _SeqFrame(loc, anchor))

    def start_mapping(self, event: Any) -> None:
        self.start(event, True)

    def start_sequence(self, event: Any) -> None:
        self.start(event, False)

    def end_mapping(self, _event: Any) -> None:
        frame = self.stack.pop()
        assert isinstance(frame, _MapFrame)  # the parser balances start and end events
        content, origins = frame.content, frame.origins
        if frame.merges is not None:
            # The first source that has a key wins (a list's earlier entries, then earlier "<<"
            # keys), and every own key wins over all of them. Key order: merged keys first.
            merged: dict[Any, Any] = {}
            merged_origins: dict[Any, Any] = {}
            for source in frame.merges:
                source_origins = tree.origins(source)
                for key, value in tree.content(source).items():
                    if key not in merged:
                        merged[key] = value
                        merged_origins[key] = source_origins.get(key)
            merged.update(content)
            merged_origins.update(origins)
            content, origins = merged, merged_origins
        node = tree.new_dict(content, origins)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = node
        self._add(node, frame.loc)

    def end_sequence(self, _event: Any) -> None:
        frame = self.stack.pop()
        assert isinstance(frame, _SeqFrame)  # the parser balances start and end events
        node = tree.new_list(frame.content, frame.origins)  # type: ignore[arg-type]
        if frame.anchor is not None:
            self.anchors[frame.anchor] = node
        self._add(node, frame.loc)

    def alias(self, event: Any) -> None:
        loc = self._loc(event)
        name = event.anchor
        value = self.anchors.get(name, _UNSET)
        if value is _UNSET:
            raise YAMLError(f"alias '*{name}' refers to no anchor defined before it", location=loc)
        if value is _IN_PROGRESS:
            raise YAMLError(
                f"alias '*{name}' is inside the collection it refers to; recursive structures "
                "are not supported",
                location=loc,
            )
        if isinstance(value, Container):
            top = self.stack[-1] if self.stack else None
            if isinstance(top, _MapFrame) and top.key is _UNSET:
                raise YAMLError(
                    f"a mapping key must be a scalar, found alias '*{name}' of a collection",
                    location=loc,
                )
            self.alias_budget -= _count_values(value, self.alias_budget + 1)
            value = tree.copy_node(value)
        else:
            self.alias_budget -= _scalar_size(value)
        if self.alias_budget < 0:
            raise YAMLError(
                f"aliases expand to more than {max_alias_size()} values and characters "
                "(raise CONFCOMPOSE_MAX_ALIAS_SIZE if the document is right)",
                location=loc,
            )
        self._add(value, loc)

    def _anchor(self, name: str, loc: Location, value: Any) -> None:
        first = self.anchor_locs.get(name)
        if first is not None:
            raise YAMLError(
                f"duplicate anchor '&{name}' (first defined at {first.format()})", location=loc
            )
        self.anchors[name] = value
        self.anchor_locs[name] = loc

    def _add(self, value: Any, loc: Location) -> None:
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        if isinstance(top, _SeqFrame):
            top.content.append(value)
            top.origins.append(loc)
            return
        key = top.key
        if key is _UNSET:
            if value is None:
                raise YAMLError("null cannot be a mapping key; quote it for the text", location=loc)
            # Interned: the same keys recur across files and nodes (one string, not thousands).
            top.key = _intern(value) if type(value) is str else value
            top.key_loc = loc
            return
        top.key = _UNSET
        if key is _MERGE:
            self._merge_value(top, value, loc)
            return
        first = top.key_locs.get(key)
        if first is not None:
            raise YAMLError(
                f"duplicate key {key!r} (first defined at {first.format()})", location=top.key_loc
            )
        top.key_locs[key] = top.key_loc
        top.content[key] = value
        top.origins[key] = loc

    def _merge_value(self, frame: _MapFrame, value: Any, loc: Location) -> None:
        if isinstance(value, DictNode):
            sources = [value]
        elif isinstance(value, ListNode) and all(
            isinstance(v, DictNode) for v in tree.content(value)
        ):
            sources = list(tree.content(value))
        else:
            raise YAMLError(
                f"the merge key '<<' needs a mapping or a list of mappings, found "
                f"{_describe(value)}",
                location=loc,
            )
        if frame.merges is None:
            frame.merges = []
        frame.merges.extend(sources)


def _scalar_size(value: Any) -> int:
    """What copying a scalar costs: one value plus its characters (a long text aliased many
    times makes as large an output as many values)."""
    return 1 + len(value) if isinstance(value, str | bytes) else 1


def _count_values(node: Container, limit: int) -> int:
    """The expanded size of ``node``: values and text characters (stops counting past ``limit``)."""
    total = 0
    pending: list[Any] = [node]
    while pending and total <= limit:
        current = pending.pop()
        items = (
            tree.content(current).values()
            if isinstance(current, DictNode)
            else tree.content(current)
        )
        for v in items:
            if isinstance(v, Container):
                total += 1
                pending.append(v)
            else:
                total += _scalar_size(v)
    return total


def max_alias_size() -> int:
    """The budget of values and characters copied through aliases in one document
    (``CONFCOMPOSE_MAX_ALIAS_SIZE``, default 2,000,000): stops "billion laughs" documents."""
    try:
        size = int(os.environ.get("CONFCOMPOSE_MAX_ALIAS_SIZE", _MAX_ALIAS_SIZE))
    except ValueError:
        return _MAX_ALIAS_SIZE
    return size if size > 0 else _MAX_ALIAS_SIZE


# libyaml accepts tabs as separators where PyYAML (and so OmegaConf) does not, and reads these
# line breaks differently: text with such line breaks takes the pure parser. Text with tabs is
# read by libyaml, and each top-level entry holding a tab is read again by the pure parser
# alone (it must give the same values); an error is worded by the pure parser from the
# top-level entry where libyaml stopped. So one tab or one typo in a large file costs a re-read
# of one entry, not of the whole file.
_C_UNSAFE = lazy_re("[\x85\u2028\u2029]")


class _Inconclusive(Exception):
    """A window of the text could not decide (an alias to an earlier anchor, a merge key, ...)."""


def _build(text: str, file: str | None) -> Any:
    fast = _c_parser()
    if fast is None or _C_UNSAFE.search(text):
        return _build_pure(text, file)
    keys: list[tuple[int, int]] = []  # (line, column) of each top-level key libyaml read
    tabs = "\t" in text
    events = _c_events(fast, text)
    try:
        # Noting the keys costs ~7% of a parse: only when a tab needs checking.
        result = _run(_top_keys(events, keys) if tabs else events, file, text)
    except YAMLError:
        if not tabs:
            raise  # our own check (duplicate key, bad tag, ...): both parsers agree on the text
        return _build_pure(text, file)
    except RecursionError:
        return _build_pure(text, file)
    except Exception as exc:  # libyaml's syntax error: let the pure parser word it
        line = _error_line(exc)
        if not tabs:  # libyaml again (fast), noting the top-level keys up to the error
            with contextlib.suppress(Exception):
                for _ in _top_keys(_c_events(fast, text), keys):
                    pass
        with contextlib.suppress(_Inconclusive):
            _check_windows(text, file, keys, line, None)
        return _build_pure(text, file)
    if tabs:
        try:
            _check_windows(text, file, keys, None, result)
        except _Inconclusive:
            return _build_pure(text, file)
    return result


def _top_keys(events: Iterator[Any], keys: list[tuple[int, int]]) -> Iterator[Any]:
    """Pass ``events`` through, noting where each key of a block mapping at the root starts."""
    from ruamel.yaml import events as ev

    depth = 0
    items = 0  # nodes read directly in the root mapping: keys are the even ones
    block_root = False
    for event in events:
        kind = type(event)
        if kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if depth == 0:
                block_root = kind is ev.MappingStartEvent and not event.flow_style
            elif depth == 1 and block_root:
                items += 1
            depth += 1
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            depth -= 1
        elif (kind is ev.ScalarEvent or kind is ev.AliasEvent) and depth == 1 and block_root:
            if items % 2 == 0:
                mark = event.start_mark
                keys.append((mark.line, mark.column))
            items += 1
        yield event


def _error_line(exc: Exception) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = getattr(mark, "line", None)
    return line if isinstance(line, int) else None


def _check_windows(
    text: str, file: str | None, keys: list[tuple[int, int]], error_line: int | None, result: Any
) -> None:
    """Re-read with the pure parser the top-level entries that hold a tab (and, after a libyaml
    error, the entry where it stopped): raise its error, or ``_Inconclusive``."""
    if not keys or any(col != keys[0][1] for _, col in keys):
        raise _Inconclusive
    lines = text.splitlines(keepends=True)
    starts = [0] + [line for line, _ in keys[1:]]
    ends = [line for line, _ in keys[1:]] + [len(lines)]
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        window = lines[start:end]
        last = error_line is not None and i == len(starts) - 1
        if not last and not any("\t" in w for w in window):
            continue
        if error_line is not None and start > error_line:
            break
        part = _pure_window("".join(window), file, start, keys[0])
        if last:
            raise _Inconclusive  # libyaml failed here but the pure parser did not
        if result is not None and not _same_entries(part, result):
            raise _Inconclusive


def _pure_window(text: str, file: str | None, offset: int, root: tuple[int, int]) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    try:
        return _run(yaml.parse(text), None, text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, file, offset, root) from None
    except ReaderError as exc:
        raise _reader_error(exc, text, file, offset) from None
    except Exception:
        raise _Inconclusive from None


def _same_entries(part: Any, whole: Any) -> bool:
    """Whether every key of the window's mapping has the same value in the whole document."""
    if not isinstance(part, DictNode) or not isinstance(whole, DictNode):
        return False
    pending = [
        (tree.content(part)[k], tree.content(whole).get(k, _UNSET)) for k in tree.content(part)
    ]
    while pending:
        a, b = pending.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, DictNode):
            if list(tree.content(a)) != list(tree.content(b)):
                return False
            pending.extend((tree.content(a)[k], tree.content(b)[k]) for k in tree.content(a))
        elif isinstance(a, ListNode):
            if len(tree.content(a)) != len(tree.content(b)):
                return False
            pending.extend(zip(tree.content(a), tree.content(b), strict=True))
        elif a != b and not (isinstance(a, float) and math.isnan(a) and math.isnan(b)):
            return False
    return True


def _c_parser() -> Any:
    """libyaml's parser from ruamel.yaml's C extension, when installed and not switched off.

    It emits the same events as the pure-Python parser about 20 times faster; the pure parser
    stays the reference (``CONFCOMPOSE_PURE_YAML=1`` forces it) and words every error.
    """
    if os.environ.get("CONFCOMPOSE_PURE_YAML") == "1":
        return None
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found]
    except ImportError:
        return None
    return CParser


def _c_events(parser_cls: Any, text: str) -> Iterator[Any]:
    from ruamel.yaml.events import StreamEndEvent

    get = parser_cls(text).get_event
    while True:
        event = get()
        yield event
        if type(event) is StreamEndEvent:
            return


_FLOW_COLON = lazy_re(r":[,\]}]")


def _ends_in_flow_colon(event: Any, source: str) -> bool:
    value = event.value
    if not value.endswith(":") or event.style not in (None, "") or not event.implicit[0]:
        return False
    end = event.end_mark.index
    return end < len(source) and source[end] in ",]}"


def _run(events_iter: Iterable[Any], file: str | None, text: str | None = None) -> Any:
    from ruamel.yaml import events

    source = text if text is not None and _FLOW_COLON.search(text) else None
    builder = _Builder(file, source)
    handlers = {
        events.ScalarEvent: builder.scalar,
        events.MappingStartEvent: builder.start_mapping,
        events.MappingEndEvent: builder.end_mapping,
        events.SequenceStartEvent: builder.start_sequence,
        events.SequenceEndEvent: builder.end_sequence,
        events.AliasEvent: builder.alias,
        events.DocumentStartEvent: builder.document,
    }
    for event in events_iter:
        handler = handlers.get(type(event))
        if handler is not None:
            handler(event)
    return builder.result


def _build_pure(text: str, file: str | None) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)  # YAML 1.1 syntax rules, as PyYAML (and so OmegaConf) reads them
    try:
        return _run(yaml.parse(text), file, text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
    except ReaderError as exc:
        raise _reader_error(exc, text, file) from None
    except RecursionError:
        raise YAMLError("the document is nested too deeply", location=Location(file)) from None


# ruamel names tokens by their internal ids; say what they are instead.
_TOKEN_WORDS = {
    "<stream end>": "the end of the text",
    "<block end>": "the end of the block",
    "<document start>": "a new document",
    "<block mapping start>": "a more indented mapping",
    "<block sequence start>": "a more indented list",
    "<scalar>": "a value",
    "?": "a mapping key",
    ":": "':'",
    "-": "a list item '-'",
    "end of stream": "end of the text",
}
_TOKEN_RE = lazy_re(r"\('([^']*)',\)|'(<[a-z ]+>|\?|:|-)'|(<[a-z ]+>|end of stream)")


def _token_words(match: re.Match[str]) -> str:
    name = match.group(1) or match.group(2) or match.group(3)
    return _TOKEN_WORDS.get(name, name)


def _syntax_error(
    exc: Any, file: str | None, offset: int = 0, root: tuple[int, int] | None = None
) -> YAMLError:
    """Our error for ruamel's: the problem in words at its place, and what was being read
    (``offset``: lines before the window that was parsed; ``root``: where the document's root
    mapping starts, which the window sees at its own first line)."""
    mark = exc.problem_mark or exc.context_mark
    loc = (
        Location(file, offset + mark.line + 1, mark.column + 1)
        if mark is not None
        else Location(file)
    )
    msg = _TOKEN_RE.sub(_token_words, str(exc.problem or exc.context or "malformed YAML"))
    if exc.problem and exc.context:
        context = str(exc.context).removeprefix("while ")
        cmark = exc.context_mark
        if cmark is not None and (cmark.line, cmark.column) != (mark.line, mark.column):
            cline = offset + cmark.line
            at_root = root is not None and (cmark.line, cmark.column) == (0, root[1])
            if at_root and "block mapping" in context:
                cline = root[0]  # type: ignore[index]
            context += f" that starts at {cline + 1}:{cmark.column + 1}"
        msg += f" (while {context})"
    if "'\\t'" in msg:
        msg += "; indent with spaces, not tabs"
    elif "the end of the block" in msg or "a new document" in msg:
        msg += "; check the indentation"
    return YAMLError(msg, location=loc)


def _reader_error(exc: Any, text: str, file: str | None, offset: int = 0) -> YAMLError:
    position = int(exc.position)
    line = offset + text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return YAMLError(
        f"character U+{char:04X} is not allowed in YAML", location=Location(file, line, column)
    )
