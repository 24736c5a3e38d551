"""Count the imports made inside functions in the application code (docs/ARCHITECTURE.md).

    python scripts/imports_inside_functions.py [-v]

Imports inside functions that only dodge an import cycle hide the layers; the ones left
are listed, with their reasons, in docs/ARCHITECTURE.md. Run from the checkout's root.
"""

import ast
import sys
from pathlib import Path

APPS = ("portal", "courses", "badges", "leaderboards", "cms")


def imports_inside_functions() -> list[tuple[str, int, str]]:
    """``(file, line, module)`` for every import inside a function (migrations aside)."""
    found = set()
    for app in APPS:
        for path in Path(app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom):
                        module = "." * inner.level + (inner.module or "")
                    elif isinstance(inner, ast.Import):
                        module = inner.names[0].name
                    else:
                        continue
                    found.add((str(path), inner.lineno, module))
    return sorted(found)


if __name__ == "__main__":
    found = imports_inside_functions()
    ours = [row for row in found if row[2].startswith((".", *APPS))]
    print(f"{len(found)} imports inside functions; {len(ours)} of our own modules")
    if "-v" in sys.argv:
        for path, line, module in ours:
            print(f"{path}:{line} {module}")
