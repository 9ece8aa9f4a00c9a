"""rangemap dashboard: range rings, coverage and site comparisons, offline.

Run ``streamlit run app.py``. Widgets, caching and layout only: every number and every
geometry comes from the ``rangemap`` library. The selection lives in the page URL.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pandas.util import hash_pandas_object
from streamlit_folium import st_folium

import rangemap as rm
from rangemap import heatmap, mapview, report, scenario, tables
from rangemap._io import csv_text
from rangemap.catalogue import (
    CLASSES,
    STATUSES,
    catalogue_table,
    claims_table,
    find_systems,
    sources_table,
)
from rangemap.claims import RULE_TEXT
from rangemap.density import threat_density
from rangemap.deployments import deployment_rows
from rangemap.flight import FLIGHT_MODEL_TEXT, add_flight_times, parse_minutes
from rangemap.flightgeo import load_timings, site_isochrones
from rangemap.gainloss import gain_loss
from rangemap.gridfiles import grid_bytes
from rangemap.launch import launch_areas
from rangemap.reach import MAX_COMPARE_SITES
from rangemap.regionreach import country_region, reach_from_systems
from rangemap.regions import in_region
from rangemap.rings import MAX_VIEW_RINGS
from rangemap.sites import combine_sites, parse_site_lines, read_upload, site_lines
from rangemap.sources import load_sources
from rangemap.sweep import basing_sweep
from rangemap.targets import load_countries, resolve_targets
from rangemap.threats import threat_census, threat_summary
from rangemap.wording import count_of
from rangemap.worker import draw_scene, start_worker

QP = "query-params"
BANDS = {"low": "Low", "nominal": "Nominal", "high": "High"}  # the published figures
REGIONS = {"rings": "Around the drawn rings", "europe": "Europe", "east-asia": "East Asia",
           "world": "World"}  # fmt: skip
IN = {"europe": "Europe", "east-asia": "East Asia", "world": "the world"}  # tables' areas
BASEMAPS = {"countries": "Country outlines (offline)", "osm": "OpenStreetMap (online)"}
GOALS = {"population": "Population", "capitals": "Capitals", "area": "Land area"}
GRIDS = {100: "100 km (quick look)", 50: "50 km", 25: "25 km"}
# A click on the map, or inside a ring or area (which goes to the ring). Not the clicks'
# count: the page sends its first value unasked, which cost every new map a second rerun.
CLICKS = ["last_clicked", "last_object_clicked"]
MAX_LINK_SITES = 25  # uploaded sites a "put them in the link" button moves to the URL
FIRST_YEAR, THIS_YEAR = 1987, dt.date.today().year  # the treaty's year to today
st.set_page_config(page_title="rangemap: missile range rings", page_icon="◎", layout="wide")


@st.cache_data(show_spinner="Loading the catalogue and sites…")
def data():
    """Shipped catalogue, competing claims, launch sites and capitals."""
    return rm.load_catalogue(), rm.load_claims(), rm.load_sites(), rm.load_targets("capitals")


@st.cache_resource(show_spinner="Loading flight-time models…")
def timings():
    """Every system's flight-time model and its sourced speeds and boost times."""
    return load_timings(data()[0])


@st.cache_data(max_entries=16, show_spinner="Drawing warning-time isochrones…")
def warning_areas(system_id: str, site: tuple, minutes: tuple[float, ...]):
    """Warning-time isochrones of one system at one site (id, name, lat, lon)."""
    row = dict(zip(("id", "name", "lat", "lon"), site, strict=True))
    return site_isochrones(find_systems(data()[0], [system_id]).iloc[0], row, list(minutes),
                           timings())  # fmt: skip


@st.cache_resource(show_spinner=False)
def worker() -> bool:
    """Start the process that draws heavy views (rangemap.worker), once per server."""
    start_worker()
    return True


@st.cache_data(show_spinner=False)
def nations():
    """Countries with an ISO3 code (iso3 -> name, by name), for "Reach from anywhere in"."""
    pairs = load_countries()[["iso_a3", "name"]].values
    return dict(sorted(((i, n) for i, n in pairs if i != "-99"), key=lambda c: c[1]))


@st.cache_data(show_spinner=False)
def sources():
    """Load the shipped sources table (kind, publisher, title, date of each source)."""
    return load_sources()


def one_call_band(bands: tuple[str, ...]) -> str:
    """Return the library's band argument that holds every chosen band ("all" for several)."""
    return bands[0] if len(bands) == 1 else "all"


@st.cache_resource(max_entries=8, show_spinner="Placing the deployments of that year…")
def deployed(year: int, bands: tuple[str, ...], system_ids: tuple[str, ...], reported: bool):
    """Rings, sites and map layers of the deployments under way at the end of ``year``."""
    rows = deployment_rows(str(year), systems=system_ids, band=one_call_band(bands),
                           catalogue=data()[0], sites=data()[2],
                           reported_sites=reported)  # fmt: skip
    rows = rows.loc[rows["band"].isin(bands)].reset_index(drop=True)
    where = data()[2].loc[data()[2]["id"].isin(rows["site_id"])].reset_index(drop=True)
    rings, prepared = draw_scene(rows, where, targets=data()[3], catalogue=data()[0],
                                 timings=timings())  # fmt: skip
    return rings, where, prepared


