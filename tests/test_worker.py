"""rangemap.worker: heavy views drawn in a worker process give what the thread gives."""

from __future__ import annotations

import os
import threading

import pytest

from rangemap.catalogue import load_catalogue
from rangemap.errors import RangemapError
from rangemap.rings import join_sites
from rangemap.sites import resolve_sites
from rangemap.worker import draw_scene, in_worker


def test_a_view_drawn_in_the_worker_equals_the_one_drawn_here():
    """Issue 15 item 13: a heavy view goes to the worker; its rings and layers are the
    same, to the byte, as those drawn in the calling thread."""
    sites = resolve_sites(["guam", "kaliningrad", "13.4,144.8"])
    rows = join_sites(load_catalogue().query("id in ['df-26', '9m729']"), sites, band="all")
    here = draw_scene(rows, sites)
    there = draw_scene(rows, sites, heavy_rings=0)
    assert len(here[0]) == len(rows) > 0
    assert there[1] == here[1]  # the map layers' GeoJSON and tooltips
    assert there[0].geometry.geom_equals_exact(here[0].geometry, 0.0).all()
    assert there[0].drop(columns="geometry").equals(here[0].drop(columns="geometry"))


def test_a_worker_that_dies_is_one_clear_error_and_the_next_call_works():
    with pytest.raises(RangemapError, match="worker process .* stopped"):
        in_worker(os._exit, 3)
    assert in_worker(divmod, 7, 2) == (3, 1)


def test_the_functions_own_errors_come_back_as_they_were():
    with pytest.raises(ZeroDivisionError):
        in_worker(divmod, 1, 0)


def test_an_answer_pickle_cannot_carry_is_one_clear_error_and_the_worker_stays():
    with pytest.raises(RangemapError, match="could not be sent back"):
        in_worker(threading.Lock)  # a lock cannot be pickled
    assert in_worker(divmod, 9, 4) == (2, 1)


def test_arguments_that_cannot_be_pickled_leave_the_next_call_working():
    with pytest.raises(TypeError):
        in_worker(str, threading.Lock())
    assert in_worker(divmod, 9, 4) == (2, 1)
