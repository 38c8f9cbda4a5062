"""The token regexes of both grammars, written once for every hand-written parser.

The Lark grammars (``grammar/override.lark``, ``grammar/interpolation.lark``) are the
reference; the fast paths (``overrides``, ``_override_rd``, ``_interp_lex``,
``interpolation``) must accept exactly the same tokens, so they build their regexes from the
strings below and ``tests/test_lexicon.py`` draws strings from each grammar terminal and checks
the lexicon regex agrees (and the other way round).

Plain strings, not compiled patterns: each user compiles what it needs, when it needs it, so
importing this module costs nothing.
"""

from __future__ import annotations

# ---- numbers, booleans, null: Hydra's OverrideLexer.g4 and OmegaConf's lexer agree -------

INT_UNSIGNED = r"(?:0|[1-9](?:_?[0-9])*)"
DIGITS = r"[0-9](?:_?[0-9])*"
EXPONENT = rf"[eE][+-]?{DIGITS}"
# Alternatives are ordered so that the first one that matches is also the longest (ANTLR's DFA
# takes the longest; Python's regex takes the first alternative that succeeds).
FLOAT = (
    rf"[+-]?(?:{INT_UNSIGNED}?\.{DIGITS}(?:{EXPONENT})?|{INT_UNSIGNED}\.(?:{EXPONENT})?"
    rf"|{INT_UNSIGNED}{EXPONENT}|[Ii][Nn][Ff]|[Nn][Aa][Nn])"
)
INT = rf"[+-]?{INT_UNSIGNED}"
BOOL = r"[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]"
NULL = r"[Nn][Uu][Ll][Ll]"

# A name: function names in overrides, resolver name parts and keys in interpolations.
ID = r"[A-Za-z_][A-Za-z0-9_\-]*"

# ---- override keys ------------------------------------------------------------------------

# One segment of a dotted key: Hydra's ID with its KEY_SPECIAL '$', an unsigned int, or (our
# extension) a quoted segment for keys that contain dots. Packages take no quoted segments.
KEY_ID = r"[A-Za-z_$][A-Za-z0-9_\-$]*"
QUOTED_SEGMENT = r"'[^']+'|\"[^\"]+\""
SEGMENT = rf"{KEY_ID}|{INT_UNSIGNED}|{QUOTED_SEGMENT}"
PACKAGE_SEGMENT = rf"{KEY_ID}|{INT_UNSIGNED}"
GROUP_PATH = rf"{ID}(?:/{ID})+"
# A lone int is no key; a key may start with one when more segments follow (`0.a`).
KEY = (
    rf"{GROUP_PATH}|(?:{KEY_ID}|{QUOTED_SEGMENT})(?:\.(?:{SEGMENT}))*"
    rf"|{INT_UNSIGNED}(?:\.(?:{SEGMENT}))+"
)
PACKAGE = rf"{KEY_ID}(?:\.(?:{PACKAGE_SEGMENT}))*|{INT_UNSIGNED}(?:\.(?:{PACKAGE_SEGMENT}))+"
# The keys of the common case, without quotes: what the regex fast path accepts.
PLAIN_KEY = rf"{KEY_ID}(?:\.(?:{PACKAGE_SEGMENT}))*|{GROUP_PATH}"
# The prefix of an override kind: change (none), delete, add, force_add.
PREFIX = r"~|\+\+|\+|"
EQUAL = r"=[ \t]*"

# ---- override values ----------------------------------------------------------------------

# The characters both grammars treat specially, and their backslash escapes (`\,`, `\ `).
SPECIAL_CHARS = "\\()[]{}:=, \t"
ESCAPE = r"\\[\\()\[\]{}:=, \t]"
# A run of unquoted characters: ${...} kept whole (it may hold ','), escapes, plain characters.
CHUNK = rf"(?:\$\{{[^}}]+\}}|{ESCAPE}|[A-Za-z0-9_\-/\\+.$%*@?|: \t])+"
# Dict keys: the same without ':' and interpolations.
DICT_KEY = rf"(?:{ESCAPE}|[A-Za-z0-9_\-/\\+.$%*@?| \t])+"
# A chunk of one token without blanks, escapes or interpolations (the regex fast path's values).
PLAIN_TOKEN = r"[A-Za-z0-9_\-/+.$%*@?|:]+"
# A quoted string ends at the first quote preceded by an even number of backslashes.
QUOTED = r"'(?:[^'\\]|\\[\s\S])*'|\"(?:[^\"\\]|\\[\s\S])*\""
FUNC_OPEN = rf"{ID}[ \t]*\([ \t]*"
KWARG = rf"{ID}[ \t]*=[ \t]*"
COMMA = r"[ \t]*,[ \t]*"
COLON = r"[ \t]*:[ \t]*"
LBRACK = r"\[[ \t]*"
RBRACK = r"[ \t]*\]"
LBRACE = r"\{[ \t]*"
RBRACE = r"[ \t]*\}"
RPAREN = r"[ \t]*\)"

# ---- interpolations -----------------------------------------------------------------------

INTER_OPEN = r"\$\{[ \t]*"
ESC_INTER = r"(?:\\\\)*\\\$\{"
# A key inside ${...} that is not an ID (OmegaConf's INTER_KEY).
INTER_KEY = r"[^\\{}()\[\]:. \t'\"]+"
# A key of a simple ${a.b[0]}: only characters that both ID and INTER_KEY accept.
SELECT_KEY = r"[A-Za-z0-9_\-]+"
# A resolver name: IDs joined by dots.
RESOLVER_NAME = rf"{ID}(?:\.{ID})*"
# A resolver argument that is one plain token (no blanks, quotes, brackets, escapes, ${).
PLAIN_ARG = r"[A-Za-z0-9_./%+\-]+"

# The same character classes as sets, for fast paths that read a text without compiling a
# pattern (tests/test_lexicon.py checks each against its regex, character by character).
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SELECT_KEY_CHARS = frozenset(_LETTERS + "0123456789_-")  # SELECT_KEY
ID_FIRST_CHARS = frozenset(_LETTERS + "_")  # the first character of ID
ID_CHARS = SELECT_KEY_CHARS  # the other characters of ID
PLAIN_ARG_CHARS = SELECT_KEY_CHARS | frozenset("./%+")  # PLAIN_ARG
