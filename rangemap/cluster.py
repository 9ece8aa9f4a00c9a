"""Where the large computations run: Dask, from one process to a cluster.

The threat density and the basing sweep are built as Dask graphs (``dask.delayed``): a
list of independent chunk tasks that share their inputs by key. The same graph runs on

``"local"`` (the default)
    a :class:`distributed.LocalCluster` on this machine, one single-threaded worker
    process per core (made once per process, closed at exit);
``"threads"`` / ``"serial"``
    Dask's in-process thread pool, or one task after another (no cluster at all);
an address such as ``"tcp://10.0.0.5:8786"``
    an existing ``dask.distributed`` scheduler: a cluster started by ``dask scheduler`` /
    ``dask worker``, or by dask-kubernetes, dask-jobqueue (Slurm, PBS, SGE, LSF) or
    Ray's ``ray.util.dask``. Its workers need rangemap installed (``pip install
    rangemap`` in the workers' image or environment);
a :class:`distributed.Client`
    one the caller already holds.

Results do not depend on where they ran: every task is a pure function of its chunk, and
the chunks are put back together in their order (tests compare the serial path with a
two-worker LocalCluster).

Public functions
----------------
run_chunks
    Run a function over chunks on a scheduler, with progress, in chunk order.
scheduler_label
    A short description of a scheduler for outputs.
start_local_cluster
    A LocalCluster configured as ``"local"`` uses it.
close_clients
    Close the clients and clusters opened (also at exit).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from rangemap.errors import OptionError

__all__ = [
    "CONNECT_TIMEOUT_S",
    "close_clients",
    "SCHEDULER_HELP",
    "Progress",
    "run_chunks",
    "scheduler_label",
    "start_local_cluster",
]

#: Called as ``progress(done, total)`` after each finished chunk.
Progress = Callable[[int, int], None]

#: What ``--scheduler`` accepts, for help texts.
SCHEDULER_HELP = (
    "where the work runs: 'local' (a Dask LocalCluster on this machine, one worker per "
    "core), 'threads', 'serial', or the address of a running dask.distributed scheduler "
    "(tcp://HOST:8786) on a cluster"
)

_LOCAL_NAMES = ("threads", "serial", "synchronous")

#: Seconds to wait for a scheduler at an address before giving up.
CONNECT_TIMEOUT_S = 10.0


def _is_client(value: object) -> bool:
    return type(value).__name__ == "Client" and hasattr(value, "compute")


def scheduler_label(scheduler: object) -> str:
    """Return a short description of a scheduler, for outputs and methods notes.

    Examples
    --------
    >>> scheduler_label("serial"), scheduler_label("tcp://10.0.0.5:8786")
    ('serial (one process)', 'dask.distributed at tcp://10.0.0.5:8786')
    """
    if _is_client(scheduler):
        info = getattr(scheduler, "scheduler", None)
        return f"dask.distributed at {getattr(info, 'address', 'a given client')}"
    key = str(scheduler).strip()
    if key == "local":
        return f"dask LocalCluster ({_local_workers()} workers)"
    if key == "threads":
        return f"dask threads ({os.cpu_count() or 1})"
    if key in ("serial", "synchronous"):
        return "serial (one process)"
    return f"dask.distributed at {key}"


def _local_workers() -> int:
    return max(1, os.cpu_count() or 1)


def start_local_cluster(n_workers: int) -> Any:
    """Start a :class:`distributed.LocalCluster` as ``"local"`` uses it (not cached).

    ``n_workers`` single-threaded worker processes, no dashboard, quiet logs, and without
    the ``MALLOC_TRIM_THRESHOLD_`` that distributed sets for its workers (see the comment
    in the code). The caller closes it.
    """
    # Imported here: distributed costs 0.5 s to import, and the CLI's other commands and
    # the dashboard never need it (dask comes with it).
    import dask
    from distributed import LocalCluster

    before = dict(os.environ)
    # Workers are spawned with MALLOC_TRIM_THRESHOLD_=65536 by default, which makes
    # glibc hand every large temporary array back to the system and fault it in again:
    # the exact recounts ran at half speed in a worker (benchmarks/bench_scale.py).
    # The nanny also writes its spawn variables into this process's environment;
    # they are put back, so the caller's threads and later clusters are unchanged.
    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}),
        warnings.catch_warnings(),
    ):
        # The scheduler's metrics server moves off a taken port 8787 with a warning
        # that says nothing to a user of the command line.
        warnings.filterwarnings("ignore", message="Port 8787 is already in use")
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    for name in set(os.environ) - set(before):
        del os.environ[name]
    os.environ.update(before)
    return cluster


#: Clients (and the LocalClusters behind "local") this process opened, closed at exit.
_OPEN: list[Any] = []


@atexit.register
def close_clients() -> None:
    """Close every client and LocalCluster this process opened (also run at exit).

    The next call with ``"local"`` or an address connects anew.
    """
    while _OPEN:
        with contextlib.suppress(Exception):  # already closed, or its scheduler gone
            _OPEN.pop().close()
    _client_for.cache_clear()


@lru_cache(maxsize=4)
def _client_for(address: str, n_workers: int) -> Any:
    # distributed is imported only when a cluster is used: it costs 0.5 s to import, and
    # the CLI's other commands and the dashboard never need it.
    from distributed import Client

    if address == "local":
        cluster = start_local_cluster(n_workers)
        client = Client(cluster, set_as_default=False)

        _OPEN.append(client)
        _OPEN.append(cluster)
        return client
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise OptionError(
            f"could not reach a Dask scheduler at {address!r} ({exc}); start one with "
            "'dask scheduler' and 'dask worker ADDRESS', or use --scheduler local"
        ) from exc
    _OPEN.append(client)
    return client


def _client(scheduler: object, n_workers: int | None) -> Any:
    if _is_client(scheduler):
        return scheduler
    key = str(scheduler).strip()
    if not key:
        raise OptionError(
            f"scheduler must be local, threads, serial or an address; got {scheduler!r}"
        )
    return _client_for(key, n_workers or _local_workers())


def run_chunks(
    function: Callable[..., Any],
    chunks: Sequence[Any],
    *,
    shared: Sequence[Any] = (),
    scheduler: object = "local",
    on_progress: Progress | None = None,
    n_workers: int | None = None,
) -> list[Any]:
    """Run ``function(chunk, *shared)`` for every chunk as one Dask graph; results in order.

    Parameters
    ----------
    function : callable
        A pure, importable (module-level) function.
    chunks : sequence
        One task each.
    shared : sequence
        Arguments every task takes; each is put in the graph once, under one key.
    scheduler : str or distributed.Client
        See the module docstring.
    on_progress : callable, optional
        ``on_progress(done, total)`` after each chunk (in the caller's thread).
    n_workers : int, optional
        Worker processes of the ``"local"`` cluster (default: one per core; the cluster
        is made once per process and size).

    Raises
    ------
    OptionError
        For an address with no scheduler behind it.

    Examples
    --------
    >>> run_chunks(pow, [1, 2, 3], shared=[2], scheduler="serial")
    [1, 4, 9]
    """
    total = len(chunks)
    if not total:
        return []
    key = str(scheduler).strip() if not _is_client(scheduler) else ""
    if key in _LOCAL_NAMES:
        return _run_in_process(function, chunks, shared, key, on_progress)
    client = _client(scheduler, n_workers)
    from distributed import as_completed  # with the client above

    # Shared inputs go to the workers once (scattered), not once per task in the graph.
    shared_futures = [client.scatter([value], broadcast=True, hash=False)[0] for value in shared]
    futures = [client.submit(function, chunk, *shared_futures, pure=False) for chunk in chunks]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * total
    for done, future in enumerate(as_completed(futures, loop=client.loop), start=1):
        results[index[future.key]] = future.result()
        if on_progress is not None:
            on_progress(done, total)
    for future in (*futures, *shared_futures):
        future.release()
    return results


def _run_in_process(
    function: Callable[..., Any],
    chunks: Sequence[Any],
    shared: Sequence[Any],
    key: str,
    on_progress: Progress | None,
) -> list[Any]:
    import dask  # imported here: the dashboard and most commands never need it
    from dask.callbacks import Callback

    shared_keys = [dask.delayed(value, pure=True) for value in shared]
    tasks = [dask.delayed(function, pure=True)(chunk, *shared_keys) for chunk in chunks]
    wanted = {t.key for t in tasks}
    total = len(tasks)
    done = 0

    def posttask(task_key: Any, *_: Any) -> None:
        nonlocal done
        if task_key in wanted:
            done += 1
            if on_progress is not None:
                on_progress(done, total)

    name = "synchronous" if key in ("serial", "synchronous") else "threads"
    with Callback(posttask=posttask):
        return list(dask.compute(*tasks, scheduler=name))
