#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install the Debian packages that building, testing and the demo need, when any is missing.
# Safe to run again: it does nothing when everything is there.
set -eu
# libndp0 and dbus-daemon: for the NetworkManager lab (test/lab/nmlab.py), which downloads and
# extracts network-manager itself; never install network-manager here (it would take over the network).
pkgs="cockpit-ws cockpit-bridge cockpit-system chromium dnsmasq-base isc-dhcp-client
      iproute2 iputils-ping procps util-linux python3 python3-hypothesis mypy python3-pyflakes
      make python3-yaml dpkg-dev strace gettext sudo nftables
      libndp0 dbus-daemon netplan.io python3-gi gir1.2-nm-1.0 systemd"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
command -v node >/dev/null && command -v npm >/dev/null || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$missing (run as root, or install them)" >&2
    exit 1
fi
echo "installing:$missing"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
