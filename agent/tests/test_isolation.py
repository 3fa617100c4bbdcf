"""The agent is installed on its own: it imports nothing of the portal."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ledgerbridge_agent"
PORTAL = {"portal", "integrations", "mapping", "reconciliation", "api", "accounts"}
PORTAL |= {"sandbox", "console", "b2b", "bench", "django", "rest_framework"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            roots.add((node.module or "").split(".")[0])
    return roots


def test_no_module_of_the_agent_imports_the_portal_or_django():
    found = {path.name: imported_roots(path) & PORTAL for path in PACKAGE.glob("*.py")}
    assert {name: roots for name, roots in found.items() if roots} == {}


def test_the_agent_runs_from_its_own_folder_without_the_portal_on_the_path():
    # -I: isolated mode, the portal's checkout is not on sys.path.
    script = (
        "import sys, ledgerbridge_agent.cli, ledgerbridge_agent.app;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(PORTAL)!r}];"
        "print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, '.'); {script}"],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
