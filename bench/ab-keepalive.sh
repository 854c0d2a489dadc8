#!/usr/bin/env bash
# A/B (or bisect) benchmark of the HTTP keep-alive path between commits: builds
# bench/dataplane/lb-server.ts from each commit and runs wrk against each in turn, ROUNDS times, so
# slow drifts of a shared machine hit every tree alike. Prints req/s, p99, and the proxy's user/system
# CPU per request (from /proc, so the comparison does not rest on throughput alone).
#
#   bench/ab-keepalive.sh [rounds (3)] [seconds (5)] COMMIT... # e.g. db1fe01 HEAD WORKTREE HEAD+nm
#
# WORKTREE is the working tree as it is; a `+nm` suffix runs that tree with `--no-metrics`.
# OURS_TARGET=engine runs each tree's engine as a user starts it (`elb-local start`, built with
# `npm run build` in a copy of the tree; bench/lib/engine.sh) instead of the data-plane harness
# (`+nm` does not apply there).
# With LB_NODE_FLAGS=--trace-gc it also counts scavenges over 1.5 ms per run (the signature of
# short-lived objects kept alive into the old generation; see docs/decisions.md, "Back-end work is
# an intrusive list"). Loopback only, bounded: ROUNDS × COMMITS runs of SECONDS (+2 s warm-up).
# Uses the repository's node_modules for every tree (trees whose dependencies differ may not build).
set -euo pipefail

ROUNDS="${1:-3}"; DURATION="${2:-5}"; shift 2 || true
[ $# -gt 0 ] || { echo "usage: bench/ab-keepalive.sh [rounds] [seconds] COMMIT..." >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/ab-keepalive.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk nginx openssl node git; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
if [ "$(nproc)" -ge 2 ]; then PROXY_CPU=(taskset -c 1); LOAD_CPU=(taskset -c 0); else PROXY_CPU=(); LOAD_CPU=(); fi

# AB_PORT / AB_BPORT move the listener and back-end ports, so two runs on one machine do not collide.
B1=127.0.0.2; B2=127.0.0.3; BPORT="${AB_BPORT:-18080}"; OURS=127.1.0.1; PORT="${AB_PORT:-18000}"
mkdir -p "$WORK/www"
# shellcheck source=bench/lib/nginx-backends.sh
. "$ROOT/bench/lib/nginx-backends.sh"
nginx_backends_conf "$WORK/nginx" "$WORK/www" $BPORT $B1 $B2
"${LOAD_CPU[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=lb.test -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

OURS_TARGET="${OURS_TARGET:-harness}"
# One bundle per tree (../../data must resolve to that tree's data/), or one build of the whole tree.
for spec in "$@"; do
  tree="${spec%+nm}"
  dir="$WORK/tree-$tree"
  [ -d "$dir" ] && continue
  mkdir -p "$dir"
  if [ "$OURS_TARGET" = engine ]; then
    if [ "$tree" = WORKTREE ]; then
      (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -c) | tar -x -C "$dir"
    else
      git -C "$ROOT" archive "$tree" | tar -x -C "$dir"
    fi
    # A tree locked to other dependencies (e.g. db1fe01, before oclif left) gets its own install.
    if cmp -s "$dir/package-lock.json" "$ROOT/package-lock.json"; then ln -s "$ROOT/node_modules" "$dir/node_modules"
    else (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null 2>"$dir/build.log") || { echo "$tree: npm ci failed" >&2; cat "$dir/build.log" >&2; exit 1; }; fi
    (cd "$dir" && npm run --silent build >/dev/null 2>"$dir/build.log") || { echo "$tree did not build:" >&2; cat "$dir/build.log" >&2; exit 1; }
    continue
  fi
  if [ "$tree" = WORKTREE ]; then
    (cd "$ROOT" && tar -c src bench data package.json) | tar -x -C "$dir"
  else
    git -C "$ROOT" archive "$tree" src bench data package.json | tar -x -C "$dir"
  fi
  ln -s "$ROOT/node_modules" "$dir/node_modules"
  mkdir -p "$dir/js/a/b"
  ln -s "$dir/data" "$dir/js/data"
  (cd "$dir" && "$ROOT/node_modules/.bin/esbuild" bench/dataplane/lb-server.ts --bundle --platform=node --format=esm \
    --target=node20 --outfile="$dir/js/a/b/lb-server.mjs" --log-level=warning)
done
# shellcheck source=bench/lib/engine.sh
[ "$OURS_TARGET" = engine ] && . "$ROOT/bench/lib/engine.sh"

printf '%-5s %-16s %10s %8s %12s %12s %s\n' round tree 'req/s' p99 'user ns/req' 'sys ns/req' "$([[ "${LB_NODE_FLAGS:-}" == *trace-gc* ]] && echo 'slow scavenges')"
HZ="$(getconf CLK_TCK)"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    tree="${spec%+nm}"; extra=(); [ "$spec" != "$tree" ] && extra=(--no-metrics)
    log="$WORK/$round-${spec//\//_}.log"
    if [ "$OURS_TARGET" = engine ]; then
      bench_start_engine $PORT $((PORT + 1)) $((PORT + 2)) $B1 $B2 $BPORT "$WORK/tree-$tree"
      target=$OURS; proxy=$ENGINE_PID; started=${PIDS[-1]}; log="$WORK/ours.log"
    else
      # shellcheck disable=SC2086
      "${PROXY_CPU[@]}" node ${LB_NODE_FLAGS:-} "$WORK/tree-$tree/js/a/b/lb-server.mjs" "${extra[@]}" --address $OURS \
        --backends $B1,$B2 --instance-port $BPORT --http $PORT --cert "$WORK/cert.pem" --key "$WORK/key.pem" > "$log" 2>&1 &
      target=$OURS; proxy=$!; started=$!
      for _ in $(seq 1 100); do grep -q ready "$log" 2>/dev/null && break; sleep 0.1; done
      grep -q ready "$log" || { echo "$spec did not start:" >&2; cat "$log" >&2; exit 1; }
    fi
    "${LOAD_CPU[@]}" wrk -t1 -c50 -d2s "http://$target:$PORT/" >/dev/null 2>&1 || true
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$proxy/stat")
    read -r requests rps p99 < <("${LOAD_CPU[@]}" wrk -t1 -c50 -d"${DURATION}s" --latency "http://$target:$PORT/" 2>/dev/null |
      awk '/requests in/ {n=$1} /Requests\/sec/ {r=$2} /^ +99%/ {p=$2} END {print n+0, r+0, p}')
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$proxy/stat")
    kill "$started"; wait "$started" 2>/dev/null || true
    # The engine's own process may outlive the command that started it for a moment.
    while [ -d "/proc/$proxy" ]; do sleep 0.05; done
    slow=""
    if [[ "${LB_NODE_FLAGS:-}" == *trace-gc* ]]; then
      slow="$(grep Scavenge "$log" | awk '{for (i = 1; i <= NF; i++) if ($i == "MB,") print $(i + 1)}' | awk '$1 > 1.5 {n++} END {print n + 0 "/" NR}')"
    fi
    per() { awk -v t="$1" -v n="$requests" -v hz="$HZ" 'BEGIN {if (n > 0) printf "%d", t / hz * 1e9 / n; else print "-"}'; }
    printf '%-5s %-16s %10s %8s %12s %12s %s\n' "$round" "$spec" "$rps" "$p99" "$(per $((u1 - u0)))" "$(per $((s1 - s0)))" "$slow"
  done
done
