"""rangemap._io: reading files and uploads (URLs in cells, size limits, pipes, folders and
odd file names as input) and the one atomic writer.

Regression tests of the hostile-input bugs issue 6's fuzzing found here; the fuzz suite
itself is tests/test_fuzz.py.
"""

from __future__ import annotations

import os
import threading

import pytest
from conftest import CLAIM_TEXT, CliRun, _catalogue_with, _load, assert_one_line

from rangemap._io import MAX_FILE_BYTES, write_atomic
from rangemap.errors import ExportError, RangemapError, SiteError
from rangemap.sites import load_sites


@pytest.mark.parametrize("url", ["http://[abc", "http://[::1", "http://ex\uff03ample.org/"])
@pytest.mark.parametrize("which", ["catalogue", "claims", "sites"])
def test_regression_6_malformed_url_is_a_rangemap_error(which, url):
    if which == "catalogue":
        data = _catalogue_with(sources=url)
    elif which == "claims":
        data = CLAIM_TEXT.replace("https://example.org/m", url).encode()
    else:
        data = f"name,lat,lon,source\nA,1,2,{url}\n".encode()
    with pytest.raises(RangemapError, match=r"line 2, column '(sources|source)'"):
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
