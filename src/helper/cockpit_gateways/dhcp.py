# SPDX-License-Identifier: LGPL-2.1-or-later
"""DHCP leases: `cockpit-gateways dhcp-event`, called by the dhclient hooks and the
NetworkManager dispatcher script (src/host/).

Two ways in:
  dhclient (no arguments): the environment dhclient gives its script — `reason`, `interface`,
      `new_ip_address`, `new_subnet_mask`, `new_routers`, `old_*`.
        BOUND, REBOOT, RENEW, REBIND   source routing from the lease's first router
        STOP, RELEASE, EXPIRE, FAIL    remove it
        TIMEOUT                        no server answered and dhclient tried its cached lease:
                                       kept when the lease's address is on the interface (the
                                       script bound it), removed otherwise
        PREINIT, MEDIUM, ARP*, …       nothing (and any reason we do not know: nothing)
        *6 (dhclient -6)               nothing: a DHCPv6 lease carries no router; IPv6 routers come
                                       from router advertisements.  Set an IPv6 gateway with `set`.
  NetworkManager dispatcher (`dhcp-event IFACE ACTION`, environment DHCP4_*, IP4_*, DHCP6_*, IP6_*):
        every action below converges the interface like `reconcile IFACE` (static gateways are
        kept and come back with the address; a lease's objects follow the lease), after:
        up, reapply, dhcp4-change   record the IPv4 lease (router from DHCP4_ROUTERS, else
                             IP4_GATEWAY) when the connection uses DHCP (some DHCP4_* variable)
        up, reapply, dhcp6-change   record the IPv6 "lease" (router: IP6_GATEWAY, from router
                             advertisements) when the connection uses DHCPv6 (some DHCP6_* variable)
        down, pre-down       nothing to record
        connectivity-change  (no interface) every interface, like `reconcile`
        anything else        nothing at all (pre-up, vpn-*, hostname, …)
      then every recorded lease of the interface whose address is no longer on it is dropped
      (after `down` also a lease without a recorded address when the interface has no global
      address of its family left).  NetworkManager runs its scripts one at a time but late: an
      `up` may run after the interface went down again.  Because the lease is judged by the
      kernel's addresses, the result is the same whatever order the events arrive in.  (A lease
      reported with an address not yet on the interface gets ADDRESS_GRACE seconds to appear.)

Leases live in /run/cockpit-gateways/dhcp.json (volatile: a reboot forgets them and the DHCP
client reports them again), never in config.json; only the interface's table number is kept in
config.json (an entry with just {"table": N}) so the table stays the same across leases and
reboots.  A static gateway the admin set for the same interface and family wins over the lease.

The kernel is the truth for addresses: the event must come after the DHCP client configured the
address (dhclient's exit hooks, RHEL's dhclient.d `*_config`, NetworkManager's dispatcher all do),
and the engine builds the table from the addresses the interface has then.  A RENEW that changed
the address, subnet or router therefore converges to the new objects and removes the old ones.
Its format is in leases.py, which reads it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import time
from typing import Any, ContextManager, Mapping

from . import kernel, leases
from .engine import allocate_table, converge, plan
from .kept import restore_kept
from .model import FAMILIES, Family, GatewaysError, InvalidInput, family_of, parse_address, parse_interface_name
from .pending import rollback_expired
from .result import Result, require_root
from .store import (Config, FileChange, InterfaceConfig, Paths, config_to_json, dump_json, load_config, locked,
                    load_layout, read_json, read_text, remove, save_config, write_atomic)

SET_REASONS = frozenset({"BOUND", "REBOOT", "RENEW", "REBIND"})
REMOVE_REASONS = frozenset({"STOP", "RELEASE", "EXPIRE", "FAIL"})
NM_ACTIONS = frozenset({"up", "down", "pre-down", "reapply", "dhcp4-change", "dhcp6-change", "connectivity-change"})
NM_LEASE4_ACTIONS = frozenset({"up", "reapply", "dhcp4-change"})
NM_LEASE6_ACTIONS = frozenset({"up", "reapply", "dhcp6-change"})
NM_DOWN_ACTIONS = frozenset({"down"})


@dataclasses.dataclass(frozen=True)
class Event:
    """One thing to do for one interface and family."""
    interface: str
    family: Family
    op: str                       # set | remove | check (TIMEOUT: set if the address is there)
    router: str | None = None     # set: the lease's router; None: a lease without a router
    address: str | None = None    # the lease's address with prefix, e.g. 10.0.2.57/24
    reason: str = ""              # BOUND, up, …
    client: str = "dhclient"      # dhclient | NetworkManager

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"interface": self.interface, "family": self.family, "action": self.op,
                               "reason": self.reason, "client": self.client}
        if self.op != "remove":
            out["router"] = self.router
        if self.address:
            out["address"] = self.address
        return out


@dataclasses.dataclass
class Parsed:
    events: list[Event]
    note: str = ""                # why nothing is done, or what was noticed
    converge: bool = False        # NetworkManager: drop vanished leases, then converge `interface`
    interface: str | None = None  # …or every interface when None
    deactivated: bool = False     # `down`: leases without a recorded address go with the family's last address


# --- parsing -----------------------------------------------------------------------------------

def parse_event(args: list[str], env: Mapping[str, str]) -> Parsed:
    """The DHCP client's call, as events.  Raises InvalidInput (exit 2) for bad values."""
    if args:
        if len(args) != 2:
            raise InvalidInput("usage: dhcp-event takes no arguments (dhclient) or IFACE ACTION "
                               "(NetworkManager dispatcher)", "arguments")
        return parse_dispatcher(args[0], args[1], env)
    if "reason" not in env:
        raise InvalidInput("reason: not set; dhcp-event reads dhclient's environment (reason, interface, "
                           "new_*) or takes IFACE ACTION from the NetworkManager dispatcher", "reason")
    return parse_dhclient(env)


