# SPDX-License-Identifier: LGPL-2.1-or-later
"""Command line: parse, run, print, exit.  Global options work before or after the command.

Exit status: 0 done; 2 invalid input or usage, nothing changed; 1 any other failure, after which
the owned state is what it was before.  Errors are one line on stderr; with --json, stdout also
carries {"error": …, "field": …}.  No traceback ever reaches the caller.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable, NoReturn, Sequence

from .model import EXIT_FAILED, EXIT_INVALID, EXIT_OK, GatewaysError, InvalidInput, parse_family
from .result import Result, require_root
from .store import Paths

DESCRIPTION = """\
Give every network on this host its own gateway (source routing), and inspect policy routing.
For an interface with a gateway, cockpit-gateways keeps a routing table (the on-link subnet route
and a default route via that gateway) and rules sending traffic to and from the interface's
subnets to that table. The main table, and so the host's default gateway, is never changed."""

EPILOG = """\
commands:
  status [--no-route-counts]      interfaces, addresses, gateways, tables, rules and drift
  set IFACE GATEWAY               give IFACE's subnets of GATEWAY's family their own gateway
  unset IFACE                     remove IFACE's gateway (both families unless --family)
  reconcile [IFACE] [--family F]  make the kernel match the saved configuration (boot, repair)
  confirm TOKEN                   keep a change that was applied with --confirm-within
  dhcp-event [IFACE ACTION]       a DHCP lease changed: from dhclient's hooks (environment) or
                                  the NetworkManager dispatcher (IFACE ACTION and environment)
  watch                           repair source routing whenever it goes missing (a service)
  install-hooks [--remove]        put the DHCP hooks and systemd units in place for this helper
  layout [--priority N] [--tables MIN-MAX]
                                  our rules' priorities (N..N+3) and table range: show or move
  service status|enable|disable [boot] [watch]
                                  restore at boot (boot) and self-healing (watch): systemd units
  routes TABLE                    a window of one table's routes, filtered and sorted here
  lookup TO [--from ADDR]         where a packet goes, and which rule and route decided it
  reach IFACE CLIENT              can CLIENT reach this host on IFACE, and do replies go back?
  routers IFACE [--family F]      IFACE's networks and the routers likely on them (neighbours,
                                  the DHCP lease, main's routes): gateway candidates
  route add|del DEST …            one route in any table (a one-off fix; see route --help)
  rule add|del --priority N …     one policy rule (a one-off fix; see rule --help)
  table-name add NUMBER NAME      name a routing table (rt_tables.d/cockpit-gateways-names.conf);
  table-name del NAME             del removes such a name
  export --format FORMAT          this host's gateways as nmstate, ansible (network role), netplan,
                                  ifcfg (network-scripts files) or networkd (drop-ins)

examples:
  cockpit-gateways set eth1 10.0.2.1 --dry-run
  cockpit-gateways set eth1 fe80::1
  cockpit-gateways unset eth1 --family inet6
  cockpit-gateways status --json
  cockpit-gateways lookup 10.0.9.2 --from 10.0.2.10
  cockpit-gateways route add 10.0.9.0/24 --via 10.0.2.1 --table 300 --keep
  cockpit-gateways rule del --priority 800 --from 10.0.5.0/24 --table 201 --foreign

exit status: 0 done, 2 invalid input (nothing changed), 1 other failure (previous state restored).
The root directory for all files can also be set with COCKPIT_GATEWAYS_ROOT."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidInput(f"usage: {message} (see --help)", "arguments")


def _globals(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--root", metavar="DIR", default=default,
                        help="prefix every file path with DIR (default: / or $COCKPIT_GATEWAYS_ROOT)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="print exactly one JSON document on stdout")


def _confirm_within(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds") from None
    if not 1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError("must be between 1 and 3600 seconds")
    return seconds


def _whole(field: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not value.isascii() or not value.isdigit():
            raise InvalidInput(f"{field}: '{value[:20]}' is not a whole number", field)
        return int(value)
    return parse


def _table_range(value: str) -> tuple[int, int]:
    low, sep, high = value.partition("-")
    if not sep:
        raise InvalidInput(f"tables: '{value[:30]}' is not a range MIN-MAX", "tables")
    return _whole("tables")(low), _whole("tables")(high)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cockpit-gateways", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _globals(parser, True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        _globals(p, False)
        return p

    p = command("status", "show interfaces, gateways, tables, rules and drift")
    p.add_argument("--no-route-counts", action="store_true",
                   help="leave out the route counts per table (and the tables only routes name): "
                        "the snapshot then costs the same however many routes other tables hold")

    p = command("set", "set the gateway of an interface's network")
    p.add_argument("interface", metavar="IFACE")
    p.add_argument("gateway", metavar="GATEWAY", help="IPv4 or IPv6 address; the family follows from it")
    p.add_argument("--onlink", action="store_true", help="the gateway is on the link though outside its subnets")
    _change_options(p)

    p = command("unset", "remove the gateway of an interface's network")
    p.add_argument("interface", metavar="IFACE")
    p.add_argument("--family", choices=["inet", "inet6"], help="only this family (default: both)")
    _change_options(p)

    p = command("reconcile", "make the kernel match the saved configuration")
    p.add_argument("interface", metavar="IFACE", nargs="?")
    p.add_argument("--family", choices=["inet", "inet6"], help="only this family (default: both)")
    _change_options(p)

    p = command("confirm", "keep a change applied with --confirm-within")
    p.add_argument("token", metavar="TOKEN")

    p = command("dhcp-event", "follow a DHCP lease: called by the dhclient hooks (environment: reason, "
                "interface, new_*, old_*) or the NetworkManager dispatcher (IFACE ACTION, DHCP4_*, IP4_*, …)")
    p.add_argument("nm_args", metavar="IFACE ACTION", nargs="*",
                   help="the NetworkManager dispatcher's arguments; none for dhclient")
    p.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")

    p = command("watch", "follow `ip monitor` and reconcile when our routes or rules go missing "
                "(link down/up, address removed and re-added, a rule deleted by hand)")
    p.add_argument("--debounce", metavar="SECONDS", type=float, default=None,
                   help="quiet time before looking (default 0.3)")
    p = command("install-hooks", "install the DHCP hooks and systemd units for this helper under /etc")
    p.add_argument("--remove", action="store_true", help="remove them instead")
    p.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    p = command("layout", "show or move the priorities of our rules (four in a row from --priority: shared-subnet, "
                "main, to, from; default 30998) and the range our tables come from (default 10000-19999)")
    p.add_argument("--priority", help="the first of our four rule priorities (1-32762)")
    p.add_argument("--tables", metavar="MIN-MAX", help="the range our tables come from")
    p.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    p = command("service", "whether source routing is restored at boot (boot: cockpit-gateways.service) and "
                "repaired when it goes missing (watch: cockpit-gateways-watch.service); turn each on or off "
                "with systemctl (enable/disable also start/stop it when systemd runs)")
    p.add_argument("op", choices=["status", "enable", "disable"])
    p.add_argument("names", metavar="SERVICE", nargs="*", help="boot, watch (default: both)")
    p.add_argument("--dry-run", action="store_true", help="print the systemctl commands, run none")

    _inspect_commands(command)
    _fix_commands(command)
    p = command("table-name", "name a routing table for iproute2 (ip route show table NAME), in "
                "/etc/iproute2/rt_tables.d/cockpit-gateways-names.conf; or remove such a name")
    p.add_argument("op", choices=["add", "del"])
    p.add_argument("words", metavar="NUMBER NAME | NAME", nargs="+")
    _change_options(p)
    _export_command(command)
    return parser


def _export_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from .export import FORMATS
    p = command("export", "print this host's per-network gateways for a fleet tool: an nmstate state, "
                "linux-system-roles network role variables, a netplan file, network-scripts files or "
                "systemd-networkd drop-ins")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--include-dhcp", action="store_true",
                   help="also export gateways learned from DHCP leases (default: static ones only)")


def _inspect_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("routes", "list one routing table's routes, a window at a time (filtered and sorted here)")
    p.add_argument("table", metavar="TABLE", help="number or name (main, local, gw-eth1, …)")
    p.add_argument("--family", choices=["inet", "inet6"], help="only this family (default: both)")
    p.add_argument("--offset", type=int, default=0, help="skip this many routes (default 0)")
    p.add_argument("--limit", type=int, default=100, help="at most this many routes (default 100)")
    p.add_argument("--filter", default="", help="only routes whose line contains this text")
    p.add_argument("--exact", action="store_true", help="the filter matches whole words only")
    p.add_argument("--sort", choices=["dst", "gateway", "dev", "metric", "protocol"])
    p.add_argument("--reverse", action="store_true")
    p.add_argument("--owner", default="", metavar="OWNER",
                   help="only routes of this owner (kernel, cockpit-gateways, dhcp, …; see doc/helper-json.md)")

    p = command("lookup", "where does a packet go and why: our evaluation of the rules and tables beside "
                "ip route get's answer, with the rule and route that decided")
    p.add_argument("to", metavar="TO", help="destination address")
    p.add_argument("--from", dest="source", metavar="ADDR", help="source address")
    p.add_argument("--iif", metavar="IFACE", help="as if the packet arrived on IFACE")
    p.add_argument("--oif", metavar="IFACE", help="as if it were sent out of IFACE")
    p.add_argument("--fwmark", metavar="MARK", help="firewall mark (decimal or 0x…)")
    p.add_argument("--tos", help="type of service / DSCP byte (decimal or 0x…)")
    p.add_argument("--ipproto", help="IP protocol (tcp, udp, icmp or a number)")
    p.add_argument("--sport", metavar="PORT", help="source port")
    p.add_argument("--dport", metavar="PORT", help="destination port")
    p.add_argument("--uid", help="as if sent by a process of this user id")

    p = command("routers", "the interface's networks and the routers likely on them, for choosing a gateway: "
                "neighbours in its subnets (IPv6: with the router flag), its DHCP lease's router and the "
                "gateways of main's routes via it; read-only")
    p.add_argument("interface", metavar="IFACE")
    p.add_argument("--family", choices=["inet", "inet6"], help="only this family (default: both)")

    p = command("reach", "can CLIENT reach this host on IFACE, and do the replies go back the same way?")
    p.add_argument("interface", metavar="IFACE")
    p.add_argument("client", metavar="CLIENT", help="the client's address (IPv4 or IPv6)")


def _fix_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("route", "add or delete one route in any table (a one-off fix)")
    p.add_argument("op", choices=["add", "del"])
    p.add_argument("destination", metavar="DEST", nargs="?",
                   help="network (10.0.3.0/24, fd00:3::/64) or default")
    p.add_argument("--table", default="main", help="number or name (default: main)")
    p.add_argument("--family", choices=["inet", "inet6"], help="for `default`: the family (default inet)")
    p.add_argument("--type", default="unicast", help="unicast, blackhole, unreachable, prohibit or throw")
    p.add_argument("--via", metavar="GATEWAY", help="the next hop (add: not one of this host's addresses)")
    p.add_argument("--dev", metavar="IFACE")
    p.add_argument("--metric")
    p.add_argument("--src", metavar="ADDR", help="preferred source address")
    p.add_argument("--scope", help="global, link or host")
    p.add_argument("--proto", help="protocol name or number (default for add: static)")
    p.add_argument("--onlink", action="store_true")
    p.add_argument("--many", metavar="JSON",
                   help="del only, instead of DEST and its options: several routes in one change with one "
                        "rollback, a JSON list of `route del` argument lists (each route's `delete` from "
                        "`routes --json`); - reads it from stdin")
    _fix_options(p)

    p = command("rule", "add or delete one policy rule (a one-off fix)")
    p.add_argument("op", choices=["add", "del"])
    p.add_argument("--priority", required=False)
    p.add_argument("--from", dest="source", metavar="NET")
    p.add_argument("--to", metavar="NET")
    p.add_argument("--iif", metavar="IFACE")
    p.add_argument("--oif", metavar="IFACE")
    p.add_argument("--fwmark", metavar="MARK[/MASK]")
    p.add_argument("--tos")
    p.add_argument("--ipproto")
    p.add_argument("--sport", metavar="PORT[-PORT]")
    p.add_argument("--dport", metavar="PORT[-PORT]")
    p.add_argument("--uidrange", metavar="UID-UID")
    p.add_argument("--not", dest="invert", action="store_true", help="match packets the selectors do not")
    p.add_argument("--table", help="the table to look up (number or name)")
    p.add_argument("--action", help="instead of a table: blackhole, unreachable or prohibit")
    p.add_argument("--family", choices=["inet", "inet6"], help="when no address says it (default inet)")
    p.add_argument("--proto", help="protocol name or number (default for add: static)")
    _fix_options(p)


def _fix_options(p: argparse.ArgumentParser) -> None:
    _change_options(p)
    p.add_argument("--keep", action="store_true", help="keep it across reboots: reconcile restores it")
    p.add_argument("--foreign", action="store_true",
                   help="allow deleting an object not made through cockpit-gateways (neither a gateway's "
                        "nor a fix added here; name it exactly)")


def _run_fix(args: argparse.Namespace, paths: Paths) -> Result:
    from . import fixes, kernel, objects
    from .names import table_names
    names = table_names(paths)
    default_proto = 4 if args.op == "add" else None      # `static`, like `ip route add` by an admin
    if args.command == "route" and args.many is not None:
        if args.op != "del" or args.destination is not None or args.keep:
            raise InvalidInput("many: only `route del --many JSON`, without DEST or --keep", "many")
        items = [_many_item(item, names, set(kernel.read_links()), n) for n, item in
                 enumerate(_many_list(sys.stdin.read() if args.many == "-" else args.many), 1)]
        result = fixes.routes_delete(paths, [(spec, foreign or args.foreign) for spec, foreign in items],
                                     dry_run=args.dry_run, confirm_within=args.confirm_within)
        result.table_names = names
        return result
    if args.command == "route" and args.destination is None:
        raise InvalidInput("destination: a route needs DEST (a network or default)", "destination")
    if args.command == "route":
        links = kernel.read_links()
        own = {a.local: link.name for link in links.values() for a in link.addresses} if args.op == "add" else {}
        spec = objects.route_spec(names, set(links), own=own, dst=args.destination, table=args.table,
                                family=args.family, type=args.type, via=args.via, dev=args.dev, metric=args.metric,
                                src=args.src, scope=args.scope, proto=args.proto, onlink=args.onlink,
                                default_proto=default_proto)
        result = fixes.route_change(paths, args.op, spec, foreign=args.foreign, keep=args.keep,
                                    dry_run=args.dry_run, confirm_within=args.confirm_within)
        result.table_names = names
        return result
    rule = objects.rule_spec(names, priority=args.priority, source=args.source, to=args.to, iif=args.iif,
                           oif=args.oif, fwmark=args.fwmark, tos=args.tos, ipproto=args.ipproto, sport=args.sport,
                           dport=args.dport, uidrange=args.uidrange, invert=args.invert, table=args.table,
                           action=args.action, family=args.family, proto=args.proto,
                           default_proto=default_proto or 0)
    result = fixes.rule_change(paths, args.op, rule, foreign=args.foreign, keep=args.keep,
                               dry_run=args.dry_run, confirm_within=args.confirm_within)
    result.table_names = names
    return result


MAX_MANY = 1000


def _many_list(text: str) -> list[list[str]]:
    """--many: a JSON list of argument lists (strings only), at most MAX_MANY."""
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidInput("many: not JSON (a list of `route del` argument lists)", "many") from None
    if not isinstance(data, list) or not data or len(data) > MAX_MANY or \
            not all(isinstance(item, list) and all(isinstance(w, str) for w in item) for item in data):
        raise InvalidInput(f"many: must be a list of 1 to {MAX_MANY} argument lists of strings, "
                           "each like a route's `delete`", "many")
    return data


def _many_item(words: list[str], names: dict[int, str], links: set[str], n: int) -> tuple[Any, bool]:
    """One `route del …` of --many, parsed and validated like the command line; only the options
    that name the route (and --foreign) are allowed in it."""
    from . import objects
    try:
        item = build_parser().parse_args(words)
        if (item.command, getattr(item, "op", None)) != ("route", "del") or item.destination is None or \
                item.many is not None or item.keep or item.dry_run or item.confirm_within is not None or \
                item.json or item.root is not None:
            raise InvalidInput("only `route del DEST` and the options that name the route", "many")
        spec = objects.route_spec(names, links, dst=item.destination, table=item.table, family=item.family,
                                  type=item.type, via=item.via, dev=item.dev, metric=item.metric, src=item.src,
                                  scope=item.scope, proto=item.proto, onlink=item.onlink)
    except InvalidInput as e:
        raise InvalidInput(f"many: route {n}: {e}", "many") from None
    return spec, bool(item.foreign)


def _run_inspect(args: argparse.Namespace, paths: Paths) -> dict[str, Any] | str:
    from . import inspect
    from .names import parse_table, table_names
    names = table_names(paths)
    if args.command == "routes":
        from . import owners
        if args.owner and args.owner not in owners.OWNERS:
            raise InvalidInput(f"owner: '{args.owner[:40]}' is not one of {', '.join(owners.OWNERS)}", "owner")
        c = owners.route_context(paths)
        table = parse_table(args.table, names)
        data = inspect.routes(names, args.table, family=args.family, offset=args.offset, limit=args.limit,
                              filter_text=args.filter, sort=args.sort, reverse=args.reverse,
                              exact=args.exact, owner=args.owner,
                              owner_of=lambda route: owners.route_owner(route, table, c)["owner"])
        owners.annotate_routes(data, paths, c)
        if args.json:
            return data
        return "".join(r["text"] + "\n" for r in data["routes"])
    from . import lookup, store
    from .leases import load_dhcp
    gateways = lookup.gateways_of(store.load_config(paths), load_dhcp(paths))
    if args.command == "reach":
        from .doctor import reach
        data = reach(names, args.interface, args.client, gateways)
        fix = f"fix: cockpit-gateways {data['fix']['command']}\n" if data.get("fix", {}).get("kind") == "set" else ""
        return data if args.json else f"{data['verdict']['code']}: {data['verdict']['text']}\n{fix}"
    data = inspect.lookup(names, args.to, source=args.source, iif=args.iif, oif=args.oif, fwmark=args.fwmark,
                          extra={k: getattr(args, k) for k in lookup.SELECTORS},
                          gateways=gateways)
    return data if args.json else lookup.text(data)


def _change_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    p.add_argument("--confirm-within", metavar="SECONDS", type=_confirm_within,
                   help="roll back after SECONDS unless `confirm TOKEN` arrives")


def run(args: argparse.Namespace) -> dict[str, Any] | str:
    root = args.root or os.environ.get("COCKPIT_GATEWAYS_ROOT") or "/"
    if not os.path.isabs(root):
        root = os.path.abspath(root)
    paths = Paths(root)
    if args.command == "export":
        from .export import export
        exported = export(paths, args.format, include_dhcp=args.include_dhcp)
        return exported if args.json else str(exported["text"])
    if args.command == "status":
        from .status import status, status_text
        data = status(paths, route_counts=not args.no_route_counts)
        from . import leases
        recorded = leases.leases(paths)
        if recorded:
            data["dhcp"] = recorded
            data["warnings"] = data.get("warnings", []) + leases.status_warnings(paths, recorded)
        from .networkd import networkd_warnings
        data["warnings"] = data.get("warnings", []) + networkd_warnings(paths)
        return data if args.json else status_text(data)
    if args.command in ("routes", "lookup", "reach"):
        return _run_inspect(args, paths)
    if args.command == "routers":
        from . import routers
        found = routers.routers(paths, args.interface, parse_family(args.family) if args.family else None)
        return found if args.json else routers.text(found)
    if args.command == "watch":
        from . import watch
        if args.debounce is not None and not 0.01 <= args.debounce <= 10:
            raise InvalidInput("debounce: must be between 0.01 and 10 seconds", "debounce")
        stats = watch.watch(paths, **({"debounce": args.debounce} if args.debounce is not None else {}))
        return stats if args.json else ""
    if args.command == "service":
        from . import service
        if args.op == "status":
            service.parse_names(args.names)
            data = service.status(paths)
        else:
            data = service.change(paths, args.op, args.names, dry_run=args.dry_run)
        return data if args.json else service.text(data)
    if args.command == "dhcp-event":
        from . import dhcp
        result, info = dhcp.run_event(paths, dhcp.parse_event(args.nm_args, os.environ), dry_run=args.dry_run)
        data = result.to_json()
        data["dhcp"] = info
        if not args.json:
            note = f"{info['note']}\n" if info.get("note") else ""
            return note + plan_text(data)
        return data
    from . import commands
    if args.command == "set":
        result = commands.cmd_set(paths, args.interface, args.gateway, onlink=args.onlink,
                                dry_run=args.dry_run, confirm_within=args.confirm_within)
    elif args.command == "unset":
        family = parse_family(args.family) if args.family else None
        result = commands.cmd_unset(paths, args.interface, family=family, dry_run=args.dry_run,
                                  confirm_within=args.confirm_within)
    elif args.command == "reconcile":
        result = commands.cmd_reconcile(paths, args.interface, family=parse_family(args.family) if args.family else None,
                                        dry_run=args.dry_run, confirm_within=args.confirm_within)
    elif args.command == "confirm":
        result = commands.cmd_confirm(paths, args.token)
    elif args.command == "layout":
        if args.priority is None and args.tables is None:
            from .store import load_layout
            shown = load_layout(paths).to_json()
            return shown if args.json else "".join(f"{k}: {v}\n" for k, v in shown.items())
        result, layout = commands.cmd_layout(
            paths, priority=None if args.priority is None else _whole("priority")(args.priority),
            tables=None if args.tables is None else _table_range(args.tables), dry_run=args.dry_run)
        data = result.to_json()
        data["layout"] = layout.to_json()
        return data if args.json else plan_text(data)
    elif args.command in ("route", "rule"):
        result = _run_fix(args, paths)
    elif args.command == "table-name":
        from . import naming
        named = naming.run(paths, args.op, args.words, dry_run=args.dry_run, confirm_within=args.confirm_within)
        return named if args.json else naming.text(named)
    elif args.command == "install-hooks":
        from .hooks import install_hooks
        if not args.dry_run:
            require_root()
        result = Result([], install_hooks(paths, remove_them=args.remove, dry_run=args.dry_run),
                               args.dry_run)
    else:
        raise InvalidInput("usage: a command is required (see --help)", "command")
    data = result.to_json()
    if args.json and result.dry_run and args.command in ("set", "unset", "reconcile", "route", "rule"):
        from .whatif import for_plan
        data["connections"] = for_plan(data["changes"])     # established TCP whose path would change
    return data if args.json else plan_text(data)


def plan_text(data: dict[str, Any]) -> str:
    if not data["changed"]:
        return "nothing to change\n"
    sign = {"add": "+", "replace": "~", "del": "-"}
    lines = [("would: " if data["dry_run"] else "") + f"{sign[c['op']]} {c['text']}" for c in data["changes"]]
    lines += [("would: " if data["dry_run"] else "") + f"{f['action']} {f['path']}"
              + (f" ({f['reason']})" if f.get("reason") else "") for f in data["files"]]
    lines += [f"warning: {w}" for w in data.get("warnings", [])]
    lines += [f"conflict ({c['kind']}): {c['message']}" for c in data.get("conflicts", [])]
    if data.get("token"):
        lines.append(f"confirm with: cockpit-gateways confirm {data['token']}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in argv
    try:
        args = build_parser().parse_args(argv)
        output = run(args)
    except GatewaysError as e:
        return _fail(str(e), e.field, e.exit_code, want_json)
    except KeyboardInterrupt:
        return _fail("interrupted", None, EXIT_FAILED, want_json)
    except OSError as e:
        return _fail(f"{e.filename or 'system'}: {e.strerror}", None, EXIT_FAILED, want_json)
    if isinstance(output, str):
        sys.stdout.write(output)
    else:
        sys.stdout.write(json.dumps(output) + "\n")
    return EXIT_OK


def _fail(message: str, field: str | None, code: int, want_json: bool) -> int:
    # one line, whatever the input echoed in it held (newlines, escapes, undecodable bytes)
    message = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)
    sys.stderr.write(f"cockpit-gateways: {message}\n")
    if want_json:
        doc: dict[str, Any] = {"error": message}
        if field:
            doc["field"] = field
        sys.stdout.write(json.dumps(doc) + "\n")
    return code if code in (EXIT_FAILED, EXIT_INVALID) else EXIT_FAILED
