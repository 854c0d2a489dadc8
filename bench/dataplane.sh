#!/usr/bin/env bash
# Data-plane benchmark: the engine as a user starts it (`elb-local start`: API, health checks,
# metrics, journal, console) against HAProxy with the same nginx back ends, side by side in one run.
#
#   bench/dataplane.sh [seconds-per-run (default 5)] [repetitions (default 3)]
#
# OURS_TARGET=harness measures bench/dataplane/lb-server.ts instead (the data plane alone, no API,
# health checks or journal): a second line, labelled so, for isolating the data plane.
# Each case prints req/s (MB/s for bulk), p99, and each proxy's user+system CPU per request (per
# MB for bulk), read from /proc over the measured run.
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

# DP_PORT_SHIFT (default 0) moves every port, so two runs on one machine do not collide.
SHIFT="${DP_PORT_SHIFT:-0}"
B1=127.0.0.2; B2=127.0.0.3; BPORT=$((18080 + SHIFT))
OURS=127.1.0.1; HAP=127.0.0.9
HTTP_PORT=$((18000 + SHIFT)); HTTPS_PORT=$((18443 + SHIFT)); TCP_PORT=$((19000 + SHIFT))

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

# ---- ours: the engine (default) or the data-plane harness --------------------------------------
# LB_NODE_FLAGS: extra node/V8 flags for our process (experiments, e.g. LB_NODE_FLAGS=--trace-gc).
OURS_TARGET="${OURS_TARGET:-engine}"
if [ "$OURS_TARGET" = engine ]; then
  [ -f "$ROOT/dist/engine/main.js" ] || { echo "build first: npm run build" >&2; exit 2; }
  # shellcheck source=bench/lib/engine.sh
  . "$ROOT/bench/lib/engine.sh"
  # OURS_TREE=DIR: another built checkout's engine (e.g. an older commit: git worktree add, npm ci,
  # npm run build), measured by this script against HAProxy in the same run.
  bench_start_engine $HTTP_PORT $HTTPS_PORT $TCP_PORT $B1 $B2 $BPORT "${OURS_TREE:-$ROOT}"
  OURS_PID=$ENGINE_PID
else
  # The harness, bundled with esbuild (../../data must resolve to the repo's data/).
  # LB_SERVER_ARGS: extra lb-server options (LB_SERVER_ARGS=--no-metrics: without the metrics observer).
  bench_bundle_lb_server
  # shellcheck disable=SC2086
  "${PROXY_CPU[@]}" node ${LB_NODE_FLAGS:-} "$WORK/js/a/b/lb-server.mjs" ${LB_SERVER_ARGS:-} --address $OURS --backends $B1,$B2 --instance-port $BPORT \
    --http $HTTP_PORT --https $HTTPS_PORT --tcp $TCP_PORT --cert "$WORK/cert.pem" --key "$WORK/key.pem" > "$WORK/ours.log" 2>&1 &
  OURS_PID=$!
  PIDS+=($!)
  bench_wait_ready "$WORK/ours.log"
fi

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
  server b1 $B1:$BPORT check inter 30s
  server b2 $B2:$BPORT check inter 30s
listen tcp
  mode tcp
  bind $HAP:$TCP_PORT
  balance roundrobin
  server b1 $B1:$BPORT check inter 30s
  server b2 $B2:$BPORT check inter 30s
EOF
  "${PROXY_CPU[@]}" haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
  HAP_PID=$!
  PIDS+=($!)
fi

