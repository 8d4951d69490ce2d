#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `make demo`: the lab (network namespaces gwlab-*) plus a real Cockpit on 127.0.0.1 whose bridge
# runs inside the lab's host namespace, serving the built dist/ as the "gateways" package.
# Ctrl-C (or SIGTERM) stops cockpit-ws (by PID) and tears the lab down.
#
# A --local-session cockpit-ws is single-use: ~15 s after the last page closes, its bridge exits and
# cockpit-ws answers 401 from then on. Our session wrapper therefore stops cockpit-ws when the bridge
# exits, and this script starts a fresh one on the same port, so a later reload works again.
#
# Environment: GW_DEMO_PREFIX (lab prefix, default gwlab), GW_DEMO_PORT (first port to try, 9090).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=${GW_DEMO_PREFIX:-gwlab}
PORT=${GW_DEMO_PORT:-9090}
PYTHON=${PYTHON:-/usr/bin/python3}
COCKPIT_WS=/usr/lib/cockpit/cockpit-ws

if [ "$(id -u)" != 0 ]; then
    echo "demo: needs root (network namespaces)" >&2
    exit 1
fi
if [ ! -e "$REPO/dist/manifest.json" ]; then
    echo "demo: $REPO/dist is not built; run 'make demo' (or 'node build.js') first" >&2
    exit 1
fi
[ -x "$COCKPIT_WS" ] || { echo "demo: $COCKPIT_WS missing (apt-get install cockpit-ws cockpit-bridge)" >&2; exit 1; }

TMP=""
WS_PID=""
STOPPING=""

cleanup() {
    STOPPING=1
    trap '' INT TERM HUP
    if [ -n "$WS_PID" ] && kill -0 "$WS_PID" 2>/dev/null; then
        kill -TERM "$WS_PID" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 "$WS_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$WS_PID" 2>/dev/null || true
        wait "$WS_PID" 2>/dev/null || true
    fi
    WS_PID=""
    "$PYTHON" "$REPO/test/lab/gwlab.py" down --prefix "$PREFIX" || true
    [ -n "$TMP" ] && rm -rf "$TMP"
    TMP=""
}
on_signal() {
    echo
    echo "demo: stopping cockpit-ws and tearing down the lab ($PREFIX-*)"
    cleanup
    exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

listening() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

"$PYTHON" "$REPO/test/lab/gwlab.py" up --prefix "$PREFIX"

TMP=$(mktemp -d /tmp/gw-demo-XXXXXX)
chmod 755 "$TMP"
mkdir -p "$TMP/data/cockpit" "$TMP/root"
ln -s "$REPO/dist" "$TMP/data/cockpit/gateways"
cat > "$TMP/session" <<EOF
#!/bin/sh
# cockpit-ws --local-session runs this: the bridge inside the lab's host namespace. When the bridge
# ends (the session is over), stop this cockpit-ws so that demo.sh starts a fresh one.
ip netns exec '$PREFIX-host' env XDG_DATA_HOME='$TMP/data' COCKPIT_GATEWAYS_ROOT='$TMP/root' cockpit-bridge
rc=\$?
[ -s '$TMP/ws.pid' ] && kill -TERM "\$(cat '$TMP/ws.pid')" 2>/dev/null
exit \$rc
EOF
chmod 755 "$TMP/session"

# returns 0 once cockpit-ws listens on $1 (WS_PID set), 1 if it exited (port taken?)
start_ws() {
    "$COCKPIT_WS" --no-tls --address 127.0.0.1 --port "$1" --local-session="$TMP/session" \
        >> "$TMP/cockpit-ws.log" 2>&1 &
    WS_PID=$!
    echo "$WS_PID" > "$TMP/ws.pid"
    for _ in $(seq 100); do
        listening "$1" && return 0
        kill -0 "$WS_PID" 2>/dev/null || { wait "$WS_PID" 2>/dev/null || true; WS_PID=""; return 1; }
        sleep 0.05
    done
    echo "demo: cockpit-ws did not listen on $1 within 5 s; its log:" >&2
    tail -n 20 "$TMP/cockpit-ws.log" >&2
    return 1
}

for _ in $(seq 100); do
    if ! listening "$PORT" && start_ws "$PORT"; then
        break
    fi
    PORT=$((PORT + 1))
done
[ -n "$WS_PID" ] || { echo "demo: found no free port for cockpit-ws" >&2; exit 1; }

cat <<EOF

  The lab is up ($PREFIX-host, -r1, -r2, -c1, -c2) and Cockpit runs inside $PREFIX-host:

    http://127.0.0.1:$PORT/            the Cockpit shell
    http://127.0.0.1:$PORT/gateways    the Gateways page

  The seed's test by hand, in another terminal:

    ip netns exec $PREFIX-c2 ping 10.0.2.10

  fails until the display network's gateway (eth1 → 10.0.2.1) is set in the page; the management
  path keeps working throughout:  ip netns exec $PREFIX-c1 ping 10.0.1.10

  The helper's files live under $TMP/root (not the machine's /etc);
  the log of cockpit-ws and the bridge is $TMP/cockpit-ws.log.
  Press Ctrl-C to stop cockpit-ws and tear the lab down.

EOF

while [ -z "$STOPPING" ]; do
    rc=0
    wait "$WS_PID" || rc=$?
    [ -n "$STOPPING" ] && break
    if kill -0 "$WS_PID" 2>/dev/null; then
        continue  # wait was interrupted, cockpit-ws still runs
    fi
    echo "demo: the Cockpit session ended (cockpit-ws exit $rc); starting a fresh cockpit-ws: reload the page"
    WS_PID=""
    ok=""
    for _ in $(seq 50); do
        if start_ws "$PORT"; then ok=1; break; fi
        sleep 0.2
    done
    [ -n "$ok" ] || { echo "demo: could not restart cockpit-ws on port $PORT" >&2; exit 1; }
done
