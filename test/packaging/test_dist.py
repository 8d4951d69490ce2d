# SPDX-License-Identifier: LGPL-2.1-or-later
"""`make dist`: the tracked sources plus the built dist/ in a tarball that is the same to the
byte when built again (sorted names, the last commit's mtime, owner 0/0, gzip without a time
stamp), and from which `make install` works without Node.js or git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time

from test.packaging.common import PYTHON, TOP, PackagingTestCase, make


def version() -> str:
    with open(os.path.join(TOP, "package.json")) as f:
        return str(json.load(f)["version"])


class Dist(PackagingTestCase):
    def build(self) -> bytes:
        make("dist")
        with open(os.path.join(TOP, f"cockpit-gateways-{version()}.tar.gz"), "rb") as f:
            return f.read()

    def test_reproducible_and_complete(self) -> None:
        first = self.build()
        time.sleep(1.1)
        self.assertEqual(self.build(), first, "make dist twice gave different bytes")
        self.assertEqual(first[4:8], b"\0\0\0\0", "gzip header carries a time stamp")

        top = f"cockpit-gateways-{version()}"
        epoch = int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=TOP, capture_output=True,
                                   text=True, check=True).stdout)
        tarball = os.path.join(TOP, f"{top}.tar.gz")
        with tarfile.open(tarball) as tar:
            members = tar.getmembers()
        names = [m.name for m in members]
        self.assertEqual(names, sorted(names))
        for m in members:
            self.assertTrue(m.name.startswith(top + "/"), m.name)
            self.assertEqual((m.uid, m.gid, m.mtime), (0, 0, epoch), m.name)
        inside = {n[len(top) + 1:] for n in names}
        tracked = subprocess.run(["git", "ls-files"], cwd=TOP, capture_output=True, text=True,
                                 check=True).stdout.split("\n")
        self.assertLessEqual({t for t in tracked if t and os.path.isfile(os.path.join(TOP, t))}, inside)
        for needed in ("dist/manifest.json", "dist/index.js", "Makefile", "debian/rules", "debian/control",
                       "src/helper/cockpit-gateways", "org.cockpit_project.gateways.metainfo.xml"):
            self.assertIn(needed, inside)
        self.assertFalse([n for n in inside if n.startswith(("node_modules/", ".git/"))])

    def test_install_from_the_tarball(self) -> None:
        self.build()
        scratch = tempfile.mkdtemp(prefix="gwpkg-dist-")
        self.addCleanup(shutil.rmtree, scratch, True)
        subprocess.run(["tar", "-xzf", os.path.join(TOP, f"cockpit-gateways-{version()}.tar.gz"), "-C", scratch],
                       check=True)
        source = os.path.join(scratch, f"cockpit-gateways-{version()}")
        destdir = os.path.join(scratch, "destdir")
        # no .git there: install takes dist/ as it is, and no Node.js build runs
        proc = subprocess.run(["make", "--no-print-directory", "install", "PREFIX=/usr", f"DESTDIR={destdir}"],
                              cwd=source, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "GIT_DIR": "/nonexistent"})
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotIn("node build.js", proc.stdout)
        proc = subprocess.run([PYTHON, os.path.join(destdir, "usr/sbin/cockpit-gateways"), "--help"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
