# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fuzzed input, pure parsers (no root, no kernel): every validator and every reader of `ip -j`
output either returns a well-formed value or raises InvalidInput (exit 2, one message), never
another exception (which would be a traceback and exit 1); and what a validator accepts is safe
to put in a path and in an `ip -batch` line.  Derandomized: the same inputs on every run."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import os
import sys
import tempfile
import unittest
from typing import Any

from test.hardening.common import record, scale
from test.integration.base import TOP

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(TOP, "tmp", "hypothesis"))
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "src", "helper"))

from cockpit_gateways import cli, dhcp, inspect, kept, kernel, model, names, objects, store  # noqa: E402
from cockpit_gateways.model import GatewaysError, InvalidInput  # noqa: E402

EXAMPLES = scale(300, 5000)
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
COUNTS: dict[str, int] = {}

# characters `ip -batch` would read as syntax, or that would end a word or a path
UNSAFE = set(" \t\n\r\x0b\x0c\"'#\\/") | {"\x00"}

NAMES = st.one_of(
    st.sampled_from(["eth0", "eth1", "a.b", "a-b", "x" * 15, "x" * 16, "..", ".", "/", "a/b", "../etc",
                     "eth0:1", "eth 1", "eth#1", "-eth", "é", "ünï", "\t", "", "a\nb", "a\x00b", "'x'",
                     "e\\1", "gw-eth1", "0", "..a", "a..", "ethé", "₁", "٣"]),
    st.text(max_size=20),
    st.text(alphabet="abc.-_/:#'\" \\é0", max_size=17))
ADDRESSES = st.one_of(
    st.sampled_from(["10.0.2.1", "10.0.2.0", "10.0.2.255", "10.0.2.10", "fe80::1", "fe80::1%eth1", "fd00:2::1",
                     "::", "0.0.0.0", "224.0.0.1", "127.0.0.1", "::1", "10.0.2.300", "1.2.3", "1.2.3.4/24",
                     " 10.0.2.1 ", "10.0.2.1 10.0.2.2", "١٠.0.2.1", "10.0.2.1\n", "", "default", "::ffff:10.0.2.1",
                     "10.0.02.1", "0x0a.0.2.1"]),
    st.ip_addresses().map(str), st.text(max_size=30))
NUMBERS = st.one_of(st.integers(-2 ** 70, 2 ** 70), st.sampled_from([0, 1, 255, 256, 65535, 65536, 2 ** 32 - 1,
                                                                     2 ** 32, 2 ** 64, -1]),
                    st.floats(allow_nan=True), st.booleans(), st.none())
NUMBER_TEXT = st.one_of(NUMBERS.map(str), st.sampled_from(["0x10", "0x", "010", "1_0", "²", "١٢", "1e3", "-0",
                                                           "4294967296", "0xffffffff", " 5", "5 "]),
                        st.text(max_size=12))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=20), NAMES, ADDRESSES)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)
OPTIONAL = st.one_of(st.none(), NUMBER_TEXT, ADDRESSES, NAMES)


def count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def tearDownModule() -> None:
    total = sum(COUNTS.values())
    record(parser_inputs=total)
    sys.stderr.write(f"\nparser fuzzing: {total} inputs ({', '.join(f'{k} {v}' for k, v in sorted(COUNTS.items()))})\n")


