"""The "INF-range missiles by state" figure and table (the seed paper's Figure 1-1).

Rows are states in three groups (the NPT's nuclear-weapon states; the states with nuclear
weapons outside the NPT; proliferation-concern states) and a fourth for every other state
the catalogue lists, so that nothing is hidden. Columns are statuses as of a date: in
development, tested, deployed, retired or eliminated. A cell names the systems whose
nominal range is 500-5,500 km (the INF Treaty's span), whatever their basing; a dagger
marks those that are not ground-launched, a double dagger those whose INF class is
disputed.

A system's status on a past date comes from its dated milestones (``first_tested``,
``first_deployed``, ``retired``): the latest one reached that year. On or after the date
the catalogue was read (``accessed``), the catalogue's ``status`` is used. A system with
no milestone reached by a past date is left out, and the footnote counts them.

Public names
------------
STATE_GROUPS, STATUS_COLUMNS
    The row groups (with their ISO3 codes) and the status columns.
status_on
    One system's status on a day, or None.
by_state_table
    The table: one row per state with systems listed per status.
by_state_figure
    The figure, in English or Japanese, with sources and quality flags in its footnote.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from rangemap._figtext import TEXT, Lang, rc_params, short_names, url_host
from rangemap.catalogue import load_catalogue
from rangemap.deployments import parse_as_of
from rangemap.treaty import GROUND_BASINGS, INF_MAX_KM, INF_MIN_KM

__all__ = ["STATE_GROUPS", "STATUS_COLUMNS", "by_state_figure", "by_state_table", "status_on"]

#: Row groups, in order, with the states each holds (``SUN``, the Soviet Union, sits with
#: Russia among the nuclear-weapon states). Other states fall in ``other``.
STATE_GROUPS: dict[str, tuple[str, ...]] = {
    "nws": ("USA", "RUS", "SUN", "GBR", "FRA", "CHN"),
    "non-npt": ("IND", "PAK", "ISR", "PRK"),
    "concern": ("IRN", "SYR"),
    "other": (),
}
STATUS_COLUMNS = ("development", "tested", "deployed", "retired")

_WORDS: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "title": "INF-range missiles by state",
        "subtitle": "Systems with a nominal range of 500–5,500 km, by status as of {date}",
        "nws": "Nuclear-weapon states (NPT)",
        "non-npt": "Nuclear-armed states outside the NPT",
        "concern": "Proliferation-concern states",
        "other": "Other states",
        "state": "State",
        "development": "In development",
        "tested": "Tested",
        "deployed": "Deployed",
        "retired": "Retired / eliminated",
        "marks": "† not ground-launched (outside the INF Treaty's definition); ‡ INF class "
        "disputed (published figures on both sides of 500 or 5,500 km); (q) a figure without "
        "an official, think-tank, academic or wire source (quality flag in the sources).",
        "rule": "Status on a past date from dated milestones (first test, first deployment, "
        "retirement); on or after the catalogue's access date, its current status.",
        "left_out": "{n} system(s) with no dated milestone by then are left out.",
        "sources": "Sources (publishers; full URLs in data/sources.csv)",
    },
    Lang.JA: {
        "title": "国別のINF射程ミサイル",
        "subtitle": "公称射程500〜5,500 kmの兵器（{date}時点の状況別）",
        "nws": "核兵器国（NPT）",
        "non-npt": "NPT外の核保有国",
        "concern": "拡散懸念国",
        "other": "その他の国",
        "state": "国",
        "development": "開発中",
        "tested": "発射試験済み",
        "deployed": "配備済み",
        "retired": "退役・廃棄",
        "marks": "†地上発射ではない（INF条約の定義外）；‡INF級か争いあり（500 kmまたは5,500 km"
        "の両側に公表値）；(q) 公的機関・シンクタンク・学術・通信社の出典がない数値（出典欄に"
        "信頼度を記載）。",
        "rule": "過去の時点の状況は日付のある節目（初の発射試験・初配備・退役）から、"
        "データ参照日以降は現在の状況による。",
        "left_out": "その時点で日付のある節目がない{n}件は除外。",
        "sources": "出典（発行元。完全なURLは data/sources.csv）",
    },
}

_NAMES: dict[Lang, dict[str, str]] = {
    Lang.EN: {
        "USA": "United States", "RUS": "Russia", "SUN": "Soviet Union", "GBR": "United Kingdom",
        "FRA": "France", "CHN": "China", "IND": "India", "PAK": "Pakistan", "ISR": "Israel",
        "PRK": "North Korea", "IRN": "Iran", "SYR": "Syria", "KOR": "South Korea",
        "JPN": "Japan", "TWN": "Taiwan", "SAU": "Saudi Arabia", "UKR": "Ukraine",
        "FRG": "West Germany", "DEU": "Germany",
    },
    Lang.JA: {
        "USA": "米国", "RUS": "ロシア", "SUN": "ソ連", "GBR": "英国", "FRA": "フランス",
        "CHN": "中国", "IND": "インド", "PAK": "パキスタン", "ISR": "イスラエル",
        "PRK": "北朝鮮", "IRN": "イラン", "SYR": "シリア", "KOR": "韓国", "JPN": "日本",
        "TWN": "台湾", "SAU": "サウジアラビア", "UKR": "ウクライナ", "FRG": "西ドイツ",
        "DEU": "ドイツ",
    },
}  # fmt: skip


def _year(value: Any) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def status_on(system: pd.Series, day: dt.date) -> str | None:
    """Return a system's status on ``day`` (see the module's rule), or None if unknown then.

    Examples
    --------
    >>> row = pd.Series({"first_tested": 1981, "first_deployed": 1983, "retired": 1991,
    ...                  "status": "retired", "accessed": "2026-12-01"})
    >>> [status_on(row, dt.date(y, 6, 1)) for y in (1980, 1982, 1987, 1991)]
    [None, 'tested', 'deployed', 'retired']
    """
    accessed = str(system.get("accessed", "") or "")
    if accessed and day >= parse_as_of(accessed):
        return str(system["status"]) or None
    year = day.year
    for column, status in (("retired", "retired"), ("first_deployed", "deployed"),
                           ("first_tested", "tested")):  # fmt: skip
        value = _year(system.get(column))
        if not math.isnan(value) and value <= year:
            return status
    return None


def _group_of(country: str) -> str:
    return next((g for g, members in STATE_GROUPS.items() if country in members), "other")


def by_state_table(
    catalogue: pd.DataFrame | None = None,
    *,
    as_of: str | dt.date | None = None,
    lang: str | Lang = Lang.EN,
) -> pd.DataFrame:
    """One row per state: the INF-range systems it has in each status on a day.

    Parameters
    ----------
    catalogue : pandas.DataFrame, optional
        Defaults to the shipped catalogue.
    as_of : str or datetime.date, optional
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; default today.
    lang : {"en", "ja"}
        Language of the group and state names.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, state, iso3`` and one per :data:`STATUS_COLUMNS` (short names
        joined by ", ", with † ‡ (q) marks), ordered by group then state; ``attrs``
        holds ``left_out`` (ids without a known status then) and ``systems`` (the ids
        listed).

    Examples
    --------
    >>> t = by_state_table(as_of="1987-12-08").set_index("iso3")
    >>> "Pershing II" in t.loc["USA", "deployed"], "RSD-10" in t.loc["SUN", "deployed"]
    (True, True)
    """
    language = Lang.parse(lang)
    words, names = _WORDS[language], _NAMES[language]
    cat = load_catalogue() if catalogue is None else catalogue
    day = parse_as_of(as_of) if as_of is not None else dt.date.today()
    span = cat.loc[cat["range_km"].between(INF_MIN_KM, INF_MAX_KM)]
    short = short_names(cat)
    cells: dict[str, dict[str, list[str]]] = {}
    left_out, listed = [], []
    for _, row in span.iterrows():
        status = status_on(row, day)
        if status is None:
            left_out.append(str(row["id"]))
            continue
        listed.append(str(row["id"]))
        mark = "" if GROUND_BASINGS & set(str(row["basing"]).split(";")) else "†"
        mark += "‡" if row.get("inf_class") == "disputed" else ""
        mark += " (q)" if str(row.get("quality", "") or "") else ""
        cells.setdefault(str(row["country"]), {}).setdefault(status, []).append(
            short[str(row["id"])] + mark
        )
    order = {g: i for i, g in enumerate(STATE_GROUPS)}
    rows = []
    for iso3, by_status in cells.items():
        group = _group_of(iso3)
        members = STATE_GROUPS[group]
        rows.append(
            {
                "group": words[group],
                "state": names.get(iso3, iso3),
                "iso3": iso3,
                **{s: ", ".join(by_status.get(s, [])) for s in STATUS_COLUMNS},
                "_g": order[group],
                "_s": members.index(iso3) if iso3 in members else len(members),
                "_n": names.get(iso3, iso3),
            }
        )
    out = pd.DataFrame(rows, columns=["group", "state", "iso3", *STATUS_COLUMNS, "_g", "_s", "_n"])
    out = out.sort_values(["_g", "_s", "_n"], kind="stable").drop(columns=["_g", "_s", "_n"])
    out = out.reset_index(drop=True)
    out.attrs["left_out"] = left_out
    out.attrs["systems"] = listed
    out.attrs["as_of"] = day.isoformat()
    return out


def _footnote(cat: pd.DataFrame, ids: list[str], lang: Lang, left_out: int) -> list[str]:
    """Return the footnote's paragraphs: marks, status rule, who is left out, sources."""
    words, flags = _WORDS[lang], TEXT[lang]
    info = cat.set_index("id")
    short = short_names(cat)
    entries = []
    for sid in ids:
        hosts = list(dict.fromkeys(url_host(u) for u in str(info.at[sid, "sources"]).split()))
        flag = str(info.at[sid, "quality"] or "") if "quality" in info else ""
        shown = f" [{flags['quality']}: {flags.get('q_' + flag, flag)}]" if flag else ""
        entries.append(f"{short[sid]}: {', '.join(hosts[:3]) or '—'}{shown}")
    parts = [words["marks"], words["rule"]]
    if left_out:
        parts.append(words["left_out"].format(n=left_out))
    parts.append(f"{words['sources']}: " + "; ".join(entries))
    return parts


