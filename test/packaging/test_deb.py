# SPDX-License-Identifier: LGPL-2.1-or-later
"""`make deb`: the package's control fields, its files (extracted with dpkg-deb -x into a scratch
directory, never installed on this machine) and the extracted helper's `status --json`; and the
real `dpkg -i` / `dpkg --purge` with the package's maintainer scripts, run in a chroot onto an
overlay of this machine's root (the writes land in a tmpfs of a private mount namespace and
vanish with it): the boot unit and watch are enabled after the install, an admin's `disable`
survives an upgrade, and the purge leaves nothing of them behind."""

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

    def test_dpkg_install_enables_the_units_and_purge_removes_them(self) -> None:
        if os.geteuid() != 0:
            self.skipTest("the overlay chroot needs root")
        scratch = tempfile.mkdtemp(prefix="gwpkg-chroot-")
        self.addCleanup(shutil.rmtree, scratch, True)
        steps = """
set -u
units() { echo "== $1"; find /etc/systemd /var/lib/systemd -name '*cockpit-gateways*' 2>/dev/null | LC_ALL=C sort; }
units before
dpkg -i /tmp/pkg.deb >/tmp/dpkg.log 2>&1 || { echo "== dpkg -i failed"; cat /tmp/dpkg.log; }
units installed
echo "== status"; cockpit-gateways service status --json
cockpit-gateways service disable watch >/dev/null
dpkg -i /tmp/pkg.deb >/tmp/dpkg.log 2>&1 || { echo "== upgrade failed"; cat /tmp/dpkg.log; }
units upgraded
dpkg -r cockpit-gateways >/tmp/dpkg.log 2>&1 || { echo "== dpkg -r failed"; cat /tmp/dpkg.log; }
units removed
dpkg --purge cockpit-gateways >/tmp/dpkg.log 2>&1 || { echo "== dpkg --purge failed"; cat /tmp/dpkg.log; }
units purged
echo "== end"
"""
        with open(os.path.join(scratch, "steps.sh"), "w") as f:
            f.write(steps)
        m = f"{scratch}/merged"
        setup = (f"set -e; mount -t tmpfs tmpfs {scratch}/mnt; mkdir {scratch}/mnt/upper {scratch}/mnt/work; "
                 f"mount -t overlay overlay -o lowerdir=/,upperdir={scratch}/mnt/upper,workdir={scratch}/mnt/work {m}; "
                 f"mount -t proc proc {m}/proc; mount --rbind /dev {m}/dev; "
                 f"mount -t tmpfs tmpfs {m}/run; mount -t tmpfs tmpfs {m}/tmp; "
                 # the package goes in beside the steps: the checkout may sit under /tmp, which the
                 # chroot's own /tmp hides
                 f"cp {scratch}/steps.sh {m}/tmp/steps.sh; cp '{self.deb}' {m}/tmp/pkg.deb; "
                 f"exec chroot {m} /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh /tmp/steps.sh")
        os.mkdir(os.path.join(scratch, "mnt"))
        os.mkdir(m)
        proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", setup],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr + proc.stdout)
        sections: dict[str, list[str]] = {}
        current = ""
        for line in proc.stdout.splitlines():
            if line.startswith("== "):
                current = line[3:]
                sections[current] = []
            else:
                sections.setdefault(current, []).append(line)
        self.assertIn("end", sections, proc.stdout + proc.stderr)
        self.assertFalse([k for k in sections if k.endswith("failed")], proc.stdout)
        self.assertEqual(sections["before"], [])
        wants = "/etc/systemd/system/multi-user.target.wants/"
        state = "/var/lib/systemd/deb-systemd-helper-enabled/"
        self.assertLessEqual({wants + "cockpit-gateways.service", wants + "cockpit-gateways-watch.service",
                              state + "cockpit-gateways.service.dsh-also",
                              state + "cockpit-gateways-watch.service.dsh-also"}, set(sections["installed"]))
        # the helper reads the same through systemctl (systemd is not running here: offline)
        status = json.loads("".join(sections["status"]))
        self.assertEqual(status["systemd"], "offline")
        self.assertEqual({s["name"]: s["enabled"] for s in status["services"]}, {"boot": True, "watch": True})
        # the admin disabled watch; the upgrade keeps that and the boot unit
        self.assertIn(wants + "cockpit-gateways.service", sections["upgraded"])
        self.assertNotIn(wants + "cockpit-gateways-watch.service", sections["upgraded"])
        self.assertEqual(sections["purged"], [])
        print("\n  dpkg -i: " + ", ".join(os.path.basename(p) for p in sections["installed"] if wants in p)
              + " enabled; after --purge: nothing", end=" ")

    def test_not_installed_on_this_machine(self) -> None:
        self.assertEqual(installed_here(), self.was_installed)
        self.assertEqual(real_places(), self.places_before, "building the package changed the machine")
