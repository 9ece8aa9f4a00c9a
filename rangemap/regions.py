"""Region presets: the areas that frame maps and restrict coverage statistics.

Public names
------------
Region, REGIONS
    The presets (``europe``, ``east-asia``, ``world``) and their lon/lat boxes.
region_polygon
    The lon/lat polygon of a preset.
in_region
    Rows of a table whose ``lat``/``lon`` lie in a preset: the one region test used by
    coverage tables, the dashboard and exports.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

import pandas as pd
import shapely
from shapely.geometry import Polygon, box

from rangemap.errors import parse_option
from rangemap.polygons import WORLD

__all__ = ["REGIONS", "Region", "in_region", "region_polygon"]


class Region(StrEnum):
    """Named areas that frame maps and restrict coverage statistics."""

    EUROPE = "europe"
    EAST_ASIA = "east-asia"
    WORLD = "world"

    @classmethod
    def parse(cls, value: str | Region) -> Region:
        """Return the region named ``value``; an unknown one lists the choices."""
        return parse_option(cls, value, what="region")


#: Region presets as lon/lat boxes (west, south, east, north). Europe reaches from the
#: Atlantic islands to the Urals and Caucasus; East Asia from Xinjiang to Guam and from
#: the Philippines and Indonesia's north to Sakhalin and Kamchatka's south.
REGIONS: dict[Region, tuple[float, float, float, float]] = {
    Region.EUROPE: (-25.0, 34.0, 60.0, 72.0),
    Region.EAST_ASIA: (73.0, -11.0, 160.0, 56.0),
    Region.WORLD: (-180.0, -90.0, 180.0, 90.0),
}


def region_polygon(region: str | Region) -> Polygon:
    """Return the lon/lat polygon of a region preset.

    Raises
    ------
    OptionError
        For an unknown region, listing the presets.

    Examples
    --------
    >>> region_polygon("europe").bounds
    (-25.0, 34.0, 60.0, 72.0)
    >>> region_polygon("mars")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: region must be one of europe, east-asia, world; got 'mars'
    """
    reg = Region.parse(region)
    return WORLD if reg is Region.WORLD else box(*REGIONS[reg], ccw=True)


Frame = TypeVar("Frame", bound=pd.DataFrame)


def in_region(frame: Frame, region: str | Region | None) -> Frame:
    """Rows whose ``lat``/``lon`` lie in a region preset (all rows for ``None``).

    A point on the region's edge counts as inside (``shapely.covers`` on the preset's
    lon/lat polygon). The index is reset, so filtering a world table equals asking for the
    region.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        With ``lat`` and ``lon`` columns in degrees.
    region : str, Region or None
        A preset, or None for no restriction.

    Returns
    -------
    The same kind of frame, rows in the region, index 0..n-1.

    Examples
    --------
    >>> t = pd.DataFrame({"lat": [48.9, 35.7], "lon": [2.35, 139.7]})
    >>> len(in_region(t, "europe")), len(in_region(t, None))
    (1, 2)
    >>> in_region(t, "east-asia").index.tolist()
    [0]
    """
    if region is None:
        return frame.reset_index(drop=True)  # type: ignore[return-value]
    points = shapely.points(frame["lon"].to_numpy(dtype=float), frame["lat"].to_numpy(dtype=float))
    mask = shapely.covers(region_polygon(region), points)
    return frame.loc[mask].reset_index(drop=True)  # type: ignore[return-value]