@st.cache_data(max_entries=4, show_spinner="Reading the uploaded sites…")
def upload_sites(file_id: str, _upload):
    """Sites of one upload (refused by size before it is read)."""
    return read_upload(_upload)


@st.cache_resource(max_entries=8, show_spinner="Drawing the range rings…")
def scene(system_ids: tuple[str, ...], bands: tuple[str, ...], site_key: tuple, _sites):
    """Rings per (system, site, band) and their map layers; a heavy view in the worker."""
    # Refused before any work past the limit.
    rows = rm.join_sites(find_systems(data()[0], system_ids), _sites, band=one_call_band(bands),
                         max_rings=MAX_VIEW_RINGS)  # fmt: skip
    return draw_scene(rows.loc[rows["band"].isin(bands)].reset_index(drop=True), _sites,
                      targets=data()[3], catalogue=data()[0], timings=timings())  # fmt: skip


@st.cache_resource(max_entries=32, show_spinner="Preparing the map layers…")
def layers(key: tuple, _rings, _sites):
    """Map layers (rings, sites, capitals in range) of one scene, for any view."""
    return mapview.prepare_layers(_rings, _sites, targets=data()[3], catalogue=data()[0],
                                  timings=timings())  # fmt: skip


@st.cache_resource(max_entries=16, show_spinner="Measuring distances to capitals…")
def coverage(key: tuple, region: str, _rings):
    """Capitals' distances, margins and flight times: for the world once, then per region."""
    if region != "world":
        return in_region(coverage(key, "world", _rings), region)
    return add_flight_times(rm.coverage_table(_rings, data()[3]), _rings, timings())


@st.cache_resource(max_entries=16, show_spinner="Counting the area and people covered…")
def covered(key: tuple, region: str, _rings):
    """Area, countries and settlement population the scene's rings cover in a region."""
    return rm.coverage_area(_rings, region=None if region == "world" else region,
                            population=rm.load_settlements())  # fmt: skip


@st.cache_data(max_entries=8, show_spinner="Drawing the reach from anywhere in it…")
def region_reach(country: str, system_ids: tuple[str, ...], band: str):
    """Draw what each system reaches from anywhere in a country (Natural Earth outline)."""
    name, outline = country_region(country)
    return reach_from_systems(outline, name=name, outline="Natural Earth 1:110m",
                              systems=find_systems(data()[0], system_ids), band=band)  # fmt: skip


@st.cache_data(max_entries=16, show_spinner="Finding who reaches the places…")
def census(specs: tuple[str, ...], as_of: str, every_site: bool):
    """Who reaches the targets: every (system, site, band) deployed on ``as_of``, summed up."""
    found = threat_census(resolve_targets(list(specs)), as_of=as_of, every_site=every_site,
                          catalogue=data()[0], sites=data()[2], timings=timings())  # fmt: skip
    return threat_summary(found)


@st.cache_data(max_entries=16, show_spinner="Drawing the launch areas…")
def launch(specs: tuple[str, ...], system_ids: tuple[str, ...], band: str, k: int, clip: str):
    """Launch areas of systems for the targets (places reaching at least ``k`` of them)."""
    return launch_areas(resolve_targets(list(specs)), systems=find_systems(data()[0], system_ids),
                        band=band, at_least=k, clip=clip or None)  # fmt: skip


@st.cache_data(max_entries=2, show_spinner="Writing the density cells…")
def density_file(day: str, every_site: bool, band: str, fmt: str) -> bytes:
    """Write the density grid drawn on the map as a GeoPackage or GeoParquet file."""
    grid = threat_density(nside=64, as_of=day, band=band, every_site=every_site,
                          scheduler="threads")  # fmt: skip
    return grid_bytes(grid, fmt)


@st.cache_data(max_entries=4, show_spinner="Counting who reaches each cell…")
def density(day: str, every_site: bool, band: str):
    """Threat density on cells of about 100 km (HEALPix nside 64), drawn once."""
    grid = threat_density(nside=64, as_of=day, band=band, every_site=every_site,
                          polygons=False, scheduler="threads")  # fmt: skip
    return heatmap.density_cells(grid, every_site=every_site)


@st.cache_resource(max_entries=16, show_spinner="Comparing what each site reaches…")
def compared_sites(key: tuple, region: str, _rings):
    """Gained, lost and shared between each pair of the sites (areas, people, places)."""
    return rm.compare_sites(_rings, region=region, population=rm.load_settlements())


@st.cache_resource(max_entries=16, show_spinner="Splitting what is gained, lost and shared…")
def gained_lost(key: tuple, site_a: str, site_b: str, region: str, _rings):
    """Areas gained, lost and shared moving from site A to site B, every chosen figure pooled."""
    return gain_loss(_rings, site_a=site_a, site_b=site_b, band=None,
                     region=None if region == "world" else region)  # fmt: skip