def _first_router(value: str | None, family: Family, field: str) -> str | None:
    words = (value or "").split()
    if not words:
        return None
    address = parse_address(words[0], field)
    if family_of(address) != family:
        raise InvalidInput(f"{field}: {address} is not an {'IPv4' if family == 'inet' else 'IPv6'} address",
                           field)
    return str(address)


def _lease_address(env: Mapping[str, str], prefix: str) -> str | None:
    """`new_ip_address` + `new_subnet_mask` (or `old_*`) as 10.0.2.57/24, validated."""
    address = env.get(f"{prefix}_ip_address", "").strip()
    if not address:
        return None
    mask = env.get(f"{prefix}_subnet_mask", "").strip() or "32"
    try:
        iface = ipaddress.IPv4Interface(f"{address}/{mask}")
    except ValueError:
        raise InvalidInput(f"{prefix}_ip_address: '{address}/{mask}' is not an IPv4 address with a subnet mask",
                           f"{prefix}_ip_address") from None
    return str(iface)


def parse_dhclient(env: Mapping[str, str]) -> Parsed:
    reason = env.get("reason", "")
    if reason.endswith("6") and reason[:-1] in SET_REASONS | REMOVE_REASONS | {"PREINIT", "DEPREF"}:
        return Parsed([], f"{reason}: DHCPv6 leases carry no router (IPv6 routers come from router "
                          "advertisements); nothing to do")
    if reason not in SET_REASONS | REMOVE_REASONS | {"TIMEOUT"}:
        return Parsed([], f"{reason or '(empty reason)'}: nothing to do for this reason")
    name = parse_interface_name(env.get("interface", ""), "interface")
    if reason in REMOVE_REASONS:
        return Parsed([Event(name, "inet", "remove", address=_lease_address(env, "old"), reason=reason)])
    router = _first_router(env.get("new_routers"), "inet", "new_routers")
    address = _lease_address(env, "new")
    if address is None:
        if reason == "TIMEOUT":
            return Parsed([Event(name, "inet", "remove", reason=reason)])
        raise InvalidInput(f"new_ip_address: {reason} without a lease address", "new_ip_address")
    op = "check" if reason == "TIMEOUT" else "set"
    note = "" if router else f"{name}: the DHCP lease {address} has no router; no source routing for it"
    return Parsed([Event(name, "inet", op, router, address, reason)], note)


