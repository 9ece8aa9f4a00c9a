"""Tests for rangemap.cluster: the same results serially, on threads and on a cluster.

The cluster tests run on a two-worker dask.distributed LocalCluster (one per core of the
CI machine), reached by its address as an external cluster would be.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rangemap import cluster
from rangemap.density import threat_density
from rangemap.errors import OptionError
from rangemap.sweep import sweep_many

pytestmark = pytest.mark.xdist_group("dask")


def _square(chunk: int, offset: int) -> int:
    return chunk * chunk + offset


@pytest.fixture(scope="module")
def address():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:  # fmt: skip
        yield local.scheduler_address
        cluster.close_clients()  # before the cluster goes: no client left to reconnect


@pytest.mark.parametrize("scheduler", ["serial", "threads"])
def test_run_chunks_in_process_keeps_order_and_reports_progress(scheduler: str) -> None:
    seen: list[tuple[int, int]] = []
    out = cluster.run_chunks(_square, list(range(7)), shared=[1], scheduler=scheduler,
                             on_progress=lambda d, n: seen.append((d, n)))  # fmt: skip
    assert out == [c * c + 1 for c in range(7)]
    assert seen == [(i, 7) for i in range(1, 8)]


def test_run_chunks_of_nothing_is_nothing() -> None:
    assert cluster.run_chunks(_square, [], shared=[0], scheduler="serial") == []


def test_run_chunks_on_a_cluster_address(address: str) -> None:
    seen: list[int] = []
    out = cluster.run_chunks(_square, list(range(9)), shared=[2], scheduler=address,
                             on_progress=lambda d, n: seen.append(d))  # fmt: skip
    assert out == [c * c + 2 for c in range(9)]
    assert sorted(seen) == list(range(1, 10))


def test_an_address_with_no_scheduler_is_one_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(
        OptionError, match=r"could not reach a Dask scheduler at 'tcp://127.0.0.1:9'"
    ):
        cluster.run_chunks(_square, [1], shared=[0], scheduler="tcp://127.0.0.1:9")


def test_scheduler_labels() -> None:
    assert cluster.scheduler_label("threads").startswith("dask threads")
    assert cluster.scheduler_label("local").startswith("dask LocalCluster")
    assert "tcp://h:1" in cluster.scheduler_label("tcp://h:1")


def test_density_is_identical_on_the_cluster(address: str) -> None:
    kwargs = {"nside": 16, "as_of": "2026-06-30", "every_site": True, "polygons": False}
    serial = threat_density(scheduler="serial", **kwargs)
    remote = threat_density(scheduler=address, **kwargs)
    columns = ["cell", "pairs", "systems", "launchers_low", "launchers_high", "uncounted_systems"]
    pd.testing.assert_frame_equal(pd.DataFrame(serial[columns]), pd.DataFrame(remote[columns]))
    assert serial["pairs"].max() > 0


def test_sweep_is_identical_on_the_cluster(address: str) -> None:
    kwargs = {"radii_km": [800.0, 1500.0], "objective": "population", "within": "POL",
              "grid_km": 50.0, "top": 3, "refine": 30, "near": False}  # fmt: skip
    serial = sweep_many(scheduler="serial", **kwargs)
    remote = sweep_many(scheduler=address, **kwargs)
    pd.testing.assert_frame_equal(serial.top, remote.top)
    np.testing.assert_array_equal(serial.candidates["value_screen"],
                                  remote.candidates["value_screen"])  # fmt: skip
    assert set(serial.top["scenario"]) == {"800 km", "1,500 km"}


def test_close_clients_then_connect_anew(address: str) -> None:
    assert cluster.run_chunks(_square, [3], shared=[0], scheduler=address) == [9]
    cluster.close_clients()
    assert cluster._client_for.cache_info().currsize == 0
    assert cluster.run_chunks(_square, [4], shared=[0], scheduler=address) == [16]
