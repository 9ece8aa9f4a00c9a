"""rangemap._io: reading files and uploads (URLs in cells, size limits, pipes, folders and
odd file names as input) and the one atomic writer.

Regression tests of the hostile-input bugs issue 6's fuzzing found here, and of issue
15's in :func:`rangemap._io.read_table` (quadratic duplicate-column check, huge headers,
rows and lines echoed or refused late); the fuzz suite itself is tests/test_fuzz.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import threading

import pandas as pd
import pytest
from conftest import LOADERS, SOURCE_TEXT, CliRun, _catalogue_with, _load, assert_one_line
from hypothesis import given
from hypothesis import strategies as st

from rangemap._io import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_SHOWN,
    STALE_TMP_SECONDS,
    Table,
    csv_text,
    cut_repr,
    defuse_formula,
    read_geojson_points,
    read_table,
    restore_formula,
    write_atomic,
)
from rangemap.errors import ExportError, RangemapError, SiteError
from rangemap.sites import load_sites


@pytest.mark.parametrize("url", ["http://[abc", "http://[::1", "http://ex\uff03ample.org/"])
@pytest.mark.parametrize("which", ["catalogue", "sources", "sites"])
def test_regression_6_malformed_url_is_a_rangemap_error(which, url):
    if which == "catalogue":
        data = _catalogue_with(sources=url)
    elif which == "sources":
        data = SOURCE_TEXT.replace("https://example.org/s1", url).encode()
    else:
        data = f"name,lat,lon,source\nA,1,2,{url}\n".encode()
    with pytest.raises(RangemapError, match=r"line 2, column '(sources|source|url)'"):
        _load(which, data)


@pytest.mark.parametrize(
    "argv",
    [["sites", "--file", "{d}"],
     ["rings", "--system", "df-26", "--site", "guam", "--sites-file", "{d}"],
     ["coverage", "--site", "guam", "--radius-km", "100", "--targets", "{d}"]],
)  # fmt: skip
def test_regression_6_directory_as_input_file(argv, tmp_path):
    run = CliRun([a.format(d=tmp_path) for a in argv])
    run.check()
    assert run.code == 2


def test_regression_6_pipe_input_is_size_limited(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "upload.csv"
    os.mkfifo(fifo)
    chunk = b"x" * (1 << 20)
    sent = 0

    def feed() -> None:  # like `rangemap sites --file <(gunzip -c huge.csv.gz)`
        nonlocal sent
        try:
            with fifo.open("wb") as pipe:
                while sent < MAX_FILE_BYTES + (8 << 20):
                    pipe.write(chunk)
                    sent += len(chunk)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        # Refusing a pipe outright is as good a fix as reading only limit + 1 bytes of it.
        with pytest.raises(SiteError, match="over the limit|not a regular file") as info:
            load_sites(fifo)
        assert_one_line(info.value)
    finally:
        # Release a writer still waiting for a reader (the loader never opened the pipe).
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(timeout=10)
    assert sent <= MAX_FILE_BYTES + (2 << 20), f"{sent:,} bytes were read"


@pytest.mark.parametrize("name", ["two\nlines.csv", "cr\rname.csv", "ls\u2028name.csv"])
def test_regression_6_file_name_with_newline_gives_one_line(name, tmp_path):
    with pytest.raises(SiteError) as info:
        load_sites(b"", name=name)
    assert_one_line(info.value)
    run = CliRun(["sites", "--file", str(tmp_path / name)])
    run.check()


def test_write_atomic_leaves_no_partial_file(tmp_path, monkeypatch):
    dest = tmp_path / "out.geojson"
    dest.write_text("previous\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(RangemapError, match="No space left on device") as info:
        write_atomic(dest, "new content")
    assert_one_line(info.value)
    assert dest.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(dest, b"new content")
    assert dest.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_write_atomic_missing_folder(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "x.geojson", "{}")


def test_writer_exception_of_any_kind_cleans_up(tmp_path):
    def boom(tmp):
        tmp.write_text("partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x.txt", boom)
    assert list(tmp_path.iterdir()) == []


# --- issue 15: bounded work and short messages in read_table -------------------------

#: Longest message a refusal of hostile input may have: the file name, a sentence and at
#: most MAX_SHOWN characters of the input (with the required column list of a loader).
SHORT = 2 * MAX_SHOWN + 200

#: A body whose first row the csv module refuses (a cell over its 131,072-character
#: limit): a header error, not this one, proves the header was checked before any row.
POISONED_BODY = b"\n" + b"x" * 200_000 + b"\n" + b"1,2,3\n" * 100_000


def _read(data: bytes, error: type[RangemapError] = RangemapError, **kwargs) -> Table:
    kwargs.setdefault("required", [])
    return read_table(data, error=error, name="upload.csv", **kwargs)


@pytest.mark.parametrize(
    "header",
    [
        ",".join(f"col{i}" for i in range(40_000)).encode(),  # 269 KB, as in the issue
        ",".join(f'"col{i}"' for i in range(40_000)).encode(),  # quoted: parsed, then counted
        ";".join("a" * 100 for _ in range(40_000)).encode(),
    ],
    ids=["plain", "quoted", "semicolons"],
)
@pytest.mark.parametrize("which", sorted(LOADERS))
def test_regression_15_wide_header_refused_before_rows(which, header):
    loader, _, error, _ = LOADERS[which]
    with pytest.raises(error, match=rf"upload.csv: header has 40,000 columns.*{MAX_COLUMNS}"):
        loader(header + POISONED_BODY, name="upload.csv")


def test_regression_15_one_line_file_of_commas():
    # The 22 MB one-line `.csv` ran for over 15 minutes; 5 MB shows the same.
    with pytest.raises(RangemapError, match=r"2,500,001 columns, over the limit") as info:
        _read(b"a," * 2_500_000)
    assert_one_line(info.value)
    assert len(str(info.value)) < SHORT


def test_regression_15_header_at_the_limit_loads():
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS))
    table = _read(f"{header}\n{',' * (MAX_COLUMNS - 1)}1\n".encode())
    assert len(table.columns) == MAX_COLUMNS
    assert table.rows[0][f"c{MAX_COLUMNS - 1}"] == "1"
    with pytest.raises(RangemapError, match=f"{MAX_COLUMNS + 1} columns"):
        _read(f"{header},extra\n1\n".encode())


@pytest.mark.parametrize("which", sorted(LOADERS))
def test_regression_15_duplicate_columns_reported_by_name(which):
    loader, text, error, _ = LOADERS[which]
    head, _, body = text.partition("\n")
    columns = head.split(",")
    data = ",".join([*columns, columns[1], columns[0]]) + "\n" + body
    dupes = sorted(columns[:2])
    with pytest.raises(error, match=re.escape(f"duplicate column(s) {dupes!r} in header")):
        loader(data.encode(), name="upload.csv")


def test_regression_15_duplicate_long_columns_message_is_cut():
    names = [f"{i:03d}" + "x" * 5000 for i in range(MAX_COLUMNS // 2)]
    header = ",".join(names * 2)  # 200 columns of 5 KB, each one twice
    with pytest.raises(RangemapError, match=r"duplicate column\(s\) \['000xxx") as info:
        _read(f"{header}\n1\n".encode())
    assert_one_line(info.value)
    assert len(str(info.value)) < SHORT
    assert f"({len(repr(sorted(names))):,} characters)" in str(info.value)


def test_regression_15_missing_columns_message_is_cut():
    header = ",".join(str(i) + "h" * 100_000 for i in range(3))  # 300 KB header
    with pytest.raises(SiteError, match=r"missing required column.*header has \['0hhh") as info:
        load_sites(f"{header}\n1,2,3\n".encode(), name="upload.csv")
    assert_one_line(info.value)
    assert len(str(info.value)) < SHORT


def test_regression_15_too_many_cells_message_is_cut():
    data = b"name,lat,lon\n" + b"1," * 100_000 + b"\n"
    with pytest.raises(SiteError, match=r"line 2: 100,001 cells but the header has 3") as info:
        load_sites(data, name="upload.csv")
    assert_one_line(info.value)
    assert len(str(info.value)) < SHORT


def test_regression_15_long_cell_in_a_parsed_value_is_cut():
    data = b"name,lat,lon\nA," + b"9" * 100_000 + b"x,2\n"
    with pytest.raises(SiteError, match=r"line 2, column 'lat'") as info:
        load_sites(data, name="upload.csv")
    assert_one_line(info.value)
    assert len(str(info.value)) < SHORT


@pytest.mark.parametrize("which", sorted(LOADERS))
def test_regression_15_long_single_line_is_a_loader_error(which):
    loader, _, error, _ = LOADERS[which]
    # 5 MB without a newline or delimiter: over the csv module's field limit.
    with pytest.raises(error, match=r"upload.csv, line 1: .*field larger than field limit"):
        loader(b"x" * 5_000_000, name="upload.csv")


def test_regression_15_long_line_in_the_body_names_its_line():
    data = b"a,b\n1,2\n\n" + b"y" * 5_000_000 + b"\n3,4\n"
    with pytest.raises(RangemapError, match=r"upload.csv, line 4: not a valid CSV") as info:
        _read(data)
    assert_one_line(info.value)


def test_regression_15_max_rows_stops_reading():
    # Row 11 (line 13) is past the limit; line 15 would be a csv error if reading went on.
    rows = b"".join(b"%d,%d\n" % (i, i) for i in range(11))
    data = b"a,b\n\n" + rows + b"\n" + b"z" * 200_000 + b"\n" + b"1,2\n" * 1_000_000
    with pytest.raises(
        RangemapError, match=r"line 13: more than 10 data rows, over the limit of 10"
    ) as info:
        _read(data, max_rows=10)
    assert_one_line(info.value)
    assert "reading stopped here" in str(info.value)


def test_regression_15_max_rows_counts_data_rows_only():
    data = b"a,b\n" + b"1,2\n\n,\n" * 10  # 10 data rows, 20 blank ones
    assert len(_read(data, max_rows=10).rows) == 10
    assert len(_read(b"a,b\n", max_rows=0, allow_empty=True).rows) == 0
    with pytest.raises(RangemapError, match="more than 0 data rows, over the limit of 0"):
        _read(b"a,b\n1,2\n", max_rows=0)
    with pytest.raises(ValueError, match="max_rows must be >= 0, got -1"):
        _read(data, max_rows=-1)


#: Pieces of hostile CSV: delimiters, quotes, line ends, BOM, NUL, spaces and letters.
_PIECES = st.sampled_from([",", ";", '"', "\n", "\r", "\r\n", " ", "a", "b", "\ufeff", "\x00", "é"])


@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(_PIECES, max_size=80).map(lambda p: "".join(p).encode()),
        st.lists(st.lists(_PIECES, max_size=5).map("".join), max_size=8).map(
            lambda h: (",".join(h) + "\n1,2,3\n").encode()
        ),
    ),
    required=st.lists(st.sampled_from(["a", "b", "name"]), max_size=2),
    max_rows=st.none() | st.integers(0, 3),
    allow_empty=st.booleans(),
)
def test_read_table_gives_a_table_or_the_given_error(data, required, max_rows, allow_empty):
    try:
        table = _read(
            data, SiteError, required=required, max_rows=max_rows, allow_empty=allow_empty
        )
    except SiteError as exc:  # the error class passed in, nothing else
        assert_one_line(exc)
        assert len(str(exc)) < SHORT
        return
    assert isinstance(table, Table)
    assert len(set(table.columns)) == len(table.columns) <= MAX_COLUMNS
    assert set(required) <= set(table.columns)
    assert max_rows is None or len(table.rows) <= max_rows
    assert table.rows or allow_empty
    assert table.lines == sorted(set(table.lines))


@given(value=st.one_of(st.text(), st.lists(st.text(max_size=50))), limit=st.integers(1, 300))
def test_cut_repr_is_short_and_one_line(value, limit):
    shown = cut_repr(value, limit)
    assert shown == repr(value) or shown.startswith(repr(value)[:limit])
    assert len(shown) <= limit + len(f"... ({len(repr(value)):,} characters)")
    assert len(shown.splitlines()) == 1


# --- issue 15, item 1: the destination decides how it is written -------------------------


def test_regression_15_symlinked_destination_is_written_through(tmp_path):
    real = tmp_path / "real.geojson"
    real.write_text("old")
    link = tmp_path / "link.geojson"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.geojson", "real.geojson"]


def test_regression_15_existing_file_keeps_its_mode(tmp_path):
    dest = tmp_path / "secret.csv"
    dest.write_text("old")
    dest.chmod(0o600)
    write_atomic(dest, "new")
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600 and dest.read_text() == "new"


@pytest.mark.parametrize("through_link", [False, True])
@pytest.mark.parametrize("callable_writer", [False, True])
def test_regression_15_a_pipe_is_written_into_not_replaced(tmp_path, through_link, callable_writer):
    """As root, ``-o`` onto a FIFO or a device turned it into a regular file (exit 0)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    dest = fifo
    if through_link:
        dest = tmp_path / "stdout-like"
        dest.symlink_to(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    content = (lambda p: p.write_bytes(b"through")) if callable_writer else b"through"
    write_atomic(dest, content)
    reader.join(timeout=30)
    assert got == [b"through"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_regression_15_stale_temporary_folders_are_swept(tmp_path):
    """A killed export leaves its hidden folder; the next write there removes old ones."""
    dest = tmp_path / "x.kml"
    stale = tmp_path / ".x.kml.abc123.tmp"
    stale.mkdir()
    (stale / "x.kml").write_bytes(b"half" * 1000)
    old = os.path.getmtime(stale) - STALE_TMP_SECONDS - 60
    os.utime(stale, (old, old))
    fresh = tmp_path / ".x.kml.def456.tmp"  # maybe another process writing right now
    fresh.mkdir()
    other = tmp_path / ".y.kml.abc123.tmp"  # another destination's: not ours to judge
    other.mkdir()
    os.utime(other, (old, old))
    write_atomic(dest, "done")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".x.kml.def456.tmp",
        ".y.kml.abc123.tmp",
        "x.kml",
    ]


def test_regression_15_name_too_long_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="File name too long") as info:
        write_atomic(tmp_path / ("a" * 300 + ".geojson"), "{}")
    assert_one_line(info.value)