@st.cache_resource(max_entries=16, show_spinner=False)
def capitals_view(key: tuple, area: str, only: bool, _table):
    """Make the capitals table readable: one row per (capital, system), bands as columns."""
    return tables.coverage_view(_table, in_range_only=only)


@st.cache_data(max_entries=16, show_spinner=False)
def passing(countries: tuple, classes: tuple, statuses: tuple, inf_only: bool) -> list[str]:
    """Ids of the systems with a range that pass the sidebar's filters."""
    found = rm.filter_systems(data()[0], countries=list(countries), classes=list(classes),
                              statuses=list(statuses), inf_only=inf_only)  # fmt: skip
    return list(found.dropna(subset=["range_km"])["id"])


@st.cache_resource(max_entries=16, show_spinner=False)
def typed_sites(text: str):
    """Sites typed in the sidebar, and one message per line not understood (do not mutate)."""
    return parse_site_lines(text, data()[2])


@st.cache_resource(max_entries=16, show_spinner=False)
def all_sites(picked: tuple[str, ...], text: str, upload_token: tuple | None, _uploaded):
    """Every site of the view: picked, typed, then uploaded (``upload_token`` names it)."""
    return combine_sites([rm.resolve_sites(list(picked), data()[2]), typed_sites(text)[0],
                          _uploaded])  # fmt: skip


def show(table: tables.Table) -> None:
    """Draw a display table (rangemap.tables): numbers formatted, sortable; blanks a dash."""
    config = {c: getattr(st.column_config, s.kind)(**s.options) for c, s in table.columns.items()}
    st.dataframe(table.frame, hide_index=True, column_config=config, placeholder=tables.BLANK)


def sweep(system: str, radius_km: float, **options) -> None:
    """Sweep basing sites with a progress bar; keep the result and its cells in the session."""
    # Not st.cache_*: a cached function cannot replay a progress bar made outside it.
    bar = st.progress(0.0, "Sweeping…")
    step = lambda done, total: bar.progress(done / total, f"Sweeping: step {done} of {total}")  # noqa: E731
    try:
        found = basing_sweep(system=system or None, radius_km=None if system else radius_km,
                             scheduler="threads", on_progress=step, **options)  # fmt: skip
        st.session_state.basing = found, heatmap.sweep_cells(found)
    except rm.RangemapError as exc:
        st.error(mapview.plain(exc))
    bar.empty()


def add_basing_site(lines: dict[int, str], system: str | None) -> None:
    """Add the picked top site to the typed sites (so to Compare, picked there), its system."""
    line = lines[st.session_state.b_pick]
    st.session_state.coords = f"{st.session_state.get('coords', '')}\n{line}".strip()
    st.session_state.setdefault("b_added", []).append(line.rpartition(":")[0])
    if system and system not in st.session_state.systems:
        st.session_state.systems = [*st.session_state.systems, system]


def load_scenario() -> None:
    """Show an uploaded scenario: set the widgets before they are drawn (a callback)."""
    upload = st.session_state.get("scenario_file")
    if upload is not None:
        try:
            loaded = scenario.loads_scenario(upload.getvalue(), name=upload.name)
            view = scenario.view_from_scenario(loaded, data()[2])
            st.session_state.scenario_title = view.pop("title") or upload.name
            st.session_state.update(view)
        except rm.RangemapError as exc:
            st.session_state.scenario_error = str(exc)


def clicked(out: dict | None, map_key: str) -> dict | None:
    """Return the point last clicked on a map, on the background or inside a ring or area.

    A click inside a ring goes to the ring (its popup), not to the map: streamlit-folium
    reports it as ``last_object_clicked``. Whichever of the two changed is the new click.
    """
    out = out or {}
    now = [out.get("last_object_clicked"), out.get("last_clicked")]
    seen = st.session_state.setdefault(f"{map_key}_clicks", now)
    for was, point in zip(seen, now, strict=True):
        if point and point != was:
            st.session_state[f"{map_key}_point"] = point
    st.session_state[f"{map_key}_clicks"] = now
    return st.session_state.get(f"{map_key}_point")


def typed_in(lines: list[str]) -> None:
    """Move uploaded sites into the typed sites, which the URL holds; empty the uploader."""
    st.session_state.coords = "\n".join([st.session_state.get("coords", ""), *lines]).strip()
    st.session_state.upload_n += 1  # a new key: an empty uploader
    st.session_state.pop("uploaded", None)
    st.session_state.pop("removed", None)


def from_url(key: str, options: dict, default: list | str, *, many: bool = True) -> None:
    """Seed a widget from the page URL once, taking ids or labels; report the rest."""
    if key in st.session_state:
        return
    raw = st.query_params.get_all(key)
    lookup = {str(k).lower(): k for k in options} | {str(v).lower(): k for k, v in options.items()}
    found = list(
        dict.fromkeys(lookup[v.strip().lower()] for v in raw if v.strip().lower() in lookup)
    )
    if missed := [v for v in raw if v.strip().lower() not in lookup]:
        st.session_state.setdefault("not_understood", []).append(f"{key}: {', '.join(missed)}")
    st.session_state[key] = (found or default) if many else (found[0] if found else default)


