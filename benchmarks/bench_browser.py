"""Browser: the dashboard's first painted map and click -> painted map, against a bare floor.

Work (issue 14, "Speed, as the user feels it"): ``app.py`` and ``benchmarks/floor_app.py``
(a bare Streamlit page: one polygon through streamlit_folium at the same height, and the
same "Range figures" control redrawing it) each served by ``streamlit run`` on a free port,
driven by Debian's Chromium through Playwright with every request off localhost blocked.
Each session is a fresh browser context (an empty cache, a new Streamlit session).

- **First painted map**: from the page's navigation start to the map painted.
- **Click -> painted map**: from the click on "High" in the sidebar's "Range figures"
  control (a toggle in its multi-select form; in a single-select form it alternates with
  the choice shown at load) to the new map painted, with the default selection and with the
  full catalogue (every system, given in the page URL as ``?systems=ID&systems=ID...``).

"Painted": the map iframe (``iframe[title='streamlit_folium.st_folium']``) holds ring paths
(``path.rm-ring``), none of them the paths shown before the click, the app's script is not
running (``data-test-script-state`` of ``[data-testid=stApp]`` is ``notRunning`` and no
``stStatusWidgetRunningIcon`` is shown), and then one animation frame and a task have
passed (so the frame holding the paths has been painted). Times are taken in the page
(``performance.now()``; the click is the page's own ``click`` event), not by Playwright.

Sessions of the app (default and full catalogue) and of the floor are interleaved, the
order turning each round, so that other load on the machine falls on both alike. The first
visit after each server starts is reported apart ("cold server": imports and caches). Each
figure is the median of its repetitions with the range (min-max), and a ratio to the floor.

Then one more session of each kind runs once with Chrome's tracing and the DevTools
network events on, to say where a rerun's time goes: the rerun request's time to the
server's last message (server script and transfer), the bytes of that rerun over the
WebSocket and of the map handed to the iframe, the vertices in the map's GeoJSON, the
renderer main thread's busy time by kind (scripting, parsing, style and layout, paint,
garbage collection) and by code, the software raster on the renderer's worker threads
(Chromium runs with ``--disable-gpu``), the script runs the page starts by itself after the
map is painted, and one repaint of the map (its iframe faded and back, as Streamlit fades
elements gone stale during a rerun). Last, the same change runs on the server alone
(``AppTest`` in this process) and a sampling thread charges its time to lines of app.py.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

HERE = Path(__file__).resolve().parent
FLOOR_APP = HERE / "floor_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]  # fmt: skip
VIEWPORT = {"width": 1440, "height": 960}
#: The selectors and labels this benchmark depends on (the report lists them).
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
RING = "path.rm-ring"
CONTROL_LABEL = "Range figures"
OPTION = "High"
WHAT = "browser: first painted map and click -> painted map"
#: Longest wait for one page to paint its map (s).
TIMEOUT_S = 180.0
#: A page is settled once its script has not run for this long (ms).
QUIET_MS = 600

#: Installed in every frame before the page's own scripts. The top frame records its clicks,
#: the WebSocket's messages (time, bytes), the script state's changes and the long tasks;
#: a map iframe records when it got its render message (and the map's size) and when its
#: first ring path appeared.
_INIT_JS = """(() => {
  const now = () => performance.now();
  if (window.top !== window) {
    window.__benchFrame = {render: null, ring: null, args: null};
    window.addEventListener('message', (e) => {
      const d = e.data;
      if (!d || d.type !== 'streamlit:render' || window.__benchFrame.render !== null) return;
      const a = d.args || {};
      window.__benchFrame.render = now();
      window.__benchFrame.args = a;
      window.__benchFrame.chars = ['script', 'html', 'header'].reduce(
        (n, k) => n + (typeof a[k] === 'string' ? a[k].length : 0), 0);
      // Watched from here: the window outlives the iframe's first (blank) document.
      new MutationObserver((_, obs) => {
        if (document.querySelector('RING')) { window.__benchFrame.ring = now(); obs.disconnect(); }
      }).observe(document, {childList: true, subtree: true});
    });
    return;
  }
  const B = window.__bench = {clicks: [], sent: [], received: [], states: [], longtasks: []};
  document.addEventListener('click', () => {
    B.clicks.push(now()); performance.mark('bench-click'); }, true);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        B.received.push([now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
    }
    send(data) {
      B.sent.push([now(), data.byteLength ?? data.size ?? data.length ?? 0]);
      return super.send(data);
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const a = (e.attribution || [])[0] || {};
        B.longtasks.push([e.startTime, e.duration, a.containerType || '']);
      }
    }).observe({type: 'longtask', buffered: true});
  } catch (err) { B.longtasks = null; }
  const frames = () => [...document.querySelectorAll("MAP_FRAME")];
  const rings = () => frames().flatMap((f) => {
    try { return [...f.contentDocument.querySelectorAll('RING')]; } catch (err) { return []; }
  });
  const running = () => {
    const app = document.querySelector('[data-testid=stApp]');
    const state = app && app.getAttribute('data-test-script-state');
    if (app && !B.watched) {
      B.watched = true;
      B.states.push([now(), state]);
      new MutationObserver(() => B.states.push(
        [now(), app.getAttribute('data-test-script-state')])).observe(
        app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }
    return state !== 'notRunning' ||
      !!document.querySelector('[data-testid=stStatusWidgetRunningIcon]');
  };
  B.old = new Set();
  // Remember the rings shown now: the next map painted must be made of other paths.
  B.mark = () => { B.old = new Set(rings()); return B.old.size; };
  B.painted = () => new Promise((resolve) => {
    const check = () => {
      const shown = rings();
      if (!running() && shown.length && !shown.some((p) => B.old.has(p))) {
        requestAnimationFrame(() => setTimeout(() => {
          performance.mark('bench-painted');
          resolve({t: now(), rings: shown.length});
        }, 0));
      } else requestAnimationFrame(check);
    };
    check();
  });
  // Resolve once the script has not run for `ms` (a page settled between measurements).
  B.quiet = (ms) => new Promise((resolve) => {
    let since = now();
    const tick = () => {
      if (running()) since = now();
      if (now() - since >= ms) resolve(now()); else setTimeout(tick, 50);
    };
    tick();
  });
  // Milestones of the map shown now, in this frame's clock.
  B.frame = () => {
    const f = frames().at(-1);
    if (!f) return null;
    const w = f.contentWindow, info = w && w.__benchFrame;
    if (!info) return null;
    const shift = w.performance.timeOrigin - performance.timeOrigin;
    const at = (t) => (t === null ? null : t + shift);
    return {start: shift, render: at(info.render), ring: at(info.ring), chars: info.chars};
  };
})();""".replace("MAP_FRAME", MAP_FRAME).replace("RING", RING)


# --- servers -----------------------------------------------------------------------------


@contextmanager
def _floor_script() -> Iterator[Path]:
    """The floor app in a folder of its own beside a link to the repository's ``static/``.

    Streamlit serves ``/app/static/`` from the folder of the script it runs, so the floor
    gets Leaflet from its own server, as the dashboard does (nothing is written in the
    repository).
    """
    with tempfile.TemporaryDirectory(prefix="rangemap-floor-") as tmp:
        shutil.copy(FLOOR_APP, Path(tmp) / FLOOR_APP.name)
        (Path(tmp) / "static").symlink_to(C.ROOT / "static", target_is_directory=True)
        yield Path(tmp) / FLOOR_APP.name


# --- one session -------------------------------------------------------------------------


def _new_page(browser: Any) -> Any:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.blocked = []

    def route(r: Any) -> None:
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.add_init_script(_INIT_JS)
    page.set_default_timeout(TIMEOUT_S * 1000)
    return page


def _painted(page: Any) -> dict[str, Any]:
    """Wait in the page for the map painted; its time (page clock, ms) and ring count."""
    page.wait_for_function("() => window.__bench !== undefined", timeout=TIMEOUT_S * 1000)
    return dict(page.evaluate("window.__bench.painted()"))


def _settle(page: Any) -> None:
    page.evaluate(f"window.__bench.quiet({QUIET_MS})")


def _option(page: Any, name: str) -> Any:
    group = page.locator(f"[aria-label='{CONTROL_LABEL}']").first
    return group.locator("button, [role=radio]").filter(
        has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")
    ).first  # fmt: skip


def _change(page: Any, state: dict[str, Any]) -> None:
    """Click the "Range figures" control so that the rings change (see the docstring)."""
    target = _option(page, OPTION)
    multi = target.get_attribute("aria-pressed") is not None
    if not multi and target.get_attribute("aria-checked") == "true":
        if "back" not in state:  # a single-select control: go back to the choice at load
            labels = page.locator(f"[aria-label='{CONTROL_LABEL}'] [role=radio]")
            state["back"] = next(
                el.inner_text().strip() for el in labels.all()
                if el.inner_text().strip() != OPTION
            )  # fmt: skip
        target = _option(page, state["back"])
    target.click()


def _window(page: Any, t0: float, t1: float) -> dict[str, Any]:
    """What the top frame saw between ``t0`` and ``t1`` (ms, page clock)."""
    b = page.evaluate(
        "({sent: __bench.sent, received: __bench.received, states: __bench.states, "
        "longtasks: __bench.longtasks, frame: __bench.frame()})"
    )
    received = [(t, n) for t, n in b["received"] if t0 <= t <= t1]
    sent = [t for t, _ in b["sent"] if t >= t0]
    runs = [t for t, s in b["states"] if t0 <= t <= t1 and s == "running"]
    done = [t for t, s in b["states"] if t0 <= t <= t1 and s == "notRunning"]
    tasks = [(s, d) for s, d, _ in (b["longtasks"] or []) if t0 <= s <= t1]
    frame = b["frame"] or {}
    at = lambda t: None if t is None else t - t0  # noqa: E731
    return {
        "request_ms": at(sent[0]) if sent else None,
        "running_ms": at(runs[0]) if runs else None,
        "not_running_ms": at(done[-1]) if done else None,
        "first_message_ms": at(received[0][0]) if received else None,
        "last_message_ms": at(received[-1][0]) if received else None,
        "messages": len(received),
        "bytes": sum(n for _, n in received),
        "iframe_ms": at(frame.get("start")) if frame.get("start", -1) >= t0 else None,
        "render_ms": at(frame.get("render")),
        "ring_ms": at(frame.get("ring")),
        "map_chars": frame.get("chars"),
        "longtasks": len(tasks),
        "longtask_ms": sum(d for _, d in tasks),
        "longest_task_ms": max((d for _, d in tasks), default=0.0),
    }


def _session(browser: Any, url: str, clicks: int, out: dict[str, list[dict[str, Any]]]) -> None:
    """Open ``url`` in a fresh context; time the first map and ``clicks`` changes."""
    page = _new_page(browser)
    try:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        done = _painted(page)
        first = {"ms": done["t"], "rings": done["rings"], **_window(page, 0, done["t"])}
        out["first"].append(first)
        state: dict[str, Any] = {}
        for _ in range(clicks):
            _settle(page)
            n_before = page.evaluate("window.__bench.mark()")
            _change(page, state)
            done = _painted(page)
            t0 = page.evaluate("window.__bench.clicks.at(-1)")
            fig = _window(page, t0, done["t"])
            out["click"].append({"ms": done["t"] - t0, "rings": done["rings"],
                                 "rings_before": n_before, **fig})  # fmt: skip
        out["blocked"].extend(page.blocked)
    finally:
        page.context.close()


# --- one traced rerun --------------------------------------------------------------------

_BUCKETS = {
    "scripting": ("FunctionCall", "EvaluateScript", "v8.compile", "v8.run", "V8.Execute",
                  "TimerFire", "EventDispatch", "FireAnimationFrame", "v8.callFunction",
                  "RunMicrotasks", "V8.CompileCode", "v8.evaluateModule", "FireIdleCallback",
                  "CompileScript", "V8.CompileLazy", "v8.parseOnBackground"),
    "parse HTML": ("ParseHTML", "ParseAuthorStyleSheet"),
    "style & layout": ("UpdateLayoutTree", "Layout", "RecalculateStyles", "HitTest",
                       "UpdateLayerTree", "IntersectionObserverController::computeIntersections"),
    "paint & composite": ("Paint", "PrePaint", "Layerize", "CompositeLayers", "Commit",
                          "PaintImage", "RasterTask", "UpdateLayer"),
    "garbage collection": ("MajorGC", "MinorGC", "V8.GCScavenger", "V8.GCFinalizeMC",
                           "V8.GC_MARK_COMPACTOR", "BlinkGC.AtomicPhase", "V8.GCIncrementalMarking",
                           "V8.GCCompactor", "ThreadState::performIdleLazySweep"),
}  # fmt: skip


def _source(url: str) -> str:
    """Which code a script event ran (by the URL V8 gives it)."""
    if not url:
        return "unattributed"
    if url == "inline":  # an inline <script>: on this page, the map's (the iframe's)
        return "inline scripts (the map's)"
    if "/component/" in url:
        return "map script (iframe)" if "index.html" in url else "streamlit_folium bundle"
    if "leaflet" in url:
        return "Leaflet"
    if "/static/js/" in url:  # Streamlit's chunks are named for what they draw
        return "Streamlit " + url.rsplit("/", 1)[-1].split(".", 1)[0]
    return "other"


def _main_thread_time(trace: dict[str, Any]) -> dict[str, Any]:
    """Self time (ms) of the page's renderer main thread between the two marks, by kind.

    Scripting is split further by the code that ran (the URL of the nearest enclosing
    event that names one).
    """
    events = trace.get("traceEvents", [])
    marks = {e["name"]: e for e in events if e.get("name", "").startswith("bench-")}
    if "bench-click" not in marks or "bench-painted" not in marks:
        return {}
    t0, t1 = marks["bench-click"]["ts"], marks["bench-painted"]["ts"]
    pid = marks["bench-click"]["pid"]  # the page's renderer (its same-origin iframes too)
    main = {e["tid"] for e in events if e.get("pid") == pid and e.get("name") == "thread_name"
            and e.get("args", {}).get("name") == "CrRendererMain"}  # fmt: skip
    spans = sorted(
        (e for e in events if e.get("ph") == "X" and e.get("pid") == pid
         and e.get("tid") in main and t0 <= e["ts"] <= t1),
        key=lambda e: (e["ts"], -e.get("dur", 0)),
    )  # fmt: skip
    kind = {n: k for k, names in _BUCKETS.items() for n in names}
    totals: dict[str, float] = dict.fromkeys((*_BUCKETS, "other"), 0.0)
    scripts: dict[str, float] = {}
    stack: list[dict[str, Any]] = []

    def close(item: dict[str, Any]) -> None:
        own = max(0.0, item["end"] - item["start"] - item["child"]) / 1000.0
        totals[item["kind"]] += own
        if item["kind"] == "scripting":
            scripts[_source(item["url"])] = scripts.get(_source(item["url"]), 0.0) + own

    for e in spans:
        start, end = e["ts"], e["ts"] + e.get("dur", 0)
        while stack and stack[-1]["end"] <= start:
            close(stack.pop())
        data = (e.get("args") or {}).get("data") or {}
        url = data.get("url") or ("inline" if e["name"] == "EvaluateScript" else "")
        url = url or (stack[-1]["url"] if stack else "")
        if stack:
            stack[-1]["child"] += min(end, stack[-1]["end"]) - start
        stack.append({"start": start, "end": end, "child": 0.0, "url": url,
                      "kind": kind.get(e["name"], "other")})  # fmt: skip
    while stack:
        close(stack.pop())
    # Software raster (--disable-gpu) runs on the renderer's worker threads, off the main one.
    raster = sum(e.get("dur", 0) for e in events if e.get("name") == "RasterTask"
                 and e.get("pid") == pid and t0 <= e["ts"] <= t1) / 1000.0  # fmt: skip
    return {**totals, "busy": sum(totals.values()), "window": (t1 - t0) / 1000.0,
            "scripts": scripts, "raster": raster}  # fmt: skip


def _map_payload(page: Any) -> dict[str, Any]:
    """Characters of the map handed to the iframe, and vertices in its GeoJSON, by layer."""
    args = page.evaluate(
        f'(() => {{ const f = [...document.querySelectorAll("{MAP_FRAME}")].at(-1);'
        " const a = f && f.contentWindow.__benchFrame && f.contentWindow.__benchFrame.args;"
        " return a ? {script: a.script, html: a.html, header: a.header} : null; })()"
    )
    if not args:
        return {}
    out: dict[str, Any] = {k: len(v or "") for k, v in args.items()}
    vertices: dict[str, int] = {}
    chars: dict[str, int] = {}
    text = "".join(v or "" for v in args.values())
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S)
    for block in blocks:
        data = json.loads(block)
        features = data.get("features", [])
        style = (features[0].get("properties", {}).get("style", {}) if features else {}) or {}
        name = (style.get("className") or "countries").split()[0]
        n = 0
        for feat in features:
            n += len(re.findall(r"\[-?\d", json.dumps((feat.get("geometry") or {}).get(
                "coordinates", []))))  # fmt: skip
        vertices[name] = vertices.get(name, 0) + n
        chars[name] = chars.get(name, 0) + len(block)
    out["vertices"], out["layer_chars"] = vertices, chars
    # Leaflet simplifies each path to the screen (smoothFactor): the segments it drew.
    out["drawn_segments"] = page.evaluate(
        f'(() => {{ const f = [...document.querySelectorAll("{MAP_FRAME}")].at(-1);'
        f" return [...f.contentDocument.querySelectorAll('{RING}')].reduce((n, p) =>"
        " n + ((p.getAttribute('d') || '').match(/[LM]/g) || []).length, 0); })()"
    )
    return out


#: Fade the map's iframe and back, as Streamlit does to elements gone stale during a rerun;
#: the time to the second frame after each change (ms) is one repaint of the map.
_REPAINT_JS = """async () => {
  const f = [...document.querySelectorAll("MAP_FRAME")].at(-1), out = [];
  for (const opacity of ['0.5', '1']) {
    const t = performance.now();
    f.style.opacity = opacity;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    out.push(performance.now() - t);
  }
  return out;
}""".replace("MAP_FRAME", MAP_FRAME)


def _traced(browser: Any, url: str) -> dict[str, Any]:
    """One session: first map, then one traced click -> painted map with network events."""
    page = _new_page(browser)
    frames: list[tuple[float, int]] = []
    sent: list[float] = []
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketFrameReceived", lambda e: frames.append(
            (e["timestamp"] * 1000.0, len(e["response"]["payloadData"]))))  # fmt: skip
        cdp.on("Network.webSocketFrameSent", lambda e: sent.append(e["timestamp"] * 1000.0))
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        _painted(page)
        _settle(page)
        page.evaluate("window.__bench.mark()")
        n_sent = len(page.evaluate("window.__bench.sent"))
        browser.start_tracing(page=page, categories=["devtools.timeline", "blink.user_timing",
                              "v8", "disabled-by-default-devtools.timeline"])  # fmt: skip
        _change(page, {})
        done = _painted(page)
        trace = json.loads(browser.stop_tracing())
        t0 = page.evaluate("window.__bench.clicks.at(-1)")
        fig = _window(page, t0, done["t"])
        page_sent = [t for t, _ in page.evaluate("window.__bench.sent")[n_sent:]]
        # Script runs the page starts by itself after the map is painted (within 4 s).
        trailing = page.evaluate(
            "new Promise((r) => setTimeout(() => r(__bench.states.filter(([t, s]) => "
            f"t > {done['t']} && s === 'running').length), 4000))"
        )
        payload = _map_payload(page)
        _settle(page)
        repaint = page.evaluate(_REPAINT_JS)
    finally:
        page.context.close()
    # The network clock (CDP, ms) -> the page clock, by the rerun request's send.
    net = {}
    if page_sent and len(sent) >= 1:
        shift = sent[-len(page_sent)] - page_sent[0]
        after = [(t - shift - t0, n) for t, n in frames if t - shift >= page_sent[0]]
        after = [(t, n) for t, n in after if t <= done["t"] - t0]
        if after:
            net = {"net_first_ms": after[0][0], "net_last_ms": after[-1][0],
                   # binary frames come base64-encoded: 4 characters per 3 bytes
                   "net_bytes": sum(n for _, n in after) * 3 // 4}  # fmt: skip
    return {"ms": done["t"] - t0, **fig, **net, "threads": _main_thread_time(trace),
            "payload": payload, "trailing_runs": trailing, "repaint_ms": repaint}  # fmt: skip


def _server_profile(reruns: int) -> dict[str, Any]:
    """The same change run on the server alone (``AppTest``, in this process), sampled.

    A thread samples the script's stack every 2 ms and charges each sample to the top-level
    line of app.py being run, so the figures follow app.py as it is edited.
    """
    import linecache
    import threading

    from streamlit.testing.v1 import AppTest

    app = str(C.ROOT / "app.py")
    at = AppTest.from_file(app, default_timeout=600)
    at.run()
    lines: dict[int, int] = {}
    stop, times = threading.Event(), []

    def sample() -> None:
        me = threading.get_ident()
        while not stop.wait(0.002):
            for tid, frame in sys._current_frames().items():
                line, f = None, frame
                while f is not None and tid != me:  # up to the module level of app.py
                    if f.f_code.co_filename == app and f.f_code.co_name == "<module>":
                        line = f.f_lineno
                    f = f.f_back  # type: ignore[assignment]
                if line is not None:
                    lines[line] = lines.get(line, 0) + 1

    for i in range(reruns + 1):  # the first change is cold (new rings): not sampled
        group = next(w for w in at.button_group if w.label == CONTROL_LABEL)
        value, key = group.value, OPTION.lower()
        if isinstance(value, list | tuple):
            group.set_value([v for v in value if v != key] if key in value else [*value, key])
        else:
            group.set_value(key if value != key else "nominal")  # a single-select control
        sampler = threading.Thread(target=sample, daemon=True)
        if i:
            sampler.start()
        t0 = time.perf_counter()
        at.run()
        if i:
            times.append(time.perf_counter() - t0)
            stop.set()
            sampler.join()
            stop.clear()
        if at.exception:
            raise RuntimeError(f"app.py raised: {at.exception[0].value}")
    total = sum(lines.values()) or 1
    top = sorted(lines.items(), key=lambda kv: -kv[1])[:5]
    return {
        "seconds": statistics.median(times),
        "map_chars": sum(len(m.proto.json_args) for m in at.get("component_instance")),
        "lines": [(n, linecache.getline(app, n).strip()[:70], k / total) for n, k in top],
    }


# --- figures -------------------------------------------------------------------------------


def _stat(xs: list[float]) -> dict[str, float]:
    if not xs:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan"), "n": 0}
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def _spread(s: dict[str, float]) -> str:
    if not s["n"]:
        return "n/a"
    if s["n"] == 1:
        return f"{C.fmt_s(s['median'] / 1000)} (n=1)"
    return (f"{C.fmt_s(s['median'] / 1000)} ({C.fmt_s(s['min'] / 1000)}-"
            f"{C.fmt_s(s['max'] / 1000)}, n={s['n']})")  # fmt: skip


def _median(samples: list[dict[str, Any]], key: str) -> float:
    xs = [s[key] for s in samples if s.get(key) is not None]
    return statistics.median(xs) if xs else float("nan")


def _ms(x: float | None) -> str:
    return "n/a" if x is None or x != x else C.fmt_s(x / 1000)


def _bytes(n: float, unit: str = "B") -> str:
    """A size in k or M (of bytes or characters)."""
    if n != n:
        return "n/a"
    return f"{n / 1e6:,.2f} M{unit}" if n >= 1e6 else f"{n / 1e3:,.1f} k{unit}"


def _timeline(samples: list[dict[str, Any]]) -> str:
    """Median milestones after the click or the navigation (page clock)."""
    parts = [("request sent", "request_ms"), ("script running", "running_ms"),
             ("first message", "first_message_ms"), ("new map iframe", "iframe_ms"),
             ("map args in iframe", "render_ms"), ("first ring path", "ring_ms"),
             ("last message", "last_message_ms"), ("script done", "not_running_ms")]  # fmt: skip
    at = [(_median(samples, key), label) for label, key in parts]
    shown = sorted((t, label) for t, label in at if t == t)
    return "; ".join(f"{label} {_ms(t)}" for t, label in shown) + (
        f"; painted {_ms(_median(samples, 'ms'))}"
    )


def run(quick: bool = False) -> dict[str, Any]:
    """Serve both pages, drive Chromium, return the figures (see the module docstring)."""
    if not Path(CHROMIUM).exists():
        return C.unavailable("browser", WHAT, f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        return C.unavailable("browser", WHAT, f"import failed: {exc}")
    from rangemap.catalogue import load_catalogue

    rounds, clicks = (1, 1) if quick else (5, 2)
    ids = list(load_catalogue().dropna(subset=["range_km"])["id"])
    full_ids = ids[:6] if quick else ids
    kinds = ("app", "full", "floor")
    got: dict[str, dict[str, list[dict[str, Any]]]] = {
        k: {"first": [], "click": [], "blocked": []} for k in kinds
    }
    cold: dict[str, float] = {}
    failed: list[str] = []
    t_start = time.perf_counter()
    with _floor_script() as floor_script, C.served(C.ROOT / "app.py") as app_url, \
            C.served(floor_script) as floor_url, sync_playwright() as pw:  # fmt: skip
        urls = {"app": app_url, "floor": floor_url,
                "full": f"{app_url}/?{urlencode([('systems', i) for i in full_ids])}"}  # fmt: skip
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Round 0: the cold visits, apart (--quick takes them from round 1).
        for r in range(1 if quick else 0, rounds + 1):
            order = kinds[r % 3 :] + kinds[: r % 3]
            for kind in order:
                if r == 0 and kind == "full":
                    continue  # the app's server is warmed by its default visit
                box: dict[str, list[dict[str, Any]]] = {"first": [], "click": [], "blocked": []}
                try:
                    _session(browser, urls[kind], 0 if r == 0 else clicks, box)
                except Error as exc:  # one lost session must not lose the whole run
                    failed.append(f"round {r}, {kind}: {str(exc).splitlines()[0]}")
                    print(f"  {failed[-1]}", file=sys.stderr)
                    continue
                cold.setdefault(kind, box["first"][0]["ms"])
                if r == 0:
                    continue
                for key, values in box.items():
                    got[kind][key].extend(values)
                print(f"  round {r} {kind}: first {box['first'][0]['ms']:,.0f} ms, clicks "
                      f"{[round(c['ms']) for c in box['click']]} ms", file=sys.stderr)  # fmt: skip
        t_measured = time.perf_counter() - t_start
        traced: dict[str, Any] = {}
        for kind in ("app", "floor") if quick else kinds:
            try:
                traced[kind] = _traced(browser, urls[kind])
            except Error as exc:
                failed.append(f"traced, {kind}: {str(exc).splitlines()[0]}")
        browser.close()
    server = _server_profile(1 if quick else 4)
    fig = _figures(got, cold, traced, server, full_ids, rounds, clicks, t_measured)
    fig["failed_sessions"] = failed
    fig["notes"] += [f"FAILED session (left out): {f}" for f in failed]
    return fig


def _figures(got: dict[str, Any], cold: dict[str, float], traced: dict[str, Any],
             server: dict[str, Any], full_ids: list[str], rounds: int, clicks: int,
             t_measured: float) -> dict[str, Any]:  # fmt: skip
    first = {k: _stat([s["ms"] for s in got[k]["first"]]) for k in got}
    click = {k: _stat([s["ms"] for s in got[k]["click"]]) for k in got}

    def ratio(d: dict[str, dict[str, float]], k: str) -> float:
        return d[k]["median"] / d["floor"]["median"]

    def x(v: float) -> str:
        return "n/a" if v != v else f"{C.fmt_num(v)}x the floor"

    rings = {k: int(_median(got[k]["first"], "rings")) if got[k]["first"] else 0 for k in got}
    rows = [
        C.row("first painted map, default selection (page navigation -> painted)",
              _spread(first["app"]), _spread(first["floor"]), x(ratio(first, "app"))),
        C.row(f"first painted map, full catalogue ({len(full_ids)} systems)",
              _spread(first["full"]), _spread(first["floor"]), x(ratio(first, "full"))),
        C.row("first painted map, cold server (first visit after start)",
              _ms(cold.get("app")), _ms(cold.get("floor")),
              x(cold.get("app", float("nan")) / cold.get("floor", float("nan")))),
        C.row(f"click -> painted map ({CONTROL_LABEL}: {OPTION}), default selection",
              _spread(click["app"]), _spread(click["floor"]), x(ratio(click, "app"))),
        C.row(f"click -> painted map ({CONTROL_LABEL}: {OPTION}), full catalogue",
              _spread(click["full"]), _spread(click["floor"]), x(ratio(click, "full"))),
        C.row("ring paths drawn (default / full catalogue / floor)",
              f"{rings['app']:,} / {rings['full']:,}", f"{rings['floor']:,}"),
    ]  # fmt: skip
    for kind, label in (("app", "default selection"), ("floor", "floor")):
        rows.append(C.row(f"first map timeline, {label} (medians)", _timeline(got[kind]["first"])))
    for kind, label in (("app", "default selection"), ("full", "full catalogue"),
                        ("floor", "floor")):  # fmt: skip
        s = got[kind]["click"]
        rows.append(C.row(f"rerun timeline after the click, {label} (medians)", _timeline(s)))
        rows.append(C.row(
            f"rerun: WebSocket bytes received; map handed to the iframe; long tasks, {label}",
            f"{_bytes(_median(s, 'bytes'))}; {_bytes(_median(s, 'map_chars'), 'chars')}; "
            f"{_median(s, 'longtasks'):,.0f} tasks, {_ms(_median(s, 'longtask_ms'))} in all, "
            f"longest {_ms(_median(s, 'longest_task_ms'))}"))  # fmt: skip
    for kind, label in (("app", "default selection"), ("full", "full catalogue"),
                        ("floor", "floor")):  # fmt: skip
        rows.extend(_traced_rows(traced.get(kind, {}), label))
    rows += [
        C.row("server alone (AppTest in this process), same change, default selection: "
              "median; map args", f"{C.fmt_s(server['seconds'])}; "
              f"{_bytes(server['map_chars'], 'chars')}"),
        C.row("server alone: where the rerun goes (app.py line, share of samples)",
              "; ".join(f"L{n} `{text}` {share:.0%}" for n, text, share in server["lines"])),
    ]  # fmt: skip
    targets = [
        C.target("first painted map (default selection) within 1.5x the floor",
                 f"{_spread(first['app'])} vs {_spread(first['floor'])}: "
                 f"{x(ratio(first, 'app'))}", ratio(first, "app") <= 1.5),
        C.target("click -> painted map, default selection, within 1.5x the floor",
                 f"{_spread(click['app'])} vs {_spread(click['floor'])}: "
                 f"{x(ratio(click, 'app'))}", ratio(click, "app") <= 1.5),
        C.target("click -> painted map, full catalogue, within 3x the floor",
                 f"{_spread(click['full'])} vs {_spread(click['floor'])}: "
                 f"{x(ratio(click, 'full'))}", ratio(click, "full") <= 3.0),
    ]  # fmt: skip
    blocked = sorted({u for k in got for u in got[k]["blocked"]})
    notes = [
        f"{rounds} rounds, each a fresh session of the app (default), the app (full "
        f"catalogue, ?systems=...) and the floor, in turning order; {clicks} clicks per "
        f"session; the cold visits ran first, apart; measured in {t_measured:,.0f} s, then "
        "one traced session of each",
        "medians (min-max); a click -> painted time counts from the page's click event; the "
        "first toggle of its kind recomputes rings on the server, later ones hit its cache",
        f"selectors: {MAP_FRAME} {RING}; [data-testid=stApp][data-test-script-state]; "
        f"[data-testid=stStatusWidgetRunningIcon]; [aria-label='{CONTROL_LABEL}'] "
        f"button|[role=radio] named '{OPTION}'; URL ?systems=ID",
        "requests off localhost blocked: " + (", ".join(blocked[:5]) if blocked else "none"),
    ]  # fmt: skip
    return {
        "benchmark": "browser",
        "available": True,
        "work": (f"app.py and benchmarks/floor_app.py served locally, Chromium (Playwright), "
                 f"{rounds} x (first map + {clicks} clicks) per page"),  # fmt: skip
        "first_map_ms": first, "click_ms": click, "cold_first_map_ms": cold,
        "first_ratio": ratio(first, "app"), "click_ratio": ratio(click, "app"),
        "full_click_ratio": ratio(click, "full"), "rings_drawn": rings,
        "samples": got, "traced": traced, "server": server, "full_systems": len(full_ids),
        "rows": rows, "targets": targets, "notes": notes,
    }  # fmt: skip


def _traced_rows(t: dict[str, Any], label: str) -> list[dict[str, str]]:
    th, pay = t.get("threads") or {}, t.get("payload") or {}
    rows = []
    if "net_last_ms" in t:
        rows.append(C.row(
            f"traced rerun, {label}: request -> server's last message (network clock)",
            f"{_ms(t['net_last_ms'] - (t.get('request_ms') or 0))} of {_ms(t['ms'])} "
            f"(first message {_ms(t['net_first_ms'])}; {_bytes(t['net_bytes'])})"))  # fmt: skip
    if th:
        kinds = sorted((k for k in (*_BUCKETS, "other") if th.get(k)), key=lambda k: -th[k])
        code = sorted(th["scripts"].items(), key=lambda kv: -kv[1])[:6]
        rows += [
            C.row(f"traced rerun, {label}: renderer main thread busy, by kind; raster",
                  f"{_ms(th['busy'])} of {_ms(th['window'])}: "
                  + ", ".join(f"{k} {_ms(th[k])}" for k in kinds)
                  + f"; raster on worker threads {_ms(th['raster'])}"),
            C.row(f"traced rerun, {label}: scripting by code (top 6)",
                  ", ".join(f"{k} {_ms(v)}" for k, v in code)),
        ]  # fmt: skip
    if "repaint_ms" in t:
        rows.append(C.row(
            f"traced, {label}: script runs started by the page within 4 s after the map "
            "painted; one repaint of the map (iframe opacity 0.5, then 1, as a stale fade)",
            f"{t['trailing_runs']}; " + " / ".join(_ms(x) for x in t["repaint_ms"])))  # fmt: skip
    if pay.get("vertices"):
        v = pay["vertices"]
        rows.append(C.row(
            f"traced rerun, {label}: map args (chars) and GeoJSON vertices by layer",
            f"script {pay['script']:,}, header {pay['header']:,}; " + ", ".join(
                f"{k} {n:,} ({_bytes(pay['layer_chars'][k], 'chars')})"
                for k, n in sorted(v.items(), key=lambda kv: -kv[1]))
            + f"; ring path segments drawn {pay['drawn_segments']:,}"))  # fmt: skip
    return rows


if __name__ == "__main__":
    C.main(run, __doc__)
