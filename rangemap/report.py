"""A scenario's outputs and its methods note: the one module that knows every output.

:mod:`rangemap.scenario` says what a scenario is; this module computes it (rings, sites,
layers) and writes each of its outputs (GeoJSON, KML, GeoPackage and CSV through
:mod:`rangemap.formats`; PNG, SVG and PDF through :mod:`rangemap.figure`) and the
Markdown methods note for a report's annex.

The note gives the date (the caller's, else the scenario's, else says it is not set), the
software and data versions (SHA-256 of every data file read), every figure drawn with its
sources and access date, the competing claims on record for those systems, the sites, and
the geodesic method with its accuracy. Nothing in it comes from the clock or the
machine's paths, so it is the same text on every run.

Public functions
----------------
build_scenario
    The rings, site table, layers and catalogue of a scenario (:class:`ScenarioResult`).
run_scenario
    Write one output (geojson, kml, gpkg, csv, png, svg, pdf) and optionally its methods
    note.
scenario_bytes
    One output as bytes, for a download.
methods_note
    The methods note as Markdown text.
areas_methods_note
    The methods note of launch areas or of the reach from a region.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj

from rangemap import __version__
from rangemap._io import DATA_DIR, write_atomic
from rangemap.catalogue import load_catalogue
from rangemap.claims import RULE_TEXT, load_claims
from rangemap.deployments import deployment_rows, load_deployments, parse_as_of
from rangemap.errors import OptionError, ScenarioError
from rangemap.figure import FIGURE_FORMATS, draw_figure, save_figure
from rangemap.flight import FLIGHT_MODEL_TEXT
from rangemap.formats import LayerFormat, write_layers
from rangemap.geodesy import DEFAULT_TOLERANCE_M
from rangemap.layers import Layers, build_layers
from rangemap.mapframe import map_frame
from rangemap.regions import Region
from rangemap.rings import join_sites, rings_for
from rangemap.scenario import TARGET_WORDS, Scenario, scenario_to_toml, site_table
from rangemap.sites import load_sites
from rangemap.targets import load_targets

__all__ = [
    "EXPORT_FORMATS",
    "areas_methods_note",
    "ScenarioResult",
    "build_scenario",
    "methods_note",
    "run_scenario",
    "scenario_bytes",
]

#: Every format :func:`run_scenario` (and ``rangemap export``) writes.
EXPORT_FORMATS = (*(f.value for f in LayerFormat), *FIGURE_FORMATS)


# --- building and writing -------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario computes: its rings, sites, layers and the catalogue used.

    ``as_of`` is the day whose deployments placed the systems, or None (the scenario's sites).
    """

    rings: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    layers: Layers
    catalogue: pd.DataFrame
    as_of: dt.date | None = None


def build_scenario(scenario: Scenario, *, as_of: str | dt.date | None = None) -> ScenarioResult:
    """Compute a scenario's rings (every system x site x band), sites and layers.

    With ``as_of``, the scenario's systems are drawn where they were deployed that day
    (:func:`rangemap.deployments.deployment_rows`), not at the scenario's sites.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    RangemapError
        If a file the scenario names became invalid since it was loaded.

    Examples
    --------
    >>> from rangemap.scenario import scenario_from_dict
    >>> s = scenario_from_dict({"systems": ["df-26"], "sites": ["guam"], "bands": ["all"],
    ...                         "targets": "none"})
    >>> build_scenario(s).rings["band"].tolist()
    ['nominal', 'low', 'high']
    """
    cat = load_catalogue(scenario.path(scenario.catalogue) if scenario.catalogue else None)
    chosen = cat.set_index("id").loc[list(scenario.systems)].reset_index()
    if as_of is None:
        sites = site_table(scenario)
        parts = [join_sites(chosen, sites, band=band) for band in scenario.bands]
    else:  # the shipped sites and deployments, read once for every band
        shipped = load_sites()
        dep = load_deployments(system_ids=set(cat["id"]), site_ids=set(shipped["id"]))
        parts = [deployment_rows(as_of, systems=list(scenario.systems), band=band, catalogue=cat,
                                 sites=shipped, deployments=dep)
                 for band in scenario.bands]  # fmt: skip
        sites = shipped.loc[shipped["id"].isin(pd.concat(parts)["site_id"])].reset_index(drop=True)
    joined = pd.concat(parts, ignore_index=True)
    # Systems, then sites, then bands, in the order the scenario gives them.
    order = {b: i for i, b in enumerate(scenario.bands)}
    joined["_s"] = joined["system_id"].map({s: i for i, s in enumerate(scenario.systems)})
    joined["_t"] = joined["site_id"].map({s: i for i, s in enumerate(sites["id"])})
    joined["_b"] = joined["band"].map(order)
    joined = joined.sort_values(["_s", "_t", "_b"], kind="mergesort")
    # A band whose figure equals an earlier band's adds no ring (as with band="all").
    joined = joined.drop(columns=["_s", "_t", "_b"]).drop_duplicates(
        ["system_id", "site_id", "radius_km"]
    )
    joined = joined.reset_index(drop=True)
    rings = rings_for(joined)
    if scenario.targets == "none":
        targets = None
    elif scenario.targets in TARGET_WORDS:
        targets = load_targets(scenario.targets)
    else:
        targets = load_targets(scenario.path(scenario.targets))
    region = None if scenario.region == Region.WORLD.value else scenario.region
    layers = build_layers(rings, site_table=sites, targets=targets, catalogue=cat,
                          region=region, title=scenario.title)  # fmt: skip
    day = None if as_of is None else parse_as_of(as_of)
    return ScenarioResult(rings=rings, sites=sites, layers=layers, catalogue=cat, as_of=day)


