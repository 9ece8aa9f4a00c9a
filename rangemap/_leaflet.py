r"""Leaflet pieces that keep data out of folium's templates (private to rangemap.mapview).

Every catalogue, site or target string that reaches HTML goes through :func:`escape`
(``html.escape``, braces included), and reaches JavaScript only as JSON with ``<``, ``>``,
``&`` and ``'`` escaped (:func:`safe_json`). Two folium behaviours are worked around:

- folium's ``Tooltip`` and ``Popup`` paste text into JavaScript template literals
  unescaped (a name holding ``${...}`` would run in the browser), so tooltips and popups
  are bound in JavaScript from pre-escaped feature properties instead
  (:func:`geojson_layer`);
- branca compiles every rendered script as a jinja template and renders it again with the
  figure, so ``{{ ... }}`` inside any name is *evaluated on the server* (a site named
  ``{{ cycler.__init__.__globals__.os.getpid() }}`` runs Python). Braces are therefore
  written as ``&#123;``/``&#125;`` in HTML and as ``\u007b`` in JSON. The same compilation
  takes seconds for megabytes of coordinates, so the ring, site, target and country
  GeoJSON is serialised once, handed to the figure as plain text in JSON data blocks
  (:class:`_Features`) and added to the ``folium.GeoJson`` layers with ``addData``.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from typing import Any

import folium
import geopandas as gpd
import orjson
import shapely
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from rangemap.geojson import geometry_object

__all__ = [
    "Legend",
    "escape",
    "feature_collection",
    "geojson_layer",
    "point_features",
    "polygon_features",
    "safe_json",
]


def escape(value: object) -> str:
    """HTML-escape, braces included (see the module docstring)."""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def safe_json(obj: object) -> str:
    r"""Compact JSON safe inside a <script> and inert as a jinja template.

    Outside strings, compact JSON never holds ``{{``, ``{%`` or ``{#`` (an object opens
    with ``{"`` or ``{}``), so escaping the second character keeps the JSON equal.

    Examples
    --------
    >>> safe_json({"name": "</script>{{ 7*7 }}"})
    '{"name":"\\u003c/script\\u003e{\\u007b 7*7 }}"}'
    """
    # orjson: compact, UTF-8 kept, several times faster than json on megabytes of rings.
    text = orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                         ("{{", "{\\u007b"), ("{%", "{\\u0025"), ("{#", "{\\u0023")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


class _RawText(Element):
    """Text given to the figure as it is (branca's ``Element`` would compile a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text, unchanged."""
        return self.text


class _Features(MacroElement):
    """GeoJSON features for the parent ``folium.GeoJson`` layer, kept as a JSON data block.

    The text goes once into the page header, in a ``<script type="application/json">``
    named by its content hash, and the layer reads it with ``JSON.parse`` and ``addData``.
    Neither is compiled as a jinja template, and the map script stays short, so
    streamlit-folium's per-rerun processing of the script (regular expressions, hashing)
    does not grow with the data; the hash in the script still changes with the data.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <script type="application/json" id="{{ this.block_id }}">{{ this.json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.addData(
                JSON.parse(document.getElementById("{{ this.block_id }}").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, collection: str):
        super().__init__()
        self._name = "Features"
        self.json = collection
        self.block_id = "rm-data-" + hashlib.sha256(collection.encode()).hexdigest()[:20]

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the data block and the script to the figure without compiling them."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not the layer"
        module = self._template.module
        figure.header.add_child(_RawText(module.header(self, kwargs)), name=self.get_name())
        figure.script.add_child(_RawText(module.script(self, kwargs)), name=self.get_name())


#: Per-feature style, tooltip and popup, read from the feature's properties (pre-escaped
#: HTML); Leaflet styles a path before creating it, so ``className`` applies too.
_STYLE_JS = "function (feature) { return feature.properties.style; }"
_BIND_JS = """function (feature, layer) {
    var p = feature.properties;
    if (p.tooltip) { layer.bindTooltip(p.tooltip, {sticky: true}); }
    if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 380}); }
}"""


def feature_collection(features: list[dict[str, Any]]) -> str:
    """Serialise features as a script-safe FeatureCollection."""
    return safe_json({"type": "FeatureCollection", "features": features})


def geojson_layer(collection: str, name: str, **options: Any) -> folium.GeoJson:
    """Make a ``folium.GeoJson`` layer styled and bound per feature from its properties."""
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": []},
        name=name,
        on_each_feature=JsCode(_BIND_JS),
        style=JsCode(_STYLE_JS),
        marker=folium.CircleMarker(radius=5) if options.pop("points", False) else None,
        **options,
    )
    layer.add_child(_Features(collection))
    return layer


def polygon_features(
    geoms: Iterable[shapely.Geometry], properties: Sequence[dict[str, Any]], decimals: int
) -> list[dict[str, Any]]:
    """Polygon features (always MultiPolygon) with the given properties, coordinates rounded.

    Geometry objects come from :func:`rangemap.geojson.geometry_object`, the one GeoJSON
    writer; the coordinates stay numpy arrays, which :func:`safe_json` (orjson) writes.
    """
    return [
        {"type": "Feature", "properties": props,
         "geometry": geometry_object(geom, decimals=decimals, multi=True)}
        for geom, props in zip(geoms, properties, strict=True)
    ]  # fmt: skip


def point_features(
    frame: gpd.GeoDataFrame, styles: Sequence[dict[str, Any]], tooltips: Sequence[str]
) -> list[dict[str, Any]]:
    """Point features styled and labelled one by one (sites, targets), at 1e-6 degrees."""
    return [
        {"type": "Feature", "geometry": geometry_object(geom),
         "properties": {"style": style, "tooltip": tip}}
        for geom, style, tip in zip(frame.geometry, styles, tooltips, strict=True)
    ]  # fmt: skip


class Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML, with its CSS in the header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function () {
                var legend = L.control({position: "topright"});
                legend.onAdd = function () {
                    var div = L.DomUtil.create("div", "rm-legend");
                    div.innerHTML = {{ this.content }};
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                legend.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}
        """
    )

    css = (
        ".leaflet-container{background:#d8e6f0;font-family:system-ui,-apple-system,"
        "'Segoe UI',Roboto,sans-serif}.leaflet-interactive:focus{outline:none}"
        ".rm-legend{background:rgba(255,255,255,.93);padding:8px 10px;border-radius:6px;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;line-height:1.35;"
        "max-height:300px;max-width:300px;overflow-y:auto;color:#222}"
        ".rm-legend b{font-size:12.5px}.rm-legend .row{display:flex;align-items:center;"
        "gap:6px;margin:2px 0}.rm-legend .sw{flex:0 0 22px;height:11px;border-radius:2px;"
        "box-sizing:border-box}.rm-legend .dot{flex:0 0 10px;height:10px;border-radius:50%;"
        "margin:0 6px;box-sizing:border-box}"
        ".rm-legend hr{border:0;border-top:1px solid #ddd;margin:5px 0}"
        ".rm-legend .fig{color:#555;margin-left:auto;padding-left:8px;white-space:nowrap}"
    )

    def __init__(self, content: str):
        super().__init__()
        self._name = "Legend"
        self.content = safe_json(content)
