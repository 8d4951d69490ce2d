# SPDX-License-Identifier: LGPL-2.1-or-later
"""`make install` / `make uninstall` into a scratch DESTDIR, for the default PREFIX (/usr/local)
and for PREFIX=/usr: every file where Cockpit, systemd, dhclient and NetworkManager look for it,
the hooks and units pointing at the installed helper, the helper itself running from there, and
nothing written outside DESTDIR."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from test.packaging.common import PYTHON, TOP, PackagingTestCase, make

HOOKS = ("etc/dhcp/dhclient-exit-hooks.d/cockpit-gateways", "etc/dhcp/dhclient.d/cockpit_gateways.sh",
         "etc/NetworkManager/dispatcher.d/50-cockpit-gateways")
UNITS = ("cockpit-gateways.service", "cockpit-gateways-watch.service")
METAINFO = "org.cockpit_project.gateways.metainfo.xml"


def expected_files(prefix: str) -> set[str]:
    p = prefix.strip("/")
    out = {f"{p}/libexec/cockpit-gateways/cockpit-gateways", f"{p}/sbin/cockpit-gateways",
           f"{p}/share/metainfo/{METAINFO}", *HOOKS}
    out |= {f"{p}/lib/systemd/system/{u}" for u in UNITS}
    for directory, _, names in os.walk(os.path.join(TOP, "src/host")):         # install-hooks' templates
        rel = os.path.relpath(directory, os.path.join(TOP, "src/host"))
        out |= {os.path.normpath(f"{p}/libexec/cockpit-gateways/hooks/{rel}/{n}") for n in names}
    out |= {f"{p}/libexec/cockpit-gateways/cockpit_gateways/{name}"
            for name in os.listdir(os.path.join(TOP, "src/helper/cockpit_gateways")) if name.endswith(".py")}
    for directory, _, names in os.walk(os.path.join(TOP, "dist")):
        rel = os.path.relpath(directory, os.path.join(TOP, "dist"))
        out |= {os.path.normpath(f"{p}/share/cockpit/gateways/{rel}/{n}") for n in names if n != METAINFO}
    return out


def tree(root: str) -> set[str]:
    """Files and symlinks below root, relative; byte code the helper wrote when it ran is left out."""
    out = set()
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        out |= {os.path.relpath(os.path.join(directory, n), root) for n in names}
        out |= {os.path.relpath(os.path.join(directory, d), root) for d in dirs
                if os.path.islink(os.path.join(directory, d))}
    return out


class Install(PackagingTestCase):
    def install(self, prefix: str | None) -> str:
        destdir = tempfile.mkdtemp(prefix="gwpkg-destdir-")
        self.addCleanup(shutil.rmtree, destdir, True)
        out = make("install", f"DESTDIR={destdir}", *([f"PREFIX={prefix}"] if prefix else [])).stdout
        # it says what to enable (the units are not enabled by copying them)
        self.assertIn("systemctl enable --now cockpit-gateways.service cockpit-gateways-watch.service", out)
        self.assertIn(f"{prefix or '/usr/local'}/sbin/cockpit-gateways service enable boot watch", out)
        return destdir

    def check_install(self, destdir: str, prefix: str) -> None:
        p = prefix.strip("/")
        self.assertEqual(tree(destdir), expected_files(prefix))
        helper = f"{prefix}/libexec/cockpit-gateways/cockpit-gateways"

        # the helper, through the admins' sbin link, from the DESTDIR
        sbin = os.path.join(destdir, p, "sbin/cockpit-gateways")
        self.assertTrue(os.path.islink(sbin))
        self.assertFalse(os.path.isabs(os.readlink(sbin)), "the sbin link must work below DESTDIR too")
        proc = subprocess.run([sbin, "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("export", proc.stdout)
        scratch = tempfile.mkdtemp(prefix="gwpkg-root-")
        self.addCleanup(shutil.rmtree, scratch, True)
        proc = subprocess.run([PYTHON, os.path.join(destdir, helper.lstrip("/")), "status", "--json", "--root", scratch],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        status = json.loads(proc.stdout)
        self.assertIn("lo", [i["name"] for i in status["interfaces"]])

        # install-hooks from the installed helper: its own templates, its own path in the hooks
        proc = subprocess.run([PYTHON, os.path.join(destdir, helper.lstrip("/")), "install-hooks", "--json",
                               "--root", scratch], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(json.loads(proc.stdout)["files"]), 5)
        with open(os.path.join(scratch, "etc/NetworkManager/dispatcher.d/50-cockpit-gateways")) as f:
            self.assertIn(os.path.realpath(os.path.join(destdir, helper.lstrip("/"))), f.read())

        # hooks: executable, the installed helper's path, valid shell
        for hook in HOOKS:
            path = os.path.join(destdir, hook)
            self.assertTrue(os.stat(path).st_mode & stat.S_IXUSR, f"{hook} is not executable")
            with open(path) as f:
                text = f.read()
            self.assertNotIn("@LIBEXECDIR@", text, hook)
            self.assertIn(f'"{helper}"', text, hook)
            shell = "bash" if hook.endswith(".sh") else "sh"
            subprocess.run([shell, "-n", path], check=True)

        # units: ExecStart is the installed helper
        for unit in UNITS:
            with open(os.path.join(destdir, p, "lib/systemd/system", unit)) as f:
                execs = [line.split("=", 1)[1].split()[0] for line in f if line.startswith("ExecStart=")]
            self.assertEqual(execs, [helper], unit)

        # metainfo: an addon of Cockpit, launching our manifest's package name
        xml = ET.parse(os.path.join(destdir, p, "share/metainfo", METAINFO)).getroot()
        self.assertEqual(xml.get("type"), "addon")
        self.assertEqual(xml.findtext("id"), "org.cockpit_project.gateways")
        self.assertEqual(xml.findtext("extends"), "org.cockpit_project.cockpit")
        launchable = xml.find("launchable")
        assert launchable is not None
        self.assertEqual((launchable.get("type"), launchable.text), ("cockpit-manifest", "gateways"))
        # …installed translated (msgfmt --xml from po/): the German summary next to the English one
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        summaries = {s.get(lang): s.text for s in xml.findall("summary")}
        self.assertEqual(summaries[None], "A gateway per network (source routing) and a policy-routing inspector")
        self.assertIn("Gateway pro Netzwerk", summaries["de"] or "")
        self.assertTrue(os.path.exists(os.path.join(destdir, p, "share/cockpit/gateways/manifest.json")))

        # uninstall removes every file it installed
        make("uninstall", f"DESTDIR={destdir}", f"PREFIX={prefix}")
        self.assertEqual(tree(destdir), set())

    def test_default_prefix(self) -> None:
        self.check_install(self.install(None), "/usr/local")

    def test_prefix_usr(self) -> None:
        self.check_install(self.install("/usr"), "/usr")
