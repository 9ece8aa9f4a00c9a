"""How a table file was written (private): its encoding, its delimiter, decimal commas.

Spreadsheets write CSV in the user's locale (issue 14): a European Excel saves
``name;lat;lon`` with ``50,04`` in Windows-1252, its "Unicode text" is UTF-16 with tabs,
and LibreOffice writes UTF-8 with or without a BOM. :func:`rangemap._io.read_table` reads
all of them through these helpers, which know nothing of the loaders: they raise
:class:`ValueError` with the reason and the caller names the file.

Public functions
----------------
decode_text
    Bytes to text: UTF-8 (BOM or not); for tables also UTF-16 with a BOM and
    Windows-1252.
sniff_delimiter
    ``,``, ``;`` or tab, from the header line.
split_decimal_comma
    Where a row has more cells than the header because ``,`` is both the delimiter and a
    decimal comma (``Rzeszów,50,04,21,99``).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable

__all__ = ["DELIMITERS", "decode_text", "sniff_delimiter", "split_decimal_comma"]

#: The delimiters a table may use, in the order that breaks a tie.
DELIMITERS = (",", ";", "\t")

#: A well-formed UTF-8 sequence of two to four bytes: in a file that is not UTF-8 as a
#: whole, it means two encodings are mixed (a UTF-8 file with one stray Latin-1 byte),
#: which Windows-1252 would turn into mojibake ("RzeszÃ³w") without a word.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: A quoted cell (``""`` inside is two quoted runs): it may hold any delimiter.
_QUOTED = re.compile(r'"[^"]*+"')
_INTEGER = re.compile(r"\s*+[-+]?[0-9]++\s*+")
_DIGITS = re.compile(r"\s*+[0-9]++\s*+")


def decode_text(data: bytes, *, spreadsheet: bool = False) -> str:
    r"""Decode a file's bytes: UTF-8, and what spreadsheets write when ``spreadsheet``.

    Parameters
    ----------
    data : bytes
        The whole file.
    spreadsheet : bool, optional
        Also accept UTF-16 with a byte-order mark, and Windows-1252 when the bytes are not
        UTF-8. Windows-1252 is a superset of the printable Latin-1 (ISO-8859-1)
        characters, so a Latin-1 file reads the same; its five undefined bytes
        (0x81, 0x8D, 0x8F, 0x90, 0x9D) are refused.

    Returns
    -------
    str
        The text, without a byte-order mark.

    Raises
    ------
    ValueError
        NUL bytes (a binary file), bad bytes (with their offset), or UTF-8 mixed with
        another encoding.

    Examples
    --------
    >>> decode_text("Kraków".encode("cp1252"), spreadsheet=True)
    'Kraków'
    >>> decode_text("Kraków".encode("cp1252"))
    Traceback (most recent call last):
    ...
    ValueError: not UTF-8 text (bad byte at offset 4)
    >>> decode_text("Kraków ".encode() + "Rzeszów".encode("cp1252"), spreadsheet=True)
    Traceback (most recent call last):
    ...
    ValueError: not UTF-8 text (bad byte at offset 13), though other parts are UTF-8: ...
    """
    if spreadsheet and data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-16 text (bad bytes at offset {exc.start})") from None
        if "\x00" in text:
            raise ValueError("not a text file (contains NUL characters)")
        return text
    if b"\x00" in data:
        raise ValueError("not a text file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if not spreadsheet:
        raise ValueError(f"not UTF-8 text (bad byte at offset {bad})")
    if _UTF8_SEQUENCE.search(data):
        raise ValueError(
            f"not UTF-8 text (bad byte at offset {bad}), though other parts are UTF-8: "
            "the file mixes encodings; save it as UTF-8"
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"neither UTF-8 nor Windows-1252 (Latin-1) text (byte {data[exc.start]:#04x} "
            f"at offset {exc.start}); save the file as UTF-8"
        ) from None


def sniff_delimiter(first: str, *, required: Iterable[str] = (), max_columns: int) -> str:
    r"""Return the delimiter of a table from its first line: ``,``, ``;`` or tab.

    The delimiter whose split of the header holds the most ``required`` columns wins;
    among equals, the one found most often outside quotes (ties: ``,`` then ``;``). Only
    headers of at most ``max_columns`` cells are split; a wider one is counted, so the
    caller can refuse it. Linear in the line.

    Examples
    --------
    >>> sniff_delimiter("name;lat;lon;note, more", required=["lat"], max_columns=9)
    ';'
    >>> sniff_delimiter('"a,b"\tc\n', max_columns=9), sniff_delimiter("name", max_columns=9)
    ('\t', ',')
    """
    bare = _QUOTED.sub("", first)
    counts = {d: bare.count(d) for d in DELIMITERS}
    wanted = set(required)

    def found(delimiter: str) -> int:
        if not wanted or counts[delimiter] + 1 > max_columns:
            return 0
        try:
            cells = next(csv.reader([first], delimiter=delimiter, strict=False), [])
        except csv.Error:  # a cell over the csv module's field limit
            return 0
        return len(wanted & {c.strip() for c in cells})

    score = {d: (found(d), counts[d], -i) for i, d in enumerate(DELIMITERS)}
    return max(DELIMITERS, key=score.__getitem__)


def split_decimal_comma(width: int, cells: list[str]) -> tuple[int, str] | None:
    """Where ``,`` was both delimiter and decimal comma in a row of too many cells.

    Joining neighbours ``integer, digits`` left to right, one join per extra cell,
    must give exactly ``width`` cells; then the first join is returned as (column index,
    the cell as written, e.g. ``50,04``). Otherwise (the extra cells are something else)
    None. Linear in the cells.

    Examples
    --------
    >>> split_decimal_comma(3, ["Rzeszów", "50", "04", "21", "99"])
    (1, '50,04')
    >>> split_decimal_comma(3, ["A", "50.04", "21.99", "note"]) is None
    True
    """
    extra = len(cells) - width
    first: tuple[int, str] | None = None
    column = j = 0
    while j < len(cells) and extra > 0:
        if j + 1 < len(cells) and _INTEGER.fullmatch(cells[j]) and _DIGITS.fullmatch(cells[j + 1]):
            first = first or (column, f"{cells[j].strip()},{cells[j + 1].strip()}")
            extra -= 1
            j += 1
        j += 1
        column += 1
    return first if extra == 0 else None
