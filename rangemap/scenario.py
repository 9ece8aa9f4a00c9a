"""Scenario files: one TOML file that regenerates the same layers, figure and methods note.

A scenario names the systems, the launch sites, the range bands, the targets, the region
and the output options. Every export of a scenario is reproducible: the text formats
(GeoJSON, KML, CSV, the methods note) come out byte for byte the same on every run, since
nothing in them depends on the clock (the note's date comes from the scenario or the
caller) or on the machine (no absolute paths).

Example (``scenarios/example-east-asia.toml``)::

    title = "US mid-range systems at candidate Western Pacific sites"
    date = 2026-11-23
    region = "east-asia"
    systems = ["tomahawk-typhon", "lrhw"]
    bands = ["nominal", "high"]
    targets = "capitals"          # capitals | cities | none | path/to/points.csv
    sites = [
      "luzon-laoag",              # a site id or name from data/sites.csv
      "guam",
      { name = "Notional site, Palau", lat = 7.5, lon = 134.6 },
    ]

    [output]
    lang = "en"                   # en | ja
    dpi = 300
    projection = "laea"           # laea | aeqd (regional maps)

Top-level keys: ``title, date, region, systems, bands, sites, targets, catalogue,
sites_file, output``; ``catalogue`` and ``sites_file`` (a CSV to use instead of the
shipped one) and a target path are read relative to the scenario file. ``[output]`` keys:
``lang, dpi, projection, fill, labels, sources``. Anything else is an error naming the key
and its value. A ``{name, lat, lon}`` point takes ``lat`` in [-90, 90] and ``lon`` in
[-180, 180] (a site file or a typed ``"LAT,LON"`` normalises longitudes up to 540 instead).
Limits: :data:`MAX_SCENARIO_BYTES`, :data:`MAX_SCENARIO_SYSTEMS`, :data:`MAX_SCENARIO_SITES`.

Public functions
----------------
load_scenario, loads_scenario, scenario_from_dict
    Read and validate a scenario (file, text, or a dict such as the dashboard's state).
scenario_to_toml
    A scenario as canonical TOML text (the dashboard's "download this view").
site_table
    The launch sites a scenario names, as one site table with unique ids.
scenario_from_view, view_from_scenario
    Between the dashboard's widgets and a scenario.

This module is the specification only and writes nothing: :mod:`rangemap.report` builds a
scenario's rings and layers and writes its outputs and methods note.

Files a scenario names must lie inside its folder; a scenario given as text or bytes (an
upload) may name none, so that it cannot make the server read its files.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

from rangemap._figtext import Lang
from rangemap._io import cut_repr, read_text
from rangemap.catalogue import Band, SystemIndex, load_catalogue
from rangemap.errors import RangemapError, ScenarioError
from rangemap.mapframe import Projection
from rangemap.regions import Region
from rangemap.sites import MAX_SITES, SiteIndex, load_sites, site_frame, site_lines, slug

__all__ = [
    "MAX_SCENARIO_BYTES",
    "MAX_SCENARIO_SITES",
    "MAX_SCENARIO_SYSTEMS",
    "TARGET_WORDS",
    "Scenario",
    "SiteSpec",
    "load_scenario",
    "loads_scenario",
    "scenario_from_dict",
    "scenario_from_view",
    "scenario_to_toml",
    "site_table",
    "view_from_scenario",
]

#: Targets a scenario names by a word rather than a file.
TARGET_WORDS = ("capitals", "cities", "none")

_TOP_KEYS = ("title", "date", "region", "systems", "bands", "sites", "targets", "catalogue",
             "sites_file", "output")  # fmt: skip
_OUTPUT_KEYS = ("lang", "dpi", "projection", "fill", "labels", "sources")
_SITE_KEYS = ("id", "name", "lat", "lon", "country")
_SOURCES = ("auto", "urls", "hosts")
#: Largest scenario file read (bytes): scenarios are short, hand-written files.
MAX_SCENARIO_BYTES = 1_000_000
#: Most entries in ``systems``, checked before any look-up: the shipped catalogue has 81
#: systems (20,000 repeated entries once took 73 s, issue 15).
MAX_SCENARIO_SYSTEMS = 500
#: Most entries in ``sites``: they become one site table, so :data:`rangemap.sites.MAX_SITES`.
MAX_SCENARIO_SITES = MAX_SITES


@dataclass(frozen=True)
class SiteSpec:
    """One launch site of a scenario: a site id/name/``LAT,LON`` or a named point.

    Attributes
    ----------
    key : str
        Site id or name (looked up in the site table) or ``"LAT,LON"``; empty for a point.
    name, lat, lon, country : optional
        A named point (``key`` empty): its name and WGS84 coordinates in degrees.
    """

    key: str = ""
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    country: str = ""


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Build one with :func:`load_scenario` or :func:`scenario_from_dict`.

    Attributes
    ----------
    systems : tuple of str
        Catalogue ids (resolved from the names, ids or aliases the file gave).
    sites : tuple of SiteSpec
    bands : tuple of str
        ``nominal``, ``low``, ``high`` (``all`` expands to the three).
    region : str
        ``europe``, ``east-asia`` or ``world`` (no restriction).
    targets : str
        ``capitals``, ``cities``, ``none`` or a path relative to ``base_dir``.
    title, date : str
        ``date`` is ISO ``YYYY-MM-DD`` or empty (the note then says it is not set).
    catalogue, sites_file : str
        Paths relative to ``base_dir`` to use instead of the shipped files, or empty.
    lang, dpi, projection, fill, labels, sources
        Output options (see :func:`rangemap.figure.draw_figure`).
    base_dir : pathlib.Path or None
        Folder relative paths are read from; None forbids paths (an uploaded scenario).
    """

    systems: tuple[str, ...]
    sites: tuple[SiteSpec, ...]
    bands: tuple[str, ...] = ("nominal",)
    region: str = "world"
    targets: str = "capitals"
    title: str = ""
    date: str = ""
    catalogue: str = ""
    sites_file: str = ""
    lang: str = "en"
    dpi: int = 300
    projection: str = "laea"
    fill: bool = True
    labels: bool = True
    sources: str = "auto"
    base_dir: Path | None = field(default=None, compare=False)

    def path(self, value: str) -> Path:
        """Return a path the scenario names (``catalogue``, ``sites_file``, targets) in full.

        Raises
        ------
        ScenarioError
            If the scenario has no folder (it was uploaded).
        """
        if self.base_dir is None:
            raise ScenarioError(f"scenario has a file path {value!r} but no folder to read it from")
        return self.base_dir / value


