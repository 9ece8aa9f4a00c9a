"""The house rules of rangemap/ (issue 9), checked on the code itself.

- Imports point one way, down the floors of ``docs/architecture.md``; no import circle,
  not even through an import hidden inside a function.
- An import of a rangemap module inside a function says, in a comment just above it,
  which circle or heavy dependency it avoids.
- No sideways re-exports: every name in a module's ``__all__`` is defined there (only
  ``rangemap/__init__.py`` gathers names from other modules).
- No module over 700 lines; nothing under rangemap/ imports streamlit.
- ``rangemap systems`` starts without matplotlib, folium or GDAL.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import rangemap

PACKAGE = Path(rangemap.__file__).resolve().parent
ROOT = PACKAGE.parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")

#: The floors of the house, bottom first (docs/architecture.md draws them). A module may
#: import modules on its own floor or below, never above.
FLOORS = [
    ["errors"],
    [
        "_io",
        "_cells",
        "geodesy",
        "style",
        "geojson",
        "sources",
        "ballistics",
        "_clio",
        "grid",
        "cluster",
        "wording",
        "coords",
        "_sniff",
    ],
    [
        "polygons",
        "claims",
        "treaty",
        "catalogue",
        "inventory",
        "sites",
        "targets",
        "flight",
        "anyreach",
    ],
    ["regions", "rings", "flightgeo", "regionreach", "launch"],
    ["reach", "mapframe", "deployments", "threats", "population", "density", "sweep", "gainloss"],
    [
        "layers",
        "_leaflet",
        "_popups",
        "mapview",
        "_figtext",
        "_figmap",
        "_figareas",
        "_kmltext",
        "heatmap",
        "_mapgeom",
        "_mapfeatures",
        "tables",
    ],
    ["formats", "gridfiles", "figure", "bystate", "worker"],
    ["scenario"],
    ["report"],
    [
        "cli",
        "cli_flight",
        "cli_reverse",
        "cli_threats",
        "cli_reach",
        "cli_scale",
        "cli_report",
        "__main__",
    ],
]
FLOOR = {name: i for i, names in enumerate(FLOORS) for name in names}
HEAVY = ("matplotlib", "folium", "branca", "pyogrio", "fiona", "osgeo", "streamlit")


def _tree(module: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(n) for n in ast.walk(node)}
    return out


def _rangemap_imports(module: str) -> list[tuple[str, ast.AST, bool]]:
    """(imported rangemap module, node, inside a function) for every import that runs."""
    tree = _tree(module)
    skip = _type_checking_nodes(tree)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside |= {id(n) for n in ast.walk(node) if n is not node}
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "rangemap":
                names = [a.name for a in node.names if a.name in MODULES]
            elif node.module.startswith("rangemap."):
                names = [node.module.split(".")[1]]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".")[1] for a in node.names if a.name.startswith("rangemap.")]
        out += [(name, node, id(node) in inside) for name in names]
    return out


def test_every_module_has_a_floor():
    assert sorted(FLOOR) == MODULES, "place the new module on a floor here and in the docs"


def test_imports_point_down_the_floors():
    upward = [
        f"{module} (floor {FLOOR[module]}) imports {name} (floor {FLOOR[name]})"
        for module in MODULES
        for name, _, _ in _rangemap_imports(module)
        if FLOOR[name] > FLOOR[module]
    ]
    assert upward == []


def test_no_import_circle_even_through_functions():
    graph = {m: {n for n, _, _ in _rangemap_imports(m) if n != m} for m in MODULES}
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for m in MODULES:
        if m not in state:
            visit(m, [m])
    assert circles == []


def test_imports_inside_functions_say_why():
    silent = []
    for module in MODULES:
        lines = (PACKAGE / f"{module}.py").read_text(encoding="utf-8").splitlines()
        for name, node, in_function in _rangemap_imports(module):
            if not in_function:
                continue
            i = node.lineno - 2  # the line above, skipping the rest of an import block
            while i >= 0 and lines[i].strip().startswith(("from ", "import ")):
                i -= 1
            if i < 0 or not lines[i].strip().startswith("#"):
                silent.append(f"{module}.py:{node.lineno} imports {name} without a comment")
    assert silent == []


@pytest.mark.parametrize("module", MODULES)
def test_no_sideways_re_exports(module):
    tree = _tree(module)
    exported = next(
        (
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ),
        None,
    )
    assert exported is not None, f"{module} declares no __all__"
    defined: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {t.id for t in targets if isinstance(t, ast.Name)}
    assert sorted(set(exported) - defined) == [], f"{module} re-exports names it imports"
    assert ast.get_docstring(tree), f"{module} has no docstring"


@pytest.mark.parametrize("module", MODULES)
def test_modules_stay_under_700_lines_and_never_import_streamlit(module):
    text = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 700
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(_tree(module))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "streamlit" not in imported and "streamlit_folium" not in imported


def test_package_api_names_come_from_their_defining_module():
    assert sorted(rangemap.__all__) == sorted(["__version__", *rangemap._EXPORTS])
    for name, module in rangemap._EXPORTS.items():
        value = getattr(rangemap, name)
        assert value is getattr(importlib.import_module(f"rangemap.{module}"), name)
        assert getattr(value, "__module__", f"rangemap.{module}") == f"rangemap.{module}", name
    with pytest.raises(AttributeError, match="no attribute 'coverage'"):
        rangemap.coverage  # noqa: B018  (the old module name is gone)


def test_version_is_written_once():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in text and "rangemap.__version__" in text
    assert "\nversion =" not in text.split("[tool.setuptools.dynamic]")[0]
    from importlib.metadata import version

    assert version("rangemap") == rangemap.__version__


def test_rangemap_systems_loads_no_matplotlib_folium_or_gdal():
    code = (
        "import io, sys\n"
        "from rangemap.cli import main\n"
        "assert main(['systems', '--format', 'csv'], out=io.StringIO()) == 0\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "", f"loaded: {done.stdout.strip()}"


def test_the_report_commands_still_load_what_they_need():
    """The lazy parser still knows export's and figure's options (a real check, not a stub)."""
    code = (
        "import sys\n"
        "from rangemap.cli import build_parser\n"
        "p = build_parser('figure')\n"
        "a = p.parse_args(['figure', '--system', 'df-26', '--site', 'guam', '-o', 'x.svg',"
        " '--lang', 'ja'])\n"
        "print(a.lang, 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["ja", "True"]


def test_the_architecture_page_names_every_module_and_floor():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m in MODULES if f"| `{m}`" not in text and f"`{m}`" not in text]
    assert missing == []
    for floor, names in enumerate(FLOORS):
        line = next(ln for ln in text.splitlines() if ln.startswith(f" floor {floor} "))
        assert all(name in line for name in names), (floor, line)


def _reduced_graph() -> dict[str, set[str]]:
    """The import graph with every arrow implied by a longer path left out."""
    graph = {m: {n for n, _, _ in _rangemap_imports(m) if n != m} for m in MODULES}

    def below(m: str) -> set[str]:
        out = set(graph[m])
        for n in graph[m]:
            out |= below(n)
        return out

    return {
        m: {n for n in ns if not any(n in below(o) for o in ns - {n})} for m, ns in graph.items()
    }


def test_the_architecture_graph_is_the_code_graph():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("```mermaid", 1)[1].split("```", 1)[0]
    drawn: dict[str, set[str]] = {m: set() for m in MODULES}
    for line in block.splitlines():
        if "-->" in line:
            left, right = (side.strip() for side in line.split("-->"))
            drawn[left] |= {name.strip() for name in right.split("&")}
    assert drawn == _reduced_graph()