def to_url(key: str, value: list | str | None) -> None:
    """Write a widget's value into the page URL as short ids, stable when a label changes."""
    st.query_params[key] = [str(v) for v in value] if isinstance(value, list) else str(value)


cat, claims, shipped, _ = data()
worker()
names = dict(zip(cat["id"], cat["name"], strict=True))
site_names = dict(zip(shipped["id"], shipped["name"], strict=True))
COUNTRIES = {c: c for c in sorted(set(cat["country"]))}
NATIONS = nations()
URL_CHOICES = {  # widget key -> (options: id -> label, default, many)
    "country": (COUNTRIES, [], True), "cls": ({c: c for c in CLASSES}, [], True),
    "status": ({s: s for s in STATUSES}, [], True),
    "systems": (names, ["9m729", "iskander-m"], True),
    "sites": (site_names, ["kaliningrad", "belarus-asipovichy"], True),
    "bands": (BANDS, [*BANDS], True), "region": (REGIONS, "rings", False),
    "basemap": (BASEMAPS, "countries", False),
}  # fmt: skip
if old := st.query_params.get("band"):  # a link from before bands could be combined
    del st.query_params["band"]
    if "bands" not in st.query_params:
        st.query_params["bands"] = [*BANDS] if old.lower() in ("all", "all figures") else old
for url_key, (options, default, many) in URL_CHOICES.items():
    from_url(url_key, options, default, many=many)
sb = st.sidebar
sb.title("rangemap")
sb.caption("Exact geodesic range rings on the WGS84 ellipsoid, drawn offline.")
with sb.expander("Filter systems"):
    countries = st.multiselect("Country", COUNTRIES, key="country")
    classes = st.multiselect("Class", CLASSES, key="cls")
    statuses = st.multiselect("Status", STATUSES, key="status")
    inf_only = st.toggle("INF-class only (ground-launched, 500–5,500 km)", key="inf", bind=QP)
filters = {"countries": countries, "classes": classes, "statuses": statuses, "inf_only": inf_only}
matching = passing(tuple(countries), tuple(classes), tuple(statuses), inf_only)
offered = [i for i in names if i in matching or i in st.session_state.systems]
chosen = sb.multiselect("Systems", offered, format_func=names.get, key="systems",
                        help="Type part of a name (df26 finds DF-26); the filters above "
                        "apply; the list offers Select all.")  # fmt: skip
systems = tuple(s for s in chosen if s in matching)
as_of = sb.toggle("Draw deployments as of a year", key="asof", bind=QP,
                  help="Systems where public sources place them at the end of that year "
                  "(data/deployments.csv), instead of the sites below.")  # fmt: skip
year = sb.slider("Year", FIRST_YEAR, THIS_YEAR, THIS_YEAR, key="year", bind=QP,
                 disabled=not as_of)  # fmt: skip
reported = sb.checkbox("Also systems not deployed that year, at sites they were reported at",
                       key="reported", bind=QP, disabled=not as_of)  # fmt: skip
picked = sb.multiselect("Launch sites", site_names, format_func=site_names.get, key="sites")
text = sb.text_area("More sites, one per line: LAT, LON or NAME: LAT, LON", key="coords",
                    bind=QP, placeholder="Okinawa: 26°12'N 127°41'E",
                    help="Latitude first, unless N/S/E/W letters say otherwise "
                    "(`127.7E 26.2N`). Decimal degrees `26.2, 127.7`; degrees, minutes, "
                    "seconds `26°12'30\"N 127°41'E` or `26 12 N, 127 41 E`; letters before "
                    "or after (`N26.2 E127.7`, `33.9S, 151.2E`). With a decimal comma, put "
                    "`;` or a space between the two: `50,04; 21,99`. A site id or name works "
                    "too.")  # fmt: skip
errors = list(typed_sites(text)[1])  # lines not read; a copy, for the cached list stays as is
upload = sb.file_uploader("Upload sites (CSV or GeoJSON: name, lat, lon)",
                          ["csv", "geojson", "json"], max_upload_size=2,
                          key=f"upload-{st.session_state.setdefault('upload_n', 0)}",
                          help="CSV separated by commas, semicolons or tabs, saved as UTF-8, "
                          "UTF-16 or Windows-1252 (Latin-1). Numbers may use a decimal comma "
                          "(`Rzeszów;50,04;21,99`) or degrees and letters (`26°12'N`); in a "
                          "comma-separated file, quote them (`\"50,04\"`). A bad row refuses "
                          "the whole file, naming its line and column.")  # fmt: skip
if upload is None:  # removed, or about to be replaced: the browser sends no file in between
    if "uploaded" in st.session_state:
        st.session_state.removed = st.session_state.pop("uploaded")