def run_scenario(
    scenario: Scenario,
    format: str,
    out: str | os.PathLike[str],
    *,
    methods_note_path: str | os.PathLike[str] | None = None,
    date: str | dt.date | None = None,
    as_of: str | dt.date | None = None,
) -> Path:
    """Write one output of a scenario, the same bytes every time for text formats.

    Parameters
    ----------
    scenario : Scenario
    format : {"geojson", "kml", "gpkg", "csv", "png", "svg", "pdf"}
    out : path-like
        Destination file.
    methods_note_path : path-like, optional
        Also write the Markdown methods note here.
    date : str or datetime.date, optional
        Date for the note, overriding the scenario's.
    as_of : str or datetime.date, optional
        Draw the scenario's systems where they were deployed that day (see
        :func:`build_scenario`).

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    OptionError
        For an unknown format, listing the valid ones.
    ExportError
        For a failed write; nothing is left half-written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rangemap.scenario import scenario_from_dict
    >>> s = scenario_from_dict({"systems": ["df-26"], "sites": ["guam"], "targets": "none"})
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> a = run_scenario(s, "geojson", d / "a.geojson").read_bytes()
    >>> a == run_scenario(s, "geojson", d / "b.geojson").read_bytes()
    True
    >>> run_scenario(s, "shp", d / "x.shp")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: format must be one of geojson, kml, gpkg, csv, png, ...; got 'shp'
    """
    fmt = str(format).lower()
    if fmt not in EXPORT_FORMATS:
        raise OptionError(f"format must be one of {', '.join(EXPORT_FORMATS)}; got {format!r}")
    result = build_scenario(scenario, as_of=as_of)
    if fmt in FIGURE_FORMATS:
        fig = draw_figure(
            result.rings, region=scenario.region, lang=scenario.lang,
            title=scenario.title or None, projection=scenario.projection,
            catalogue=result.catalogue, labels=scenario.labels, fill=scenario.fill,
            sources=scenario.sources,
        )  # fmt: skip
        written = save_figure(fig, out, dpi=scenario.dpi, format=fmt)
    else:
        written = write_layers(result.layers, out, fmt)
    if methods_note_path is not None:
        note = methods_note(scenario, result, date=date, outputs=[(fmt, Path(out).name)])
        write_atomic(methods_note_path, note)
    return written


def scenario_bytes(scenario: Scenario, format: str) -> bytes:
    """Return one output of a scenario as bytes (for a download), via :func:`run_scenario`.

    Raises
    ------
    OptionError
        For an unknown format, listing the valid ones.
    """
    with tempfile.TemporaryDirectory(prefix="rangemap-") as folder:
        path = Path(folder) / f"scenario.{str(format).lower()}"
        return run_scenario(scenario, format, path).read_bytes()


# --- the methods note -------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _md(value: Any) -> str:
    """Format a table cell: pipes escaped, newlines folded, NaN blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _km(value: Any) -> str:
    f = float(value)
    return "" if math.isnan(f) else f"{f:,.0f}"


def _note_date(date: str | dt.date | None) -> str | None:
    """Check a methods note's date: ``YYYY-MM-DD``, or None when not set."""
    when = date.isoformat() if isinstance(date, dt.date) else date
    if when:
        try:
            dt.date.fromisoformat(when)
        except ValueError:
            raise ScenarioError(f"date must be YYYY-MM-DD, got {when!r}") from None
    return when or None


