# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzzed input, whole commands: the helper runs in a lab host namespace against a scratch root.
Every input either succeeds (and then the kernel follows the config: reconcile plans nothing) or
exits 2 (or 1 for a kernel refusal) with one readable line on stderr and no traceback, and after
every refused input the kernel state and the files are byte-for-byte what they were before.
Derandomized: the same inputs on every run; GW_STRESS=1 tries many more."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from test.hardening.common import HardeningCase, record, scale
from test.integration.base import TOP

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(TOP, "tmp", "hypothesis"))
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

EXAMPLES = scale(40, 400)
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
TOTALS = {"inputs": 0, "rejected": 0, "kernel_refused": 0, "accepted": 0}


def clean(text: str) -> str:
    return text.replace("\x00", "")


NAMES = st.one_of(st.sampled_from(["eth0", "eth1", "lo", "a.b", "a-b", "x" * 15, "x" * 16, "..", ".", "/", "a/b",
                                   "../etc", "eth0:1", "eth 1", "eth#1", "-eth", "é", "", "a\nb", "'x'", "e\\1",
                                   "--json", "gw-eth1", "nosuch0"]),
                  st.text(max_size=17).map(clean))
ADDRESSES = st.one_of(st.sampled_from(["10.0.2.1", "10.0.1.1", "10.0.2.0", "10.0.2.255", "10.0.2.10", "fe80::1",
                                       "fe80::1%eth1", "fd00:2::1", "fd00:1::1", "::", "0.0.0.0", "224.0.0.1",
                                       "10.0.2.300", "1.2.3.4/24", " 10.0.2.1", "10.0.3.1", "", "default",
                                       "10.0.9.0/24", "fd00:9::/64", "10.0.9.1/24"]),
                      st.ip_addresses().map(str), st.text(max_size=20).map(clean))
NUMBERS = st.one_of(st.sampled_from(["0", "1", "100", "255", "256", "31000", "32766", "10000", "4294967295",
                                     "4294967296", "0x10", "-1", "²", "1e3", "nan"]),
                    st.integers(-2 ** 40, 2 ** 40).map(str), st.text(max_size=8).map(clean))
BAD_CONFIRM = st.sampled_from(["0", "-1", "abc", "3601", "nan", "inf", ""])


def opt(flag: str, values: Any) -> Any:
    return st.one_of(st.just([]), values.map(lambda v: [flag, v]))


def flags(*names: str) -> Any:
    return st.lists(st.sampled_from(names), unique=True, max_size=len(names))


SET = st.tuples(st.just(["set"]), NAMES.map(lambda v: [v]), ADDRESSES.map(lambda v: [v]),
                flags("--dry-run", "--onlink"), opt("--confirm-within", BAD_CONFIRM))
UNSET = st.tuples(st.just(["unset"]), NAMES.map(lambda v: [v]), flags("--dry-run"),
                  opt("--family", st.sampled_from(["inet", "inet6", "ipx", "", "4"])),
                  opt("--confirm-within", BAD_CONFIRM))
RECONCILE = st.tuples(st.just(["reconcile"]), st.one_of(st.just([]), NAMES.map(lambda v: [v])), flags("--dry-run"))
CONFIRM = st.tuples(st.just(["confirm"]), st.one_of(st.text(max_size=40).map(clean), st.just("0" * 32)).map(
    lambda v: [v]))
ROUTES = st.tuples(st.just(["routes"]), st.one_of(NUMBERS, NAMES, st.sampled_from(["main", "gw-eth1"])).map(
    lambda v: [v]), opt("--offset", NUMBERS), opt("--limit", NUMBERS), opt("--filter", NAMES),
    opt("--sort", st.sampled_from(["dst", "metric", "x"])), opt("--family", st.sampled_from(["inet", "x"])))
LOOKUP = st.tuples(st.just(["lookup"]), ADDRESSES.map(lambda v: [v]), opt("--from", ADDRESSES), opt("--iif", NAMES),
                   opt("--oif", NAMES), opt("--fwmark", NUMBERS))