def assert_one_line(test: unittest.TestCase, e: GatewaysError) -> None:
    """The message as the CLI prints it (cli._fail) is one readable line, whatever the input held."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli._fail(str(e), e.field, e.exit_code, True)
    test.assertEqual(code, 2)
    test.assertEqual(len(err.getvalue().splitlines()), 1, repr(err.getvalue()))
    test.assertTrue(err.getvalue()[:-1].isprintable(), repr(err.getvalue()))
    test.assertIn("error", json.loads(out.getvalue()))


def assert_batch_safe(test: unittest.TestCase, words: list[str]) -> None:
    for word in words:
        test.assertTrue(word, words)
        test.assertFalse(set(word) & UNSAFE - {"/"} or not word.isprintable(), f"unsafe word {word!r} in {words}")


class Validators(unittest.TestCase):
    @SETTINGS
    @given(NAMES)
    def test_interface_names(self, value: str) -> None:
        count("interface names")
        try:
            name = model.parse_interface_name(value)
        except InvalidInput as e:
            self.assertEqual(e.field, "interface")
            assert_one_line(self, e)
            return
        self.assertLessEqual(len(name.encode()), 15)
        self.assertNotIn(name, (".", ".."))
        self.assertFalse(set(name) & UNSAFE, name)
        self.assertTrue(name.isascii() and name.isprintable())
        # a path built from it stays in its directory
        self.assertEqual(os.path.dirname(os.path.normpath(os.path.join("/d", f"route-{name}"))), "/d")

    @SETTINGS
    @given(ADDRESSES)
    def test_gateway_addresses(self, value: str) -> None:
        count("addresses")
        try:
            address = model.parse_address(value)
        except InvalidInput as e:
            assert_one_line(self, e)
            return
        self.assertFalse(address.is_multicast or address.is_unspecified or address.is_loopback)
        self.assertFalse(set(str(address)) & UNSAFE)

    @SETTINGS
    @given(ADDRESSES, st.lists(st.sampled_from(["10.0.2.10/24", "10.0.3.1/31", "10.0.4.1/32", "fd00:2::10/64",
                                                "10.0.2.10/8"]), max_size=3), st.booleans())
    def test_gateway_against_subnets(self, value: str, addrs: list[str], onlink: bool) -> None:
        count("gateway checks")
        try:
            gateway = model.parse_address(value)
            model.check_gateway(gateway, [ipaddress.ip_interface(a) for a in addrs], onlink)
        except InvalidInput:
            return
        self.assertNotIn(gateway, [ipaddress.ip_interface(a).ip for a in addrs])

    @SETTINGS
    @given(NUMBER_TEXT)
    def test_confirm_within(self, value: str) -> None:
        count("confirm-within")
        try:
            seconds = cli._confirm_within(value)
        except Exception as e:      # argparse turns ArgumentTypeError into a usage error (exit 2)
            self.assertEqual(type(e).__name__, "ArgumentTypeError")
            return
        self.assertTrue(1 <= seconds <= 3600)

    @SETTINGS
    @given(st.one_of(NUMBER_TEXT, NAMES))
    def test_table_names(self, value: str) -> None:
        count("table arguments")
        try:
            table = names.parse_table(value, {10000: "gw-eth1", 254: "main"})
        except InvalidInput:
            return
        self.assertTrue(0 < table < 2 ** 32)


class Commands(unittest.TestCase):
    """argparse over every command's arguments: a usage error is InvalidInput (exit 2)."""

    @SETTINGS
    @given(st.sampled_from(["status", "set", "unset", "reconcile", "confirm", "dhcp-event", "routes", "lookup",
                            "route", "rule", "export", "frob", "--json", "--root"]),
           st.lists(st.one_of(st.sampled_from(["--dry-run", "--confirm-within", "--family", "inet6", "add", "del",
                                               "--table", "--priority", "--from", "--to", "--via", "--dev",
                                               "--keep", "--foreign", "--json", "--root", "--metric", "-x", "--"]),
                               NAMES, ADDRESSES, NUMBER_TEXT), max_size=6))
    def test_argument_parsing(self, command: str, args: list[str]) -> None:
        count("argument vectors")
        argv = [command, *args]
        if "-h" in argv or "--help" in argv or any(a.startswith("--h") for a in argv):
            return
        try:
            cli.build_parser().parse_args(argv)
        except InvalidInput as e:
            assert_one_line(self, e)

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={
        "dst": st.one_of(st.sampled_from(["10.0.3.0/24", "10.0.3.1/24", "default", "fd00:3::/64", "::/0"]), ADDRESSES),
        "table": st.one_of(NUMBER_TEXT, NAMES), "family": st.sampled_from(["inet", "inet6", "ipx"]),
        "type": st.sampled_from(["unicast", "blackhole", "throw", "nat", "local", "x y"]),
        "via": ADDRESSES, "dev": NAMES, "metric": NUMBER_TEXT, "src": ADDRESSES,
        "scope": st.sampled_from(["global", "link", "host", "site", "253"]), "proto": st.one_of(NUMBER_TEXT, NAMES),
        "onlink": st.booleans()}))
    def test_route_fixes(self, kw: dict[str, Any]) -> None:
        count("route fixes")
        kw.setdefault("dst", "10.0.3.0/24")
        try:
            spec = objects.route_spec({10000: "gw-eth1", 254: "main", 200: "vpn"}, {"eth0", "eth1", "a.b"},
                                    default_proto=4, **kw)
        except InvalidInput as e:
            assert_one_line(self, e)
            return
        assert_batch_safe(self, spec.args())

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={
        "priority": NUMBER_TEXT, "source": ADDRESSES, "to": st.one_of(ADDRESSES, st.just("10.0.3.0/24")),
        "iif": NAMES, "oif": NAMES, "fwmark": st.one_of(NUMBER_TEXT, st.just("0x10/0xff"), st.just("1/2/3")),
        "tos": NUMBER_TEXT, "ipproto": st.one_of(NUMBER_TEXT, st.sampled_from(["tcp", "udp", "gre"])),
        "sport": st.one_of(NUMBER_TEXT, st.just("10-20"), st.just("20-10")), "dport": NUMBER_TEXT,
        "uidrange": st.one_of(NUMBER_TEXT, st.just("0-100"), st.just("5-1")), "invert": st.booleans(),
        "table": st.one_of(NUMBER_TEXT, NAMES), "action": st.sampled_from(["blackhole", "prohibit", "goto", "x"]),
        "family": st.sampled_from(["inet", "inet6", "x"]), "proto": NUMBER_TEXT}))
    def test_rule_fixes(self, kw: dict[str, Any]) -> None:
        count("rule fixes")
        kw.setdefault("priority", "800")
        try:
            rule = objects.rule_spec({10000: "gw-eth1", 254: "main"}, default_proto=4, **kw)
        except InvalidInput as e:
            assert_one_line(self, e)
            return
        assert_batch_safe(self, rule.args())
        self.assertTrue(1 <= rule.priority < 2 ** 32)


