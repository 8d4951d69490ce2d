# SPDX-License-Identifier: LGPL-2.1-or-later
"""cockpit-gateways: a gateway per network through source routing.

Modules, one job each, in an order where each imports only modules above it (no cycle:
test/helper/test_modules.py checks it):
  model    constants, value types, validation of input
  store    files: config, pending change, lock, rt_tables.d, network-scripts
  names    names for numbers: route types, scopes, protocols, tables; the host's rt_tables/rt_protos
  tablenames  names the admin gives tables (rt_tables.d/cockpit-gateways-names.conf), checked
  leases   the DHCP leases recorded in dhcp.json
  networkd   systemd-networkd's settings that delete our objects
  hooks    the DHCP hooks and systemd units, installed
  service  boot restore and self-healing: the systemd units' state
  kernel   reading the kernel with `ip -N -j` (and the snapshot a plan starts from), `ip -batch`
  fib      the kernel's rule walk and table lookup, evaluated from a snapshot (pure)
  policy   where a packet goes: output/input paths, reverse-path filter, forwarding (pure)
  plan     desired objects from the config and the kernel's addresses, and the diff
  objects  routes and rules named by the admin (validated) or read from the kernel
  kept     one-off fixes kept across reboots (kept.json) and their restore
  result   what a changing command did, and its root check
  conflicts  other tools' rules and ranges that get in our way
  owners   who made a rule or a route: one recognition table
  lookup   our evaluation beside `ip route get`: verdict, trace, fix, agreement
  inspect  windows of any table, route lookups explained
  doctor   reach: a client's request in and this host's reply out, one verdict
  whatif   a dry run's effect on established TCP connections (the web console's too)
  status   the read-only snapshot
  routers  an interface's networks and the routers likely on them (gateway candidates)
  engine   converge: plan, apply, verify, restore on failure
  pending  changes waiting for confirmation: the watchdog and the rollback
  naming   table-name add|del: the plan or the change, under the lock
  commands set, unset, reconcile, layout, confirm
  fixes    one-off route/rule add and delete
  dhcp     leases from dhclient and NetworkManager
  watch    reconcile when our objects go missing
  export_model  what the export writers share
  export_yaml   the YAML exports: nmstate, network role, netplan
  export   the gateways for fleet tools: the command, ifcfg and networkd
  cli      argument parsing, output, exit codes
"""