#: Names a spreadsheet runs as formulas (OWASP "CSV injection"), and data that only looks
#: close to one: a negative number and typed coordinates.
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "\t=1", "\r=1", "'=1"]
NOT_FORMULAS = ["-17.7", "-17.7,178.1", "-17.7, 178.1", "-.5", "-1e3", "Guam", "a=b", ""]


def test_regression_15_csv_text_defuses_formulas():
    """Only the layers CSV defused formulas; csv_text serves every CSV rangemap writes."""
    names = FORMULAS + NOT_FORMULAS
    frame = pd.DataFrame({"name": names, "lat": [-17.7] * len(names), "=bad": names})
    text = csv_text(frame)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["name", "lat", "'=bad"]  # a header cell is a cell too
    assert [r[0] for r in rows[1:]] == ["'" + n for n in FORMULAS] + NOT_FORMULAS
    assert [r[2] for r in rows[1:]] == [r[0] for r in rows[1:]]
    assert {r[1] for r in rows[1:]} == {"-17.7"}  # numbers are never prefixed
    assert "\r\n" not in text and text.endswith("\n")
    assert frame["name"].tolist() == names  # the caller's frame is left as it was


def test_regression_15_carriage_return_cannot_start_a_row_with_a_formula():
    """Python 3.11's csv wrote a bare CR unquoted with a "\\n" terminator: a spreadsheet
    began a new row there, and the text after it was a live, undefused formula."""
    names = ["x\r=HYPERLINK(1)", "two\r\nlines", 'q"uote\r']
    text = csv_text(pd.DataFrame({"name": names, "n": [1, 2, 3]}))
    assert text == 'name,n\n"x\r=HYPERLINK(1)",1\n"two\r\nlines",2\n"q""uote\r",3\n'
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["name", "n"], *([n, str(i)] for i, n in enumerate(names, start=1))]


