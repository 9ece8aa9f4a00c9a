"""The methods note: how a scenario's outputs were made, for a report's annex (Markdown).

It gives the date (the caller's, else the scenario's, else says it is not set), the
software and data versions (SHA-256 of every data file read), every figure drawn with its
sources and access date, the competing claims on record for those systems, the sites, and
the geodesic method with its accuracy. Nothing in it comes from the clock or the
machine's paths, so it is the same text on every run.

Public functions
----------------
methods_note
    The note as Markdown text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rangemap import __version__
from rangemap.catalogue import DATA_DIR, load_claims
from rangemap.errors import ScenarioError
from rangemap.geodesy import DEFAULT_TOLERANCE_M
from rangemap.mapframe import map_frame
from rangemap.scenario import Scenario, ScenarioResult, build_scenario, scenario_to_toml

__all__ = ["methods_note"]


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
    when = date.isoformat() if isinstance(date, dt.date) else (date or scenario.date)
    if when:
        try:
            dt.date.fromisoformat(when)
        except ValueError:
            raise ScenarioError(f"date must be YYYY-MM-DD, got {when!r}") from None
    import pyogrio
    import pyproj

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
        ("data/claims.csv", DATA_DIR / "claims.csv", "competing range claims"),
        (scenario.sites_file or "data/sites.csv",
         scenario.path(scenario.sites_file) if scenario.sites_file else DATA_DIR / "sites.csv",
         "launch sites with sources"),
    ]  # fmt: skip
    if scenario.targets in ("capitals", "cities"):
        files.append(("data/cities.csv", DATA_DIR / "cities.csv",
                      "GeoNames cities >= 15,000 subset and capitals (CC BY 4.0)"))  # fmt: skip
    elif scenario.targets != "none":
        files.append((scenario.targets, scenario.path(scenario.targets), "user targets"))
    files.append(("data/countries.geojson", DATA_DIR / "countries.geojson",
                  "Natural Earth 1:110m admin-0 countries (public domain)"))  # fmt: skip
    for shown, path, what in files:
        w(f"| `{shown}` | `{_sha256(path)}` | {_md(what)} |\n")
    w("\n## Figures used\n\n| System | Country | Class | Band | Range (km) | Minimum range (km) "
      "| Accessed | Sources |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")  # fmt: skip
    info = res.catalogue.set_index("id")
    rings = res.rings.drop_duplicates(["system_id", "band", "radius_km"])
    for _, r in rings.iterrows():
        row = info.loc[r["system_id"]]
        urls = "<br>".join(f"<{u}>" for u in str(row["sources"]).split())
        w(f"| {_md(row['name'])} | {_md(row['country'])} | {_md(row['class'])} | {_md(r['band'])} "
          f"| {_km(r['radius_km'])} | {_km(r['min_radius_km'])} | {_md(row['accessed'])} | "
          f"{urls} |\n")  # fmt: skip
    claims = load_claims()
    claims = claims.loc[claims["system_id"].isin(scenario.systems)]
    if len(claims):
        w(
            "\n### Competing claims on record (not drawn unless a band above uses them)\n\n"
            "| System | Claimant | Range (km) | Date | Source |\n| --- | --- | --- | --- | --- |\n"
        )
        for _, c in claims.iterrows():
            w(
                f"| {_md(info.loc[c['system_id'], 'name'])} | {_md(c['claimant'])} | "
                f"{_km(c['claim_range_km'])} | {_md(c['date'])} | "
                + "<br>".join(f"<{u}>" for u in str(c["source"]).split())
                + " |\n"
            )
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