else:
    try:
        st.session_state.uploaded = upload_sites(upload.file_id, upload)
        st.session_state.pop("removed", None)
    except rm.RangemapError as exc:
        if "uploaded" not in st.session_state and "removed" in st.session_state:
            st.session_state.uploaded = st.session_state.pop("removed")
        kept = st.session_state.get("uploaded")
        errors.append(f"{exc} (kept: {count_of(len(kept), 'uploaded site')} from before)"
                      if kept is not None else str(exc))  # fmt: skip
for message in errors:
    sb.error(mapview.plain(message))
up = st.session_state.get("uploaded")
if up is not None and len(up):
    small = len(up) <= MAX_LINK_SITES
    sb.caption("The page URL does not hold uploaded sites: a shared link shows the others "
               f"only{'' if small else ' (too many uploaded sites for a link)'}.")  # fmt: skip
    if small:
        sb.button(f"Put the {count_of(len(up), 'uploaded site')} in the link", on_click=typed_in,
                  args=(site_lines(up),))  # fmt: skip
token = None if up is None else (len(up), int(hash_pandas_object(up[["id", "lat", "lon"]]).sum()))
sites = all_sites(tuple(picked), text, token, up)
with sb.expander("Warning-time isochrones"):
    iso_system = st.selectbox("System", systems, format_func=names.get, key="iso_system",
                              index=None, placeholder="none")  # fmt: skip
    iso_sites = dict(zip(sites["id"], sites["name"], strict=True))
    iso_site = st.selectbox("From site", iso_sites, format_func=iso_sites.get, key="iso_site")
    iso_minutes = st.text_input("Minutes", "5,10,15", key="iso_minutes",
                                help="Areas reached within each time: solid where surely "
                                "(slowest published figures), dashed where possibly.")  # fmt: skip
iso = None
if iso_system and iso_site is not None:
    try:
        where = sites.loc[sites["id"] == iso_site].iloc[0]
        iso = warning_areas(iso_system, (iso_site, where["name"], float(where["lat"]),
                            float(where["lon"])), tuple(parse_minutes(iso_minutes)))  # fmt: skip
    except rm.RangemapError as exc:
        sb.error(mapview.plain(exc))
chosen_bands = sb.segmented_control("Range figures", BANDS, selection_mode="multi",
                                    format_func=BANDS.get, key="bands",
                                    help="Each published figure of a system's range is drawn "
                                    "as its own ring: low, nominal (the one most sources "
                                    "give) and high.")  # fmt: skip
bands = tuple(b for b in BANDS if b in chosen_bands)
if not bands:
    sb.warning("Choose at least one range figure: no ring is drawn without one.")
region = sb.selectbox("Region", REGIONS, format_func=REGIONS.get, key="region",
                      help="What the maps frame, and where the tables count capitals, area "
                      "and people (around the rings: the world).")  # fmt: skip
frame = None if region == "rings" else region  # the maps fit the drawn rings
area = "world" if region == "rings" else region  # where capitals, area and people count
reach_country = sb.selectbox("Reach from anywhere in…", NATIONS, format_func=NATIONS.get,
                             index=None, placeholder="no country", key="reach_from",
                             help="What each chosen system reaches if launched from any "
                             "point of this country (exact, from its Natural Earth "
                             "outline).")  # fmt: skip
dense = sb.checkbox("Threat density (who reaches each place)", key="density", bind=QP,
                    help="Cells of about 100 km coloured by how many (system, site) pairs "
                    "reach their centre: deployments at the end of the year above, or "
                    "today.")  # fmt: skip
every_site = sb.checkbox("Include every site of each system's country (hypothetical)",
                         key="density_every", bind=QP, disabled=not dense)  # fmt: skip
basemap = sb.radio("Basemap", BASEMAPS, format_func=BASEMAPS.get, key="basemap")
for url_key in URL_CHOICES:  # the URL holds the selection, as ids
    to_url(url_key, st.session_state[url_key])
if not_understood := st.session_state.get("not_understood"):
    sb.warning(mapview.plain("Not understood in this link, so not shown: "
                             + "; ".join(not_understood)))  # fmt: skip
sb.file_uploader("Load a scenario (TOML)", ["toml"], key="scenario_file",
                 on_change=load_scenario, max_upload_size=1)  # fmt: skip
if message := st.session_state.pop("scenario_error", None):
    sb.error(mapview.plain(message))
sb.caption("The page URL holds this selection: copy it to share the view.")

# Less blank space on top; the map's frame on its own compositing layer, so the fade
# Streamlit gives stale elements during a rerun does not repaint every ring (seconds in
# software raster, benchmarks/bench_browser.py).
st.html("<style>.block-container{padding-top:2.2rem}"
        "iframe[title='streamlit_folium.st_folium']{will-change:opacity}</style>")  # fmt: skip
st.title("Missile range rings")
if title := st.session_state.get("scenario_title"):
    st.markdown(f"**Scenario:** {mapview.plain(title)}")
site_key = tuple(sites[["id", "name", "lat", "lon"]].itertuples(index=False, name=None))
key = (systems, bands, site_key)
try:
    if as_of:  # every deployed system passing the filters, where it stood that year
        rings, sites, prepared = deployed(year, bands, tuple(matching), reported)
        systems = tuple(dict.fromkeys(rings["system_id"]))
        key = ("as-of", year, bands, tuple(matching), reported)
    else:
        rings, prepared = scene(*key, sites)