def test_regression_15_csv_text_string_and_repeated_columns():
    frame = pd.DataFrame([["+1", "=2", "-3"]], columns=["a", "a", "b"]).astype("string")
    assert csv_text(frame) == "a,a,b\n'+1,'=2,-3\n"
    empty = pd.DataFrame(columns=["name", "lat"])
    assert csv_text(empty) == "name,lat\n"


@given(st.text(max_size=40))
def test_defused_text_never_starts_a_formula_and_reads_back(text):
    defused = defuse_formula(text)
    assert restore_formula(defused) == text
    if defused != text:
        assert defused == "'" + text
    elif text[:1] == "-":
        assert re.fullmatch(r"-[0-9.]+(e[-+]?[0-9]+)?([,; ]+[-+]?[0-9.eE+-]+)?", text, re.I)
    else:
        assert text[:1] not in ("=", "+", "@", "\t", "\r", "'")


def _points_geojson(props: list) -> bytes:
    feats = [{"type": "Feature", "properties": p,
              "geometry": {"type": "Point", "coordinates": [10 + i, 20]}}
             for i, p in enumerate(props)]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def test_regression_15_geojson_points_keep_only_the_asked_properties():
    """A distinct property per feature made 10,000 features take 2.1 GB: only the
    properties asked for are kept, so any feature costs the same."""
    data = _points_geojson([{"name": f"p{i}", f"junk{i}": "x" * 100} for i in range(2_000)])
    table = read_geojson_points(data, properties=["name", "country"], error=SiteError)
    assert table.columns == ["name", "country", "lat", "lon"]
    assert table.rows[1] == {"name": "p1", "country": "", "lat": "20", "lon": "11"}
    assert table.lines[:3] == [1, 2, 3]


