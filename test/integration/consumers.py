# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fleet tools that judge the exports in test_export_consumers.py, run on this machine
without changing it:

- systemd-networkd (Debian's, 252) in the lab's host namespace, under `unshare -m` with a
  private /run (its .network files go to /run/systemd/network), an empty tmpfs over
  /etc/systemd/network, /sys read-only and no D-Bus; stopped by its PID.
- netplan (Debian's netplan.io): `netplan generate --root-dir DIR`, whose files then go through
  networkd as above.
- ifup-routes of fedora-sysv/initscripts (test/vendor/initscripts) in the lab's host namespace
  under `unshare -m`, with an overlay on /etc so the machine's /etc is never written.
- libnm (python3-gi + gir1.2-nm-1.0, no daemon): NetworkManager profiles built from the nmstate
  state (the mapping nmstate makes: routes → ipvX.routes with the table and src attributes,
  route-rules → ipvX.routing-rules) or by the network role's own code (network_role.py),
  checked with verify(), written as keyfiles and read back.

Objects are compared as `Obj` tuples, without the marker (proto/protocol) and the metric, which
belong to whoever applies them.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from typing import Any, NamedTuple

from test.lab.gwlab import Lab

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INITSCRIPTS = os.path.join(TOP, "test", "vendor", "initscripts")
NETWORKD = "/lib/systemd/systemd-networkd"
TABLE_MIN, TABLE_MAX = 10000, 19999


class Obj(NamedTuple):
    """A route or a rule, as every consumer can be compared on it."""
    kind: str                 # route | rule
    family: str               # inet | inet6
    table: int
    dst: str = ""             # route: destination network; rule: `to`
    src: str = ""             # rule: `from`
    dev: str = ""
    gateway: str = ""
    prefsrc: str = ""
    scope_link: bool = False  # IPv4 routes only (IPv6 routes have no scope)
    onlink: bool = False
    priority: int = 0
    suppress: int = -1        # rule: suppress_prefixlength

    def __str__(self) -> str:
        if self.kind == "rule":
            suppress = f" suppress_prefixlength {self.suppress}" if self.suppress >= 0 else ""
            return (f"rule {self.family} {self.priority} from {self.src or 'all'} to {self.dst or 'all'} "
                    f"table {self.table}{suppress}")
        out = f"route {self.family} {self.dst} dev {self.dev} table {self.table}"
        out += f" via {self.gateway}" if self.gateway else ""
        out += f" src {self.prefsrc}" if self.prefsrc else ""
        out += " scope link" if self.scope_link else ""
        out += " onlink" if self.onlink else ""
        return out


def _net(address: str, length: int | None, family: str) -> str:
    if address in ("default", "all"):
        return "0.0.0.0/0" if family == "inet" else "::/0"
    if length is None:
        length = 32 if family == "inet" else 128
    return str(ipaddress.ip_network(f"{address}/{length}", strict=False))


def route_obj(family: str, table: int, dst: str, dev: str, gateway: str | None = None,
              prefsrc: str | None = None, scope_link: bool = False, onlink: bool = False) -> Obj:
    return Obj("route", family, table, dst=dst, dev=dev, gateway=gateway or "", prefsrc=prefsrc or "",
               scope_link=scope_link and family == "inet", onlink=onlink)


def rule_obj(family: str, priority: int, table: int, src: str = "", dst: str = "", suppress: int = -1) -> Obj:
    return Obj("rule", family, table, dst=dst, src=src, priority=priority, suppress=suppress)


def kernel_objects(lab: Lab) -> set[Obj]:
    """The lab host's routes in tables 10000-19999 and the rules that are not local/main/default."""
    out: set[Obj] = set()
    for family, flag in (("inet", "-4"), ("inet6", "-6")):
        for r in lab.ip_json("host", flag, "route", "show", "table", "all"):
            table = str(r.get("table", ""))
            if not table.isdigit() or not TABLE_MIN <= int(table) <= TABLE_MAX:
                continue
            dst = r["dst"]
            length = None
            if "/" in dst:
                dst, plen = dst.split("/")
                length = int(plen)
            out.add(route_obj(family, int(table), _net(dst, length, family), r.get("dev", ""),
                              r.get("gateway"), r.get("prefsrc"), str(r.get("scope")) in ("link", "253"),
                              "onlink" in r.get("flags", [])))
        for r in lab.ip_json("host", flag, "rule", "show"):
            if r.get("priority") in (0, 32766, 32767) and r.get("src") == "all" and "dst" not in r:
                continue                                    # local, main, default
            src = _net(r["src"], r.get("srclen"), family) if r.get("src", "all") != "all" else ""
            dst = _net(r["dst"], r.get("dstlen"), family) if "dst" in r else ""
            out.add(rule_obj(family, int(r["priority"]), int(r.get("table", 0)), src, dst,
                             int(r.get("suppress_prefixlen", -1))))     # iproute2's JSON name
    return out


def without_onlink(objs: set[Obj]) -> set[Obj]:
    """What the nmstate and Ansible exports give for on-link gateways: a host route to the gateway
    (scope link, same table) and the default route without the flag."""
    out: set[Obj] = set()
    for o in objs:
        if o.kind == "route" and o.onlink:
            out.add(o._replace(onlink=False))
            out.add(route_obj(o.family, o.table, _net(o.gateway, None, o.family), o.dev, scope_link=True))
        else:
            out.add(o)
    return out


def show(objs: set[Obj]) -> str:
    return "\n".join(sorted(str(o) for o in objs))


# --- a private mount namespace in the lab host ------------------------------------------------

class Private:
    """`ip netns exec HOST unshare -m` running a shell script; a long-running one is stopped by
    its PID (the shell execs the daemon, so the PID is the daemon's)."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.dir = tempfile.mkdtemp(prefix="gwe-consumer-")
        self.proc: subprocess.Popen[str] | None = None
        self.log: Any = None

    def argv(self, script: str) -> list[str]:
        path = os.path.join(self.dir, "run.sh")
        with open(path, "w") as f:
            f.write("set -e\n" + textwrap.dedent(script))
        return ["ip", "netns", "exec", self.lab.ns("host"), "unshare", "-m", "--propagation", "private",
                "sh", path]

    def run(self, script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(script), capture_output=True, text=True, timeout=60)

    def start(self, script: str) -> None:
        self.log = open(os.path.join(self.dir, "log"), "w+")
        self.proc = subprocess.Popen(self.argv(script), stdout=self.log, stderr=subprocess.STDOUT, text=True)

    def output(self) -> str:
        with open(os.path.join(self.dir, "log")) as f:
            return f.read()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_for(predicate: Any, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return bool(predicate())


# --- systemd-networkd ----------------------------------------------------------------------------

def networkd_base(addresses: dict[str, list[str]], gateways: dict[str, list[str]]) -> dict[str, str]:
    """The admin's own .network files: addresses and the main default routes."""
    files = {}
    for name, addrs in addresses.items():
        lines = ["[Match]", f"Name={name}", "", "[Network]", "IPv6AcceptRA=no", "LinkLocalAddressing=ipv6"]
        lines += [f"Address={a}" for a in addrs]
        lines += [f"Gateway={g}" for g in gateways.get(name, [])]
        files[f"10-{name}.network"] = "\n".join(lines) + "\n"
    return files


def start_networkd(private: Private, files: dict[str, str]) -> None:
    """Flush the host's addresses (networkd loops on addresses it did not create), then run
    networkd with `files` (name → text, `X.network.d/Y.conf` for drop-ins) in /run/systemd/network."""
    for name in ("eth0", "eth1"):
        private.lab.run("host", "ip", "addr", "flush", "dev", name)
    src = os.path.join(private.dir, "network")
    for name, text in files.items():
        path = os.path.join(src, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    private.start(f"""
        mount -t tmpfs -o mode=0755 tmpfs /run
        mkdir -p /run/systemd
        cp -r {src} /run/systemd/network
        mount -t tmpfs -o mode=0755 tmpfs /etc/systemd/network
        mount -o remount,ro /sys
        exec {NETWORKD}
    """)


# --- ifup-routes --------------------------------------------------------------------------------

def ifup_routes(lab: Lab, files: dict[str, str], interfaces: list[str]) -> subprocess.CompletedProcess[str]:
    """The real ifup-routes for each interface, with the export's files in
    /etc/sysconfig/network-scripts of an overlay over /etc (private mount namespace)."""
    private = Private(lab)
    try:
        scripts = os.path.join(private.dir, "upper", "sysconfig", "network-scripts")
        os.makedirs(scripts)
        os.makedirs(os.path.join(private.dir, "work"))
        for name in ("ifup-routes", "network-functions"):
            shutil.copy(os.path.join(INITSCRIPTS, name), scripts)
        for name, text in files.items():
            with open(os.path.join(scripts, name), "w") as f:
                f.write(text)
        calls = "\n".join(f"bash /etc/sysconfig/network-scripts/ifup-routes {i}" for i in interfaces)
        # network-functions sources /etc/init.d/functions (initscripts' own, not on Debian) unless
        # this is set, as the network-scripts set it after sourcing it once
        return private.run(f"""
            mount -t overlay overlay -o lowerdir=/etc,upperdir={private.dir}/upper,workdir={private.dir}/work /etc
            export __sed_discard_ignored_files='/\\(~\\|\\.bak\\|\\.old\\|\\.orig\\|\\.rpm\\(orig\\|new\\|save\\)\\)$/d'
            {calls}
        """)
    finally:
        private.close()


# --- libnm ----------------------------------------------------------------------------------------

def nm() -> Any:
    import gi
    gi.require_version("NM", "1.0")
    from gi.repository import NM
    return NM


def keyfile_roundtrip(connection: Any) -> tuple[str, Any]:
    """verify(), write as a keyfile, read it back (as NetworkManager loads it) and verify again."""
    NM = nm()
    connection.verify()                                 # raises GLib.Error when invalid
    keyfile = NM.keyfile_write(connection, NM.KeyfileHandlerFlags.NONE, None, None)
    text = keyfile.to_data()[0]
    read = NM.keyfile_read(keyfile, "/etc/NetworkManager/system-connections", NM.KeyfileHandlerFlags.NONE,
                           None, None)
    read.verify()
    return text, read


def profile_objects(connection: Any) -> set[Obj]:
    """The routes and rules a NetworkManager profile gives its interface."""
    dev = connection.get_interface_name()
    out: set[Obj] = set()
    for family, setting in (("inet", connection.get_setting_ip4_config()),
                            ("inet6", connection.get_setting_ip6_config())):
        if setting is None:
            continue
        for i in range(setting.get_num_routes()):
            r = setting.get_route(i)
            attrs = {name: r.get_attribute(name).unpack() for name in r.get_attribute_names()}
            out.add(route_obj(family, int(attrs.pop("table", 254)), _net(r.get_dest(), r.get_prefix(), family), dev,
                              r.get_next_hop(), attrs.pop("src", None),
                              scope_link=not r.get_next_hop(), onlink=bool(attrs.pop("onlink", False))))
            if attrs:
                raise AssertionError(f"route {r.get_dest()}: attributes the comparison ignores: {attrs}")
        for i in range(setting.get_num_routing_rules()):
            rule = setting.get_routing_rule(i)
            src = _net(rule.get_from(), rule.get_from_len(), family) if rule.get_from() else ""
            dst = _net(rule.get_to(), rule.get_to_len(), family) if rule.get_to() else ""
            out.add(rule_obj(family, rule.get_priority(), rule.get_table(), src, dst,
                             rule.get_suppress_prefixlength()))
    return out


def ip_commands(connection: Any) -> list[list[str]]:
    """`ip` commands for a profile's routes and rules, as NetworkManager adds them (proto static;
    a route without next hop is scope link, which ip also picks for it)."""
    dev = connection.get_interface_name()
    cmds: list[list[str]] = []
    rules: list[list[str]] = []
    for flag, setting in (("-4", connection.get_setting_ip4_config()), ("-6", connection.get_setting_ip6_config())):
        if setting is None:
            continue
        for i in range(setting.get_num_routes()):
            r = setting.get_route(i)
            cmd = ["ip", flag, "route", "add", f"{r.get_dest()}/{r.get_prefix()}"]
            if r.get_next_hop():
                cmd += ["via", r.get_next_hop()]
            cmd += ["dev", dev, "proto", "static"]
            for name in r.get_attribute_names():
                value = r.get_attribute(name).unpack()
                cmd += {"table": ["table", str(value)], "src": ["src", str(value)],
                        "onlink": ["onlink"] if value else []}[name]
            cmds.append(cmd)
        for i in range(setting.get_num_routing_rules()):
            rule = setting.get_routing_rule(i)
            cmd = ["ip", flag, "rule", "add", "priority", str(rule.get_priority())]
            if rule.get_from():
                cmd += ["from", f"{rule.get_from()}/{rule.get_from_len()}"]
            if rule.get_to():
                cmd += ["to", f"{rule.get_to()}/{rule.get_to_len()}"]
            if rule.get_suppress_prefixlength() >= 0:
                cmd += ["suppress_prefixlength", str(rule.get_suppress_prefixlength())]
            rules.append(cmd + ["table", str(rule.get_table()), "protocol", "static"])
    return cmds + rules


_NMSTATE_ROUTE_KEYS = {"destination", "next-hop-interface", "next-hop-address", "table-id", "source", "metric"}
_NMSTATE_RULE_KEYS = {"ip-to", "ip-from", "priority", "route-table", "family", "suppress-prefix-length"}


def nmstate_profiles(state: dict[str, Any]) -> list[Any]:
    """NetworkManager profiles for an nmstate state's routes and route-rules, as nmstate makes
    them: each route in the profile of its next-hop-interface, each rule in the profile of the
    interface whose routes use its table; a rule whose table no route uses (`lookup main
    suppress_prefixlength 0`) in the profile of the first interface the routes name, as nmstate's
    find_interface_for_rule picks it (an interface without auto-table-id counts as using main).
    Unknown keys are refused, as nmstate refuses them."""
    NM = nm()
    from gi.repository import GLib
    unknown = set(state) - {"routes", "route-rules"}
    if unknown:
        raise ValueError(f"unknown nmstate keys: {sorted(unknown)}")
    routes = state["routes"]["config"]
    rules = state.get("route-rules", {}).get("config", [])
    profiles: dict[str, Any] = {}
    table_owner: dict[int, str] = {}

    def profile(name: str) -> tuple[Any, Any]:
        if name not in profiles:
            con = NM.SimpleConnection.new()
            s_con = NM.SettingConnection.new()
            s_con.set_property(NM.SETTING_CONNECTION_ID, name)
            s_con.set_property(NM.SETTING_CONNECTION_UUID, NM.utils_uuid_generate())
            s_con.set_property(NM.SETTING_CONNECTION_TYPE, "802-3-ethernet")
            s_con.set_property(NM.SETTING_CONNECTION_INTERFACE_NAME, name)
            con.add_setting(s_con)
            con.add_setting(NM.SettingWired.new())
            for setting in (NM.SettingIP4Config.new(), NM.SettingIP6Config.new()):
                setting.set_property(NM.SETTING_IP_CONFIG_METHOD, "auto")
                con.add_setting(setting)
            profiles[name] = con
        con = profiles[name]
        return con.get_setting_ip4_config(), con.get_setting_ip6_config()

    for route in routes:
        unknown = set(route) - _NMSTATE_ROUTE_KEYS
        if unknown:
            raise ValueError(f"route {route}: unknown keys {sorted(unknown)}")
        net = ipaddress.ip_network(route["destination"])
        family = 4 if net.version == 4 else 6
        r = NM.IPRoute.new(2 if family == 4 else 10, str(net.network_address), net.prefixlen,
                           route.get("next-hop-address"), route.get("metric", -1))
        r.set_attribute("table", GLib.Variant.new_uint32(route["table-id"]))
        if "source" in route:
            r.set_attribute("src", GLib.Variant.new_string(route["source"]))
        s4, s6 = profile(route["next-hop-interface"])
        (s4 if family == 4 else s6).add_route(r)
        table_owner.setdefault(route["table-id"], route["next-hop-interface"])
    for rule in rules:
        unknown = set(rule) - _NMSTATE_RULE_KEYS
        if unknown:
            raise ValueError(f"route-rule {rule}: unknown keys {sorted(unknown)}")
        address = rule.get("ip-to") or rule.get("ip-from")
        family = ipaddress.ip_network(address).version if address else (4 if rule["family"] == "ipv4" else 6)
        nm_rule = NM.IPRoutingRule.new(2 if family == 4 else 10)
        nm_rule.set_priority(rule["priority"])
        nm_rule.set_table(rule["route-table"])
        for key, setter in (("ip-to", nm_rule.set_to), ("ip-from", nm_rule.set_from)):
            if key in rule:
                net = ipaddress.ip_network(rule[key])
                setter(str(net.network_address), net.prefixlen)
        if "suppress-prefix-length" in rule:
            nm_rule.set_suppress_prefixlength(rule["suppress-prefix-length"])
        owner = table_owner.get(rule["route-table"]) or next(iter(profiles), None)
        if owner is None:
            raise ValueError(f"route-rule {rule}: no interface in the state to hold it")
        s4, s6 = profile(owner)
        (s4 if family == 4 else s6).add_routing_rule(nm_rule)
    return list(profiles.values())