class Files(unittest.TestCase):
    """config.json and kept.json: any content is a config, or InvalidInput naming the file."""

    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="gwh-files-")
        self.addCleanup(self.dir.cleanup)
        self.paths = store.Paths(self.dir.name)
        os.makedirs(os.path.dirname(self.paths.config))

    CONFIG_ENTRY = st.fixed_dictionaries({}, optional={
        "table": st.one_of(st.integers(9990, 20010), NUMBERS), "inet": st.one_of(
            st.fixed_dictionaries({"gateway": ADDRESSES}, optional={"onlink": SCALARS}), JSON_VALUES),
        "inet6": st.fixed_dictionaries({"gateway": ADDRESSES}), "extra": SCALARS})
    CONFIGS = st.one_of(
        st.fixed_dictionaries({"version": st.one_of(st.just(1), NUMBERS),
                               "interfaces": st.one_of(st.dictionaries(NAMES, st.one_of(CONFIG_ENTRY, JSON_VALUES),
                                                                       max_size=4), JSON_VALUES)}),
        JSON_VALUES)

    @SETTINGS
    @given(st.one_of(CONFIGS.map(json.dumps), st.text(max_size=40), st.binary(max_size=40).map(
        lambda b: b.decode("latin-1"))))
    def test_config_file(self, text: str) -> None:
        count("config files")
        with open(self.paths.config, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            config = store.load_config(self.paths)
        except InvalidInput as e:
            self.assertIn("config.json", str(e))
            assert_one_line(self, e)
            return
        for name, iface in config.items():
            model.parse_interface_name(name)
            self.assertTrue(model.TABLE_MIN <= iface.table <= model.TABLE_MAX)
        # what was accepted round-trips
        self.assertEqual(store.config_from_json(store.config_to_json(config), "x"), config)

    KEPT_ROUTE = st.fixed_dictionaries({"family": st.sampled_from(["inet", "inet6", "x"]),
                                        "table": st.one_of(st.integers(1, 300), SCALARS),
                                        "dst": st.one_of(st.just("10.0.3.0/24"), ADDRESSES, NAMES)},
                                       optional={"type": st.sampled_from(["unicast", "blackhole", "a b"]),
                                                 "gateway": ADDRESSES, "dev": NAMES, "metric": NUMBERS,
                                                 "nexthops": JSON_VALUES, "bogus": SCALARS})
    KEPT_RULE = st.fixed_dictionaries({"family": st.sampled_from(["inet", "inet6", "x"]), "priority": NUMBERS,
                                       "selectors": st.one_of(st.lists(st.tuples(NAMES, NAMES), max_size=3),
                                                              JSON_VALUES),
                                       "action": st.one_of(st.just("lookup"), NAMES)},
                                      optional={"table": SCALARS, "protocol": NUMBERS})

    @SETTINGS
    @given(st.one_of(st.fixed_dictionaries({"version": st.one_of(st.just(1), SCALARS)},
                                           optional={"routes": st.lists(st.one_of(KEPT_ROUTE, JSON_VALUES),
                                                                        max_size=3),
                                                     "rules": st.lists(st.one_of(KEPT_RULE, JSON_VALUES),
                                                                       max_size=3)}).map(json.dumps),
                     JSON_VALUES.map(json.dumps), st.text(max_size=30)))
    def test_kept_file(self, text: str) -> None:
        count("kept files")
        with open(self.paths.kept, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            loaded = kept.load_kept(self.paths)
        except InvalidInput as e:
            self.assertIn("kept.json", str(e))
            assert_one_line(self, e)
            return
        for entry in loaded["routes"]:
            assert_batch_safe(self, kept.kept_route(entry, self.paths).args())
        for entry in loaded["rules"]:
            assert_batch_safe(self, kept.kept_rule(entry, self.paths).args())


class DhcpEnvironments(unittest.TestCase):
    ENV_KEYS = ["reason", "interface", "new_ip_address", "new_subnet_mask", "new_routers", "new_network_number",
                "old_ip_address", "old_subnet_mask", "old_routers", "DHCP4_ROUTERS", "DHCP4_IP_ADDRESS",
                "DHCP4_SUBNET_MASK", "IP4_GATEWAY", "DHCP6_FQDN", "IP6_GATEWAY"]
    VALUES = st.one_of(ADDRESSES, NAMES, NUMBER_TEXT,
                       st.sampled_from(["BOUND", "RENEW", "REBIND", "REBOOT", "STOP", "RELEASE", "EXPIRE", "FAIL",
                                        "TIMEOUT", "PREINIT", "BOUND6", "MEDIUM", "255.255.255.0", "255.0.255.0",
                                        "24", "33", "10.0.2.1 10.0.2.2", "fd00::1 10.0.2.1"]))

    @SETTINGS
    @given(st.dictionaries(st.sampled_from(ENV_KEYS), VALUES, max_size=8),
           st.one_of(st.just([]), st.lists(st.one_of(NAMES, st.sampled_from(["up", "down", "dhcp4-change",
                                                                              "dhcp6-change", "pre-up"])),
                                           min_size=1, max_size=3)))
    def test_environments(self, env: dict[str, str], args: list[str]) -> None:
        count("dhcp environments")
        env = {k: v.replace("\x00", "") for k, v in env.items()}
        try:
            parsed = dhcp.parse_event(args, env)
        except InvalidInput as e:
            assert_one_line(self, e)
            return
        for event in parsed.events:
            model.parse_interface_name(event.interface)
            self.assertIn(event.op, ("set", "remove", "check"))
            if event.router is not None:
                self.assertEqual(model.family_of(model.parse_address(event.router)), event.family)
            if event.address is not None:
                ipaddress.ip_interface(event.address)
        json.dumps(dhcp.Parsed(parsed.events, parsed.note).events and [e.to_json() for e in parsed.events])


class KernelOutput(unittest.TestCase):
    """`ip -j` shapes: missing keys, unknown types, huge numbers, unicode, odd names."""

    ADDR_INFO = st.fixed_dictionaries({}, optional={"family": SCALARS, "local": st.one_of(ADDRESSES, SCALARS),
                                                    "prefixlen": NUMBERS, "scope": SCALARS, "dynamic": SCALARS})
    LINK = st.fixed_dictionaries({}, optional={"ifindex": NUMBERS, "ifname": st.one_of(NAMES, SCALARS),
                                               "flags": st.one_of(st.lists(st.sampled_from(["UP", "LOWER_UP"])),
                                                                  SCALARS),
                                               "operstate": SCALARS, "address": SCALARS,
                                               "linkinfo": st.one_of(st.fixed_dictionaries(
                                                   {"info_kind": SCALARS}), SCALARS),
                                               "addr_info": st.one_of(st.lists(st.one_of(ADDR_INFO, SCALARS),
                                                                               max_size=3), SCALARS)})
    ROUTE = st.fixed_dictionaries({}, optional={
        "dst": st.one_of(st.sampled_from(["default", "10.0.2.0/24", "10.0.2.1", "fd00::/64", "1.2.3.4/99",
                                          "10.0.2.0/33", "multicast"]), ADDRESSES, SCALARS),
        "dev": st.one_of(NAMES, SCALARS), "table": st.one_of(NUMBER_TEXT, NUMBERS), "gateway": SCALARS,
        "prefsrc": SCALARS, "flags": st.one_of(st.lists(st.sampled_from(["onlink", "linkdown"])), SCALARS),
        "metric": st.one_of(NUMBERS, NUMBER_TEXT), "scope": SCALARS, "protocol": SCALARS, "type": SCALARS,
        "nexthops": JSON_VALUES})
    RULE = st.fixed_dictionaries({}, optional={
        "priority": st.one_of(NUMBERS, NUMBER_TEXT), "src": SCALARS, "srclen": SCALARS, "dst": SCALARS,
        "dstlen": SCALARS, "table": st.one_of(NUMBER_TEXT, NUMBERS), "protocol": st.one_of(NUMBERS, NUMBER_TEXT),
        "not": st.none(), "l3mdev": st.none(), "iif": NAMES, "oif": NAMES, "fwmark": SCALARS, "fwmask": SCALARS,
        "tos": SCALARS, "uid_start": NUMBERS, "uid_end": NUMBERS, "sport": SCALARS, "dport_start": NUMBERS,
        "dport_end": SCALARS, "ipproto": SCALARS, "goto": SCALARS, "action": SCALARS,
        "suppress_prefixlen": SCALARS, "realms": SCALARS})

    @SETTINGS
    @given(st.lists(st.one_of(LINK, JSON_VALUES), max_size=4))
    def test_links(self, data: list[Any]) -> None:
        count("ip -j addr shapes")
        links = kernel.parse_links(data)
        for name, link in links.items():
            self.assertIsInstance(name, str)
            for family in ("inet", "inet6"):
                link.global_addresses(family)   # type: ignore[arg-type]

    @SETTINGS
    @given(ROUTE, st.sampled_from(["inet", "inet6"]))
    def test_routes(self, entry: dict[str, Any], family: Any) -> None:
        count("ip -j route shapes")
        route = kernel.parse_route(entry, family)
        if route is not None:
            self.assertIsInstance(route.table, int)
            ipaddress.ip_network(route.dst, strict=False)    # the kernel's own form is taken as it is
        spec = objects.route_from_kernel(entry, family, 300) if isinstance(entry.get("protocol", 3), int) else None
        if spec is not None:
            spec.args()

    @SETTINGS
    @given(RULE, st.sampled_from(["inet", "inet6"]))
    def test_rules(self, entry: dict[str, Any], family: Any) -> None:
        count("ip -j rule shapes")
        rule = kernel.parse_rule(entry, family)
        kernel.owned_rules({family: [entry]})
        selectors = kernel.rule_selectors(entry)
        if rule is not None:
            self.assertEqual(rule.selectors, selectors)
            rule.args()
            hash(rule)

    @SETTINGS
    @given(st.one_of(st.lists(st.one_of(st.sampled_from(
        ["unreachable", "blackhole", "local", "10.0.2.0/24", "default", "via", "inet6", "fe80::1", "dev", "eth1",
         "metric", "weight", "table", "proto", "scope", "mtu", "lock", "1500", "onlink", "\\", "nexthop",
         "²", "٣", "99999999999999999999", "é", "a.b", "x" * 15]), NAMES, NUMBER_TEXT), max_size=12).map(" ".join),
        st.text(max_size=60)))
    def test_route_lines(self, line: str) -> None:
        count("ip -o route lines")
        route = inspect.parse_route_line(line)
        self.assertIn("type", route)
        json.dumps(route)
        for key in ("metric", "weight", "table"):
            if key in route:
                self.assertIsInstance(route[key], (int, str))


class NoTraceback(unittest.TestCase):
    """The CLI catches GatewaysError; anything else would be a traceback.  The parsers above raise
    only InvalidInput: checked by the properties (an unexpected exception fails them)."""

    def test_gateways_error_is_the_only_escape(self) -> None:
        self.assertTrue(issubclass(InvalidInput, GatewaysError))


if __name__ == "__main__":
    unittest.main()
