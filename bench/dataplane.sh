#!/usr/bin/env bash
# Data-plane benchmark: the engine's DataPlane against HAProxy with the same nginx back ends.
#
#   bench/dataplane.sh [seconds-per-run (default 5)] [repetitions (default 3)]
#
# Loopback only, bounded durations. Needs wrk, nginx, curl, openssl; haproxy optional (without it
# only our own figures are printed). Install: apt-get update && apt-get install -y wrk haproxy nginx
# When the machine has 2+ CPUs each proxy is pinned to CPU 1 and wrk + nginx to CPU 0 (taskset), so
# both proxies get one core each, as in shared/reference/baselines.md.
set -euo pipefail

DURATION="${1:-5}"
REPS="${2:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib/harness.sh
. "$ROOT/bench/lib/harness.sh"
bench_start dp-bench

for tool in wrk nginx curl openssl node; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx curl openssl)" >&2; exit 2; }
done
HAVE_HAPROXY=1
command -v haproxy >/dev/null || HAVE_HAPROXY=0

B1=127.0.0.2; B2=127.0.0.3; BPORT=18080
OURS=127.1.0.1; HAP=127.0.0.9
HTTP_PORT=18000; HTTPS_PORT=18443; TCP_PORT=19000

# ---- back ends: nginx, one worker, 12-byte answer and a 256 MiB file -----------------------------
mkdir -p "$WORK/www"
head -c $((256 * 1024 * 1024)) /dev/zero > "$WORK/www/big.bin"
# shellcheck source=bench/lib/nginx-backends.sh
. "$ROOT/bench/lib/nginx-backends.sh"
nginx_backends_conf "$WORK/nginx" "$WORK/www" $BPORT $B1 $B2
"${LOAD_CPU[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

# ---- TLS certificate for both proxies -------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=lb.test -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/haproxy.pem"

# ---- our data plane (bundled with esbuild; ../../data must resolve to the repo's data/) ----------
bench_bundle_lb_server
# LB_NODE_FLAGS: extra node/V8 flags for our process (experiments, e.g. LB_NODE_FLAGS=--trace-gc).
# LB_SERVER_ARGS: extra lb-server options (LB_SERVER_ARGS=--no-metrics: without the metrics observer).
# shellcheck disable=SC2086
"${PROXY_CPU[@]}" node ${LB_NODE_FLAGS:-} "$WORK/js/a/b/lb-server.mjs" ${LB_SERVER_ARGS:-} --address $OURS --backends $B1,$B2 --instance-port $BPORT \
  --http $HTTP_PORT --https $HTTPS_PORT --tcp $TCP_PORT --cert "$WORK/cert.pem" --key "$WORK/key.pem" > "$WORK/ours.log" 2>&1 &
PIDS+=($!)

# ---- HAProxy: same listeners, least-connections over the same back ends, TLS 1.2 max ------------
if [ "$HAVE_HAPROXY" = 1 ]; then
  cat > "$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4000
  tune.ssl.default-dh-param 2048
  ssl-default-bind-options ssl-max-ver TLSv1.2
defaults
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend http
  mode http
  bind $HAP:$HTTP_PORT
  bind $HAP:$HTTPS_PORT ssl crt $WORK/haproxy.pem
  option forwardfor
  default_backend web
backend web
  mode http
  balance leastconn
  http-reuse safe
  server b1 $B1:$BPORT
  server b2 $B2:$BPORT
listen tcp
  mode tcp
  bind $HAP:$TCP_PORT
  balance roundrobin
  server b1 $B1:$BPORT
  server b2 $B2:$BPORT
EOF
  "${PROXY_CPU[@]}" haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
  PIDS+=($!)
fi