def test_regression_15_geojson_points_counted_before_rows_are_built():
    doc = json.loads(_points_geojson([{"name": "a"}, {"name": "b"}]))
    data = json.dumps({**doc, "features": [*doc["features"], "not a feature"]}).encode()
    with pytest.raises(SiteError, match=r"^x\.geojson: 3 widgets, over the limit of 2$"):
        read_geojson_points(data, properties=[], error=SiteError, name="x.geojson",
                            max_rows=2, what="widgets")  # fmt: skip
    with pytest.raises(SiteError, match=r"feature 3: geometry must be a Point"):
        read_geojson_points(data, properties=[], error=SiteError)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"{", "not valid JSON"),
     (b"[" * 100_000, "not valid JSON"),
     (b'{"type": "Feature"}', "expected a GeoJSON FeatureCollection"),
     (b'{"type": "FeatureCollection", "features": []}', "has no features"),
     (_points_geojson([{"name": "\ud800"}]), "unpaired UTF-16 surrogate"),
     (_points_geojson([[1]]), "properties [1] are not an object")],
)  # fmt: skip
def test_geojson_points_refusals_are_one_line(data, message):
    with pytest.raises(SiteError, match=re.escape(message)) as info:
        read_geojson_points(data, properties=["name"], error=SiteError)
    assert_one_line(info.value)


