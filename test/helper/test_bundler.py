# SPDX-License-Identifier: LGPL-2.1-or-later
"""tools/bundle-helper.py leaves out comments only: every module of the bundle has the same syntax
tree and the same line numbers as its source (a traceback points at the right line)."""

import ast
import importlib.util
import pathlib
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _bundler():       # the tool's file name has a dash: load it by path
    spec = importlib.util.spec_from_file_location("bundle_helper", ROOT / "tools/bundle-helper.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Bundle(unittest.TestCase):
    def test_only_comments_go(self) -> None:
        strip = _bundler().without_comments
        for path in sorted((ROOT / "src/helper/cockpit_gateways").glob("*.py")):
            with self.subTest(module=path.name):
                source = path.read_text()
                bundled = strip(source)
                self.assertEqual(ast.dump(ast.parse(source), include_attributes=True),
                                 ast.dump(ast.parse(bundled), include_attributes=True))
                self.assertNotIn("# ", "".join(line for line in bundled.splitlines() if line.lstrip().startswith("#")))

    def test_strings_that_look_like_comments_stay(self) -> None:
        source = 'x = "# not a comment"  # a comment\ny = 1\n'
        self.assertEqual(_bundler().without_comments(source), 'x = "# not a comment"\ny = 1\n')


if __name__ == "__main__":
    unittest.main()
