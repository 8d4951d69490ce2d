# SPDX-License-Identifier: LGPL-2.1-or-later
"""Can a client reach this host on one network, and do the replies go back?  (`reach IFACE CLIENT`)

Two lookups, each with our evaluation beside the kernel's answer (lookup.truth): the client's
request arriving on IFACE for IFACE's address, and this host's reply from that address to the
client.  One verdict for both:

- the request is dropped (reverse-path filter, no route, …): that verdict, with its fix;
- the reply is dropped: the reply's verdict;
- the reply leaves by another interface than the request came in on (`reply-elsewhere`): the
  seed's failure with rp_filter loose or off, the reply goes to a router that may not reach the
  client; the fix is IFACE's own gateway;
- otherwise `ok`.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from . import kernel
from .lookup import truth
from .model import Family, InvalidInput, parse_interface_name
from .policy import Packet

JSON = dict[str, Any]


def reach(names: dict[int, str], interface: str, client: str, gateways: dict[str, set[str]]) -> JSON:
    parse_interface_name(interface, "interface")
    try:
        peer = ipaddress.ip_address(client.strip())
    except ValueError:
        raise InvalidInput(f"client: '{client[:40]}' is not an IPv4 or IPv6 address", "client") from None
    links = kernel.read_links()
    link = links.get(interface)
    if link is None:
        raise InvalidInput(f"interface: there is no interface '{interface}' on this host", "interface")
    family: Family = "inet" if peer.version == 4 else "inet6"
    addresses = link.global_addresses(family)
    if not addresses:
        raise InvalidInput(f"interface: {interface} has no {'IPv4' if family == 'inet' else 'IPv6'} address "
                           "of global scope", "interface")
    local = next((a for a in addresses if peer in a.network), addresses[0])
    request = {"query": {"to": str(local.ip), "family": family, "from": str(peer), "iif": interface},
               **truth(Packet(family, local.ip, peer, iif=interface), names, gateways)}
    reply = {"query": {"to": str(peer), "family": family, "from": str(local.ip)},
             **truth(Packet(family, peer, local.ip), names, gateways)}
    out: JSON = {"interface": interface, "client": str(peer), "address": str(local.ip),
                 "request": request, "reply": reply}
    code, text = _verdict(interface, str(peer), str(local.ip), request, reply)
    out["verdict"] = {"code": code, "text": text}
    fix = request.get("fix")
    if fix is None and code == "reply-elsewhere" and family not in gateways.get(interface, set()):
        fix = {"kind": "set", "interface": interface, "family": family, "command": f"set {interface} GATEWAY",
               "text": f"Give {interface}'s network its own gateway (the router on {interface} through which "
                       f"{peer} is reached): replies from {local.ip} then leave by {interface}."}
    if fix is not None:
        out["fix"] = fix
    out["agree"] = bool(request.get("agree")) and bool(reply.get("agree"))
    return out


def _hops(reply: JSON) -> list[JSON]:
    return list(reply.get("evaluation", {}).get("nexthops") or [])


def _verdict(interface: str, peer: str, local: str, request: JSON, reply: JSON) -> tuple[str, str]:
    req, rep = request["verdict"], reply["verdict"]
    if req["code"] != "local":
        return req["code"], f"{peer}'s request to {local} does not arrive: {req['text']}"
    if rep["code"] != "unicast":
        return rep["code"], f"{peer}'s request arrives, but the reply does not leave: {rep['text']}"
    hops = _hops(reply)
    devs = sorted({str(h.get("dev")) for h in hops})
    where = " or ".join(f"via {h['gateway']} on {h['dev']}" if h.get("gateway") else f"directly on {h['dev']}"
                        for h in hops)
    if devs != [interface]:
        return "reply-elsewhere", (f"{peer}'s request arrives on {interface}, but the reply from {local} leaves "
                                   f"{where}, not by {interface}: unless that way reaches {peer} too, the client "
                                   "gets no answer.")
    return "ok", f"{peer} reaches {local} on {interface}, and the reply goes back {where}."