def parse_dispatcher(iface: str, action: str, env: Mapping[str, str]) -> Parsed:
    if action not in NM_ACTIONS:
        return Parsed([], f"{action or '(empty action)'}: nothing to do for this action")
    if action == "connectivity-change" and iface in ("", "none"):
        return Parsed([], "", converge=True)
    name = parse_interface_name(iface, "interface")
    events: list[Event] = []
    notes: list[str] = []
    if action in NM_LEASE4_ACTIONS and any(k.startswith("DHCP4_") for k in env):
        router = _first_router(env.get("DHCP4_ROUTERS"), "inet", "DHCP4_ROUTERS") \
            or _first_router(_nm_gateway(env.get("IP4_GATEWAY")), "inet", "IP4_GATEWAY")
        address = None
        if env.get("DHCP4_IP_ADDRESS"):
            mask = env.get("DHCP4_SUBNET_MASK") or "32"
            try:
                address = str(ipaddress.IPv4Interface(f"{env['DHCP4_IP_ADDRESS'].strip()}/{mask.strip()}"))
            except ValueError:
                raise InvalidInput(f"DHCP4_IP_ADDRESS: '{env['DHCP4_IP_ADDRESS']}/{mask}' is not an IPv4 "
                                   "address with a subnet mask", "DHCP4_IP_ADDRESS") from None
        events.append(Event(name, "inet", "set", router, address, action, "NetworkManager"))
        if router is None:
            notes.append(f"{name}: the DHCP lease {address or ''} has no router; no source routing for it")
    if action in NM_LEASE6_ACTIONS and any(k.startswith("DHCP6_") for k in env):
        router = _first_router(_nm_gateway(env.get("IP6_GATEWAY")), "inet6", "IP6_GATEWAY")
        address6 = None
        if env.get("DHCP6_IP6_ADDRESS"):
            address6 = parse_address(env["DHCP6_IP6_ADDRESS"].strip(), "DHCP6_IP6_ADDRESS")
            if family_of(address6) != "inet6":
                raise InvalidInput(f"DHCP6_IP6_ADDRESS: {address6} is not an IPv6 address", "DHCP6_IP6_ADDRESS")
        if router is not None:
            events.append(Event(name, "inet6", "set", router, str(address6) if address6 else None, action,
                                "NetworkManager"))
        else:
            notes.append(f"{name}: no IPv6 gateway from router advertisements yet; nothing to do for IPv6")
    return Parsed(events, "; ".join(notes), converge=True, interface=name, deactivated=action in NM_DOWN_ACTIONS)


def _nm_gateway(value: str | None) -> str | None:
    """NetworkManager's IP4_GATEWAY/IP6_GATEWAY: `0.0.0.0` (for IPv6 too, measured with 1.42) or
    `::` mean no gateway (e.g. ipv4/ipv6.never-default)."""
    return None if value is None or value.strip() in ("0.0.0.0", "::") else value


def stale_leases(raw: Mapping[str, Any], links: Mapping[str, kernel.Link], *, only: str | None = None,
                 deactivated: bool = False, keep_down: bool = False) -> list[tuple[str, Family]]:
    """The recorded leases whose address is gone from their interface (or the interface itself).
    A lease without a recorded address is judged only when `deactivated` (NetworkManager's `down`):
    gone when the interface has no global address of the family left.  `keep_down`: a link that
    is administratively down keeps its leases (IPv6 addresses leave with the link and come back
    with it)."""
    out: list[tuple[str, Family]] = []
    for name, entry in sorted(raw.items()):
        if (only is not None and name != only) or not isinstance(entry, dict):
            continue
        link = links.get(name)
        if link is not None and keep_down and not link.up:
            continue
        for family in FAMILIES:
            lease = entry.get(family)
            if not isinstance(lease, dict):
                continue
            have = {a.ip for a in link.global_addresses(family)} if link is not None else set()
            address = lease.get("address")
            if link is None:
                out.append((name, family))
            elif isinstance(address, str):
                try:
                    gone = ipaddress.ip_interface(address).ip not in have
                except ValueError:
                    gone = True
                if gone:
                    out.append((name, family))
            elif deactivated and not have:
                out.append((name, family))
    return out