def test_regression_15_max_rows_message_names_what_a_row_is():
    data = b"name,lat,lon\n" + b"a,1,2\n" * 4
    with pytest.raises(SiteError, match=r"line 4: more than 2 targets, over the limit of 2"):
        read_table(data, required=[], error=SiteError, max_rows=2, what="targets")


# --- issue 14: tables as spreadsheets save them ------------------------------------------

_ROWS = [["name", "lat", "lon"], ["Kraków", "50,06", "19,94"], ["Zürich", "47,37", "8,54"]]


def _table_bytes(rows, *, delimiter=";", newline="\r\n", encoding="cp1252") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be"])
def test_regression_14_spreadsheet_encodings_are_read(encoding):
    data = _table_bytes(_ROWS, encoding=encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # a byte-order mark says which
        data = "\ufeff".encode(encoding) + data
    table = _read(data, required=["name", "lat", "lon"])
    assert table.columns == _ROWS[0]
    assert [list(r.values()) for r in table.rows] == _ROWS[1:]
    assert table.lines == [2, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # 0x81 is one of the five bytes Windows-1252 leaves undefined.
        (b"name;lat;lon\nA\x81;1;2\n", r"neither UTF-8 nor Windows-1252 \(Latin-1\) text "
                                        r"\(byte 0x81 at offset 14\)"),
        # A UTF-8 file with one Latin-1 byte: read as Windows-1252 it would say "KrakÃ³w".
        ("name;lat;lon\nKraków;1;2\nRzesz".encode() + b"\xf3w;3;4\n",
         r"not UTF-8 text \(bad byte at offset 30\), though other parts are UTF-8: the file "
         r"mixes encodings"),
        (codecs.BOM_UTF16_LE + b"n\x00a\x00m", r"not UTF-16 text \(bad bytes at offset 6\)"),
    ],
)  # fmt: skip
def test_regression_14_undecodable_tables_are_refused_by_name(data, message):
    with pytest.raises(SiteError, match=rf"^upload\.csv: {message}") as info:
        _read(data, SiteError)
    assert_one_line(info.value)


