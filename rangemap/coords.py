r"""Coordinates as people type them: decimal degrees, degrees-minutes-seconds, N/S/E/W.

Public functions
----------------
parse_pair
    Read a latitude and a longitude from one text: ``26.2, 127.7``, ``26°12'N 127°41'E``,
    ``N26.2 E127.7``, ``127.7E 26.2N``, ``50,04; 21,99``.
parse_angle
    Read one latitude or longitude (a table cell): ``50,04``, ``33.9S``, ``26°12'30"N``.
looks_like_coordinates
    Whether a text is written in this grammar with numbers in it (a coordinate attempt,
    not a place name).

The grammar (issue 14)
----------------------
1. A **number** is digits with an optional decimal part after ``.``, or after ``,`` (a
   decimal comma) where a comma cannot be the separator (rule 4). No exponents.
2. A **coordinate** is degrees, optionally minutes, optionally seconds. Marks:
   ``° º ˚`` for degrees, ``' ′ ’ ‘ ´`` for minutes, ``" ″ ” “`` or ``''`` for seconds.
   Only the last part may have a fraction (``26°12.5'``); minutes and seconds are below
   60. Several numbers without any mark need a hemisphere letter (``26 12 N``): ``26 12``
   alone may just as well be two coordinates.
3. A **hemisphere letter** N, S, E or W (any case) stands before or after a coordinate,
   never both, never with a sign; S and W are negative. N/S is a latitude of at most 90,
   E/W a longitude of at most 180.
4. A **pair** is two coordinates separated by ``;``, by one ``,``, by white space, or by
   nothing after or before a hemisphere letter (``26.2N127.7E``). A decimal comma needs
   the ``;`` or white space separator: ``50,04; 21,99`` and ``50,04 21,99`` read, while
   ``12,34,56`` is refused (``12,34; 56`` or ``12; 34,56``?).
5. **Latitude first**, unless hemisphere letters say otherwise (``127.7E 26.2N``).
6. A text that reads in more than one way is refused, naming the readings.

Values are returned unnormalised (a longitude may be up to 540 without a letter); the
caller checks ranges (:func:`rangemap.geodesy.check_point` does) and rounds. Errors are
:class:`~rangemap.errors.RangemapError` naming the text; callers re-raise their own class.
Work is linear in the text, which is at most :data:`MAX_COORDINATE_CHARS` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from rangemap.errors import RangemapError

__all__ = ["MAX_COORDINATE_CHARS", "looks_like_coordinates", "parse_angle", "parse_pair"]

#: Longest coordinate text read; anything longer is not a typed coordinate.
MAX_COORDINATE_CHARS = 100

#: Most tokens of each kind a pair can hold (two coordinates of a letter, a sign and
#: three marked numbers, the last maybe ``30,5``: two number tokens; white space between
#: any two; a comma between them). More is not a pair; these bound the readings tried.
_MOST = {"num": 8, "hemi": 2, "sign": 2, "comma": 3, "semi": 1, "space": 20,
         "deg": 2, "min": 2, "sec": 2}  # fmt: skip
_PLURAL = {"num": "numbers", "hemi": "hemisphere letters", "sign": "signs", "comma": "','",
           "semi": "';'", "space": "spaces", "deg": "° marks", "min": "' marks",
           "sec": '" marks'}  # fmt: skip

_TOKEN = re.compile(
    r"(?P<num>[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)"
    r"|(?P<deg>[°º˚])"
    r"|(?P<sec>''|[\"″”“])"
    r"|(?P<min>['′’‘´])"
    r"|(?P<hemi>[NSEWnsew])"
    r"|(?P<sign>[-+−])"
    r"|(?P<comma>,)|(?P<semi>;)|(?P<space>\s++)"
)
#: Every character a token may hold (a quick test, without tokens), and runs of digits.
_ALPHABET = re.compile(r"[0-9.,;°º˚'′’‘´\"″”“NSEWnsew+\-−\s]*+")
_DIGIT_RUNS = re.compile(r"[0-9]++")
_MARKS = {"deg": 0, "min": 1, "sec": 2}
_UNIT = ("degrees", "minutes", "seconds")
_EXAMPLE = "e.g. 26.2, 127.7 or 26°12'N 127°41'E"


class _Token(NamedTuple):
    kind: str
    text: str


class _Bad(Exception):
    """One reading failed; ``depth`` says how far it got (0 lexical ... 2 values)."""

    def __init__(self, message: str, depth: int) -> None:
        super().__init__(message)
        self.depth = depth


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:
            break
        out.append(_Token(match.lastgroup or "", match.group()))
        pos = match.end()
    if pos != len(text):
        raise _Bad(f"unexpected character {text[pos]!r}", 0)
    return out


def _merge_decimal_commas(tokens: list[_Token]) -> list[_Token]:
    """Join ``digits , digits`` (no space) into one number with a decimal point."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.kind == "num" and tok.text.isdigit() and i + 2 < len(tokens)
            and tokens[i + 1].kind == "comma"
            and tokens[i + 2].kind == "num" and tokens[i + 2].text.isdigit()
        ):  # fmt: skip
            out.append(_Token("num", f"{tok.text}.{tokens[i + 2].text}"))
            i += 3
        else:
            out.append(tok)
            i += 1
    return out