# --- applying ----------------------------------------------------------------------------------

def _has_address(name: str, address: str | None) -> bool:
    if address is None:
        return False
    link = kernel.read_links().get(name)
    want = ipaddress.ip_interface(address)
    return link is not None and any(a == want for a in link.global_addresses("inet"))


def run_event(paths: Paths, parsed: Parsed, *, dry_run: bool = False) -> tuple[Result, dict[str, Any]]:
    """Record the lease and converge the interface's table (NetworkManager: also drop the leases
    whose address vanished, and converge even without a lease).  Returns the result and a summary
    for the JSON output ("dhcp" key)."""
    info: dict[str, Any] = {"events": [e.to_json() for e in parsed.events]}
    if parsed.note:
        info["note"] = parsed.note
    if not parsed.events and not parsed.converge:
        return Result([], [], dry_run), info
    names = {e.interface for e in parsed.events} | ({parsed.interface} if parsed.interface else set())
    if len(names) > 1:
        raise InvalidInput("one interface per event", "interface")
    name = names.pop() if names else None          # None: every interface (connectivity-change)
    if not dry_run:
        require_root()
        if parsed.converge and name is not None:
            _await_addresses(name, [e for e in parsed.events if e.op == "set"])
    lock: ContextManager[None] = contextlib.nullcontext() if dry_run else locked(paths)
    with lock:
        config = rollback_expired(paths, dry_run)
        stored = load_config(paths)
        old_raw_text = read_text(paths.dhcp)
        raw = leases.read_raw(paths)
        need_table = False
        if name is not None and parsed.events:
            need_table = _record(raw, name, parsed.events, info)
        if parsed.converge:
            dropped = drop_stale(raw, kernel.read_links(), only=name, deactivated=parsed.deactivated)
            if dropped:
                info["dropped"] = dropped
        new_raw_text = dump_json(raw) if raw else None
        dhcp_change = [] if new_raw_text == old_raw_text else \
            [FileChange(paths.dhcp, "write" if raw else "delete")]

        new_config = config
        table_added = False
        if name is not None and need_table and (name not in config or name not in stored):
            table = (config.get(name) or stored.get(name) or
                     InterfaceConfig(allocate_table({**stored, **config}, name, load_layout(paths)))).table
            stored.setdefault(name, InterfaceConfig(table))
            new_config = dict(config)
            new_config.setdefault(name, InterfaceConfig(table))
            table_added = True

        if dry_run:
            dhcp = leases.gateways(raw)
            desired, changes = plan(new_config, dhcp, kernel.Snapshot.read(), name)
            files = list(dhcp_change)
            if table_added:
                files.append(FileChange(paths.config, "write"))
            return Result(changes, files, True), info

        old_config_text = read_text(paths.config)
        old_pending_text = read_text(paths.pending)
        try:
            if dhcp_change and new_raw_text is not None:
                write_atomic(paths.dhcp, new_raw_text, paths.root)
            elif dhcp_change:
                remove(paths.dhcp, paths.root)
            if table_added:
                save_config(paths, stored)
                if new_config is not config:
                    _update_pending(paths, new_config)
            result = converge(paths, new_config, dry_run=False, only=name, save=False)
            if name is None:
                result.changes += restore_kept(paths, False)
        except GatewaysError:
            _put_back(paths, paths.dhcp, old_raw_text)
            _put_back(paths, paths.config, old_config_text)
            _put_back(paths, paths.pending, old_pending_text)
            raise
    result.files = dhcp_change + result.files
    return result, info


ADDRESS_GRACE = 1.0      # seconds a lease NetworkManager just reported may take to reach the kernel