ROUTE = st.tuples(st.just(["route"]), st.sampled_from(["add", "del", "change"]).map(lambda v: [v]),
                  st.one_of(ADDRESSES, st.sampled_from(["10.0.9.0/24", "10.0.3.0/24", "fd00:3::/64"])).map(
                      lambda v: [v]),
                  opt("--table", st.one_of(NUMBERS, st.sampled_from(["main", "300", "gw-eth1", "10000"]))),
                  opt("--via", ADDRESSES), opt("--dev", NAMES), opt("--metric", NUMBERS),
                  opt("--type", st.sampled_from(["unicast", "blackhole", "throw", "local", "nat"])),
                  opt("--proto", st.one_of(NUMBERS, st.sampled_from(["static", "248", "boot", "bird"]))),
                  opt("--scope", st.sampled_from(["link", "host", "site"])), flags("--dry-run", "--keep", "--onlink"))
RULE = st.tuples(st.just(["rule"]), st.sampled_from(["add", "del"]).map(lambda v: [v]),
                 opt("--priority", NUMBERS), opt("--from", ADDRESSES), opt("--to", ADDRESSES), opt("--iif", NAMES),
                 opt("--fwmark", st.one_of(NUMBERS, st.just("0x10/0xff"))), opt("--sport", NUMBERS),
                 opt("--uidrange", st.one_of(NUMBERS, st.just("0-10"))),
                 opt("--table", st.one_of(NUMBERS, st.sampled_from(["main", "300", "gw-eth1", "10000"]))),
                 opt("--action", st.sampled_from(["blackhole", "prohibit", "goto"])),
                 opt("--proto", st.one_of(NUMBERS, st.sampled_from(["static", "248"]))),
                 flags("--dry-run", "--keep", "--not"))
DHCP_KEYS = ["reason", "interface", "new_ip_address", "new_subnet_mask", "new_routers", "old_ip_address",
             "old_subnet_mask", "DHCP4_ROUTERS", "DHCP4_IP_ADDRESS", "DHCP4_SUBNET_MASK", "IP4_GATEWAY", "DHCP6_X",
             "IP6_GATEWAY"]
DHCP_VALUES = st.one_of(ADDRESSES, NAMES, NUMBERS, st.sampled_from(
    ["BOUND", "RENEW", "REBIND", "REBOOT", "STOP", "RELEASE", "EXPIRE", "FAIL", "TIMEOUT", "PREINIT", "BOUND6",
     "255.255.255.0", "255.0.255.0", "24", "10.0.2.1 10.0.2.2", "10.0.2.57", "fd00:2::1"]))
DHCP = st.tuples(st.dictionaries(st.sampled_from(DHCP_KEYS), DHCP_VALUES, max_size=7),
                 st.one_of(st.just([]), st.lists(st.one_of(NAMES, st.sampled_from(["up", "down", "dhcp4-change",
                                                                                    "dhcp6-change", "pre-up"])),
                                                 min_size=1, max_size=3)),
                 flags("--dry-run"))


def tearDownModule() -> None:
    record(command_inputs=TOTALS["inputs"], rejected_unchanged=TOTALS["rejected"] + TOTALS["kernel_refused"])
    sys.stderr.write(f"\ncommand fuzzing: {TOTALS['inputs']} inputs: {TOTALS['accepted']} accepted, "
                     f"{TOTALS['rejected']} rejected (exit 2), {TOTALS['kernel_refused']} refused by the kernel "
                     "(exit 1); every refusal left kernel and files unchanged\n")