bench_wait_ready "$WORK/ours.log"
curl -sf "http://$OURS:$HTTP_PORT/" >/dev/null || { echo "no answer from our HTTP listener" >&2; cat "$WORK/ours.log" >&2; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# wrk run → "req/s p99_ms"
wrk_run() {
  local url="$1"; shift
  "${LOAD_CPU[@]}" wrk -t1 -c50 -d"${DURATION}s" --latency "$@" "$url" 2>/dev/null | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%s %s\n", rps+0, p99+0}'
}

# bulk: MB/s for one 256 MiB download
bulk_run() {
  "${LOAD_CPU[@]}" curl -s -o /dev/null --max-time 60 -w '%{speed_download} %{size_download} %{http_code}\n' "$1" | awk '{if ($2 < 268435456) printf "0 (failed: %s bytes, HTTP %s)\n", $2, $3; else printf "%.1f\n", $1/1048576}'
}

declare -A RESULT
measure() { # name kind target...
  local name="$1" kind="$2" url="$3"; shift 3
  local rps=() p99=()
  # 2 s warm-up per case (JIT, connection pools), discarded — as in shared/reference/baselines.md.
  if [ "$kind" = wrk ]; then
    if [ "${1:-}" = close ]; then "${LOAD_CPU[@]}" wrk -t1 -c50 -d2s -H 'Connection: close' "$url" >/dev/null 2>&1 || true
    else "${LOAD_CPU[@]}" wrk -t1 -c50 -d2s "$url" >/dev/null 2>&1 || true; fi
  fi
  for _ in $(seq 1 "$REPS"); do
    if [ "$kind" = wrk ]; then
      if [ "${1:-}" = close ]; then
        read -r r p < <(wrk_run "$url" -H 'Connection: close')
      else
        read -r r p < <(wrk_run "$url")
      fi
      rps+=("$r"); p99+=("$p")
      echo "  $name: $r req/s p99 $p ms" >&2
    else
      r="$(bulk_run "$url")"
      rps+=("$r")
      echo "  $name: $r MB/s" >&2
    fi
  done
  RESULT["$name"]="$(printf '%s\n' "${rps[@]}" | median)"
  if [ "$kind" = wrk ]; then RESULT["$name.p99"]="$(printf '%s\n' "${p99[@]}" | median)"; fi
}

CASES=(
  "http-keepalive|wrk|http://%s:$HTTP_PORT/|"
  "http-close|wrk|http://%s:$HTTP_PORT/|close"
  "https-keepalive|wrk|https://%s:$HTTPS_PORT/|"
  "https-handshakes|wrk|https://%s:$HTTPS_PORT/|close"
  "tcp-bulk-MBps|bulk|http://%s:$TCP_PORT/big.bin|"
  "http-bulk-MBps|bulk|http://%s:$HTTP_PORT/big.bin|"
)
TARGETS=("ours|$OURS")
[ "$HAVE_HAPROXY" = 1 ] && TARGETS+=("haproxy|$HAP")

ONLY="${ONLY:-.}"   # e.g. ONLY=http-keepalive bench/dataplane.sh
for spec in "${CASES[@]}"; do
  IFS='|' read -r name kind pattern extra <<<"$spec"
  [[ "$name" =~ $ONLY ]] || continue
  for t in "${TARGETS[@]}"; do
    IFS='|' read -r who host <<<"$t"
    # shellcheck disable=SC2086,SC2059
    measure "$who.$name" "$kind" "$(printf "$pattern" "$host")" $extra
  done
done

printf '\n%-18s %12s %9s %12s %9s %7s %7s\n' case ours p99ms haproxy p99ms ratio target
declare -A targets=([http-keepalive]=0.5 [http-close]=0.5 [https-keepalive]=0.4 [https-handshakes]=0.6 [tcp-bulk-MBps]=0.9 [http-bulk-MBps]=0.8)
for spec in "${CASES[@]}"; do
  IFS='|' read -r name _ <<<"$spec"
  [[ "$name" =~ $ONLY ]] || continue
  ours="${RESULT[ours.$name]}"; op="${RESULT[ours.$name.p99]:--}"
  if [ "$HAVE_HAPROXY" = 1 ]; then
    hap="${RESULT[haproxy.$name]}"; hp="${RESULT[haproxy.$name.p99]:--}"
    ratio="$(awk -v a="$ours" -v b="$hap" 'BEGIN {if (b>0) printf "%.2f", a/b; else print "nan"}')"
  else
    hap=-; hp=-; ratio=-
  fi
  printf '%-18s %12s %9s %12s %9s %7s %7s\n' "$name" "$ours" "$op" "$hap" "$hp" "$ratio" "${targets[$name]}"
done
echo "(req/s for wrk cases, MB/s for bulk; median of $REPS runs of ${DURATION}s; wrk -t1 -c50)"
