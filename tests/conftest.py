"""Shared fixtures and helpers: tiny tables, shipped tables, the hostile-input harness,
hypothesis profiles.

Helpers that several test modules use are imported from here (``from conftest import
CliRun``): the in-process CLI runner and the one-line check of issue 6, the tiny loader
texts with :data:`LOADERS`, and the pathological scenario TOML. They serve the fuzz suite
(tests/test_fuzz.py) and the regression tests that sit beside their module.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import signal
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from rangemap.catalogue import TYPED_CATALOGUE_COLUMNS, load_catalogue
from rangemap.claims import CLAIM_COLUMNS, load_claims
from rangemap.cli import main
from rangemap.errors import CatalogueError, SiteError, TargetError
from rangemap.sites import load_sites
from rangemap.sources import load_sources
from rangemap.targets import load_targets

DATA = Path(__file__).parent / "data"

# The CLI's density and sweep default to a Dask LocalCluster (worker processes); under
# pytest-xdist each README example would start one. They run on threads here; the
# LocalCluster and address paths are tested on purpose in tests/test_cluster.py.
os.environ.setdefault("RANGEMAP_SCHEDULER", "threads")

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("big", max_examples=3000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def tiny_catalogue_path() -> Path:
    return DATA / "tiny_catalogue.csv"


@pytest.fixture
def tiny_sites_path() -> Path:
    return DATA / "tiny_sites.csv"


@pytest.fixture
def tiny_catalogue(tiny_catalogue_path):
    return load_catalogue(tiny_catalogue_path)


@pytest.fixture
def tiny_sites(tiny_sites_path):
    return load_sites(tiny_sites_path)


@pytest.fixture(scope="module")
def catalogue():
    """The shipped catalogue."""
    return load_catalogue()


@pytest.fixture(scope="module")
def capitals():
    """The shipped capitals as targets."""
    return load_targets("capitals")


@pytest.fixture(params=["scalar", "array"])
def scalar_and_array(request):
    """Turn a scalar into itself or a one-element array (like pyproj's fixture)."""
    if request.param == "scalar":
        return lambda x: x
    return lambda x: np.array([x])


# --- hostile input (issue 6): the harness ---------------------------------------------

CLI_SECONDS = 60.0


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` cannot hide it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail a call that runs longer than ``seconds`` (POSIX main thread; else no limit).

    A deadline alone measures a call after it returns; the alarm also stops a loop that
    never returns (pure-Python ones; a C call is interrupted when it next yields).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def _ring(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_one_line(exc: BaseException) -> None:
    message = str(exc)
    assert message.strip(), f"empty message from {type(exc).__name__}"
    assert len(message.splitlines()) == 1, f"message spans lines: {message!r}"
    assert "Traceback" not in message


class CliRun:
    """Exit status, stdout and stderr of one in-process ``rangemap`` run."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        raw = io.BytesIO()
        # Like a real stdout: UTF-8 with errors="strict", so text that cannot be written
        # fails here as it would in a terminal.
        stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
        err = io.StringIO()
        self.usage_error = False
        with time_limit(CLI_SECONDS), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                self.code = main(argv, out=stream)
            except SystemExit as exc:  # argparse: usage errors, --help, --version
                self.code = exc.code if isinstance(exc.code, int) else 2
                self.usage_error = True
        stream.flush()
        self.out = raw.getvalue().decode("utf-8")
        self.err = err.getvalue()

    def check(self) -> None:
        """Exit 0 or 2; a failure says why on one line; no traceback anywhere."""
        assert self.code in (0, 2), (self.argv, self.code, self.err)
        assert "Traceback" not in self.err and "Traceback" not in self.out
        if self.code == 0:
            assert self.err == "" or self.usage_error, (self.argv, self.err)
        elif self.usage_error:
            # argparse prints its usage first, then one "rangemap ...: error: ..." line.
            assert re.search(r"^rangemap[\w -]*: error: ", self.err, re.M), self.err
        else:
            lines = self.err.splitlines()
            assert len(lines) == 1 and lines[0].startswith("rangemap: error: "), (
                self.argv,
                self.err,
            )


# --- hostile input (issue 6): valid texts of every loader, and inputs made from them --

CLAIM_HEADER = list(CLAIM_COLUMNS)
_IDS = list(load_sources().index[:3])  # shipped source ids, whatever they are
CLAIM_ROWS = [
    ["test-glcm", "official-declaration", "480", "Maker", _IDS[0], "2019-01-23", "stated"],
    ["test-glcm", "max-range-estimate", "2500", "Others", f"{_IDS[1]} {_IDS[2]}", "2019", ""],
]
SOURCE_TEXT = (
    "id,url,kind,publisher,title,published,accessed,quote,note\n"
    "s1,https://example.org/s1,think-tank,Example Institute,A page,2019-01-23,2026-12-01,,\n"
    's2,https://example.org/s2,news,Example Daily,,,2026-12-01,"It flew 500 km.",\n'
)
CAT_TEXT = (DATA / "tiny_catalogue.csv").read_text(encoding="utf-8")
CLAIM_TEXT = "\n".join(",".join(r) for r in [CLAIM_HEADER, *CLAIM_ROWS]) + "\n"
SITE_TEXT = (DATA / "tiny_sites.csv").read_text(encoding="utf-8")
TARGET_TEXT = "name,lat,lon,population\nTokyo,35.6895,139.6917,8336599\nSuva,-18.14,178.44,\n"

#: (loader, valid text, error class, rows in the valid text)
LOADERS = {
    "catalogue": (load_catalogue, CAT_TEXT, CatalogueError, 4),
    "claims": (load_claims, CLAIM_TEXT, CatalogueError, 2),
    "sources": (load_sources, SOURCE_TEXT, CatalogueError, 2),
    "sites": (load_sites, SITE_TEXT, SiteError, 3),
    "targets": (load_targets, TARGET_TEXT, TargetError, 2),
}


def _load(which: str, data: bytes, name: str = "upload.csv"):
    loader = LOADERS[which][0]
    return loader(data, name=name)


def _catalogue_with(**cells: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(CAT_TEXT)))
    rows[0].update(cells)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(TYPED_CATALOGUE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


PATHOLOGICAL_TOML = [
    b"systems = " + b"[" * 5000 + b"]" * 5000,
    b'systems = ["df-26"]\nsites = ["guam"]\n[output]\ndpi = ' + b"1" * 5000,
    b'systems = ["df-26"]\nsites = ["guam"]\ncatalogue = "' + b"a" * 300 + b'"',
    b"\xef\xbb\xbfsystems = ['df-26']\nsites = ['guam']\n",
    b"systems = ['df-26']\r\nsites = ['guam']\r\n",
    b"systems = ['df-26']\nsystems = ['df-26']\n",
    b"\x00",
    b"\xff\xfe",
]