class FuzzCommands(HardeningCase):
    prefix = "gwhfz"

    def setUp(self) -> None:
        super().setUp()
        self.helper("set", "eth0", "10.0.1.1")

    def check(self, args: list[str], env: dict[str, str] | None = None) -> None:
        TOTALS["inputs"] += 1
        kernel, files = self.kernel_state(), self.files()
        proc = self.helper(*args, check=False, env=env)
        where = f"{args} env={env}: exit {proc.returncode}: {proc.stderr!r}"
        self.assertNotIn("Traceback", proc.stderr, where)
        self.assertIn(proc.returncode, (0, 1, 2), where)
        if proc.returncode != 0:
            TOTALS["rejected" if proc.returncode == 2 else "kernel_refused"] += 1
            self.assertEqual(len(proc.stderr.splitlines()), 1, where)
            self.assertTrue(proc.stderr.startswith("cockpit-gateways: "), where)
            self.assertEqual(self.kernel_state(), kernel, f"{where}: the kernel changed")
            self.assertEqual(self.files(), files, f"{where}: the files changed")
            return
        TOTALS["accepted"] += 1
        read_only = args[0] in ("routes", "lookup", "status") or "--dry-run" in args
        if read_only:
            self.assertEqual((self.kernel_state(), self.files()), (kernel, files), f"{where}: a read changed things")
        elif args[0] in ("set", "unset", "reconcile", "dhcp-event"):
            plan = json.loads(self.helper("reconcile", "--dry-run", "--json").stdout)
            self.assertEqual(plan["changes"], [], f"{where}: not converged")
            if args[0] == "set":
                with open(os.path.join(self.root, "etc/cockpit-gateways/config.json")) as f:
                    config = json.load(f)
                family = "inet6" if ":" in args[2] else "inet"
                self.assertEqual(config["interfaces"][args[1]][family]["gateway"], args[2].strip(), where)

    @SETTINGS
    @given(st.one_of(SET, UNSET, RECONCILE, CONFIRM))
    def test_engine_commands(self, parts: tuple[list[str], ...]) -> None:
        self.check([w for p in parts for w in p])

    @SETTINGS
    @given(st.one_of(ROUTES, LOOKUP))
    def test_inspect_commands(self, parts: tuple[list[str], ...]) -> None:
        self.check([w for p in parts for w in p])

    @SETTINGS
    @given(st.one_of(ROUTE, RULE))
    def test_one_off_fixes(self, parts: tuple[list[str], ...]) -> None:
        self.check([w for p in parts for w in p])

    @SETTINGS
    @given(DHCP)
    def test_dhcp_events(self, parts: tuple[dict[str, str], list[str], list[str]]) -> None:
        env, args, extra = parts
        self.check(["dhcp-event", *args, *extra], env=env)

    @SETTINGS
    @given(st.one_of(st.text(max_size=60).map(clean), st.binary(max_size=40).map(lambda b: clean(b.decode("latin-1"))),
                     st.sampled_from(['{"version": 1, "interfaces": {"eth1": {"table": 10001, "inet": {"gateway": '
                                      '"10.0.2.1"}}}}', '{"version": 1, "interfaces": {"eth1": {"table": 1e999}}}',
                                      '{"version": 1.0}', '{"version": 1, "interfaces": {"..": {"table": 10001}}}']),
                     st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)).map(json.dumps)))
    def test_config_contents(self, text: str) -> None:
        path = os.path.join(self.root, "etc/cockpit-gateways/config.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.check(["reconcile"])
        self.check(["set", "eth1", "10.0.2.1", "--dry-run"])
        self.helper("set", "eth0", "10.0.1.1", check=False)

    @SETTINGS
    @given(st.one_of(st.text(max_size=60).map(clean), st.sampled_from([
        '{"version": 1, "routes": [{"family": "inet", "table": 300, "dst": "10.0.3.0/24", "type": "blackhole"}]}',
        '{"version": 1, "rules": [{"family": "inet", "priority": 1e999, "selectors": [], "action": "lookup"}]}',
        '{"version": 1, "routes": [{"family": "inet", "table": 300, "dst": "10.0.3.0/24 via 1.1.1.1"}]}',
        '{"version": 1, "rules": [{"family": "inet", "priority": 5, "selectors": [["from", "all;flush"]], '
        '"action": "lookup", "table": 5}]}', '{"version": 2}', '[]'])))
    def test_kept_contents(self, text: str) -> None:
        path = os.path.join(self.root, "etc/cockpit-gateways/kept.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.check(["reconcile"])
        os.unlink(path)


if __name__ == "__main__":
    import unittest
    unittest.main()
