"""Exports: time to write the full catalogue's rings as GeoJSON, KML and GeoPackage.

Work: every catalogue system at every shipped site, nominal band (one ring per system and
site that has a nominal range). The rings are drawn first (not timed); each writer's time
includes everything from the GeoDataFrame to the file on disk.

- GeoJSON: ``rangemap.geojson.dumps_geojson(frame)`` + ``write_atomic`` (RFC 7946,
  sorted keys, 1e-6 degrees), against ``pyogrio.write_dataframe`` with GDAL's GeoJSON
  driver (``RFC7946=YES``, ``COORDINATE_PRECISION=6``), which is what
  ``GeoDataFrame.to_file`` does.
- KML and GeoPackage: ``rangemap.layers.build_layers`` (timed separately) then
  ``to_kml`` (styled, three layers, HTML descriptions) and ``to_gpkg``, against a plain
  ``pyogrio.write_dataframe`` of the rings with the LIBKML and GPKG drivers. Measured only
  when ``rangemap.formats`` exists.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402


def load_work(quick: bool = False):
    """(rings of the full catalogue, nominal band; sites)."""
    from rangemap.catalogue import load_catalogue
    from rangemap.rings import join_sites, rings_for
    from rangemap.sites import load_sites

    cat, sites = load_catalogue(), load_sites()
    if quick:
        cat, sites = cat.iloc[:4], sites.iloc[:3]
    return rings_for(join_sites(cat, sites, band="nominal")), sites


def _formats() -> tuple[Any, str]:
    """The rangemap.formats module, or None and why not."""
    try:
        import rangemap.formats as formats
    except ImportError as exc:
        return None, f"rangemap.formats does not import: {exc}"
    missing = [n for n in ("to_kml", "to_gpkg") if not hasattr(formats, n)]
    if missing:
        return None, f"rangemap.formats lacks {', '.join(missing)}"
    return formats, ""


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    import pyogrio

    from rangemap._io import write_atomic
    from rangemap.geojson import dumps_geojson

    rings, sites = load_work(quick)
    n_vertices = int(rings.geometry.count_coordinates().sum())
    out = Path(tempfile.mkdtemp(prefix="rangemap-bench-"))
    size: dict[str, float] = {}

    def mb(path: Path) -> float:
        return path.stat().st_size / 1e6

    def rm_geojson() -> None:
        write_atomic(out / "rm.geojson", dumps_geojson(rings))

    def gdal_geojson() -> None:
        pyogrio.write_dataframe(
            rings, out / "gdal.geojson", driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "6"},
        )  # fmt: skip

    t_gj, _, rss_gj = C.best_of(rm_geojson, repeat=1)
    t_gj_alt, _, rss_gj_alt = C.best_of(gdal_geojson, repeat=1)
    size["rm.geojson"], size["gdal.geojson"] = mb(out / "rm.geojson"), mb(out / "gdal.geojson")
    rows = [
        C.row(
            "GeoJSON: write time (pyogrio GeoJSON driver)",
            C.fmt_s(t_gj), C.fmt_s(t_gj_alt), C.fmt_ratio(t_gj_alt / t_gj),
            C.fmt_rss(rss_gj, rss_gj_alt),
        ),
        C.row("GeoJSON: file size", f"{size['rm.geojson']:,.1f} MB",
              f"{size['gdal.geojson']:,.1f} MB"),
    ]  # fmt: skip
    figures: dict[str, Any] = {
        "geojson_seconds": t_gj,
        "geojson_alt_seconds": t_gj_alt,
        "geojson_mb": size["rm.geojson"],
        "geojson_peak_rss_mb": rss_gj,
    }
    notes = [
        f"{len(rings):,} rings ({rings['system_id'].nunique()} systems x "
        f"{rings['site_id'].nunique()} sites, nominal band), {n_vertices:,} vertices"
    ]

    formats, why_not = _formats()
    if formats is None:
        for what in ("KML", "GeoPackage"):
            rows.append(C.row(f"{what}: write time", f"not available yet ({why_not})"))
        notes.append(f"KML and GeoPackage not available yet: {why_not}")
        figures.update({"kml_seconds": None, "gpkg_seconds": None, "formats_available": False})
    else:
        from rangemap.layers import build_layers

        t_lay, layers, rss_lay = C.best_of(lambda: build_layers(rings, site_table=sites), repeat=1)
        t_kml, _, rss_kml = C.best_of(lambda: formats.to_kml(layers, out / "rm.kml"), repeat=1)
        t_kml_alt, _, rss_kml_alt = C.best_of(
            lambda: pyogrio.write_dataframe(rings, out / "gdal.kml", driver="LIBKML"), repeat=1
        )
        t_gpkg, _, rss_gpkg = C.best_of(lambda: formats.to_gpkg(layers, out / "rm.gpkg"), repeat=1)
        t_gpkg_alt, _, rss_gpkg_alt = C.best_of(
            lambda: pyogrio.write_dataframe(rings, out / "gdal.gpkg", driver="GPKG"), repeat=1
        )
        for name in ("rm.kml", "gdal.kml", "rm.gpkg", "gdal.gpkg"):
            size[name] = mb(out / name)
        rows += [
            C.row("build_layers (rings, sites; no targets)", C.fmt_s(t_lay), "", "",
                  C.fmt_rss(rss_lay, float("nan"))),
            C.row(
                "KML: write time (plain pyogrio LIBKML, rings only)",
                C.fmt_s(t_kml), C.fmt_s(t_kml_alt), C.fmt_ratio(t_kml_alt / t_kml),
                C.fmt_rss(rss_kml, rss_kml_alt),
            ),
            C.row("KML: file size", f"{size['rm.kml']:,.1f} MB", f"{size['gdal.kml']:,.1f} MB"),
            C.row(
                "GeoPackage: write time (plain pyogrio GPKG, rings only)",
                C.fmt_s(t_gpkg), C.fmt_s(t_gpkg_alt), C.fmt_ratio(t_gpkg_alt / t_gpkg),
                C.fmt_rss(rss_gpkg, rss_gpkg_alt),
            ),
            C.row("GeoPackage: file size", f"{size['rm.gpkg']:,.1f} MB",
                  f"{size['gdal.gpkg']:,.1f} MB"),
        ]  # fmt: skip
        figures.update(
            {
                "formats_available": True,
                "build_layers_seconds": t_lay,
                "kml_seconds": t_kml,
                "kml_alt_seconds": t_kml_alt,
                "kml_mb": size["rm.kml"],
                "gpkg_seconds": t_gpkg,
                "gpkg_alt_seconds": t_gpkg_alt,
                "gpkg_mb": size["rm.gpkg"],
            }
        )
    for path in out.iterdir():
        path.unlink()
    os.rmdir(out)
    return {
        "benchmark": "exports",
        "available": True,
        "work": f"full catalogue, {len(rings):,} rings (all systems x all sites, nominal)",
        **figures,
        "rows": rows,
        "targets": [C.target("full-catalogue GeoJSON export < 1 s", C.fmt_s(t_gj), t_gj < 1.0)],
        "notes": notes,
    }


if __name__ == "__main__":
    C.main(run, __doc__)
