"""Heavy views drawn in a worker process, so one large upload does not hold a server.

A dashboard serves every session from one Python process. Its scripts run in threads
that share one interpreter lock, so a view of thousands of rings (an upload of 2,500
sites: 10,000 rings, about 15 s of work) slowed every other session's rerun while it was
drawn, and its own work crawled among theirs (issue 15, item 13). :func:`draw_scene` draws
such a view in one separate process instead: the operating system shares the cores
between it and the server, whose sessions keep their interpreter. Small views stay in
the calling thread, where they cost no copying.

One worker serves the whole server, so heavy views queue behind each other rather than
take every core. If the worker dies (killed, out of memory), the caller gets a
:class:`~rangemap.errors.RangemapError` and the next heavy view starts a new worker; the
server carries on.

Public functions
----------------
draw_scene
    Rings and map layers of a view; in the worker past :data:`HEAVY_RINGS` rings.
in_worker
    Call a function in the worker process and return its result.
start_worker
    Start the worker and load rangemap in it, without waiting: the first heavy view then
    finds it ready.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

import pandas as pd

from rangemap.errors import RangemapError
from rangemap.mapview import MapLayers, prepare_layers
from rangemap.rings import rings_for

if TYPE_CHECKING:
    import geopandas as gpd

    from rangemap.flight import Timing

__all__ = ["HEAVY_RINGS", "draw_scene", "in_worker", "start_worker"]

#: Views with more rings than this are drawn in the worker process. Below it (a few
#: seconds of work at most) copying the rings back would cost more than it saves: the
#: whole catalogue at the two default sites is about 300 rings.
HEAVY_RINGS = 2_000

T = TypeVar("T")
#: One call at a time: a heavy view waits for the one before it.
_LOCK = threading.Lock()
_WORKER: list[subprocess.Popen[bytes]] = []
#: The worker's loop; a plain subprocess, not multiprocessing, whose spawn would run the
#: caller's ``__main__`` again in the child (under Streamlit: the whole app script).
_SERVE = "from rangemap.worker import _serve; _serve()"


def _send(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _serve() -> None:
    """Answer calls read from standard input until it closes (the worker's main loop)."""
    # Ctrl-C in the server's terminal reaches the whole process group: the server decides,
    # and the worker ends when its standard input closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed must not corrupt the replies
    while True:
        try:
            function, args, kwargs = _receive(requests)
        except EOFError:
            return
        try:
            reply: tuple[bool, object] = (True, function(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - sent back and raised in the caller
            reply = (False, exc)
        try:
            _send(replies, reply)  # pickled whole before a byte is written
        except Exception as exc:  # noqa: BLE001 - an answer pickle cannot carry
            _send(replies, (False, RangemapError(f"the worker's answer could not be sent "
                                                 f"back: {exc}")))  # fmt: skip


def _worker() -> subprocess.Popen[bytes]:
    """Return the running worker (call with ``_LOCK`` held), started if there is none."""
    if not _WORKER or _WORKER[0].poll() is not None:
        # The caller's import path: rangemap may be found there without being installed.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        _WORKER[:] = [subprocess.Popen([sys.executable, "-c", _SERVE], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env)]  # fmt: skip
    return _WORKER[0]


def start_worker() -> None:
    """Start the worker process, which loads rangemap, without waiting for it.

    Starting it and importing geopandas, shapely and pyproj there takes seconds (more on
    a busy machine): better spent before the first heavy view than during it.
    """
    with _LOCK:
        _worker()


def in_worker(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Call ``function(*args, **kwargs)`` in the worker process and return its result.

    Arguments and result travel by pickle; the function must be importable (a module's
    top-level function). Its own exceptions are raised here as they were there.

    Raises
    ------
    RangemapError
        When the worker process died before answering (a new one serves the next call).

    Examples
    --------
    >>> in_worker(divmod, 17, 5)
    (3, 2)
    """
    with _LOCK:
        worker = _worker()
        try:
            assert worker.stdin is not None and worker.stdout is not None
            _send(worker.stdin, (function, args, kwargs))
            ok, value = _receive(worker.stdout)
        except BaseException as exc:
            # Whatever broke the exchange (a dead worker, an interrupt while waiting), an
            # answer may still be on its way: a new worker serves the next call.
            worker.kill()
            worker.wait()
            if isinstance(exc, (EOFError, OSError)):
                raise RangemapError(
                    "the worker process drawing this view stopped before it finished "
                    "(killed, or out of memory); try fewer sites or systems"
                ) from None
            raise
    if not ok:
        raise value
    return cast(T, value)


def draw_scene(
    rows: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    *,
    targets: gpd.GeoDataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    timings: dict[str, Timing] | None = None,
    heavy_rings: int = HEAVY_RINGS,
) -> tuple[gpd.GeoDataFrame, MapLayers]:
    """Draw a view's rings and its map layers; past ``heavy_rings`` rings, in the worker.

    Parameters
    ----------
    rows : pandas.DataFrame
        Ring rows (:func:`rangemap.rings.join_sites`), already within the view's limit.
    sites, targets, catalogue, timings
        As for :func:`rangemap.mapview.prepare_layers`.
    heavy_rings : int
        Rows above which the work goes to the worker process.

    Returns
    -------
    (geopandas.GeoDataFrame, MapLayers)
        :func:`rangemap.rings.rings_for` of the rows and
        :func:`rangemap.mapview.prepare_layers` of them: the same wherever they ran.
    """
    if len(rows) > heavy_rings:
        return in_worker(_scene, rows, sites, targets, catalogue, timings)
    return _scene(rows, sites, targets, catalogue, timings)


def _scene(
    rows: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    targets: gpd.GeoDataFrame | None,
    catalogue: pd.DataFrame | None,
    timings: dict[str, Timing] | None,
) -> tuple[gpd.GeoDataFrame, MapLayers]:
    rings = rings_for(rows)
    return rings, prepare_layers(rings, sites, targets=targets, catalogue=catalogue,
                                 timings=timings)  # fmt: skip