def _text(tokens: list[_Token]) -> str:
    return "".join(t.text for t in tokens).strip()


@dataclass(frozen=True)
class _Term:
    value: float
    axis: str | None  # "lat", "lon", or None without a hemisphere letter
    tokens: list[_Token]


def _term(raw: list[_Token], *, decimal_comma: bool) -> _Term:
    """Read one coordinate from its tokens (white space between them allowed)."""
    shown = _text(raw)
    tokens = raw
    if decimal_comma and any(t.kind == "comma" for t in tokens):
        tokens = _merge_decimal_commas(tokens)
    tokens = [t for t in tokens if t.kind != "space"]
    if not tokens:
        raise _Bad("a coordinate is missing", 1)
    for t in tokens:
        if t.kind in ("comma", "semi"):
            raise _Bad(f"unexpected {t.text!r} in {shown!r}", 0)
    letters = [i for i, t in enumerate(tokens) if t.kind == "hemi"]
    letter = ""
    if letters:
        if len(letters) > 1 or letters[0] not in (0, len(tokens) - 1):
            raise _Bad(f"{shown!r} has a hemisphere letter inside or more than one", 1)
        letter = tokens.pop(letters[0]).text.upper()
    negative = False
    if tokens and tokens[0].kind == "sign":
        negative = tokens.pop(0).text != "+"
        if letter:
            raise _Bad(f"{shown!r} has both a sign and a hemisphere letter", 2)
    parts: list[tuple[str, int | None]] = []  # (number, position its mark gives)
    for t in tokens:
        if t.kind == "num":
            parts.append((t.text, None))
        elif t.kind in _MARKS and parts and parts[-1][1] is None:
            parts[-1] = (parts[-1][0], _MARKS[t.kind])
        else:
            raise _Bad(f"unexpected {t.text!r} in {shown!r}", 1)
    if not parts or len(parts) > 3:
        raise _Bad(f"{shown!r} is not degrees, minutes and seconds", 1)
    if len(parts) > 1 and not letter and all(mark is None for _, mark in parts):
        raise _Bad(
            f"{shown!r} has {len(parts)} numbers without a mark (° ' \") or N/S/E/W letter: "
            "degrees and minutes, or two coordinates?",
            1,
        )
    value = 0.0
    for position, (number, mark) in enumerate(parts):
        if mark is not None and mark != position:
            raise _Bad(f"{shown!r}: the mark after {number!r} says {_UNIT[mark]}", 1)
        if "." in number and position < len(parts) - 1:
            raise _Bad(f"{shown!r}: only the last part may have a fraction ({number!r})", 1)
        amount = float(number)
        if position and amount >= 60:
            raise _Bad(f"{shown!r}: {_UNIT[position]} must be below 60, got {number!r}", 2)
        value += amount / 60**position
    axis = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}.get(letter)
    limit = 90 if axis == "lat" else 180
    if axis and value > limit:
        kind = "latitude" if axis == "lat" else "longitude"
        raise _Bad(f"{kind} {shown!r} is beyond {limit}°", 2)
    if negative or letter in ("S", "W"):
        value = -value
    return _Term(value + 0.0, axis, raw)


def _pair(left: _Term, right: _Term) -> tuple[float, float]:
    """Order two coordinates as (lat, lon): latitude first unless letters say otherwise."""
    if left.axis and left.axis == right.axis:
        kind = "latitudes" if left.axis == "lat" else "longitudes"
        raise _Bad(f"{_text(left.tokens)!r} and {_text(right.tokens)!r} are both {kind}", 2)
    if left.axis == "lon" or right.axis == "lat":
        return right.value, left.value
    return left.value, right.value


