#!/usr/bin/env bash
# Hostile-client benchmark: the engine's DataPlane side by side with HAProxy, same nginx back ends.
#   1. many keep-alive clients at once (wrk -c CLIENTS, default 5000): req/s, wrk timeouts and
#      socket errors, p99;
#   2. trickling sockets (bench/trickle.mjs, default 200): each sends the start of a request head,
#      then one byte a second, ignoring the server's FIN; how long until the proxy released them.
#
#   bench/hostile-clients.sh [seconds (default 10)] [clients (default 5000)] [tricklers (default 200)]
#
# Loopback only, bounded in time (about 2 × (seconds + 2 + 30) s). Needs wrk, nginx, haproxy, node.
# Both proxies: idle/head timeout 5 s (ours: the LB's idle timeout; HAProxy: timeout client and
# http-request), so the trickle case compares the same deadline. Pinned as in bench/dataplane.sh.
set -euo pipefail

DURATION="${1:-10}"
CLIENTS="${2:-5000}"
TRICKLERS="${3:-200}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib/harness.sh
. "$ROOT/bench/lib/harness.sh"
bench_start hostile-bench

for tool in wrk nginx haproxy node; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx haproxy)" >&2; exit 2; }
done
# Every process here (wrk with thousands of sockets, both proxies, nginx) needs descriptors.
ulimit -n "$(ulimit -Hn)"

B1=127.0.0.2; B2=127.0.0.3; BPORT=18180
OURS=127.1.0.1; HAP=127.0.0.9
HTTP_PORT=18100

# ---- back ends: nginx, one worker, with room for every proxy connection -------------------------
mkdir -p "$WORK/www"
# shellcheck source=bench/lib/nginx-backends.sh
. "$ROOT/bench/lib/nginx-backends.sh"
NGINX_WORKER_CONNECTIONS=16384 nginx_backends_conf "$WORK/nginx" "$WORK/www" $BPORT $B1 $B2
"${LOAD_CPU[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

# ---- our data plane -------------------------------------------------------------------------------
bench_bundle_lb_server
"${PROXY_CPU[@]}" node "$WORK/js/a/b/lb-server.mjs" --address $OURS --backends $B1,$B2 --instance-port $BPORT \
  --http $HTTP_PORT --idle-timeout 5 > "$WORK/ours.log" 2>&1 &
PIDS+=($!)

# ---- HAProxy: same listener and back ends; maxconn with room for every client --------------------
cat > "$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 9000
defaults
  mode http
  timeout connect 5s
  timeout client 5s
  timeout http-request 5s
  timeout server 60s
frontend http
  bind $HAP:$HTTP_PORT
  option forwardfor
  default_backend web
backend web
  balance leastconn
  http-reuse safe
  server b1 $B1:$BPORT
  server b2 $B2:$BPORT
EOF
"${PROXY_CPU[@]}" haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
PIDS+=($!)

bench_wait_ready "$WORK/ours.log"
for host in $OURS $HAP; do
  curl -sf "http://$host:$HTTP_PORT/" >/dev/null || { echo "no answer from $host:$HTTP_PORT" >&2; cat "$WORK"/*.log >&2; exit 1; }
done

# wrk run → "req/s timeouts errors p99_ms"
many_clients() {
  "${LOAD_CPU[@]}" wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 2s --latency "http://$1:$HTTP_PORT/" 2>&1 | awk '
    /Requests\/sec/ {rps=$2}
    /Socket errors/ {gsub(/,/, ""); errors=$4+$6+$8; timeouts=$10}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%s %d %d %s\n", rps+0, timeouts, errors, p99+0}'
}

declare -A RESULT
for t in "ours|$OURS" "haproxy|$HAP"; do
  IFS='|' read -r who host <<<"$t"
  # 2 s warm-up with few clients (JIT, back-end pools), discarded.
  "${LOAD_CPU[@]}" wrk -t1 -c50 -d2s "http://$host:$HTTP_PORT/" >/dev/null 2>&1 || true
  RESULT["$who.many"]="$(many_clients "$host")"
  echo "  $who, $CLIENTS keep-alive clients: ${RESULT[$who.many]} (req/s timeouts errors p99ms)" >&2
  sleep 6   # let the idle timeouts close what wrk left behind
  RESULT["$who.trickle"]="$("${LOAD_CPU[@]}" node "$ROOT/bench/trickle.mjs" "$host" "$HTTP_PORT" "$TRICKLERS" 30)"
  echo "  $who, $TRICKLERS trickling sockets: ${RESULT[$who.trickle]} (released median_s max_s)" >&2
done

printf '\n%-9s %28s %10s %8s %9s   %s\n' proxy "keep-alive clients: req/s" timeouts errors p99ms "trickling sockets: released, median s, max s"
for who in ours haproxy; do
  read -r rps timeouts errors p99 <<<"${RESULT[$who.many]}"
  read -r _ released median max <<<"${RESULT[$who.trickle]}"
  printf '%-9s %28s %10s %8s %9s   %s released, %s s, %s s\n' "$who" "$rps" "$timeouts" "$errors" "$p99" "$released" "$median" "$max"
done
echo "(wrk -t2 -c$CLIENTS -d${DURATION}s --timeout 2s; $TRICKLERS sockets trickling 1 byte/s for at most 30 s; idle/head timeout 5 s)"
