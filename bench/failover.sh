#!/usr/bin/env bash
# Failover benchmark: kill -9 one of two nginx back ends under a wrk load and count the failed
# requests, for our data plane and for HAProxy with `option redispatch` (same back ends, same
# health check: TCP every 5 s, 2 failures to mark down).
#
#   flock /tmp/elb-bench.lock bench/failover.sh [seconds (default 30)] [kill-at seconds (default 10)]
#
# "In flight at the kill" is the number of established proxy→victim connections just before the
# kill: each carries at most one request, so it bounds the requests that could be lost. Loopback
# only, bounded; needs wrk, nginx, ss, node (haproxy optional).
set -euo pipefail

DURATION="${1:-30}"
KILL_AT="${2:-10}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/elb-failover.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk nginx ss node; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
HAVE_HAPROXY=1; command -v haproxy >/dev/null || HAVE_HAPROXY=0

B1=127.0.0.12; B2=127.0.0.13; BPORT=18180
OURS=127.1.0.12; HAP=127.0.0.19; PORT=18100

# One single-process nginx per back end, so that kill -9 takes exactly one back end down.
start_nginx() { # name address
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1/nginx.conf" <<EOF
daemon off; master_process off; worker_processes 1;
error_log $WORK/$1/error.log crit; pid $WORK/$1/nginx.pid;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $WORK/$1; proxy_temp_path $WORK/$1; fastcgi_temp_path $WORK/$1; uwsgi_temp_path $WORK/$1; scgi_temp_path $WORK/$1;
  server { listen $2:$BPORT; location = / { return 200 "hello world\n"; } } }
EOF
  nginx -p "$WORK/$1" -c "$WORK/$1/nginx.conf" >/dev/null 2>&1 &
  echo $!
}

# Our data plane, bundled as bench/dataplane.sh does.
# shellcheck source=bench/lib/harness.sh
. "$ROOT/bench/lib/harness.sh"
bench_bundle_lb_server

cat > "$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option redispatch
  retries 3
frontend http
  bind $HAP:$PORT
  option forwardfor
  default_backend web
backend web
  balance leastconn
  http-reuse safe
  server b1 $B1:$BPORT check inter 5s fall 2 rise 2
  server b2 $B2:$BPORT check inter 5s fall 2 rise 2
EOF

wait_for() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }

run() { # name proxy-address start-command…
  local name="$1" address="$2"; shift 2
  local n1 n2 proxy
  n1="$(start_nginx "$name-b1" $B1)"; n2="$(start_nginx "$name-b2" $B2)"; PIDS+=("$n1" "$n2")
  wait_for "http://$B1:$BPORT/" && wait_for "http://$B2:$BPORT/" || { echo "nginx did not start" >&2; exit 1; }
  "$@" > "$WORK/$name.log" 2>&1 &
  proxy=$!; PIDS+=("$proxy")
  wait_for "http://$address:$PORT/" || { echo "$name did not start" >&2; cat "$WORK/$name.log" >&2; exit 1; }
  sleep 1
  wrk -t1 -c50 -d"${DURATION}s" "http://$address:$PORT/" > "$WORK/$name.wrk" 2>&1 &
  local load=$!
  sleep "$KILL_AT"
  local inflight
  inflight="$(ss -Htn state established "( dport = :$BPORT and dst $B2 )" | wc -l)"
  kill -9 "$n2"
  wait "$load" || true
  kill "$proxy" "$n1" 2>/dev/null || true
  wait "$proxy" "$n1" 2>/dev/null || true
  local total non2xx errors
  total="$(awk '/requests in/ {print $1}' "$WORK/$name.wrk")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' "$WORK/$name.wrk")"
  errors="$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$WORK/$name.wrk")"
  printf '%-8s %10s %8s %10s %8s %12s\n' "$name" "${total:-0}" "$(awk -v t="${total:-0}" -v d="$DURATION" 'BEGIN {printf "%.0f", t/d}')" \
    "$(( ${non2xx:-0} + ${errors:-0} ))" "${non2xx:-0}" "$inflight"
}

echo "kill -9 of one of two nginx back ends at ${KILL_AT}s of a ${DURATION}s wrk run (-t1 -c50, keep-alive)"
printf '%-8s %10s %8s %10s %8s %12s\n' proxy requests req/s failed non-2xx in-flight@kill
run ours "$OURS" node "$WORK/js/a/b/lb-server.mjs" --address "$OURS" --backends "$B1,$B2" --instance-port "$BPORT" --http "$PORT" --health-check 5
[ "$HAVE_HAPROXY" = 1 ] && run haproxy "$HAP" haproxy -f "$WORK/haproxy.cfg" -db
echo "(failed = non-2xx answers + wrk socket errors; in-flight@kill = established proxy→victim connections just before the kill)"
