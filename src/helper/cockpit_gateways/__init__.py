# SPDX-License-Identifier: LGPL-2.1-or-later
"""cockpit-gateways: a gateway per network through source routing.

Modules, one job each:
  model    constants, value types, validation of input
  kernel   reading the kernel with `ip -N -j` and applying `ip -batch`
  plan     desired objects from the config and the kernel's addresses, and the diff
  store    files: config, volatile state, lock, rt_tables.d, network-scripts
  engine   the commands that change things: lock, plan, apply, verify, roll back
  inspect  windows of any table, route lookups explained
  fib      the kernel's rule walk and table lookup, evaluated from a snapshot (pure)
  policy   where a packet goes: output/input paths, reverse-path filter, forwarding (pure)
  lookup   our evaluation beside `ip route get`: verdict, trace, fix, agreement
  doctor   reach: a client's request in and this host's reply out, one verdict
  whatif   a dry run's effect on established TCP connections (the web console's too)
  objects  routes and rules named by the admin (validated) or read from the kernel
  fixes    one-off route/rule add and delete, kept objects
  dhcp     leases from dhclient and NetworkManager
  watch    reconcile when our objects go missing
  export   the gateways for fleet tools: ifcfg, networkd, and what they share
  export_yaml  the YAML exports: nmstate, network role, netplan
  owners   who made a rule or a route: one recognition table
  conflicts  other tools' rules and ranges that get in our way
  status   the read-only snapshot
  cli      argument parsing, output, exit codes
"""
