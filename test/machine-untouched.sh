#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The machine's own routing files, before and after `make check`: every test writes under its own
# root or into overlays, never here. `snapshot FILE` records them; `verify FILE` fails, naming what
# changed, if they differ now (also when something appeared that was not there).
set -eu
state() {
    for p in /etc/cockpit-gateways /run/cockpit-gateways /etc/iproute2 /usr/share/cockpit/gateways \
             /usr/local/share/cockpit/gateways; do
        if [ -e "$p" ]; then
            find "$p" -exec sh -c 'for f; do if [ -f "$f" ]; then sha256sum "$f"; else echo "dir $f"; fi; done' _ {} + | sort
        else
            echo "absent $p"
        fi
    done
    ip rule show; ip -6 rule show
}
case "${1:-}" in
    snapshot) state > "$2" ;;
    verify)
        now=$(mktemp)
        state > "$now"
        if ! diff -u "$2" "$now"; then
            rm -f "$now"
            echo "make check changed the machine's own routing files or rules (above)" >&2
            exit 1
        fi
        rm -f "$now" "$2" ;;
    *) echo "usage: $0 snapshot|verify FILE" >&2; exit 2 ;;
esac
