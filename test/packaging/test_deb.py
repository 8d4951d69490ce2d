# SPDX-License-Identifier: LGPL-2.1-or-later
"""`make deb`: the package's control fields, its files (extracted with dpkg-deb -x into a scratch
directory, never installed on this machine) and the extracted helper's `status --json`."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile

from test.packaging.common import PYTHON, TOP, PackagingTestCase, make, real_places


def installed_here() -> bool:
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "cockpit-gateways"], capture_output=True, text=True)
    return proc.returncode == 0 and "installed" in proc.stdout and "not-installed" not in proc.stdout


class Deb(PackagingTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        if shutil.which("dpkg-buildpackage") is None:
            raise AssertionError("dpkg-buildpackage is missing: test/system-deps.sh installs dpkg-dev")
        cls.was_installed = installed_here()
        cls.places_before = real_places()
        for old in glob.glob(os.path.join(TOP, "cockpit-gateways_*_all.deb")):
            os.unlink(old)
        make("deb")
        (cls.deb,) = glob.glob(os.path.join(TOP, "cockpit-gateways_*_all.deb"))

    def field(self, name: str) -> str:
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_control(self) -> None:
        info = subprocess.run(["dpkg-deb", "-I", self.deb], capture_output=True, text=True, check=True).stdout
        self.assertIn("Package: cockpit-gateways", info)
        self.assertEqual(self.field("Architecture"), "all")
        depends = [d.strip() for d in self.field("Depends").split(",")]
        self.assertLessEqual({"cockpit-bridge", "python3", "iproute2"}, set(depends))
        self.assertEqual(self.field("Recommends"), "cockpit-ws")
        with open(os.path.join(TOP, "package.json")) as f:
            self.assertTrue(self.field("Version").startswith(json.load(f)["version"] + "-"))
        conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", self.deb], capture_output=True, check=True).stdout
        self.assertIn(b"./conffiles", subprocess.run(["tar", "-t"], input=conffiles, capture_output=True).stdout)

    def test_contents_owned_by_root(self) -> None:
        listing = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True, text=True, check=True).stdout
        for line in listing.splitlines():
            self.assertEqual(line.split()[1], "root/root", line)
        for path in ("./usr/share/cockpit/gateways/manifest.json", "./usr/libexec/cockpit-gateways/cockpit-gateways",
                     "./usr/sbin/cockpit-gateways", "./usr/lib/systemd/system/cockpit-gateways.service",
                     "./usr/share/metainfo/org.cockpit_project.gateways.metainfo.xml",
                     "./etc/dhcp/dhclient-exit-hooks.d/cockpit-gateways",
                     "./etc/NetworkManager/dispatcher.d/50-cockpit-gateways",
                     "./usr/share/doc/cockpit-gateways/copyright"):
            self.assertIn(f" {path}", listing)

    def test_extracted_helper_runs(self) -> None:
        root = tempfile.mkdtemp(prefix="gwpkg-deb-")
        self.addCleanup(shutil.rmtree, root, True)
        subprocess.run(["dpkg-deb", "-x", self.deb, root], check=True)
        with open(os.path.join(root, "etc/NetworkManager/dispatcher.d/50-cockpit-gateways")) as f:
            self.assertIn('helper="/usr/libexec/cockpit-gateways/cockpit-gateways"', f.read())
        scratch = tempfile.mkdtemp(prefix="gwpkg-root-")
        self.addCleanup(shutil.rmtree, scratch, True)
        proc = subprocess.run([PYTHON, os.path.join(root, "usr/sbin/cockpit-gateways"), "status", "--json",
                               "--root", scratch], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("interfaces", json.loads(proc.stdout))

    def test_not_installed_on_this_machine(self) -> None:
        self.assertEqual(installed_here(), self.was_installed)
        self.assertEqual(real_places(), self.places_before, "building the package changed the machine")
