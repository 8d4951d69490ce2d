# SPDX-License-Identifier: LGPL-2.1-or-later
"""The helper package's shape: imports point one way (no cycle, also none hidden in a function),
and no module reaches into another module's private names (`kernel._x`, `from .kernel import _x`).
Read from the sources with `ast`, so an import inside a function counts like one at the top."""

from __future__ import annotations

import ast
import os
import re
import unittest

PACKAGE = os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper", "cockpit_gateways")


def sources() -> dict[str, str]:
    out = {}
    for name in sorted(os.listdir(PACKAGE)):
        if name.endswith(".py"):
            with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
                out[name[:-3]] = f.read()
    return out


def imported(tree: ast.AST, modules: set[str]) -> dict[str, str]:
    """{local name or module: package module} for every import of a package module, anywhere in
    the file: `from . import kernel as k` binds k to kernel, `from .kernel import X` names kernel."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 0:
                if not base.startswith("cockpit_gateways"):
                    continue
                base = base.removeprefix("cockpit_gateways").lstrip(".")
            if base:
                out.setdefault(base, base)
            else:
                for alias in node.names:
                    if alias.name in modules:
                        out[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("cockpit_gateways."):
                    name = alias.name.split(".")[1]
                    out[alias.asname or name] = name
    return out


def graph(files: dict[str, str]) -> dict[str, set[str]]:
    modules = set(files)
    return {name: {m for m in imported(ast.parse(text, name), modules).values() if m != "__init__"} - {name}
            for name, text in files.items()}


def find_cycle(deps: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None."""
    state: dict[str, int] = {}          # 1 on the current path, 2 done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for dep in sorted(deps.get(name, ())):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return None

    for name in sorted(deps):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def private_uses(files: dict[str, str]) -> list[str]:
    """`module._name` and `from .module import _name` across modules, as 'file:line: text'."""
    modules = set(files)
    out = []
    for name, text in files.items():
        tree = ast.parse(text, name)
        bound = imported(tree, modules)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in bound and bound[node.value.id] in modules \
                    and node.attr.startswith("_") and not node.attr.startswith("__"):
                out.append(f"{name}.py:{node.lineno}: {node.value.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module and (node.level or "cockpit_gateways" in node.module):
                out += [f"{name}.py:{node.lineno}: from {node.module} import {a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")]
    return sorted(out, key=lambda use: (use.split(":")[0], int(use.split(":")[1])))


class TheChecksThemselves(unittest.TestCase):
    """The checks find what they are for, in small made-up packages."""

    def test_a_cycle_hidden_in_a_function_is_found(self) -> None:
        files = {"engine": "from .model import X\ndef f():\n    from .fixes import g\n",
                 "fixes": "from .engine import Result\n", "model": "X = 1\n"}
        self.assertEqual(graph(files), {"engine": {"model", "fixes"}, "fixes": {"engine"}, "model": set()})
        self.assertEqual(find_cycle(graph(files)), ["engine", "fixes", "engine"])

    def test_every_import_form_is_an_edge(self) -> None:
        files = {"a": "from . import b as bee, c\nimport cockpit_gateways.d\nfrom cockpit_gateways.e import f\n",
                 "b": "", "c": "", "d": "", "e": "import os\nfrom typing import Any\n"}
        self.assertEqual(graph(files)["a"], {"b", "c", "d", "e"})
        self.assertEqual(graph(files)["e"], set())
        self.assertIsNone(find_cycle(graph(files)))
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}), ["a", "b", "c", "a"])

    def test_private_names_across_modules_are_found(self) -> None:
        files = {"inspect": "from . import kernel as k\nk._parse_json(1)\nk.parse(2)\nfrom .kernel import _x, y\n",
                 "kernel": "def _parse_json(): pass\n_parse_json()\nclass A:\n    def __init__(self): self._a = 1\n"}
        self.assertEqual(private_uses(files), ["inspect.py:2: k._parse_json", "inspect.py:4: from kernel import _x"])


class ThePackage(unittest.TestCase):
    def test_no_import_cycle(self) -> None:
        deps = graph(sources())
        self.assertGreater(len(deps), 20)
        self.assertIn("kernel", deps["engine"])
        cycle = find_cycle(deps)
        self.assertIsNone(cycle, f"import cycle: {' -> '.join(cycle or [])}")

    def test_no_private_names_across_modules(self) -> None:
        self.assertEqual(private_uses(sources()), [])

    def test_the_package_docstring_lists_every_module_in_import_order(self) -> None:
        """__init__.py names each module once, each after every module it imports: the layers a
        reader sees are the ones the code has."""
        files = sources()
        deps = graph(files)
        order = [m.group(1) for m in re.finditer(r"^  (\w+) ", files["__init__"], re.M)]
        self.assertEqual(sorted(order), sorted(set(files) - {"__init__"}))
        for i, name in enumerate(order):
            with self.subTest(module=name):
                self.assertEqual(sorted(deps[name] - set(order[:i])), [], f"{name} imports a module listed after it")


if __name__ == "__main__":
    unittest.main()
