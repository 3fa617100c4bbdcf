"""The import graph of the project's own modules: layers, no cycles.

DESIGN.md orders the code in layers; a module imports only from its own layer
or below, no two modules import each other (directly or round a loop), and no
project module is imported inside a function to dodge a cycle. The graph is
read from the source with `ast`, so imports inside functions and under
`TYPE_CHECKING` count like any other.

`integrations` and `mapping` interleave by design: mapping sits above the
integrations core and below the pipeline, both in `integrations/`. Every other
grouping has no cycle: modules, and the packages inside each app.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "portal",
    "accounts",
    "integrations",
    "mapping",
    "reconciliation",
    "api",
    "b2b",
    "console",
    "monitoring",
    "onboarding",
    "catalog_sync",
    "customer_sync",
)
# sandbox/ stands in for Stripe and the ERPs and drives the demo: it sits on
# top and is only checked for cycles.
CYCLE_ONLY_PACKAGES = ("sandbox",)

# Longest prefix wins. From the bottom: 0 portal, 1 integrations core,
# 2 mapping, 3 pipeline, 4 edges, 5 reconciliation (and the portals).
LAYERS = {
    "portal": 0,
    "portal.admin": 4,
    "portal.admin_views": 4,
    "portal.urls": 5,
    "portal.wsgi": 5,
    "portal.asgi": 5,
    "integrations": 1,
    "integrations.intake": 3,
    "integrations.workflows": 3,
    "integrations.ledger": 3,
    "integrations.events": 3,
    "integrations.admin": 4,
    "integrations.views": 4,
    "integrations.urls": 4,
    "integrations.tasks": 4,
    "integrations.management": 4,
    "mapping": 2,
    "mapping.admin": 4,
    "accounts": 4,
    "reconciliation": 5,
    # The API is an edge; its payouts and backfill module and task sit with
    # reconciliation, whose services they call, and so does the URL conf.
    "api": 4,
    "api.reconciliation": 5,
    "api.tasks": 5,
    "api.urls": 5,
    "b2b": 5,
    # ERP catalog → Stripe sits with the pipeline, so workflows can read its
    # links (a Stripe price's stock code); its admin and task are edges.
    "catalog_sync": 3,
    "catalog_sync.admin": 4,
    "catalog_sync.tasks": 4,
    # ERP customers → Stripe sits with the pipeline too: the Stripe → ERP
    # customer workflow asks it which fields it may write.
    "customer_sync": 3,
    "customer_sync.admin": 4,
    "customer_sync.tasks": 4,
    # Alerts delivery, rules, health and metrics read every app below them.
    "monitoring": 5,
    # The finance console reads the ledger and the payouts: a portal on top.
    "console": 5,
    # The guided setup runs the backfill's dry run: with reconciliation.
    "onboarding": 5,
    "sandbox": 6,
}
LAYER_NAMES = {
    0: "portal",
    1: "integrations core",
    2: "mapping",
    3: "pipeline",
    4: "edges",
    5: "reconciliation",
    6: "sandbox",
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: str  # name of the enclosing function, "" at module level


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES + CYCLE_ONLY_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _project_module(name: str, modules: dict[str, Path]) -> str:
    """The project module `name` lives in ("" for outside the project)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


class _ImportCollector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.function = ""
        self.found: list[tuple[str, int, str]] = []

    def _visit_function(self, node: ast.AST) -> None:
        outer, self.function = self.function, self.function or node.name
        self.generic_visit(node)
        self.function = outer

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self.function))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            anchor = self.package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        # `from package import name` imports a submodule when `name` is one.
        for alias in node.names:
            self.found.append((f"{base}.{alias.name}", node.lineno, self.function))


def _imports() -> list[Import]:
    modules = _modules()
    found = []
    for module, path in modules.items():
        collector = _ImportCollector(module, path.name == "__init__.py")
        collector.visit(ast.parse(path.read_text(), str(path)))
        for name, line, function in collector.found:
            target = _project_module(name, modules)
            if target and target != module:
                found.append(Import(module, target, line, function))
    # `from x import a, b` reads as one import per name: report each once.
    return sorted(set(found), key=lambda i: (i.importer, i.line, i.imported))


def _layer(module: str) -> int:
    name = module
    while name not in LAYERS:
        name = name.rpartition(".")[0]
    return LAYERS[name]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def test_no_import_cycle_between_project_modules():
    edges = defaultdict(set)
    for found in _imports():
        edges[found.importer].add(found.imported)
    cycles = _cycles(edges)
    assert not cycles, "import cycles:\n" + "\n".join(map(" -> ".join, cycles))


def test_no_import_cycle_between_subpackages():
    # Each package inside an app taken as one node (integrations.ledger,
    # integrations.erps, …): two packages must not lean on each other either.
    def node(module: str) -> str:
        return ".".join(module.split(".")[:2])

    edges = defaultdict(set)
    for found in _imports():
        if node(found.importer) != node(found.imported):
            edges[node(found.importer)].add(node(found.imported))
    cycles = _cycles(edges)
    assert not cycles, "import cycles:\n" + "\n".join(map(" -> ".join, cycles))


def test_no_module_imports_from_a_layer_above_it():
    upward = [
        f"{found.importer}:{found.line} ({LAYER_NAMES[_layer(found.importer)]}) "
        f"imports {found.imported} ({LAYER_NAMES[_layer(found.imported)]})"
        for found in _imports()
        if _layer(found.imported) > _layer(found.importer)
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_project_modules_are_imported_at_module_level():
    # AppConfig.ready() is where Django wants app start-up imports (checks,
    # signal receivers): it is not a way round a cycle.
    inside = [
        f"{found.importer}:{found.line} imports {found.imported} in {found.in_function}"
        for found in _imports()
        if found.in_function and found.in_function != "ready"
    ]
    assert not inside, "imports inside functions:\n" + "\n".join(inside)


def test_the_checks_see_a_cycle_and_an_upward_import():
    # given: a made-up graph with a loop, and the layer of two real modules
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    # then
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _layer("integrations.ledger.running") > _layer("mapping.services")
    assert _layer("mapping.admin") > _layer("integrations.ledger")