except rm.RangemapError as exc:
    st.error(mapview.plain(exc))
    st.stop()
day = str(year) if as_of else dt.date.today().isoformat()
one_band = "nominal" if "nominal" in bands or not bands else bands[0]  # density, region reach
tabs = st.tabs(["Map", "Target", "Basing", "Catalogue", "Compare", "Export"], key="view",
               bind=QP)  # fmt: skip
if tabs[0].open:
    with tabs[0]:
        if as_of:
            st.caption(f"Deployments under way at the end of {year} (public reports, claims and "
                       f"exercises; data/deployments.csv): {count_of(len(systems), 'system')} "
                       f"at {count_of(len(sites), 'site')}; {count_of(len(rings), 'ring')}. "
                       "Hover a ring for its figures, quality flag and sources.")  # fmt: skip
        else:
            st.caption(f"{len(systems)} of {count_of(len(chosen), 'chosen system')} pass the "
                       f"filters; {count_of(len(sites), 'site')}; {count_of(len(rings), 'ring')}. "
                       "Hover a ring for its figures, quality flag and sources, click it for "
                       "links; click the map (or inside a ring) to add a site.")  # fmt: skip
        reach = None
        if reach_country and systems:
            try:
                reach = region_reach(reach_country, systems, one_band)
            except rm.RangemapError as exc:
                st.error(mapview.plain(exc))
        heat = [heatmap.heat_layer(density(day, every_site, one_band))] if dense else []
        with st.spinner("Drawing the map…"):
            the_map = mapview.build_map(rings, sites, region=frame, basemap=basemap,
                                        layers=prepared, isochrones=iso, areas=reach,
                                        extra_layers=heat)  # fmt: skip
            out = st_folium(the_map, key="map", height=620, use_container_width=True,
                            returned_objects=CLICKS)  # fmt: skip
        if point := clicked(out, "map"):
            at = f"{point['lat']:.4f},{point['lng']:.4f}"  # goes to the typed sites and the URL
            st.button(f"Add a site at {at}", on_click=st.session_state.update,
                      kwargs={"coords": f"{text}\n{at}".strip()})  # fmt: skip
        if len(rings):
            cover = covered(key, area, rings)
            st.caption(f"In {IN[area]}: {cover['area_km2']:,.0f} km² covered; "
                       f"{cover['settlement_label']} in range: "
                       f"{cover['settlement_population']:,.0f} in {cover['n_settlements']:,} "
                       "settlements (counted once however many rings reach them).")  # fmt: skip
        table = coverage(key, area, rings)
        only = st.toggle("Only capitals in range", True)
        shown = capitals_view(key, area, only, table)
        n, what = shown.frame["Place"].nunique(), "in range" if only else "tested"
        st.subheader(f"Capitals in {IN[area]}: {n} {what}")
        show(tables.Table(shown.frame.head(5000), shown.columns))
        st.caption(FLIGHT_MODEL_TEXT)
        if len(shown.frame) > 5000:
            st.caption(f"First 5,000 of {len(shown.frame):,} rows; the Export tab has them all.")
