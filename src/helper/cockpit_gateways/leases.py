# SPDX-License-Identifier: LGPL-2.1-or-later
"""The DHCP leases the helper recorded: /run/cockpit-gateways/dhcp.json, read here and written by
dhcp.py (`dhcp-event`).

dhcp.json, per interface and family:
  {"eth1": {"inet": {"gateway": "10.0.2.1", "address": "10.0.2.57/24", "reason": "BOUND",
                     "client": "dhclient", "updated": 1767225600}}}
A lease without a router has no "gateway" key: the engine ignores it, `status` warns about it.
"""

from __future__ import annotations

from typing import Any

from .model import FAMILIES, Family, InvalidInput, family_of, parse_address, parse_interface_name
from .store import Paths, read_json


def read_raw(paths: Paths) -> dict[str, Any]:
    """dhcp.json's content; a damaged file counts as no leases (it is rebuilt by the next DHCP
    event) rather than blocking the admin's commands."""
    try:
        data = read_json(paths.dhcp)
    except InvalidInput:
        return {}
    return data if isinstance(data, dict) else {}


def gateways(raw: dict[str, Any]) -> dict[str, dict[Family, str]]:
    """The gateways of the leases that have a router, checked (a bad entry is left out)."""
    out: dict[str, dict[Family, str]] = {}
    for name, entry in raw.items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            continue
        try:
            parse_interface_name(name)
        except InvalidInput:
            continue
        for family in FAMILIES:
            lease = entry.get(family)
            if isinstance(lease, dict) and isinstance(lease.get("gateway"), str):
                try:
                    address = parse_address(lease["gateway"])
                except InvalidInput:
                    continue
                if family_of(address) == family:
                    out.setdefault(name, {})[family] = str(address)
    return out


def load_dhcp(paths: Paths) -> dict[str, dict[Family, str]]:
    """Gateways learned from leases, per interface and family."""
    return gateways(read_raw(paths))


def leases(paths: Paths) -> list[dict[str, Any]]:
    """The recorded leases, for `status --json` ("dhcp" key)."""
    out = []
    for name, entry in sorted(read_raw(paths).items()):
        if not isinstance(entry, dict):
            continue
        for family in FAMILIES:
            lease = entry.get(family)
            if not isinstance(lease, dict):
                continue
            item: dict[str, Any] = {"interface": name, "family": family,
                                    "router": lease.get("gateway") if isinstance(lease.get("gateway"), str) else None}
            for key in ("address", "reason", "client", "updated"):
                if isinstance(lease.get(key), (str, int)):
                    item[key] = lease[key]
            out.append(item)
    return out


def status_warnings(paths: Paths, leases_: list[dict[str, Any]] | None = None) -> list[str]:
    out = []
    for lease in leases(paths) if leases_ is None else leases_:
        if lease["router"] is None:
            what = f" {lease['address']}" if lease.get("address") else ""
            out.append(f"{lease['interface']}: the DHCP lease{what} has no router, so this network has no "
                       "source routing (set a gateway by hand if it needs one)")
    return out
