# Sourced by the data-plane benchmarks: the set-up each of them needs.
#
# bench_start NAME         WORK (a fresh /tmp/NAME.XXXXXX that nginx workers can read), PIDS (killed,
#                          and WORK removed, on exit; KEEP_LOG=FILE keeps WORK/ours.log), and
#                          PROXY_CPU / LOAD_CPU: with 2+ CPUs the proxy under test runs on CPU 1,
#                          load and back ends on CPU 0 (taskset), as in shared/reference/baselines.md.
# bench_bundle_lb_server   builds bench/dataplane/lb-server.ts into WORK/js/a/b/lb-server.mjs (the
#                          bundle's ../../data must resolve to the repository's data/).
# bench_wait_ready LOG     waits up to 10 s for "ready" in LOG and checks every process in PIDS still
#                          runs; exits with the logs otherwise.
bench_start() {
  WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
  chmod 755 "$WORK"
  PIDS=()
  trap bench_cleanup EXIT
  if [ "$(nproc)" -ge 2 ]; then
    PROXY_CPU=(taskset -c 1); LOAD_CPU=(taskset -c 0)
  else
    PROXY_CPU=(); LOAD_CPU=()
  fi
}

bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP_LOG:-}" ]; then cp "$WORK/ours.log" "$KEEP_LOG" 2>/dev/null || true; fi
  rm -rf "$WORK"
}

bench_bundle_lb_server() {
  mkdir -p "$WORK/js/a/b"
  ln -s "$ROOT/data" "$WORK/js/data"
  (cd "$ROOT" && npx --no-install esbuild bench/dataplane/lb-server.ts --bundle --platform=node --format=esm \
    --target=node20 --outfile="$WORK/js/a/b/lb-server.mjs" --log-level=warning)
}

bench_wait_ready() {
  for _ in $(seq 1 100); do
    grep -q ready "$1" 2>/dev/null && break
    sleep 0.1
  done
  grep -q ready "$1" && ! grep -q ' error' "$1" || { echo "our data plane did not start:" >&2; cat "$1" >&2; exit 1; }
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a server exited at start (port in use?)" >&2; cat "$WORK"/*.log "$WORK"/nginx/logs/error.log >&2; exit 1; }
  done
  sleep 0.5
}