def _split_points(tokens: list[_Token]) -> list[tuple[int, int, bool, str]]:
    """Where a pair may split: (end of left, start of right, decimal comma?, separator)."""
    kinds = [t.kind for t in tokens]
    for kind, most in _MOST.items():
        if kinds.count(kind) > most:
            raise _Bad(f"more than {'one' if most == 1 else most} {_PLURAL[kind]}", 1)
    if "semi" in kinds:
        i = kinds.index("semi")
        return [(i, i + 1, True, ";")]
    points = []
    if kinds.count("comma") == 1:
        i = kinds.index("comma")
        points.append((i, i + 1, False, ","))
    points += [(i, i + 1, True, " ") for i, k in enumerate(kinds) if k == "space"]
    for i, k in enumerate(kinds):  # no separator: 26.2N127.7E, N26.2E127.7
        if k != "hemi":
            continue
        if 0 < i < len(kinds) - 1 and kinds[i + 1] in ("num", "sign"):
            points.append((i + 1, i + 1, True, ""))
        if i > 0 and kinds[i - 1] in ("num", *_MARKS):
            points.append((i, i, True, ""))
    # Each side holds one to four number tokens (26 12 30,5) and at most one letter:
    # counting them first leaves few of the many white-space readings (a comma, the
    # separator the user chose, is always read: its error says most).
    nums, letters = [0], [0]
    for k in kinds:
        nums.append(nums[-1] + (k == "num"))
        letters.append(letters[-1] + (k == "hemi"))
    return [
        (end, start, decimal_comma, sep) for end, start, decimal_comma, sep in points
        if sep == "," or (1 <= nums[end] <= 4 and 1 <= nums[-1] - nums[start] <= 4
                          and letters[end] <= 1 and letters[-1] - letters[start] <= 1)
    ]  # fmt: skip


def _continues(left: list[_Token], right: list[_Token], *, decimal_comma: bool) -> bool:
    """Whether ``26°`` + ``12`` (or ``26°12'`` + ``30``) may be one coordinate."""
    if decimal_comma:  # 10° 20,5° is two coordinates
        right = _merge_decimal_commas(right)
    left = [t for t in left if t.kind != "space"]
    right = [t for t in right if t.kind != "space"]
    if not left or left[-1].kind not in ("deg", "min") or not right:
        return False
    return right[0].kind == "num" and (len(right) == 1 or right[1].kind not in _MARKS)


def _shown(text: str) -> str:
    return repr(text if len(text) <= MAX_COORDINATE_CHARS else text[:MAX_COORDINATE_CHARS] + "...")