if tabs[1].open:
    with tabs[1]:
        st.caption("Who can reach a place, and where a system would have to be to reach it. "
                   "Distances are exact WGS84 geodesics; click the map to add a "
                   "place.")  # fmt: skip
        capitals = {f"{n}: {la},{lo}": n for n, la, lo in data()[3][["name", "lat", "lon"]].values}
        left, right = st.columns(2)
        picked_caps = left.multiselect("Capitals", capitals, format_func=capitals.get,
                                       key="t_caps")  # fmt: skip
        typed_t = right.text_input("Other places (a city, Guam, or NAME: LAT,LON), separated "
                                   "by ;", key="t_places", bind=QP,
                                   placeholder="Guam; Palau: 7.5,134.6")  # fmt: skip
        specs = tuple(picked_caps + [p.strip() for p in typed_t.split(";") if p.strip()])
        if st.session_state.get("t_k", 1) > max(len(specs), 1):  # fewer places than before
            st.session_state.t_k = max(len(specs), 1)
        every = st.toggle("Also every system at each shipped site of its own country "
                          "(could reach if based there)", key="t_every")  # fmt: skip
        try:
            targets = resolve_targets(list(specs))
            summary = census(specs, day, every) if specs else None
            t_systems = st.multiselect("Launch areas of", names, list(systems)[:3], names.get,
                                       key="t_systems")  # fmt: skip
            a, b, c = st.columns(3)
            t_band = a.selectbox("Range figure", ["nominal", "low", "high"], key="t_band")
            k = b.number_input("Reaching at least this many places", 1, max(len(specs), 1),
                               max(len(specs), 1), key="t_k")  # fmt: skip
            clip = c.selectbox("Where", {"": "anywhere", "land": "on land", "sea": "at sea"},
                               format_func={"": "anywhere", "land": "on land",
                                            "sea": "at sea"}.get, key="t_clip")  # fmt: skip
            areas = launch(specs, tuple(t_systems), t_band, int(k), clip) if (
                specs and t_systems) else None  # fmt: skip
        except rm.RangemapError as exc:
            st.error(mapview.plain(exc))
            st.stop()
        if areas is not None and areas.geometry.is_empty.any():
            none = ", ".join(areas.loc[areas.geometry.is_empty, "system"])
            which = "all" if k >= len(specs) else f"{k} of"
            st.warning(mapview.plain(f"No launch area for {none}: no place is within range of "
                                     f"{which} these places."))  # fmt: skip
        t_map = mapview.build_map(rings.iloc[:0], sites.iloc[:0], basemap=basemap,
                                  layers=mapview.target_layers(targets), areas=areas,
                                  sites_name="Targets")  # fmt: skip
        t_out = st_folium(t_map, key="t_map", height=520, use_container_width=True,
                          returned_objects=CLICKS)  # fmt: skip
        if point := clicked(t_out, "t_map"):
            at = f"{point['lat']:.4f},{point['lng']:.4f}"
            st.button(f"Add a place at {at}", on_click=st.session_state.update,
                      kwargs={"t_places": f"{typed_t}; {at}".strip("; ")})  # fmt: skip
        if areas is not None and (~areas.geometry.is_empty).any():
            drawn = areas.loc[~areas.geometry.is_empty]
            st.download_button("Launch areas (GeoJSON)", rm.dumps_geojson(drawn),
                               "launch-areas.geojson", "application/geo+json")  # fmt: skip
        if summary is not None:
            shown = tables.threat_view(summary)
            st.subheader(f"Who reaches them: {len(shown.frame)} (system, place) pairs in range")
            st.caption("Deployments under way on the date (data/deployments.csv), every "
                       "published range figure; launchers are the system's whole published "
                       "count, not per site.")  # fmt: skip
            show(shown)
        else:
            st.info("Choose a capital or type a place to see who reaches it.")
if tabs[2].open:
    with tabs[2]:
        st.caption("Where a system (or a bare radius) would reach the most, of every candidate "
                   "site on an equal-area grid: all screened, the best recounted "
                   "exactly.")  # fmt: skip
        a, b, c = st.columns(3)
        b_sys = a.selectbox("Sweep for", ["", *names], format_func=lambda k: names.get(k, "a "
                            "radius in km"), key="b_sys")  # fmt: skip
        b_km = a.number_input("Radius (km)", 1, 19_000, 1_000, key="b_km", disabled=bool(b_sys))
        goal = b.segmented_control("Objective", GOALS, format_func=GOALS.get, default="population",
                                   required=True, key="b_goal")  # fmt: skip
        within = b.selectbox("Candidates stand", ["land", *NATIONS], key="b_within",
                             format_func=lambda k: NATIONS.get(k, "anywhere on land"))  # fmt: skip
        grid = c.segmented_control("Grid", GRIDS, format_func=GRIDS.get, default=50, required=True,
                                   key="b_grid")  # fmt: skip
        top = c.number_input("Top sites", 1, 20, 5, key="b_top")
        if st.button("Run sweep", type="primary"):
            sweep(b_sys, float(b_km), objective=goal, within=within, grid_km=grid, top=int(top))
        if "basing" not in st.session_state:
            st.info("Choose what to sweep and press Run sweep.")
        else:
            found, cells = st.session_state.basing
            b_map = mapview.build_map(rings.iloc[:0], sites.iloc[:0], basemap=basemap, legend=False,
                                      extra_layers=[heatmap.heat_layer(cells), heatmap.rank_layer(
                                          found.top, found.label)])  # fmt: skip
            st_folium(b_map, key="b_map", height=520, use_container_width=True, returned_objects=[])
            st.subheader(mapview.plain(f"Top sites: {found.top['scenario'].iat[0]}, {found.label}"))
            show(tables.basing_view(found.top, label=found.label))
            st.caption(mapview.plain(heatmap.basing_note(found)))
            lines = heatmap.basing_sites(found.top)
            a, b = st.columns([3, 1], vertical_alignment="bottom")
            a.selectbox("Add a top site to the Compare tab's sites", lines,
                               format_func=lines.get, key="b_pick")  # fmt: skip
            b.button("Add to Compare", on_click=add_basing_site,
                     args=(lines, found.top["system_id"].iat[0]))  # fmt: skip
if tabs[3].open:
    with tabs[3]:
        st.caption("The sidebar filters apply. Click a column header to sort. The quality flag "
                   "marks a figure no official, think-tank, academic or wire source backs; the "
                   "INF class is derived (in, disputed, out).")  # fmt: skip
        show(tables.catalogue_view(catalogue_table(rm.filter_systems(cat, **filters), claims)))
        st.subheader("Published claims: who says what, when")
        st.caption(RULE_TEXT)
        show(tables.claims_view(claims_table(claims, cat)))
        with st.expander("Every source, by kind"):
            show(tables.sources_view(sources_table(cat, sources())))