# --- validation --------------------------------------------------------------------------


def _fail(label: str, key: str, message: str) -> ScenarioError:
    return ScenarioError(f"{label}: key {key!r}: {message}")


def _string(label: str, key: str, value: Any, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _fail(label, key, f"must be a string, got {cut_repr(value)}")
    if not allow_empty and not value.strip():
        raise _fail(label, key, f"must not be empty, got {cut_repr(value)}")
    if any(ord(c) < 32 and c not in "\t\n" for c in value):
        raise _fail(label, key, f"has control characters, got {cut_repr(value)}")
    return value.strip()


def _string_list(label: str, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise _fail(label, key, f"must be a non-empty list of strings, got {cut_repr(value)}")
    return [_string(label, f"{key}[{i}]", v, allow_empty=False) for i, v in enumerate(value)]


def _coordinate(label: str, key: str, value: Any, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(
            label, key, f"must be a number in [-{limit:g}, {limit:g}], got {cut_repr(value)}"
        )
    try:
        f = float(value)
    except OverflowError:  # an integer beyond float range
        f = math.inf
    if not math.isfinite(f) or abs(f) > limit:
        raise _fail(
            label, key, f"must be a number in [-{limit:g}, {limit:g}], got {cut_repr(value)}"
        )
    return f


def _choice(label: str, key: str, value: Any, choices: Iterable[str]) -> str:
    options = list(choices)
    if value not in options:
        raise _fail(label, key, f"must be one of {', '.join(options)}; got {cut_repr(value)}")
    return str(value)


def _check_keys(label: str, prefix: str, table: Mapping[str, Any], valid: Iterable[str]) -> None:
    allowed = list(valid)
    for key, value in table.items():
        if key not in allowed:
            raise ScenarioError(
                f"{label}: unknown key {prefix + key!r} (value {cut_repr(value)}); valid keys: "
                f"{', '.join(allowed)}"
            )


def _site_spec(label: str, key: str, value: Any) -> SiteSpec:
    if isinstance(value, str):
        return SiteSpec(key=_string(label, key, value, allow_empty=False))
    if not isinstance(value, dict):
        raise _fail(label, key, f"must be a site id, 'LAT,LON' or a table "
                                f"{{name, lat, lon}}, got {cut_repr(value)}")  # fmt: skip
    _check_keys(label, f"{key}.", value, _SITE_KEYS)
    if "id" in value:
        extra = sorted(set(value) - {"id"})
        if extra:
            raise _fail(label, key, f"give either id or name/lat/lon, got {cut_repr(value)}")
        return SiteSpec(key=_string(label, f"{key}.id", value["id"], allow_empty=False))
    for need in ("name", "lat", "lon"):
        if need not in value:
            raise _fail(label, key, f"a site table needs name, lat and lon; {need!r} is "
                                    f"missing in {cut_repr(value)}")  # fmt: skip
    return SiteSpec(
        name=_string(label, f"{key}.name", value["name"], allow_empty=False),
        lat=_coordinate(label, f"{key}.lat", value["lat"], 90.0),
        lon=_coordinate(label, f"{key}.lon", value["lon"], 180.0),
        country=_string(label, f"{key}.country", value.get("country", "")),
    )


def _relative(label: str, key: str, value: str, base_dir: Path | None) -> str:
    if base_dir is None:
        raise _fail(label, key, f"file paths are not allowed in an uploaded scenario, got "
                                f"{cut_repr(value)}")  # fmt: skip
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        raise _fail(
            label, key, f"must be a path inside the scenario's folder, got {cut_repr(value)}"
        )
    try:
        found = (base_dir / path).is_file()
    except OSError:  # e.g. a name longer than the file system allows
        found = False
    if not found:
        raise _fail(label, key, f"file not found: {cut_repr(value)} (relative to the scenario)")
    return path.as_posix()


def scenario_from_dict(
    data: Mapping[str, Any],
    *,
    name: str = "<scenario>",
    base_dir: Path | None = None,
    max_systems: int = MAX_SCENARIO_SYSTEMS,
    max_sites: int = MAX_SCENARIO_SITES,
) -> Scenario:
    """Validate a parsed scenario (e.g. from TOML, or the dashboard's state).

    Parameters
    ----------
    data : mapping
        The keys described in this module's docstring.
    name : str
        Shown at the start of every error.
    base_dir : pathlib.Path, optional
        Folder for relative paths (``catalogue``, ``sites_file``, a target file); None
        refuses paths, as for an uploaded scenario that must not read the server's files.
    max_systems, max_sites : int
        Most entries in ``systems`` and ``sites`` (repeats count), checked first.

    Returns
    -------
    Scenario
        Systems resolved to catalogue ids, sites checked against the site table.

    Raises
    ------
    ScenarioError
        Naming the key and the bad value.

    Examples
    --------
    >>> s = scenario_from_dict({"systems": ["SSC-8"], "sites": ["kaliningrad"]})
    >>> s.systems, s.sites[0].key
    (('9m729',), 'kaliningrad')
    >>> scenario_from_dict({"systems": ["df-26"], "sites": [{"name": "X", "lat": 95,
    ...                     "lon": 0}]})
    Traceback (most recent call last):
    ...
    rangemap.errors.ScenarioError: <scenario>: key 'sites[0].lat': must be a number ..., got 95
    """
    label = name
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{label}: expected a table of keys, got {data!r:.80}")
    _check_keys(label, "", data, _TOP_KEYS)
    for need, most in (("systems", max_systems), ("sites", max_sites)):
        if need not in data:
            raise ScenarioError(f"{label}: missing required key {need!r}")
        count = len(data[need]) if isinstance(data[need], list) else 1
        if count > most:  # before any look-up (issue 15)
            raise _fail(label, need, f"{count:,} entries, over the limit of {most:,} (pass "
                                     f"max_{need}= to scenario_from_dict to raise it)")  # fmt: skip
    paths: dict[str, str] = {}
    for key in ("catalogue", "sites_file"):
        if key in data:
            paths[key] = _relative(label, key, _string(label, key, data[key],
                                                       allow_empty=False), base_dir)  # fmt: skip
    try:
        cat = load_catalogue(base_dir / paths["catalogue"] if "catalogue" in paths and base_dir
                             else None)  # fmt: skip
    except RangemapError as exc:
        raise _fail(label, "catalogue", str(exc)) from None
    systems: dict[str, None] = {}  # ids in order, each once
    index = SystemIndex(cat)  # one index for every entry
    for i, key in enumerate(_string_list(label, "systems", data["systems"])):
        try:
            systems[index.id_of(key)] = None
        except RangemapError as exc:
            raise _fail(label, f"systems[{i}]", str(exc)) from None
    raw_sites = data["sites"]
    if not isinstance(raw_sites, list) or not raw_sites:
        raise _fail(label, "sites", f"must be a non-empty list, got {cut_repr(raw_sites)}")
    sites = tuple(_site_spec(label, f"sites[{i}]", v) for i, v in enumerate(raw_sites))
    try:
        table = (load_sites(base_dir / paths["sites_file"], default_kind="user")
                 if "sites_file" in paths and base_dir else load_sites())  # fmt: skip
    except RangemapError as exc:
        raise _fail(label, "sites_file", str(exc)) from None
    found = SiteIndex(table)  # one index for every entry
    for i, spec in enumerate(sites):
        if spec.key:
            try:
                found.row(spec.key)
            except RangemapError as exc:
                raise _fail(label, f"sites[{i}]", str(exc)) from None
    bands = [
        _choice(label, f"bands[{i}]", b, [m.value for m in Band])
        for i, b in enumerate(_string_list(label, "bands", data.get("bands", ["nominal"])))
    ]
    if "all" in bands:
        bands = ["nominal", "low", "high"]
    region = _choice(label, "region", data.get("region", "world"), [r.value for r in Region])
    targets = _string(label, "targets", data.get("targets", "capitals"), allow_empty=False)
    if targets not in TARGET_WORDS:
        targets = _relative(label, "targets", targets, base_dir)
    date = data.get("date", "")
    if isinstance(date, dt.datetime):
        raise _fail(label, "date", f"must be a date without a time, got {cut_repr(date)}")
    if isinstance(date, dt.date):
        date = date.isoformat()
    date = _string(label, "date", date)
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise _fail(label, "date", f"must be a date YYYY-MM-DD, got {cut_repr(date)}") from None
    output = data.get("output", {})
    if not isinstance(output, Mapping):
        raise _fail(label, "output", f"must be a table, got {cut_repr(output)}")
    _check_keys(label, "output.", output, _OUTPUT_KEYS)
    dpi = output.get("dpi", 300)
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 10 <= dpi <= 1200:
        raise _fail(label, "output.dpi", f"must be an integer in [10, 1200], got {cut_repr(dpi)}")
    flags = {}
    for key in ("fill", "labels"):
        flags[key] = output.get(key, True)
        if not isinstance(flags[key], bool):
            raise _fail(
                label, f"output.{key}", f"must be true or false, got {cut_repr(flags[key])}"
            )
    projection = _choice(label, "output.projection", output.get("projection", "laea"),
                         [m.value for m in Projection])  # fmt: skip
    return Scenario(
        systems=tuple(systems),
        sites=sites,
        bands=tuple(dict.fromkeys(bands)),
        region=region,
        targets=targets,
        title=_string(label, "title", data.get("title", "")),
        date=date,
        catalogue=paths.get("catalogue", ""),
        sites_file=paths.get("sites_file", ""),
        lang=_choice(label, "output.lang", output.get("lang", "en"), [m.value for m in Lang]),
        dpi=dpi,
        projection=projection,
        fill=flags["fill"],
        labels=flags["labels"],
        sources=_choice(label, "output.sources", output.get("sources", "auto"), _SOURCES),
        base_dir=base_dir,
    )


def loads_scenario(
    text: str | bytes, *, name: str = "<scenario>", base_dir: Path | None = None
) -> Scenario:
    r"""Parse and validate scenario TOML text (an upload: paths refused unless ``base_dir``).

    Raises
    ------
    ScenarioError
        For text that is not TOML, or any invalid key or value.

    Examples
    --------
    >>> loads_scenario('systems = ["df-26"]\nsites = ["guam"]\ncolour = "red"\n')
    Traceback (most recent call last):
    ...
    rangemap.errors.ScenarioError: <scenario>: unknown key 'colour' (value 'red'); valid keys: ...
    """
    if isinstance(text, bytes):
        if len(text) > MAX_SCENARIO_BYTES:
            raise ScenarioError(f"{name}: over the limit of {MAX_SCENARIO_BYTES:,} bytes")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                f"{name}: not UTF-8 text (bad byte at offset {exc.start})"
            ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{name}: not valid TOML ({exc})") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise ScenarioError(f"{name}: not a usable scenario (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer past Python's 4,300-digit conversion limit
        raise ScenarioError(f"{name}: not a usable scenario ({exc})") from None
    return scenario_from_dict(data, name=name, base_dir=base_dir)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file; relative paths in it are read from its folder.

    Parameters
    ----------
    path : path-like
        A ``.toml`` file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Naming the file, the key and the bad value.

    Examples
    --------
    >>> from rangemap._io import DATA_DIR
    >>> s = load_scenario(DATA_DIR.parent / "scenarios" / "example-east-asia.toml")
    >>> s.region, s.systems
    ('east-asia', ('tomahawk-typhon', 'lrhw'))
    """
    src = Path(path)
    # The one size-limited reader: it stops one byte past the limit, so a pipe or an
    # endless stream (issue 15: it grew to 23.6 GB) is refused, not read whole.
    text = read_text(src, label=str(src), error=ScenarioError, max_bytes=MAX_SCENARIO_BYTES)
    return loads_scenario(text, name=str(src), base_dir=src.resolve().parent)


# --- sites ---------------------------------------------------------------------------------


def site_table(scenario: Scenario) -> gpd.GeoDataFrame:
    """Return the launch sites a scenario names, in order, as one site table.

    Ids from the site table are kept; a named point gets :func:`rangemap.sites.slug` of its
    name; repeated ids are made unique by :func:`rangemap.sites.unique_ids`, so every site
    the scenario names is kept (issue 9: a point named "Guam 2" beside two "guam" entries
    was once dropped).

    Raises
    ------
    RangemapError
        If a file the scenario names became invalid since it was loaded.

    Examples
    --------
    >>> s = scenario_from_dict({"systems": ["df-26"], "sites": ["guam", "guam",
    ...                         {"name": "Guam 2", "lat": 10, "lon": 140}]})
    >>> site_table(s)["id"].tolist()
    ['guam', 'guam-3', 'guam-2']
    """
    table = (load_sites(scenario.path(scenario.sites_file), default_kind="user")
             if scenario.sites_file else load_sites())  # fmt: skip
    rows: list[dict[str, Any]] = []
    found = SiteIndex(table)  # one index for every entry
    for spec in scenario.sites:
        if spec.key:
            rows.append(found.row(spec.key))
        else:
            rows.append({"id": slug(spec.name), "name": spec.name, "country": spec.country,
                         "lat": spec.lat, "lon": spec.lon, "kind": "user"})  # fmt: skip
    return site_frame(rows)


# --- writing a scenario -------------------------------------------------------------------


#: TOML basic-string escapes: control characters as \uXXXX, then the short forms.
_TOML_ESCAPES = {**{c: f"\\u{c:04X}" for c in [*range(32), 127]}, ord("\\"): "\\\\",
                 ord('"'): '\\"', ord("\n"): "\\n", ord("\t"): "\\t"}  # fmt: skip


def _toml_str(value: str) -> str:
    return '"' + value.translate(_TOML_ESCAPES) + '"'


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def scenario_to_toml(scenario: Scenario) -> str:
    """Write a scenario as canonical TOML that :func:`loads_scenario` reads back equal.

    Parameters
    ----------
    scenario : Scenario
        E.g. built by the dashboard with :func:`scenario_from_dict` from its widgets.

    Returns
    -------
    str

    Examples
    --------
    >>> s = scenario_from_dict({"systems": ["df-26"], "sites": ["guam", {"name": "東京",
    ...                         "lat": 35.68, "lon": 139.77}], "region": "east-asia"})
    >>> text = scenario_to_toml(s)
    >>> print(text.splitlines()[5])
    sites = [
    >>> loads_scenario(text) == s
    True
    """
    lines = ["# rangemap scenario", ""]
    if scenario.title:
        lines.append(f"title = {_toml_str(scenario.title)}")
    if scenario.date:
        lines.append(f"date = {scenario.date}")
    lines += [
        f"region = {_toml_str(scenario.region)}",
        f"systems = {_toml_list(scenario.systems)}",
        f"bands = {_toml_list(scenario.bands)}",
        "sites = [",
    ]
    for spec in scenario.sites:
        if spec.key:
            lines.append(f"  {_toml_str(spec.key)},")
        else:
            country = f", country = {_toml_str(spec.country)}" if spec.country else ""
            lines.append(f"  {{ name = {_toml_str(spec.name)}, lat = {spec.lat!r}, "
                         f"lon = {spec.lon!r}{country} }},")  # fmt: skip
    lines.append("]")
    lines.append(f"targets = {_toml_str(scenario.targets)}")
    if scenario.catalogue:
        lines.append(f"catalogue = {_toml_str(scenario.catalogue)}")
    if scenario.sites_file:
        lines.append(f"sites_file = {_toml_str(scenario.sites_file)}")
    lines += [
        "",
        "[output]",
        f"lang = {_toml_str(scenario.lang)}",
        f"dpi = {scenario.dpi}",
        f"projection = {_toml_str(scenario.projection)}",
        f"fill = {'true' if scenario.fill else 'false'}",
        f"labels = {'true' if scenario.labels else 'false'}",
        f"sources = {_toml_str(scenario.sources)}",
    ]
    return "\n".join(lines) + "\n"


# --- the dashboard's view ---------------------------------------------------------------


def scenario_from_view(
    *,
    systems: Iterable[str],
    sites: gpd.GeoDataFrame,
    band: str | Sequence[str],
    region: str,
    shipped: gpd.GeoDataFrame,
    targets: str = "capitals",
) -> Scenario:
    """Build the scenario of a dashboard view: shipped sites by id, others as points.

    Parameters
    ----------
    systems : iterable of str
        Catalogue ids.
    sites : geopandas.GeoDataFrame
        The view's sites (shipped, typed or uploaded).
    band : {"nominal", "low", "high", "all"} or a sequence of them
    region : {"europe", "east-asia", "world"}
    shipped : geopandas.GeoDataFrame
        The shipped site table, to tell shipped sites from others.
    targets : str
        ``capitals``, ``cities`` or ``none``.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        For an empty selection or a bad value, naming it.

    Examples
    --------
    >>> from rangemap.sites import resolve_sites
    >>> shipped = load_sites()
    >>> view = resolve_sites(["guam", "7.5,134.6"], shipped)
    >>> s = scenario_from_view(systems=["df-26"], sites=view, band="all", region="east-asia",
    ...                        shipped=shipped)
    >>> [site.key or site.name for site in s.sites]
    ['guam', '7.5,134.6']
    """
    known = set(shipped["id"])
    specs: list[Any] = []
    for sid, name, lat, lon in zip(sites["id"], sites["name"], sites["lat"], sites["lon"],
                                   strict=True):  # fmt: skip
        if sid in known:
            specs.append(str(sid))
        else:
            # A scenario's strings hold no control characters (an uploaded "cr\rname" once
            # broke the Export tab, issue 15): they become spaces in the spec.
            shown = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", str(name))
            specs.append({"name": shown, "lat": float(lat), "lon": float(lon)})
    return scenario_from_dict(
        {"systems": list(systems), "sites": specs,
         "bands": [band] if isinstance(band, str) else list(band), "region": region,
         "targets": targets},
        name="dashboard view",
    )  # fmt: skip


def view_from_scenario(scenario: Scenario, shipped: gpd.GeoDataFrame) -> dict[str, Any]:
    r"""Return the widget values that show a scenario.

    Returns
    -------
    dict
        ``systems`` (ids), ``sites`` (shipped ids), ``coords`` (``LAT,LON`` lines for the
        other sites), ``bands`` (every band the scenario draws, low to high), ``region``
        and ``title``.

    Examples
    --------
    >>> s = loads_scenario('systems=["df-26"]\nsites=["guam","7.5,134.6"]\nbands=["high","low"]')
    >>> view = view_from_scenario(s, load_sites())
    >>> view["sites"], view["coords"], view["bands"]
    (['guam'], '7.5,134.6', ['low', 'high'])
    """
    table = site_table(scenario)
    known = set(shipped["id"])
    ids = [str(s) for s in table["id"] if s in known]
    coords = site_lines(table.loc[~table["id"].isin(known)])  # a named point keeps its name
    every = "all" in scenario.bands
    bands = [b for b in ("low", "nominal", "high") if every or b in scenario.bands]
    return {"systems": list(scenario.systems), "sites": ids, "coords": "\n".join(coords),
            "bands": bands, "region": scenario.region, "title": scenario.title}  # fmt: skip
