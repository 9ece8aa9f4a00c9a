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

The map's own controls and layout (issue 14) are here too: tooltips that wrap and stay
inside the map wherever the pointer is, a legend that folds behind a button on small
maps (:class:`Legend`), and :class:`MapSetup`: panes that keep launch sites over capitals
over rings, a metric scale bar that the attribution keeps clear of, and the framing
limits (one world's width at most, none of the grey beyond it).
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
    "FOLD_BELOW_PX",
    "MAP_CSS",
    "Legend",
    "MapSetup",
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
#: Tooltips follow the pointer (``sticky``) and stay inside the map (issue 14, bug 5):
#: Leaflet puts a tooltip left of the pointer in the map's right half, and a wide one
#: then ran off the map's left edge. :data:`_TOOLTIP_JS` caps the width to the map and,
#: after Leaflet has placed the tooltip, moves it back inside (below or above the pointer
#: when it cannot stand beside it). :class:`MapSetup` defines it once per page.
_TOOLTIP_JS = """L.RmTooltip = L.RmTooltip || L.Tooltip.extend({
    _setPosition: function (pos) {
        var map = this._map, el = this._container, size = map.getSize(), pad = 4;
        el.style.maxWidth = Math.max(120, Math.min(320, size.x - 2 * pad)) + "px";
        el.style.maxHeight = Math.max(40, size.y - 2 * pad) + "px";
        L.Tooltip.prototype._setPosition.call(this, pos);
        var box = el.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
        var x = box.left - frame.left, y = box.top - frame.top;
        var nx = Math.max(pad, Math.min(x, size.x - box.width - pad)), ny = y;
        if (nx !== x) {
            var pointer = map.layerPointToContainerPoint(pos);
            ny = pointer.y + 14 + box.height <= size.y - pad ? pointer.y + 14
                : pointer.y - 14 - box.height;
        }
        ny = Math.max(pad, Math.min(ny, size.y - box.height - pad));
        if (nx !== x || ny !== y) {
            L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add(L.point(nx - x, ny - y)));
        }
        L.DomUtil[nx !== x ? "addClass" : "removeClass"](el, "rm-tip-moved");
    }
});"""
_BIND_JS = (
    "function (feature, layer) {\n    var p = feature.properties;\n    if (p.tooltip) {\n"
    "        var Tip = L.RmTooltip || L.Tooltip;  // MapSetup defines L.RmTooltip\n"
    '        var tip = new Tip({sticky: true, className: "rm-tip"}, layer);\n'
    "        layer.bindTooltip(tip.setContent(p.tooltip));\n    }\n"
    "    if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 380}); }\n}"
)


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


#: Below this map width (px) the legend starts folded behind its button (issue 14: at a
#: 400 px page it covered most of the map).
FOLD_BELOW_PX = 600


class Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML, with its CSS in the header.

    The legend can be folded behind a small "Legend" button (and unfolded again); it
    starts folded on maps narrower than :data:`FOLD_BELOW_PX`.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this._parent.get_name() }};
                var legend = L.control({position: "topright"});
                legend.onAdd = function () {
                    var box = L.DomUtil.create("div", "rm-legend-box");
                    var open = L.DomUtil.create("button", "rm-legend-open", box);
                    open.type = "button";
                    open.textContent = "Legend";
                    open.title = "Show the legend";
                    open.setAttribute("aria-expanded", "false");
                    var div = L.DomUtil.create("div", "rm-legend", box);
                    div.innerHTML = {{ this.content }};
                    var close = L.DomUtil.create("button", "rm-legend-close", div);
                    close.type = "button";
                    close.textContent = "\u00d7";
                    close.title = "Hide the legend";
                    close.setAttribute("aria-label", "Hide the legend");
                    var touched = false;
                    function fold(folded) {
                        L.DomUtil[folded ? "addClass" : "removeClass"](box, "rm-folded");
                        open.setAttribute("aria-expanded", folded ? "false" : "true");
                    }
                    open.onclick = function () { touched = true; fold(false); };
                    close.onclick = function () { touched = true; fold(true); };
                    function fit() {
                        var size = map.getSize();
                        var width = size.x || window.innerWidth;
                        if (!touched) { fold(width < {{ this.fold_below }}); }
                        div.style.maxHeight = Math.max(80, Math.min(300,
                            (size.y || window.innerHeight) - 90)) + "px";
                    }
                    fit();
                    map.on("resize", fit);
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                };
                legend.addTo(map);
            })();
        {% endmacro %}
        """
    )

    css = (
        ".rm-legend{background:rgba(255,255,255,.93);padding:8px 10px;border-radius:6px;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;line-height:1.35;"
        "max-height:300px;max-width:300px;overflow-y:auto;color:#222}"
        ".rm-legend b{font-size:12.5px}.rm-legend .row{display:flex;align-items:center;"
        "gap:6px;margin:2px 0}.rm-legend .sw{flex:0 0 22px;height:11px;border-radius:2px;"
        "box-sizing:border-box}.rm-legend .dot{flex:0 0 10px;height:10px;border-radius:50%;"
        "margin:0 6px;box-sizing:border-box}"
        ".rm-legend hr{border:0;border-top:1px solid #ddd;margin:5px 0}"
        ".rm-legend .fig{color:#555;margin-left:auto;padding-left:8px;white-space:nowrap}"
        ".rm-legend .note{color:#555;font-size:11px;margin:3px 0 0}"
        ".rm-legend-box .rm-legend{position:relative;padding-right:24px}"
        ".rm-legend-box.rm-folded .rm-legend,.rm-legend-box:not(.rm-folded) .rm-legend-open"
        "{display:none}"
        ".rm-legend-open{background:#fff;border:2px solid rgba(0,0,0,.2);border-radius:4px;"
        "padding:3px 8px;font:600 12px system-ui,sans-serif;color:#222;cursor:pointer}"
        ".rm-legend-close{position:absolute;top:2px;right:4px;border:0;background:none;"
        "font-size:16px;line-height:1;color:#555;cursor:pointer;padding:2px 4px}"
    )

    def __init__(self, content: str, *, fold_below: int = FOLD_BELOW_PX):
        super().__init__()
        self._name = "Legend"
        self.content = safe_json(content)
        self.fold_below = int(fold_below)


#: The map's own look, whether or not it has a legend: the sea behind the countries, wide
#: tooltips that wrap, and the attribution kept off the scale bar (issue 14, bug 8: on a
#: 380 px map the attribution spread over the whole bottom edge). The bottom-right corner
#: starts right of the bottom-left one's scale bar (at most 100 px wide, 10 px margin),
#: and the attribution wraps there in a smaller font.
MAP_CSS = (
    ".leaflet-container{background:#d8e6f0;font-family:system-ui,-apple-system,"
    "'Segoe UI',Roboto,sans-serif}.leaflet-interactive:focus{outline:none}"
    ".leaflet-tooltip.rm-tip{white-space:normal;width:max-content;overflow-wrap:anywhere;"
    "overflow:hidden;box-sizing:border-box;font-size:11.5px;line-height:1.35}"
    ".leaflet-tooltip.rm-tip-moved:before{display:none}"
    ".leaflet-bottom.leaflet-right{left:118px}"
    ".leaflet-control-attribution{max-width:100%;box-sizing:border-box;white-space:normal;"
    "font-size:10px;line-height:1.3;text-align:right}"
)


class MapSetup(MacroElement):
    """Panes, scale bar, framing limits, tooltips and CSS of a map (add it before layers).

    Parameters
    ----------
    panes : dict
        Pane name -> z-index, for layers that must lie over others (launch sites over
        capitals over rings: issue 14, bug 9). The panes let pointer events through,
        their interactive paths catch them.
    west, east : float
        Longitudes the map may be panned to: -180 and 180, or one world's width centred
        on a view of rings drawn whole across the antimeridian.
    world : bool
        Show the whole world across the map's width, without grey bands or a second
        copy beside it, centred on ``centre_lat`` as far as the map's height allows.
    centre_lat : float
        The latitude to centre the world on (deg).

    The map never zooms out past the world's width (its minimum zoom follows the map's
    width) and stays within Web Mercator's latitudes, so no grey band shows above or
    below the world unless the map is taller than the world is wide.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.tooltip_js }}
            (function () {
                var map = {{ this._parent.get_name() }};
                var panes = {{ this.panes }};
                Object.keys(panes).forEach(function (name) {
                    var pane = map.createPane(name);
                    pane.style.zIndex = panes[name];
                    pane.style.pointerEvents = "none";
                });
                L.control.scale({imperial: false, maxWidth: 100}).addTo(map);
                map.options.maxBoundsViscosity = 1.0;
                map.setMaxBounds([[-85.0511, {{ this.west }}], [85.0511, {{ this.east }}]]);
                var snap = map.options.zoomSnap || 1;
                var world = {{ this.world }};
                function limit() {
                    var width = map.getSize().x;
                    if (!width) { return; }
                    var z = Math.ceil(Math.log2(width / 256) / snap - 1e-9) * snap;
                    var wasWorld = map.getZoom() <= map.getMinZoom() + 1e-9;
                    map.setMinZoom(z);
                    if (world && wasWorld) {
                        map.setView([{{ this.centre_lat }}, 0], z, {animate: false});
                    }
                }
                if (world) { map.setView([{{ this.centre_lat }}, 0], 0, {animate: false}); }
                limit();
                map.on("resize", limit);
            })();
        {% endmacro %}
        """
    )

    def __init__(
        self, *, panes: dict[str, int], west: float = -180.0, east: float = 180.0,
        world: bool = False, centre_lat: float = 0.0,
    ):  # fmt: skip
        super().__init__()
        self._name = "MapSetup"
        self.css = MAP_CSS
        self.tooltip_js = _TOOLTIP_JS
        self.panes = safe_json(panes)
        self.west, self.east = f"{float(west):.6f}", f"{float(east):.6f}"
        self.world = "true" if world else "false"
        self.centre_lat = f"{float(centre_lat):.6f}"