def parse_pair(text: str) -> tuple[float, float]:
    """Read a latitude and a longitude from text a person typed (see the module grammar).

    Parameters
    ----------
    text : str
        Two coordinates, at most :data:`MAX_COORDINATE_CHARS` characters; may be wrapped
        in parentheses.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` in degrees, S and W negative, not range-checked beyond rule 3.

    Raises
    ------
    RangemapError
        Naming the text and what is wrong; for an ambiguous text, its readings.

    Examples
    --------
    >>> parse_pair("26°12'N 127°41'E")
    (26.2, 127.68333333333334)
    >>> parse_pair("127.7E 26.2N"), parse_pair("50,04; 21,99"), parse_pair("33.9S, 151.2E")
    ((26.2, 127.7), (50.04, 21.99), (-33.9, 151.2))
    >>> parse_pair("12,34,56")
    Traceback (most recent call last):
    ...
    rangemap.errors.RangemapError: cannot read '12,34,56' as LAT,LON: ',' cannot both ...
    """
    text = str(text)
    if len(text) > MAX_COORDINATE_CHARS:
        raise RangemapError(f"cannot read {_shown(text)} as LAT,LON: longer than "
                            f"{MAX_COORDINATE_CHARS} characters")  # fmt: skip
    body = text.strip()
    if body[:1] == "(" and body[-1:] == ")":
        body = body[1:-1]
    found: list[tuple[float, float]] = []
    failures: list[_Bad] = []
    doubtful = False  # a reading where a number may belong to the coordinate before it
    try:
        tokens = _tokens(body.strip())
        points = _split_points(tokens)
    except _Bad as exc:
        tokens, points = [], []
        failures.append(exc)
    for end, start, decimal_comma, sep in points:
        left, right = tokens[:end], tokens[start:]
        try:
            latlon = _pair(_term(left, decimal_comma=decimal_comma),
                           _term(right, decimal_comma=decimal_comma))  # fmt: skip
        except _Bad as exc:
            failures.append(exc)
            continue
        if sep in (" ", "") and _continues(left, right, decimal_comma=decimal_comma):
            doubtful = True  # 26° 12: refused alone, and one reading more of 10° 20,5
            failures.append(_Bad(f"is {_text(right)!r} part of {_text(left)!r} or the other "
                                 "coordinate? Separate the two with ',' or ';'", 3))  # fmt: skip
        if latlon not in found:
            found.append(latlon)
    if len(found) == 1 and not doubtful:
        return found[0]
    if len(found) > 1:
        readings = " or ".join(f"{lat:g}, {lon:g}" for lat, lon in found)
        raise RangemapError(f"cannot read {_shown(text)} as LAT,LON: it reads as {readings}")
    kinds = [t.kind for t in tokens]
    if kinds.count("comma") > 1 and "semi" not in kinds:
        detail = "',' cannot both separate the two and be a decimal comma"
        if kinds == ["num", "comma", "num", "comma", "num"]:
            a, b, c = (t.text for t in tokens[::2])
            detail += f" (is it {a},{b}; {c} or {a}; {b},{c}?)"
        detail += "; separate them with ';' (e.g. 50,04; 21,99) or use decimal points"
    elif failures:
        detail = f"{max(failures, key=lambda f: f.depth).args[0]} ({_EXAMPLE})"
    else:
        detail = f"expected two coordinates ({_EXAMPLE})"
    raise RangemapError(f"cannot read {_shown(text)} as LAT,LON: {detail}")


def parse_angle(text: str, *, axis: str) -> float:
    """Read one latitude or longitude: decimal (``.`` or ``,``), DMS, N/S/E/W letters.

    Parameters
    ----------
    text : str
        One coordinate (a table cell), at most :data:`MAX_COORDINATE_CHARS` characters.
    axis : {"lat", "lon"}
        Which one it is: a hemisphere letter must agree (N/S for ``lat``, E/W for ``lon``).

    Returns
    -------
    float
        Degrees, S and W negative.

    Raises
    ------
    RangemapError
        Naming the text and what is wrong.

    Examples
    --------
    >>> parse_angle("50,04", axis="lat"), parse_angle("26°12′30″S", axis="lat")
    (50.04, -26.208333333333332)
    >>> parse_angle("127.7E", axis="lat")
    Traceback (most recent call last):
    ...
    rangemap.errors.RangemapError: cannot read '127.7E' as a latitude: its letter says longitude
    """
    kind = {"lat": "latitude", "lon": "longitude"}[axis]
    text = str(text)
    try:
        if len(text) > MAX_COORDINATE_CHARS:
            raise _Bad(f"longer than {MAX_COORDINATE_CHARS} characters", 0)
        term = _term(_tokens(text.strip()), decimal_comma=True)
    except _Bad as exc:
        raise RangemapError(f"cannot read {_shown(text)} as a {kind}: {exc}") from None
    if term.axis not in (None, axis):
        other = "latitude" if term.axis == "lat" else "longitude"
        raise RangemapError(f"cannot read {_shown(text)} as a {kind}: its letter says {other}")
    return term.value


def looks_like_coordinates(text: str, *, numbers: int = 2) -> bool:
    """Whether ``text`` is written in the coordinate grammar with ``numbers`` numbers or more.

    A place name (``Guam``, ``s-300``) is not; ``26 12 N 127 41 E`` and ``95N 0E`` are,
    even when they are wrong, so that the caller reports the coordinate error rather than
    "unknown place".

    Examples
    --------
    >>> looks_like_coordinates("N26.2 E127.7"), looks_like_coordinates("Site 12")
    (True, False)
    >>> looks_like_coordinates("s-300"), looks_like_coordinates("s-300", numbers=1)
    (False, True)
    """
    text = str(text).strip()
    if len(text) > MAX_COORDINATE_CHARS:
        return False
    if text[:1] == "(" and text[-1:] == ")":
        text = text[1:-1]
    return bool(_ALPHABET.fullmatch(text)) and len(_DIGIT_RUNS.findall(text)) >= numbers