def by_state_figure(
    *,
    as_of: str | dt.date | None = None,
    lang: str | Lang = Lang.EN,
    catalogue: pd.DataFrame | None = None,
    title: str | None = None,
) -> Figure:
    """Draw :func:`by_state_table` as a figure: a grid of states by status, with sources.

    Examples
    --------
    >>> fig = by_state_figure(as_of="2025-12-31", lang="ja")
    >>> fig.texts[0].get_text()
    '国別のINF射程ミサイル'
    """
    language = Lang.parse(lang)
    words = _WORDS[language]
    cat = load_catalogue() if catalogue is None else catalogue
    table = by_state_table(cat, as_of=as_of, lang=language)
    width_in = 10.0
    wrapped = [  # system names are Latin in both languages
        [textwrap.fill(str(v), 34) if v else "" for v in row]
        for row in table[["state", *STATUS_COLUMNS]].itertuples(index=False)
    ]
    heights = [max(1, *(cell.count("\n") + 1 for cell in row)) for row in wrapped]
    parts = _footnote(cat, list(table.attrs["systems"]), language, len(table.attrs["left_out"]))
    # Japanese prose takes about twice the width of Latin per character; the sources are Latin.
    prose = 150 if language is Lang.EN else 80
    body = "\n".join(
        [*(textwrap.fill(p, prose) for p in parts[:-1]), textwrap.fill(parts[-1], 150)]
    )
    note_lines = body.count("\n") + 1
    line_in = 0.16
    body_in = (sum(heights) + len(table) * 0.6 + 2) * line_in
    height_in = 1.2 + body_in + note_lines * 0.12 + 0.4
    with matplotlib.rc_context(rc_params(language)):
        fig = Figure(figsize=(width_in, height_in), dpi=100)
        # IPAexGothic has no bold face: Japanese headings stay regular.
        bold = "bold" if language is Lang.EN else "normal"
        fig.text(0.03, 1 - 0.35 / height_in, title or words["title"], fontsize=14, weight=bold)
        fig.text(0.03, 1 - 0.65 / height_in, words["subtitle"].format(date=table.attrs["as_of"]),
                 fontsize=9, color="#444444")  # fmt: skip
        columns = [0.03, 0.2, 0.4, 0.6, 0.8]
        y = 1 - 1.05 / height_in
        for x, key in zip(columns, ["state", *STATUS_COLUMNS], strict=True):
            fig.text(x, y, words[key], fontsize=8.5, weight=bold, va="top")
        y -= 0.3 / height_in
        group = None
        for (_, row), cells, h in zip(table.iterrows(), wrapped, heights, strict=True):
            if row["group"] != group:
                group = row["group"]
                fig.text(0.03, y, group, fontsize=8, style="italic", color="#555555", va="top")
                y -= line_in * 1.2 / height_in
            for x, text in zip(columns, cells, strict=True):
                fig.text(x, y, text, fontsize=7.5, va="top", linespacing=1.25)
            y -= (h * line_in + 0.08) / height_in
            fig.add_artist(matplotlib.lines.Line2D([0.03, 0.97], [y + 0.04 / height_in] * 2,
                                                   color="#DDDDDD", lw=0.5))  # fmt: skip
        fig.text(0.03, 0.2 / height_in, body, fontsize=6, va="bottom", color="#333333",
                 linespacing=1.3)  # fmt: skip
    return fig
