"""Threat density: for every cell of an equal-area grid, who can reach it.

For each cell of the HEALPix grid of :mod:`rangemap.grid` (equal areas on WGS84), the
number of (system, site) pairs whose range band reaches the cell's *centre*, decided by
exact geodesic distance (:func:`rangemap.reach.settle_in_range`), never by filling ring
polygons. The pairs are the deployments under way on a day (``data/deployments.csv``),
and with ``every_site`` also every system at every shipped site of its own country (what
*could* reach if based there).

Launchers are published per system, never per site, so a cell gets two honest bounds:

``launchers_low``
    the sum, over systems whose *every* site that day reaches the cell, of the system's
    published low launcher count: launchers surely in range wherever they stand;
``launchers_high``
    the sum, over systems with *any* site that reaches it, of the high count.

Systems with no published count add nothing to either; ``uncounted_systems`` says how
many of a cell's systems they are, so a zero is never mistaken for "none".

The work is a Dask graph over chunks of cells (:func:`rangemap.cluster.run_chunks`): the
same numbers on one core, a LocalCluster or a cluster.

Public names
------------
threat_density
    The density grid as a GeoDataFrame (cell polygons optional).
DENSITY_METHOD_TEXT
    The method in one paragraph, for notes and exports.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from rangemap.catalogue import Band, load_catalogue
from rangemap.cluster import Progress, run_chunks, scheduler_label
from rangemap.deployments import parse_as_of
from rangemap.grid import cell_area_km2, cell_centres, cell_polygons, cell_spacing_km, cells_within
from rangemap.inventory import latest_launchers, load_inventory
from rangemap.launch import area_geometry
from rangemap.reach import band_masks, settle_by_site
from rangemap.threats import threat_rings

__all__ = ["DEFAULT_DENSITY_NSIDE", "DENSITY_COLUMNS", "DENSITY_METHOD_TEXT", "threat_density"]

FloatArray = npt.NDArray[np.float64]

#: 196,608 cells of 2,594 km² (about 51 km wide) over the globe.
DEFAULT_DENSITY_NSIDE = 128

DENSITY_COLUMNS = (
    "cell", "lat", "lon", "area_km2", "pairs", "systems", "launchers_low", "launchers_high",
    "uncounted_systems",
)  # fmt: skip

DENSITY_METHOD_TEXT = (
    "Threat density on HEALPix cells laid on WGS84's authalic sphere (every cell the same "
    "area on the ellipsoid). A (system, site) pair counts for a cell when the exact "
    "geodesic distance (GeographicLib, WGS84) from the site to the cell's centre lies in "
    "the system's range band. launchers_low adds a system's published low launcher count "
    "where all of its sites reach the cell, launchers_high its high count where any does; "
    "counts are published per system, never per site."
)

#: Cells per task: big enough that a task is worth its scheduling, small enough that the
#: 196,608 cells of the default grid make work for many workers.
_CHUNK_CELLS = 16_384


def _density_chunk(cells: npt.NDArray[np.int64], nside: int, plan: dict[str, Any]) -> dict:
    """Count the pairs, systems and launchers reaching each cell of a chunk."""
    lat, lon = cell_centres(nside, cells)
    n = cells.size
    system_index = plan["system_index"]  # per ring row
    n_sys = int(plan["n_systems"])
    pairs = np.zeros(n, dtype=np.int64)
    any_site = np.zeros((n, n_sys), dtype=bool)
    all_sites = np.ones((n, n_sys), dtype=bool)
    for rows, first, last, settled in settle_by_site(plan["rings"], lat=lat, lon=lon, workers=1):
        reached = band_masks(first, last, settled)  # (cells, this site's rings)
        pairs += reached.sum(axis=1)
        # "Every site reaches": each of the system's sites must reach (a site's row does).
        for s in np.unique(system_index[rows]):
            here = reached[:, system_index[rows] == s].any(axis=1)
            any_site[:, s] |= here
            all_sites[:, s] &= here
    low, high = plan["launchers_low"], plan["launchers_high"]
    counted = plan["counted"]
    return {
        "pairs": pairs,
        "systems": any_site.sum(axis=1),
        "launchers_low": (all_sites * low[None, :]).sum(axis=1),
        "launchers_high": (any_site * high[None, :]).sum(axis=1),
        "uncounted_systems": (any_site & ~counted[None, :]).sum(axis=1),
    }


def _plan(rings: pd.DataFrame, launchers: pd.DataFrame) -> dict[str, Any]:
    """Gather what the chunk tasks share: ring rows, each row's system, launchers."""
    systems = list(dict.fromkeys(rings["system_id"].astype(str)))
    system_index = rings["system_id"].astype(str).map({s: i for i, s in enumerate(systems)})
    counts = launchers.set_index("system_id").reindex(systems)
    low = counts["launchers_low"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    high = counts["launchers_high"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    # "Up to 80" (no low figure) adds 0 to the low bound; "more than 100" (no high figure)
    # adds nothing to the high bound and the system counts as uncounted there.
    counted = ~np.isnan(high)
    return {
        "system_index": system_index.to_numpy(dtype=np.int64),
        "n_systems": len(systems),
        # No min_radius_km column: NaN, no minimum range (as reach.settle_by_site reads it).
        "rings": rings.reindex(columns=["lat", "lon", "radius_km", "min_radius_km"]).reset_index(
            drop=True
        ),
        "launchers_low": np.nan_to_num(low, nan=0.0).astype(np.int64),
        "launchers_high": np.nan_to_num(high, nan=0.0).astype(np.int64),
        "counted": counted,
    }


def threat_density(
    *,
    nside: int = DEFAULT_DENSITY_NSIDE,
    region: str | None = None,
    as_of: str | date | None = None,
    band: str | Band = Band.NOMINAL,
    every_site: bool = False,
    polygons: bool = True,
    scheduler: object = "local",
    on_progress: Progress | None = None,
    rings: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    inventory: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Count, for every grid cell, the (system, site) pairs and launchers that reach it.

    Parameters
    ----------
    nside : int
        HEALPix resolution, a power of two up to 1,024: 128 (the default) gives cells of
        2,594 km², about 51 km wide; 256 about 25 km; 64 about 102 km.
    region : str, optional
        Only cells whose centre lies in: a preset (``europe``, ``east-asia``, ``world``),
        ``land``, ``sea``, ISO3 codes or country names (comma-separated), or a GeoJSON
        polygon file. Default the whole globe.
    as_of : str or datetime.date, optional
        The day whose deployments count (default today); also picks the launcher counts
        published by then.
    band : {"nominal", "low", "high"}
        Which published range figure each pair reaches with.
    every_site : bool
        Also count every system at every shipped site of its own country (hypothetical).
    polygons : bool
        Add each cell's lon/lat polygon as the geometry (else its centre point).
    scheduler : str or distributed.Client
        Where the chunks run (:mod:`rangemap.cluster`): ``local`` (default), ``threads``,
        ``serial`` or a scheduler address.
    on_progress : callable, optional
        ``on_progress(done, total)`` after each chunk.
    rings : pandas.DataFrame, optional
        Ring rows to count instead (``system_id, lat, lon, radius_km, min_radius_km``),
        e.g. from :func:`rangemap.threats.threat_rings` or :func:`rangemap.rings.join_sites`.
    catalogue, inventory : pandas.DataFrame, optional
        Tables to use instead of the shipped ones.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`DENSITY_COLUMNS` and a geometry, in EPSG:4326, one row per cell (RING
        numbering order). ``attrs`` hold ``nside``, ``as_of``, ``band``, ``method``,
        ``region`` and ``scheduler``.

    Raises
    ------
    OptionError
        For a bad ``nside``, ``band``, ``as_of`` or scheduler address.
    TargetError
        For an unknown region.

    Examples
    --------
    >>> d = threat_density(nside=8, as_of="1987-12-08", scheduler="serial", polygons=False)
    >>> len(d), int(d["pairs"].max()) > 0, d.attrs["nside"]
    (768, True, 8)
    >>> from rangemap.grid import cell_of
    >>> moscow = d.set_index("cell").loc[int(cell_of(8, lat=55.76, lon=37.62))]
    >>> int(moscow["pairs"]), int(moscow["systems"]), int(moscow["uncounted_systems"])
    (2, 1, 1)
    """
    day = date.today() if as_of is None else parse_as_of(as_of)
    chosen = Band.parse(band)
    cat = load_catalogue() if catalogue is None else catalogue
    ring_rows = threat_rings(day, band=chosen, every_site=every_site, catalogue=cat) \
        if rings is None else rings  # fmt: skip
    label, geometry = ("the globe", None) if region is None else area_geometry(region)
    cells = cells_within(nside, geometry)
    inv = load_inventory() if inventory is None else inventory
    plan = _plan(ring_rows, latest_launchers(inv, day, cat))
    chunks = [cells[i : i + _CHUNK_CELLS] for i in range(0, cells.size, _CHUNK_CELLS)]
    parts = run_chunks(_density_chunk, chunks, shared=[nside, plan], scheduler=scheduler,
                       on_progress=on_progress)  # fmt: skip
    lat, lon = cell_centres(nside, cells)
    columns = {
        key: np.concatenate([p[key] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        for key in DENSITY_COLUMNS[4:]
    }
    frame = pd.DataFrame(
        {"cell": cells, "lat": lat, "lon": lon, "area_km2": cell_area_km2(nside), **columns}
    )
    geometry_values = cell_polygons(nside, cells) if polygons else gpd.points_from_xy(lon, lat)
    out = gpd.GeoDataFrame(frame, geometry=geometry_values, crs="EPSG:4326")
    out.attrs.update(
        nside=nside,
        cell_km=round(cell_spacing_km(nside), 1),
        as_of=day.isoformat(),
        band=chosen.value,
        region=label,
        pairs_counted=len(ring_rows),
        method=DENSITY_METHOD_TEXT,
        scheduler=scheduler_label(scheduler),
    )
    return out