def test_binary_and_json_stay_strict():
    """NUL bytes are no text; GeoJSON is UTF-8 only (RFC 8259, section 8.1)."""
    for data in (b"name,lat\x00\n1,2\n", "\ufeffname\x00;lat\n1;2\n".encode("utf-16")):
        with pytest.raises(SiteError, match="not a text file"):
            _read(data, SiteError)
    doc = '{"type":"FeatureCollection","features":[{"type":"Feature",'
    doc += '"properties":{"name":"Kraków"},"geometry":{"type":"Point","coordinates":[19.9,50.1]}}]}'
    with pytest.raises(SiteError, match=r"s\.geojson: not UTF-8 text \(bad byte at offset"):
        load_sites(doc.encode("cp1252"), name="s.geojson")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name\tlat\tlon\nA\t1,5\t2\n", ["name", "lat", "lon"]),
        # More commas than semicolons: the required columns decide.
        ("name;lat;lon;note, a, b, c\nA;1,5;2;x\n", ["name", "lat", "lon", "note, a, b, c"]),
        ('"a;b;c";d\tlon,x\n1,2\n', ['a;b;c;d\tlon', "x"]),  # no delimiter inside quotes
    ],
)  # fmt: skip
def test_regression_14_delimiter_is_sniffed(text, expected):
    table = _read(text.encode(), required=["lat"] if "lat" in expected else [])
    assert table.columns == expected
    assert len(table.rows[0]) == len(expected)


def test_regression_14_decimal_comma_and_comma_delimiter_are_refused_by_cell():
    data = "name,lat,lon\nKraków,50.06,19.94\nRzeszów,50,04,21,99\n".encode()
    with pytest.raises(SiteError) as info:
        _read(data, SiteError, required=["lat"])
    assert str(info.value) == (
        "upload.csv, line 3, column 'lat': ambiguous value '50,04': ',' is both the delimiter "
        "and a decimal comma (5 cells for 3 columns); save the file with ';' as the delimiter, "
        "or quote the numbers"
    )


_HEADER_NAME = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6)
#: Bytes of these letters never form a UTF-8 sequence in Windows-1252 (all >= 0xE0).
_CP1252_TEXT = st.text(" abcXYZ019,;.-'\"àáâäçèéêëíîïñóôöùúûüÿ", max_size=8)
_ANY_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8)


@given(data=st.data())
def test_spreadsheet_tables_read_back_cell_for_cell(data):
    """Any delimiter, encoding, BOM and line end: read_table gives back what was written."""
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    cells = _CP1252_TEXT if encoding == "cp1252" else _ANY_TEXT
    # Two columns at least: a one-column file has no delimiter to tell.
    header = data.draw(st.lists(_HEADER_NAME, min_size=2, max_size=5, unique=True))
    rows = data.draw(
        st.lists(
            st.lists(cells.map(str.strip), min_size=len(header), max_size=len(header)).filter(any),
            min_size=1,
            max_size=6,
        )
    )
    delimiter = data.draw(st.sampled_from([",", ";", "\t"]))
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    raw = _table_bytes([header, *rows], delimiter=delimiter, newline=newline, encoding=encoding)
    required = data.draw(st.sampled_from([header, header[:1], []]))
    table = _read(raw, required=required)
    assert table.columns == header
    assert [list(r.values()) for r in table.rows] == rows


@given(
    rows=st.lists(
        st.tuples(st.text("Rzeszówabc", min_size=1, max_size=5),
                  st.integers(-9000, 9000), st.integers(-17900, 17900)),
        min_size=1,
        max_size=5,
    )
)  # fmt: skip
def test_decimal_commas_in_a_comma_separated_file_are_refused_or_read(rows):
    """Unquoted decimal commas in a comma-separated file: refused, naming the first row that
    has one, a coordinate column and two neighbouring cells; quoted, they read back."""

    def comma(v: int) -> str:
        return f"{v / 100:g}".replace(".", ",")

    texts = [(n, comma(a), comma(b)) for n, a, b in rows]
    bare = "name,lat,lon\n" + "".join(f"{n},{a},{b}\n" for n, a, b in texts)
    bad = [i for i, (_, a, b) in enumerate(texts) if "," in a + b]
    if not bad:
        assert len(_read(bare.encode(), required=["lat"]).rows) == len(rows)
    else:
        line = bad[0] + 2
        with pytest.raises(SiteError, match=rf"^upload\.csv, line {line}, column '(lat|lon)': "
                           r"ambiguous value '-?\d+,\d+'") as info:  # fmt: skip
            load_sites(bare.encode(), name="upload.csv")
        assert_one_line(info.value)
    quoted = _table_bytes([["name", "lat", "lon"], *texts], delimiter=",", encoding="utf-8")
    sites = load_sites(quoted, name="upload.csv")
    assert sites["lat"].tolist() == pytest.approx([a / 100 for _, a, _ in rows])
    assert sites["lon"].tolist() == pytest.approx([b / 100 for *_, b in rows])
