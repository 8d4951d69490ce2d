#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# cockpit-gateways: source routing follows the DHCP lease (RHEL/Fedora-style dhclient.d script).
#
# Installed executable as /etc/dhcp/dhclient.d/cockpit_gateways.sh.  The distribution's
# dhclient-script sources it and calls cockpit_gateways_config after it configured a lease
# (BOUND, RENEW, REBIND, REBOOT, and TIMEOUT when the cached lease was bound) and
# cockpit_gateways_restore when the lease went away (EXPIRE, FAIL, RELEASE, STOP, TIMEOUT).
# dhclient's variables (reason, interface, new_*, old_*) are in the environment.  Neither
# function ever fails the DHCP client: errors go to stderr and the journal, the status is 0.

cockpit_gateways_event() {
    local helper out
    helper="@LIBEXECDIR@/cockpit-gateways"
    case "$helper" in
        @*) helper=/usr/local/libexec/cockpit-gateways/cockpit-gateways ;;   # not substituted
    esac
    [ -x "$helper" ] || return 0
    if ! out=$(
        export reason interface new_ip_address new_subnet_mask new_network_number new_routers \
               new_broadcast_address old_ip_address old_subnet_mask old_network_number old_routers
        # restore: the lease is gone whatever the reason says (e.g. TIMEOUT without a usable lease)
        [ "$1" = restore ] && [ "$reason" = TIMEOUT ] && export reason=FAIL
        if command -v timeout >/dev/null 2>&1; then
            timeout 60 "$helper" dhcp-event </dev/null 2>&1
        else
            "$helper" dhcp-event </dev/null 2>&1
        fi
    ); then
        echo "cockpit-gateways: dhcp-event $reason $interface failed: $out" >&2
        if command -v logger >/dev/null 2>&1; then
            logger -t cockpit-gateways -p daemon.err -- "dhcp-event $reason $interface failed: $out" \
                >/dev/null 2>&1 || :
        fi
    fi
    return 0
}

cockpit_gateways_config() {
    cockpit_gateways_event config
    return 0
}

cockpit_gateways_restore() {
    cockpit_gateways_event restore
    return 0
}