def methods_note(
    scenario: Scenario,
    result: ScenarioResult | None = None,
    *,
    date: str | dt.date | None = None,
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    """Write the Markdown note on how a scenario's outputs were made, for a report's annex.

    It gives the date (``date``, else the scenario's, else says it is not set), the
    software and data versions (SHA-256 of every data file read), every figure drawn
    with its sources and access date, the competing claims on record for those systems,
    the sites, and the geodesic method with its accuracy. Nothing in it comes from the
    clock or the machine's paths, so it is the same text on every run.

    Parameters
    ----------
    scenario : Scenario
    result : ScenarioResult, optional
        From :func:`build_scenario` (computed if not given).
    date : str or datetime.date, optional
        ``YYYY-MM-DD``; overrides the scenario's date.
    outputs : iterable of (format, file name)
        Files the note accompanies.

    Returns
    -------
    str
        Markdown text ending in a newline.

    Raises
    ------
    ScenarioError
        For a date that is not ``YYYY-MM-DD``.

    Examples
    --------
    >>> from rangemap.scenario import scenario_from_dict
    >>> s = scenario_from_dict({"systems": ["df-26"], "sites": ["guam"], "targets": "none",
    ...                         "date": "2026-11-23"})
    >>> note = methods_note(s)
    >>> "- Date: 2026-11-23" in note, "WGS84" in note
    (True, True)
    """
    res = build_scenario(scenario) if result is None else result
    when = _note_date(date or scenario.date)
    out = io.StringIO()
    w = out.write
    w(f"# Methods note: {scenario.title or 'rangemap scenario'}\n\n")
    w(f"- Date: {when or 'not set (give `date` in the scenario or --date)'}\n")
    w(f"- Region: {scenario.region}; bands: {', '.join(scenario.bands)}; targets: "
      f"{scenario.targets}\n")  # fmt: skip
    canonical = scenario_to_toml(scenario).encode("utf-8")
    w(f"- Scenario (canonical TOML) SHA-256: `{hashlib.sha256(canonical).hexdigest()}`\n")
    w(f"- Software: rangemap {__version__}; pyproj {pyproj.__version__} (PROJ "
      f"{pyproj.proj_version_str}); GDAL {pyogrio.__gdal_version_string__} (pyogrio "
      f"{pyogrio.__version__})\n")  # fmt: skip
    for fmt, name in outputs:
        w(f"- Output: `{name}` ({fmt})\n")
    w("\n## Data\n\n| File | SHA-256 | Content and licence |\n| --- | --- | --- |\n")
    files = [
        (scenario.catalogue or "data/missiles.csv",
         scenario.path(scenario.catalogue) if scenario.catalogue else DATA_DIR / "missiles.csv",
         f"missile catalogue, {len(res.catalogue)} systems; figures accessed as dated below"),
        ("data/claims.csv", DATA_DIR / "claims.csv", "published range claims, typed and dated"),
        ("data/sources.csv", DATA_DIR / "sources.csv", "sources, typed by kind"),
        (scenario.sites_file or "data/sites.csv",
         scenario.path(scenario.sites_file) if scenario.sites_file else DATA_DIR / "sites.csv",
         "launch sites with sources"),
    ]  # fmt: skip
    if res.as_of is not None:
        files.append(("data/deployments.csv", DATA_DIR / "deployments.csv",
                      "dated deployments, typed and sourced"))  # fmt: skip
    if scenario.targets in ("capitals", "cities"):
        files.append(("data/cities.csv", DATA_DIR / "cities.csv",
                      "GeoNames cities >= 15,000 subset and capitals (CC BY 4.0)"))  # fmt: skip
    elif scenario.targets != "none":
        files.append((scenario.targets, scenario.path(scenario.targets), "user targets"))
    files.append(("data/countries.geojson", DATA_DIR / "countries.geojson",
                  "Natural Earth 1:110m admin-0 countries (public domain)"))  # fmt: skip
    for shown, path, what in files:
        w(f"| `{shown}` | `{_sha256(path)}` | {_md(what)} |\n")
    typed = not res.catalogue["source_ids"].astype(bool).any()
    rule = ("The catalogue types its own figures; rangemap's rule for the shipped claims does "
            "not apply." if typed else RULE_TEXT)  # fmt: skip
    w(f"\n## Figures used\n\n{rule}\n\n| System | Country | Class | Band | Range (km) "
      "| Minimum range (km) | Nominal figure from | Quality flag | Accessed | Sources |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")  # fmt: skip
    info = res.catalogue.set_index("id")
    rings = res.rings.drop_duplicates(["system_id", "band", "radius_km"])
    for _, r in rings.iterrows():
        row = info.loc[r["system_id"]]
        urls = "<br>".join(f"<{u}>" for u in str(row["sources"]).split())
        w(f"| {_md(row['name'])} | {_md(row['country'])} | {_md(row['class'])} | {_md(r['band'])} "
          f"| {_km(r['radius_km'])} | {_km(r['min_radius_km'])} | "
          f"{_md(row.get('nominal_basis', ''))} | {_md(row.get('quality', '')) or 'none'} | "
          f"{_md(row['accessed'])} | {urls} |\n")  # fmt: skip
    claims = load_claims()
    claims = claims.loc[claims["system_id"].isin(scenario.systems)]
    if len(claims):
        w(
            "\n### Claims on record (not drawn unless a band above uses them)\n\n"
            "| System | Kind | Claimant | Range (km) | Date | Quality flag | Source |\n"
            "| --- | --- | --- | --- | --- | --- | --- |\n"
        )
        for _, c in claims.iterrows():
            w(
                f"| {_md(info.loc[c['system_id'], 'name'])} | {_md(c['kind'])} | "
                f"{_md(c['claimant'])} | {_km(c['claim_range_km'])} | {_md(c['date'])} | "
                f"{_md(c['quality']) or 'none'} | "
                + "<br>".join(f"<{u}>" for u in str(c["urls"]).split())
                + " |\n"
            )
    if res.as_of is not None:
        w(f"\n## Deployments as of {res.as_of.isoformat()}\n\nThe systems are drawn where "
          "`data/deployments.csv` places them that day (a deployment counts from the end of "
          "its `from` period to the start of its `to` period; hypothetical ones are left "
          "out), not at the scenario's sites.\n")  # fmt: skip
    w("\n## Sites\n\n| Site | Lat | Lon | Kind | Sources |\n| --- | --- | --- | --- | --- |\n")
    for _, s in res.sites.iterrows():
        src = "<br>".join(f"<{u}>" for u in str(s["source"]).split()) or "user-given point"
        w(f"| {_md(s['name'])} | {float(s['lat']):.4f} | {float(s['lon']):.4f} | "
          f"{_md(s['kind'])} | {src} |\n")  # fmt: skip
    w("\n## Method\n\n")
    w(
        "- Distances and ring boundaries are geodesics on the WGS84 ellipsoid (a = 6378137 m, "
        'f = 1/298.257223563), computed with GeographicLib (C. F. F. Karney, "Algorithms for '
        'geodesics", J. Geodesy 87, 43-55, 2013, doi:10.1007/s00190-012-0578-z) through '
        "`pyproj.Geod`; distances are accurate to about 15 nanometres.\n"
    )
    w(
        "- Each ring's vertices lie at the range to within GeographicLib's accuracy; vertices "
        "are added until every straight lon/lat edge between them is within "
        f"{DEFAULT_TOLERANCE_M:g} m of the true curve (checked at each edge's midpoint).\n"
    )
    w(
        "- Rings that cross the antimeridian are split there (RFC 7946, section 3.1.9); rings "
        "that enclose a pole are closed along it. Areas are ellipsoidal areas of the drawn "
        "polygons.\n"
    )
    w(f"- Flight times (command line `flight-time`, coverage tables, map tooltips): "
      f"{FLIGHT_MODEL_TEXT} Boost and speed figures: `data/boost.csv`, "
      "`data/speeds.csv`.\n")  # fmt: skip
    w(
        "- A target is in range when its geodesic distance from the site is at most the range "
        "(and at least the minimum range): an exact distance comparison, never a "
        "point-in-polygon test on a drawn ring.\n"
    )
    region = map_frame(scenario.region, scenario.projection)
    proj = {"laea": "Lambert azimuthal equal-area", "aeqd": "azimuthal equidistant",
            "eqearth": "Equal Earth"}[region.kind]  # fmt: skip
    w(
        f"- Figures use the {proj} projection centred {region.lat0:g}, {region.lon0:g} "
        "(never Web Mercator); geometry is densified to 0.25 degrees before projecting.\n"
    )
    w(
        "- Ranges are the published figures listed above with their sources; they are not "
        "verified capabilities, and competing claims are listed, never averaged.\n"
    )
    return out.getvalue()


def areas_methods_note(
    areas: gpd.GeoDataFrame,
    *,
    targets: pd.DataFrame | None = None,
    date: str | dt.date | None = None,
    outputs: Iterable[tuple[str, str]] = (),
) -> str:
    """Write the Markdown methods note of launch areas or of the reach from a region.

    It gives the date, the software and data versions (SHA-256 of every shipped data file
    used), each area's figures with their sources, the targets, and the method (the
    ``method`` column of the areas, with its accuracy). No clock, no paths: the same text
    on every run.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        From :func:`rangemap.launch.launch_areas` or
        :func:`rangemap.regionreach.reach_from_systems`.
    targets : pandas.DataFrame, optional
        ``name, lat, lon`` of a launch area's targets.
    date : str or datetime.date, optional
        ``YYYY-MM-DD``.
    outputs : iterable of (format, file name)
        Files the note accompanies.

    Raises
    ------
    ScenarioError
        For a date that is not ``YYYY-MM-DD``.

    Examples
    --------
    >>> from rangemap.launch import launch_areas
    >>> from rangemap.targets import resolve_targets
    >>> t = resolve_targets(["Guam", "Tokyo"])
    >>> note = areas_methods_note(launch_areas(t, radius_km=3000), targets=t, date="2026-12-02")
    >>> "# Methods note: launch areas" in note, "intersection of the targets' own rings" in note
    (True, True)
    """
    when = _note_date(date)
    launch = "targets" in areas
    out = io.StringIO()
    w = out.write
    w(f"# Methods note: {'launch areas' if launch else 'reach from a region'}\n\n")
    w(f"- Date: {when or 'not set (give --date)'}\n")
    w(f"- Software: rangemap {__version__}; pyproj {pyproj.__version__} (PROJ "
      f"{pyproj.proj_version_str}); GDAL {pyogrio.__gdal_version_string__}\n")  # fmt: skip
    for fmt, name in outputs:
        w(f"- Output: `{name}` ({fmt})\n")
    w("\n## Method\n\n")
    for text in dict.fromkeys(str(m) for m in areas["method"]):
        w(f"{_md(text)}\n\n")
    w("\n## Data\n\n| File | SHA-256 | Content and licence |\n| --- | --- | --- |\n")
    files = [
        ("missiles.csv", "missile catalogue"),
        ("claims.csv", "published range claims"),
        ("sources.csv", "sources, typed by kind"),
        ("countries.geojson", "Natural Earth 1:110m admin-0 countries (public domain)"),
    ]
    if launch:
        files += [("cities.csv", "GeoNames cities and capitals (CC BY 4.0): named targets"),
                  ("sites.csv", "shipped places: named targets such as Guam")]  # fmt: skip
    for name, what in files:
        w(f"| `data/{name}` | `{_sha256(DATA_DIR / name)}` | {_md(what)} |\n")
    w("\n## Areas\n\n| System | Band | Range (km) | Minimum range (km) | Area (km²) | Where |\n"
      "| --- | --- | --- | --- | --- | --- |\n")  # fmt: skip
    for _, r in areas.iterrows():
        where = (f"at least {r['at_least']} of {r['n_targets']} targets; {r['clip'] or 'anywhere'}"
                 if launch else f"from {r['region']} ({r['outline']})")  # fmt: skip
        mini = r.get("min_radius_km", math.nan)
        w(f"| {_md(r['system']) or 'given in km'} | {_md(r['band'])} | {_km(r['radius_km'])} | "
          f"{_km(mini)} | {_km(r['area_km2'])} | {_md(where)} |\n")  # fmt: skip
    ids = [i for i in dict.fromkeys(areas.get("system_id", pd.Series(dtype=str))) if i]
    if ids:
        cat = load_catalogue().set_index("id")
        w("\n## Sources of the figures\n\n| System | Accessed | Sources |\n| --- | --- | --- |\n")
        for sid in ids:
            row = cat.loc[sid]
            urls = "<br>".join(f"<{u}>" for u in str(row["sources"]).split())
            w(f"| {_md(row['name'])} | {_md(row['accessed'])} | {urls} |\n")
    if targets is not None and len(targets):
        w("\n## Targets\n\n| Target | Lat | Lon |\n| --- | --- | --- |\n")
        for _, t in targets.iterrows():
            w(f"| {_md(t['name'])} | {float(t['lat']):.4f} | {float(t['lon']):.4f} |\n")
    return out.getvalue()
