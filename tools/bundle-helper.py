#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Print the helper as one self-contained Python script, for `python3 -I -c SCRIPT ARGS…`.

The page runs the helper this way (as Cockpit's own pages do with their Python helpers), so the
package works on any host Cockpit reaches, installed or not. The script carries the sources of
the cockpit_gateways package and imports them from memory: the code that runs is exactly the
code in src/helper/cockpit_gateways, with no second copy to keep in step.  Only its comments are
left out (a twentieth of the download); every line keeps its number, so a traceback points at the
right line of the source.
"""
import io
import pathlib
import sys
import tokenize

BOOT = '''\
import importlib.abc, importlib.util, sys
SOURCES = %r
class _Loader(importlib.abc.Loader):
    def create_module(self, spec): return None
    def exec_module(self, module):
        name = module.__name__
        exec(compile(SOURCES[name], "<cockpit-gateways>/" + name.replace(".", "/") + ".py", "exec"), module.__dict__)
class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name not in SOURCES: return None
        return importlib.util.spec_from_loader(name, _Loader(), is_package=name == "cockpit_gateways")
sys.meta_path.insert(0, _Finder())
from cockpit_gateways.cli import main
sys.exit(main(sys.argv[1:]))
'''


def without_comments(source: str) -> str:
    """The source with each comment cut from its line (the line itself stays)."""
    lines = source.splitlines(keepends=True)
    for token in reversed(list(tokenize.generate_tokens(io.StringIO(source).readline))):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:col].rstrip() + line[token.end[1]:]
    return "".join(lines)


def bundle(package_dir: pathlib.Path) -> str:
    sources = {}
    for path in sorted(package_dir.glob("*.py")):
        name = "cockpit_gateways" if path.stem == "__init__" else f"cockpit_gateways.{path.stem}"
        sources[name] = without_comments(path.read_text())
    return BOOT % (sources,)


if __name__ == "__main__":
    sys.stdout.write(bundle(pathlib.Path(__file__).resolve().parent.parent / "src/helper/cockpit_gateways"))