if tabs[4].open:
    with tabs[4]:
        labels = dict(zip(sites["id"], sites["name"], strict=True))
        added = [i for i, n in labels.items() if n in st.session_state.get("b_added", ())]
        pair = st.multiselect("Sites to compare (two or more)", labels,
                              list(dict.fromkeys([*labels][:2] + added))[:MAX_COMPARE_SITES],
                              labels.get, max_selections=MAX_COMPARE_SITES)  # fmt: skip
        if len(pair) < 2 or not len(rings):
            st.info("Choose two or more sites, and at least one system.")
        else:
            chosen_rings = rings.loc[rings["site_id"].isin(pair)]
            compared = compared_sites((*key, area, tuple(pair)), area, chosen_rings)
            st.caption(tables.compare_caption(
                chosen_rings, bands=bands, region=area, shipped=shipped,
                settlement_label=compared.attrs["settlement_label"],
                as_of=str(year) if as_of else None, reported_sites=reported))  # fmt: skip
            a, b = st.columns(2)
            site_a = a.selectbox("Move the launchers from site A…", pair, format_func=labels.get,
                                 key="c_a")  # fmt: skip
            site_b = b.selectbox("…to site B", [p for p in pair if p != site_a],
                                 format_func=labels.get, key="c_b")  # fmt: skip
            try:
                changes = gained_lost((*key, area), site_a, site_b, area, chosen_rings)
            except rm.RangemapError as exc:  # e.g. a site none of the systems is drawn at
                st.error(mapview.plain(exc))
                st.stop()
            both = sites.loc[sites["id"].isin([site_a, site_b])]
            st_folium(mapview.gain_loss_map(changes, both, region=frame, basemap=basemap),
                      key="cmp-gain-loss", height=480, use_container_width=True,
                      returned_objects=[])  # fmt: skip
            st.subheader("Gained, lost and shared between each pair of sites")
            show(tables.compare_view(compared))
            st.subheader("Each site on its own")
            for col, sid in zip(st.columns(min(len(pair), 3)) * 4, pair[:12], strict=False):
                one, where = rings.loc[rings["site_id"] == sid], sites.loc[sites["id"] == sid]
                with col:
                    st.markdown(f"**{mapview.plain(labels[sid])}**")
                    ready = layers((*key, sid), one, where)
                    small = mapview.build_map(one, where, region=frame, basemap=basemap,
                                              layers=ready, legend=False)  # fmt: skip
                    st_folium(small, key=f"cmp-{sid}", height=380, use_container_width=True,
                              returned_objects=[])  # fmt: skip
if tabs[5].open:
    with tabs[5]:
        st.write(f"{count_of(len(rings), 'ring')} at {count_of(len(sites), 'site')}; coverage "
                 f"in {IN[area]}.")  # fmt: skip
        geo, dump = "application/geo+json", lambda f: lambda: rm.dumps_geojson(f)
        st.download_button("Rings (GeoJSON)", dump(rings), "rings.geojson", geo)
        st.download_button("Sites (GeoJSON)", dump(sites), "sites.geojson", geo)
        if iso is not None:
            st.download_button("Warning-time isochrones (GeoJSON)", dump(iso),
                               "isochrones.geojson", geo)  # fmt: skip
        if reach_country and systems:
            st.download_button(f"Reach from {NATIONS[reach_country]} (GeoJSON)",
                               lambda: rm.dumps_geojson(region_reach(reach_country, systems,
                                                                     one_band)),
                               f"reach-from-{reach_country}.geojson", geo)  # fmt: skip
        if dense:
            for fmt, label in (("gpkg", "GeoPackage"), ("parquet", "GeoParquet")):
                st.download_button(f"Threat density cells ({label})",
                                   lambda f=fmt: density_file(day, every_site, one_band, f),
                                   f"density-{day}.{fmt}")  # fmt: skip
        csv = lambda: csv_text(coverage(key, area, rings))  # noqa: E731  (formulas defused)
        st.download_button("Coverage table (CSV)", csv, f"coverage-{area}.csv", "text/csv")
        if as_of:
            st.caption(f"A scenario draws every system at every site; for the deployments of "
                       f"{year} as KML, GeoPackage or a figure use `rangemap export SCENARIO "
                       f"--as-of {year}` or `rangemap figure --as-of {year}`.")  # fmt: skip
        elif systems and len(sites):
            try:
                view = scenario.scenario_from_view(systems=systems, sites=sites, band=bands,
                                                   region=area, shipped=shipped)  # fmt: skip
            except rm.RangemapError as exc:  # e.g. more sites than a scenario holds
                st.error(mapview.plain(exc))
                st.stop()
            st.download_button("This view as a scenario (TOML)", scenario.scenario_to_toml(view),
                               "scenario.toml", "application/toml")  # fmt: skip
            for fmt, label in (("kml", "Google Earth (KML)"), ("gpkg", "QGIS (GeoPackage)"),
                               ("png", "Report figure (PNG, 300 dpi)")):  # fmt: skip
                st.download_button(label, lambda f=fmt: report.scenario_bytes(view, f),
                                   f"rangemap.{fmt}")  # fmt: skip
