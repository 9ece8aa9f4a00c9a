"""The floor for the browser benchmark: the least a Streamlit page with a folium map costs.

Run by ``benchmarks/bench_browser.py`` (``streamlit run benchmarks/floor_app.py``), never by
users. One polygon drawn through streamlit_folium at the dashboard's map height, and one
sidebar widget like the dashboard's ("Range figures", a multi-select segmented control with
the same options) whose change redraws the map, as a change of figures does in ``app.py``.
The polygon carries the ring class (``rm-ring``), so the benchmark waits for the same paths
on both pages. Leaflet comes from ``/app/static/leaflet/``, as on the dashboard: Streamlit
serves ``static/`` from the folder of the script it runs, so the benchmark runs a copy of this
file beside a link to the repository's ``static/``. Nothing from ``rangemap`` is imported:
the floor's first run must not pay for geopandas.
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

#: rangemap.mapview.LEAFLET_JS_URL and LEAFLET_CSS_URL, written out so that this page does
#: not import rangemap (and geopandas); tests/test_benchmarks.py checks that they agree.
LEAFLET_JS_URL = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS_URL = "/app/static/leaflet/leaflet.css"
BANDS = {"low": "Low", "nominal": "Nominal", "high": "High"}
#: The dashboard's map height (``st_folium(..., height=620)`` in app.py).
MAP_HEIGHT_PX = 620

st.set_page_config(page_title="floor", layout="wide")
bands = st.sidebar.segmented_control(
    "Range figures", BANDS, selection_mode="multi", format_func=BANDS.__getitem__, default=[*BANDS]
)
st.title("Floor")
half = 4.0 + 2.0 * len(bands)  # degrees: each change of the choice redraws the square
lat, lon = 53.0, 25.0
square = [(lon - half, lat - half), (lon + half, lat - half), (lon + half, lat + half),
          (lon - half, lat + half), (lon - half, lat - half)]  # fmt: skip
the_map = folium.Map(tiles=None, control_scale=True, min_zoom=1)
the_map.default_js = [("leaflet", LEAFLET_JS_URL)]
the_map.default_css = [("leaflet_css", LEAFLET_CSS_URL)]
folium.GeoJson(
    {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square]}},
    style_function=lambda _: {"className": "rm-ring", "color": "#1f4e79", "weight": 2},
).add_to(the_map)
the_map.fit_bounds([(lat - half, lon - half), (lat + half, lon + half)])
st_folium(the_map, key="map", height=MAP_HEIGHT_PX, use_container_width=True,
          returned_objects=["last_clicked"])  # fmt: skip