curl -sf "http://$OURS:$HTTP_PORT/" >/dev/null || { echo "no answer from our HTTP listener" >&2; cat "$WORK/ours.log" >&2; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

HZ="$(getconf CLK_TCK)"

# PERF_DIR=DIR: record each proxy's on-CPU samples (kernel and user, `perf record -e cpu-clock`, a
# software clock, so it works where hardware counters do not) during every wrk run into
# DIR/<proxy>.<case>.<n>.data, and print where each proxy's CPU went (kernel, the binary with its
# TLS library, JIT code, libc) at the end. Start node with --perf-basic-prof (LB_NODE_FLAGS) to see
# JavaScript function names in `perf report -i FILE`.
PERF_DIR="${PERF_DIR:-}"
PERF_PID=""
PERF_RUN=0
CURRENT_CASE=""
if [ -n "$PERF_DIR" ]; then
  command -v perf >/dev/null || { echo "PERF_DIR needs perf (apt-get install -y linux-perf)" >&2; exit 2; }
  mkdir -p "$PERF_DIR"
fi
perf_record_start() {
  [ -n "$PERF_DIR" ] || return 0
  PERF_RUN=$((PERF_RUN + 1))
  perf record -q -e cpu-clock -F 2000 -g -p "$1" -o "$PERF_DIR/$CURRENT_CASE.$PERF_RUN.data" >/dev/null 2>&1 &
  PERF_PID=$!
}
perf_record_stop() {
  [ -n "$PERF_PID" ] || return 0
  kill -INT "$PERF_PID" 2>/dev/null || true
  wait "$PERF_PID" 2>/dev/null || true
  PERF_PID=""
}
# user+system clock ticks a process has used so far
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk run against a proxy → "req/s p99_ms cpu_us_per_request"
wrk_run() {
  local pid="$1" url="$2"; shift 2
  local before after
  before="$(cpu_ticks "$pid")"
  perf_record_start "$pid"
  "${LOAD_CPU[@]}" wrk -t1 -c50 -d"${DURATION}s" --latency "$@" "$url" 2>/dev/null > "$WORK/wrk.out"
  perf_record_stop
  after="$(cpu_ticks "$pid")"
  awk -v ticks=$((after - before)) -v hz="$HZ" '
    /requests in/ {n=$1}
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%s %s %.1f\n", rps+0, p99+0, (n > 0 ? ticks / hz * 1e6 / n : 0)}' "$WORK/wrk.out"
}

# bulk: MB/s for one 256 MiB download → "MB/s cpu_ms_per_MB"
bulk_run() {
  local pid="$1" url="$2" before after
  before="$(cpu_ticks "$pid")"
  "${LOAD_CPU[@]}" curl -s -o /dev/null --max-time 60 -w '%{speed_download} %{size_download} %{http_code}\n' "$url" > "$WORK/curl.out"
  after="$(cpu_ticks "$pid")"
  awk -v ticks=$((after - before)) -v hz="$HZ" '{if ($2 < 268435456) printf "0 (failed: %s bytes, HTTP %s) 0\n", $2, $3; else printf "%.1f %.3f\n", $1/1048576, ticks / hz * 1e3 / ($2 / 1048576)}' "$WORK/curl.out"
}

declare -A RESULT
measure() { # name pid kind target...
  local name="$1" pid="$2" kind="$3" url="$4"; shift 4
  local rps=() p99=() cpu=()
  CURRENT_CASE="$name"
  # 2 s warm-up per case (JIT, connection pools), discarded — as in shared/reference/baselines.md.
  if [ "$kind" = wrk ]; then
    if [ "${1:-}" = close ]; then "${LOAD_CPU[@]}" wrk -t1 -c50 -d2s -H 'Connection: close' "$url" >/dev/null 2>&1 || true
    else "${LOAD_CPU[@]}" wrk -t1 -c50 -d2s "$url" >/dev/null 2>&1 || true; fi
  fi
  for _ in $(seq 1 "$REPS"); do
    if [ "$kind" = wrk ]; then
      if [ "${1:-}" = close ]; then
        read -r r p c < <(wrk_run "$pid" "$url" -H 'Connection: close')
      else
        read -r r p c < <(wrk_run "$pid" "$url")
      fi
      rps+=("$r"); p99+=("$p"); cpu+=("$c")
      echo "  $name: $r req/s p99 $p ms, CPU $c µs/request" >&2
    else
      read -r r c < <(bulk_run "$pid" "$url")
      rps+=("$r"); cpu+=("$c")
      echo "  $name: $r MB/s, CPU $c ms/MB" >&2
    fi
  done
  RESULT["$name"]="$(printf '%s\n' "${rps[@]}" | median)"
  RESULT["$name.cpu"]="$(printf '%s\n' "${cpu[@]}" | median)"
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
TARGETS=("ours|$OURS|$OURS_PID")
[ "$HAVE_HAPROXY" = 1 ] && TARGETS+=("haproxy|$HAP|$HAP_PID")

ONLY="${ONLY:-.}"   # e.g. ONLY=http-keepalive bench/dataplane.sh
for spec in "${CASES[@]}"; do
  IFS='|' read -r name kind pattern extra <<<"$spec"
  [[ "$name" =~ $ONLY ]] || continue
  for t in "${TARGETS[@]}"; do
    IFS='|' read -r who host pid <<<"$t"
    # shellcheck disable=SC2086,SC2059
    measure "$who.$name" "$pid" "$kind" "$(printf "$pattern" "$host")" $extra
  done
done

echo
echo "ours: $([ "$OURS_TARGET" = engine ] && echo "the engine (elb-local start) of ${OURS_TREE:-$ROOT} at $(git -C "${OURS_TREE:-$ROOT}" rev-parse --short HEAD 2>/dev/null || echo '?')" || echo 'the data-plane harness (bench/dataplane/lb-server.ts)')"
printf '%-18s %12s %9s %9s %12s %9s %9s %7s %8s %6s\n' case ours p99ms cpu haproxy p99ms cpu ratio cpu×hap goal
# The ratios issue 22 asks of the engine (keep-alive also: CPU per request ≤ 1.5× and p99 ≤ 1.5× HAProxy's).
declare -A goals=([http-keepalive]=0.80 [http-close]=0.90 [https-keepalive]=0.90 [https-handshakes]=0.90 [tcp-bulk-MBps]=1.00 [http-bulk-MBps]=1.00)
for spec in "${CASES[@]}"; do
  IFS='|' read -r name _ <<<"$spec"
  [[ "$name" =~ $ONLY ]] || continue
  ours="${RESULT[ours.$name]}"; op="${RESULT[ours.$name.p99]:--}"; oc="${RESULT[ours.$name.cpu]}"
  if [ "$HAVE_HAPROXY" = 1 ]; then
    hap="${RESULT[haproxy.$name]}"; hp="${RESULT[haproxy.$name.p99]:--}"; hc="${RESULT[haproxy.$name.cpu]}"
    ratio="$(awk -v a="$ours" -v b="$hap" 'BEGIN {if (b>0) printf "%.2f", a/b; else print "nan"}')"
    cpuratio="$(awk -v a="$oc" -v b="$hc" 'BEGIN {if (b>0) printf "%.2f", a/b; else print "nan"}')"
  else
    hap=-; hp=-; hc=-; ratio=-; cpuratio=-
  fi
  printf '%-18s %12s %9s %9s %12s %9s %9s %7s %8s %6s\n' "$name" "$ours" "$op" "$oc" "$hap" "$hp" "$hc" "$ratio" "$cpuratio" "${goals[$name]}"
done
echo "(req/s for wrk cases, MB/s for bulk; cpu = user+system µs per request, ms per MB for bulk;"
echo " median of $REPS runs of ${DURATION}s; wrk -t1 -c50; ratio = ours/HAProxy, cpu×hap = our CPU / HAProxy's)"
if [ -n "$PERF_DIR" ]; then
  echo
  echo "where each proxy's CPU went (perf record -e cpu-clock; share of its samples per DSO):"
  for data in "$PERF_DIR"/*.data; do
    [ -s "$data" ] || continue
    printf '%s\n' "$(basename "$data" .data)"
    perf report -i "$data" --no-children --sort dso --stdio -g none 2>/dev/null | awk '/^ +[0-9.]+%/ && $1+0 >= 1 {printf "    %s\n", $0}'
  done
fi