def _await_addresses(name: str, events: list[Event]) -> None:
    """NetworkManager reports a lease with its address; should the address not be on the interface
    yet, give it ADDRESS_GRACE seconds before the lease is judged by the kernel (and, if still
    missing, dropped as a late event's)."""
    wanted = {ipaddress.ip_interface(e.address).ip for e in events if e.address}
    deadline = time.monotonic() + ADDRESS_GRACE
    while wanted:
        link = kernel.read_links().get(name)
        have = {a.ip for f in FAMILIES for a in link.global_addresses(f)} if link is not None else set()
        if wanted <= have or time.monotonic() >= deadline:
            return
        time.sleep(0.1)


def _record(raw: dict[str, Any], name: str, events: list[Event], info: dict[str, Any]) -> bool:
    """Put the events' leases into raw (dhcp.json's content); True when one has a router."""
    entry = raw.get(name) if isinstance(raw.get(name), dict) else {}
    assert isinstance(entry, dict)
    entry = dict(entry)
    need_table = False
    for i, event in enumerate(events):
        op = event.op
        if op == "check":
            op = "set" if _has_address(name, event.address) else "remove"
            info["events"][i]["action"] = op
        if op == "remove":
            entry.pop(event.family, None)
            continue
        lease: dict[str, Any] = {"reason": event.reason, "client": event.client, "updated": int(time.time())}
        if event.address:
            lease["address"] = event.address
        if event.router:
            lease["gateway"] = event.router
            need_table = True
        entry[event.family] = lease
    if entry:
        raw[name] = entry
    else:
        raw.pop(name, None)
    return need_table


def drop_stale(raw: dict[str, Any], links: Mapping[str, kernel.Link], *, only: str | None = None,
               deactivated: bool = False, keep_down: bool = False) -> list[dict[str, str]]:
    """Remove the stale leases (stale_leases) from raw; returns them for the JSON output."""
    dropped = []
    for name, family in stale_leases(raw, links, only=only, deactivated=deactivated, keep_down=keep_down):
        entry = raw[name]
        lease = entry.pop(family)
        item = {"interface": name, "family": family}
        if isinstance(lease, dict) and isinstance(lease.get("address"), str):
            item["address"] = lease["address"]
        dropped.append(item)
        if not entry:
            del raw[name]
    return dropped


def has_stale(paths: Paths) -> bool:
    """Without the lock: is there a lease for `prune` to drop?  (Cheap when there are no leases.)"""
    raw = leases.read_raw(paths)
    return bool(raw) and bool(stale_leases(raw, kernel.read_links(), keep_down=True))


def prune(paths: Paths) -> tuple[Result, list[dict[str, str]]]:
    """`watch`: drop every lease whose address vanished while its link is up (a lease lost
    without an event from the DHCP client, e.g. NetworkManager while another address keeps the
    connection up), then converge every interface.  Takes the lock."""
    require_root()
    with locked(paths):
        config = rollback_expired(paths, False)
        old_raw_text = read_text(paths.dhcp)
        raw = leases.read_raw(paths)
        dropped = drop_stale(raw, kernel.read_links(), keep_down=True)
        files = []
        if dropped:
            try:
                if raw:
                    write_atomic(paths.dhcp, dump_json(raw), paths.root)
                else:
                    remove(paths.dhcp, paths.root)
            except GatewaysError:
                _put_back(paths, paths.dhcp, old_raw_text)
                raise
            files.append(FileChange(paths.dhcp, "write" if raw else "delete"))
        try:
            result = converge(paths, config, dry_run=False, save=False)
        except GatewaysError:
            _put_back(paths, paths.dhcp, old_raw_text)
            raise
    result.files = files + result.files
    return result, dropped


def _update_pending(paths: Paths, config: Config) -> None:
    """A change waiting for confirmation holds its own copy of the config: give it the table too."""
    data = read_json(paths.pending)
    if isinstance(data, dict) and "config" in data:
        data["config"] = config_to_json(config)
        write_atomic(paths.pending, dump_json(data), paths.root, 0o600)


def _put_back(paths: Paths, path: str, text: str | None) -> None:
    try:
        if read_text(path) == text:
            return
        if text is None:
            remove(path, paths.root)
        else:
            write_atomic(path, text, paths.root)
    except GatewaysError:
        pass
