"""rangemap.gainloss: gained, lost and shared areas of two sites (issue 14, Compare tab)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from rangemap.errors import OptionError, SiteError
from rangemap.gainloss import CHANGES, GAIN_LOSS_COLUMNS, gain_loss
from rangemap.polygons import geodesic_area_m2
from rangemap.reach import compare_sites
from rangemap.regions import region_polygon
from rangemap.rings import range_rings

#: Relative agreement with compare_sites' area figures: the same polygons, the same
#: ellipsoidal area; only the order of the unions differs (measured: at most 9e-16).
RTOL = 1e-9
ISSUE_14_SITES = ["kaliningrad", "belarus-asipovichy"]


def _areas(found) -> dict[str, float]:
    return dict(zip(found["change"], found["area_km2"], strict=True))


@pytest.mark.parametrize(
    ("systems", "sites", "band", "region"),
    [
        # Two systems pooled at each site, the 9M729's 476 km low figure; Europe clips.
        (["9m729", "iskander-m"], ["kaliningrad", "belarus-asipovichy"], "nominal", "europe"),
        (["9m729", "iskander-m"], ["kaliningrad", "belarus-asipovichy"], "low", None),
        # Iskander-M's 50 km minimum range: both rings have holes.
        (["iskander-m"], ["kaliningrad", "belarus-asipovichy"], "high", None),
        # Across the antimeridian: DF-26 from Guam against a site west of it, world-wide
        # and clipped to East Asia.
        (["df-26"], ["guam", "13.5,130"], "nominal", None),
        (["df-26"], ["guam", "13.5,130"], "high", "east-asia"),
    ],
)
def test_areas_agree_with_compare_sites(systems, sites, band, region):
    rings = range_rings(systems, sites, band="all")
    one_band = rings.loc[rings["band"] == band]
    table = compare_sites(one_band, region=region)
    a, b = dict.fromkeys(one_band["site_id"])  # in the order compare_sites takes them
    found = gain_loss(rings, site_a=a, site_b=b, band=band, region=region)
    assert list(found.columns) == [*GAIN_LOSS_COLUMNS, "geometry"]
    assert found["change"].tolist() == list(CHANGES)
    row = table.iloc[0]  # (A, B): A is the first site of the rings, as here
    areas = _areas(found)
    assert areas["lost"] == pytest.approx(row["area_a_only_km2"], rel=RTOL)
    assert areas["gained"] == pytest.approx(row["area_b_only_km2"], rel=RTOL)
    assert areas["shared"] == pytest.approx(row["overlap_km2"], rel=RTOL)
    # Each area is the ellipsoidal area of its own polygon, and the three tile A u B.
    for change, geom in zip(found["change"], found.geometry, strict=True):
        assert geom.is_valid, change
        assert geodesic_area_m2(geom) / 1e6 == pytest.approx(areas[change], rel=1e-9, abs=1e-6)
    union = shapely.union_all(list(one_band.geometry))
    if region is not None:
        union = shapely.intersection(union, region_polygon(region))
    assert sum(areas.values()) == pytest.approx(geodesic_area_m2(union) / 1e6, rel=RTOL)


def test_swapping_the_sites_swaps_gained_and_lost():
    rings = range_rings(["iskander-m"], ["kaliningrad", "belarus-asipovichy"])
    there = _areas(gain_loss(rings, site_a="kaliningrad", site_b="belarus-asipovichy"))
    back = _areas(gain_loss(rings, site_a="belarus-asipovichy", site_b="kaliningrad"))
    assert there["gained"] == pytest.approx(back["lost"], rel=1e-9)
    assert there["lost"] == pytest.approx(back["gained"], rel=1e-9)
    assert there["shared"] == pytest.approx(back["shared"], rel=1e-9)
    assert min(there.values()) > 0


def test_gained_lost_and_shared_are_what_each_site_reaches():
    """Points in each area are reached from B only, from A only, from both (exact distances)."""
    rings = range_rings(["iskander-m"], ["kaliningrad", "belarus-asipovichy"])
    found = gain_loss(rings, site_a=ISSUE_14_SITES[0], site_b=ISSUE_14_SITES[1])
    names = dict(zip(found["change"], found.geometry, strict=True))
    a, b = (rings.loc[rings["site_id"] == s].geometry.iloc[0] for s in ISSUE_14_SITES)
    for change, (in_a, in_b) in {"gained": (False, True), "lost": (True, False),
                                 "shared": (True, True)}.items():  # fmt: skip
        point = names[change].representative_point()
        assert (a.covers(point), b.covers(point)) == (in_a, in_b), change


def test_a_ring_across_the_antimeridian_stays_whole_and_in_range():
    """DF-26 from Guam (split at +-180 deg) against a site that stays west of it."""
    rings = range_rings(["df-26"], ["guam", "13.5,130"])
    found = gain_loss(rings, site_a="13.5,130", site_b="guam")
    gained = found.geometry.iloc[0]
    west, _, east, _ = gained.bounds
    assert west == -180.0 and east == 180.0  # both sides of the cut are gained
    coords = shapely.get_coordinates(found.geometry.to_numpy())
    assert np.abs(coords[:, 0]).max() <= 180.0
    # The sliver east of the antimeridian is all gained: site A never reaches there.
    sliver = shapely.box(-180, -90, -170, 90)
    assert shapely.intersection(found.geometry.iloc[1], sliver).is_empty
    assert not shapely.intersection(gained, sliver).is_empty


def test_a_region_clips_every_area():
    rings = range_rings(["9m729"], ["kaliningrad", "karelia-petrozavodsk"])
    found = gain_loss(rings, site_a="kaliningrad", site_b="karelia-petrozavodsk",
                      region="europe")  # fmt: skip
    box = region_polygon("europe")
    assert all(box.covers(g) for g in found.geometry if not g.is_empty)
    assert set(found["region"]) == {"europe"}
    assert found["site_a"].iloc[0] == "Kaliningrad" and found["systems"].iloc[0].startswith("9M729")


def test_errors_name_the_bad_value_and_the_choices():
    rings = range_rings(["iskander-m"], ["kaliningrad", "belarus-asipovichy"])
    with pytest.raises(SiteError, match=r"site_b 'guam' has no rings.*kaliningrad, belarus"):
        gain_loss(rings, site_a="kaliningrad", site_b="guam")
    with pytest.raises(SiteError, match="same site, 'kaliningrad'"):
        gain_loss(rings, site_a="kaliningrad", site_b="kaliningrad")
    with pytest.raises(OptionError, match="band must be one of nominal; got 'high'"):
        gain_loss(rings, site_a="kaliningrad", site_b="belarus-asipovichy", band="high")
    with pytest.raises(OptionError, match="region must be one of"):
        gain_loss(rings, site_a="kaliningrad", site_b="belarus-asipovichy", region="mars")


def test_every_band_pooled_agrees_with_compare_sites():
    """band=None pools the figures as the dashboard's Compare table does (compare_sites)."""
    rings = range_rings(["9m729", "iskander-m"], ["kaliningrad", "belarus-asipovichy"],
                        band="all")  # fmt: skip
    found = gain_loss(rings, site_a="kaliningrad", site_b="belarus-asipovichy", band=None,
                      region="europe").set_index("change")  # fmt: skip
    table = compare_sites(rings, region="europe").iloc[0]
    assert table["site_a"] == "Kaliningrad"
    assert found.loc["gained", "area_km2"] == pytest.approx(table["area_b_only_km2"], rel=1e-9)
    assert found.loc["lost", "area_km2"] == pytest.approx(table["area_a_only_km2"], rel=1e-9)
    assert set(found.loc["gained", "band"].split(", ")) == {"nominal", "low", "high"}
    nominal = gain_loss(rings, site_a="kaliningrad", site_b="belarus-asipovichy")
    assert nominal["area_km2"].iloc[0] != pytest.approx(found.loc["gained", "area_km2"])
