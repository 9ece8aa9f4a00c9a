"""Exception hierarchy of rangemap.

Every error the library raises on bad input is a :class:`RangemapError`, itself a
:class:`ValueError`, so that callers (the CLI, the dashboard) can translate it at the edge
into one line for the user. Messages name the file, row and column where there is one and
show the bad value with ``!r``.

A bad choice from an option set (a band, region, language, format...) is always an
:class:`OptionError`, wherever the option set is defined, with the valid choices listed.

Public classes: RangemapError, CatalogueError, SiteError, TargetError, GeodesyError,
ScenarioError, ExportError, OptionError. Public function: parse_option.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

__all__ = [
    "CatalogueError",
    "ExportError",
    "GeodesyError",
    "OptionError",
    "RangemapError",
    "ScenarioError",
    "SiteError",
    "TargetError",
    "parse_option",
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
    """An export could not be written or read back (unwritable path, GDAL failure)."""


class OptionError(RangemapError):
    """A value is not one of an option set's choices (band, region, format, language...)."""


E = TypeVar("E", bound=StrEnum)


def parse_option(kind: type[E], value: object, *, what: str) -> E:
    """Return the member of an option set named ``value``, or raise listing the choices.

    Every option set (``Band``, ``Region``, ``OnInvalid``...) parses through here, so a bad
    choice always reads the same way and raises the same class, :class:`OptionError` (as
    shapely's ``ParamEnum.get_value`` does).

    Raises
    ------
    OptionError
        Naming the option, its valid choices and the value given.

    Examples
    --------
    >>> from enum import StrEnum
    >>> class Colour(StrEnum):
    ...     RED = "red"
    ...     BLUE = "blue"
    >>> parse_option(Colour, "red", what="colour")
    <Colour.RED: 'red'>
    >>> parse_option(Colour, "green", what="colour")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: colour must be one of red, blue; got 'green'
    """
    try:
        return kind(value)  # type: ignore[arg-type]  # any object: a bad one is reported
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise OptionError(f"{what} must be one of {choices}; got {value!r}") from None
