"""Exception hierarchy of rangemap.

Every error the library raises on bad input is a :class:`RangemapError`, itself a
:class:`ValueError`, so that callers (the CLI, the dashboard) can translate it at the edge
into one line for the user. Messages name the file, row and column where there is one and
show the bad value with ``!r``.

Public classes: RangemapError, CatalogueError, SiteError, TargetError, GeodesyError,
ScenarioError, ExportError.
"""

from __future__ import annotations

__all__ = [
    "CatalogueError",
    "ExportError",
    "GeodesyError",
    "RangemapError",
    "ScenarioError",
    "SiteError",
    "TargetError",
]


class RangemapError(ValueError):
    """Base class of every error rangemap raises on bad input."""


class CatalogueError(RangemapError):
    """The missile catalogue or claims table is malformed."""


class SiteError(RangemapError):
    """A launch site (file, row or typed ``LAT,LON``) is malformed."""


class TargetError(RangemapError):
    """A target file (cities, user points) is malformed."""


class GeodesyError(RangemapError):
    """A coordinate or radius is outside what the geodesic code accepts."""


class ScenarioError(RangemapError):
    """A scenario file names an unknown key, system, site or value."""


class ExportError(RangemapError):
    """An export could not be written (unknown format, unwritable path)."""
