# Sourced by the data-plane benchmarks: the engine as a user starts it (`elb-local start`), with its
# API, health checks, metrics, journal and console, serving one load balancer over the nginx back ends.
#
# bench_start_engine HTTP_PORT HTTPS_PORT TCP_PORT B1 B2 BPORT [TREE]
#   starts TREE's (default: this repository's) `bin/elb-local start --foreground`, pinned like the
#   other proxy (PROXY_CPU), with its state in WORK/home-N; launches two stand-in instances on B1 and
#   B2 (no demo back ends: nginx answers there), uploads WORK/cert.pem + WORK/key.pem as a server
#   certificate, and creates load balancer `bench` with HTTP, HTTPS (→ HTTP) and TCP listeners, a
#   TCP health check on BPORT every 30 s (AWS's default interval), both instances registered; waits
#   until both are InService. Sets OURS (the load balancer's address) and ENGINE_PID (the engine's
#   own process, to read /proc from); the process started is appended to PIDS.
#   Only commands every engine since db1fe01 has are used, so older trees can be compared.
ENGINE_RUNS=0
bench_start_engine() {
  local http="$1" https="$2" tcp="$3" b1="$4" b2="$5" bport="$6" tree="${7:-$ROOT}"
  ENGINE_RUNS=$((ENGINE_RUNS + 1))
  export ELB_LOCAL_HOME="$WORK/home-$ENGINE_RUNS" ELB_LOCAL_AUTOSTART=0 EC2_REGION=us-east-1
  local api_port
  api_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  export ELB_LOCAL_ENDPOINT="http://127.0.0.1:$api_port" AWS_ELB_URL="http://127.0.0.1:$api_port"
  local cli="$tree/bin" dns=()
  # The DNS responder (newer engines) on any free port, so it never needs port 53.
  "$cli/elb-local" start --help 2>/dev/null | grep -q -- --dns-port && dns=(--dns-port 0)
  if [ -n "${LB_NODE_FLAGS:-}" ]; then
    # Node flags (e.g. --cpu-prof, --trace-gc) go on the engine's own process: the one
    # `elb-local start --foreground` would spawn, started here with the same arguments.
    # shellcheck disable=SC2086
    "${PROXY_CPU[@]}" node $LB_NODE_FLAGS "$tree/dist/engine/cli-entry.js" --home "$ELB_LOCAL_HOME" --host 127.0.0.1 \
      --port "$api_port" "${dns[@]}" > "$WORK/ours-$ENGINE_RUNS.log" 2>&1 &
  else
    "${PROXY_CPU[@]}" "$cli/elb-local" start --foreground --port "$api_port" "${dns[@]}" > "$WORK/ours-$ENGINE_RUNS.log" 2>&1 &
  fi
  PIDS+=($!)
  ln -sf "ours-$ENGINE_RUNS.log" "$WORK/ours.log"
  local tries=0
  until curl -sf "$ELB_LOCAL_ENDPOINT/__elb-local/health" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -le 200 ] || { echo "the engine did not start:" >&2; cat "$WORK/ours-$ENGINE_RUNS.log" >&2; exit 1; }
    sleep 0.1
  done
  "$cli/elb-local" run-instances --id i-000000b1 --ip "$b1" >/dev/null
  "$cli/elb-local" run-instances --id i-000000b2 --ip "$b2" >/dev/null
  "$cli/iam-servercertupload" -s bench -b "$WORK/cert.pem" -k "$WORK/key.pem" >/dev/null
  local arn
  arn="$("$cli/iam-servercertgetattributes" -s bench | awk 'NR == 1 {print $1}')"
  "$cli/elb-create-lb" bench --availability-zones us-east-1a \
    --listener "lb-port=$http,instance-port=$bport,protocol=http" \
    --listener "lb-port=$https,instance-port=$bport,protocol=https,instance-protocol=http,cert-id=$arn" \
    --listener "lb-port=$tcp,instance-port=$bport,protocol=tcp" >/dev/null
  "$cli/elb-configure-healthcheck" bench --target "TCP:$bport" --interval 30 --timeout 5 \
    --healthy-threshold 2 --unhealthy-threshold 2 >/dev/null
  "$cli/elb-register-instances-with-lb" bench --instances i-000000b1,i-000000b2 >/dev/null
  tries=0
  until [ "$("$cli/elb-describe-instance-health" bench | grep -c InService)" = 2 ]; do
    tries=$((tries + 1))
    [ $tries -le 300 ] || { echo "the instances did not come InService" >&2; exit 1; }
    sleep 0.1
  done
  OURS="$("$cli/elb-local" hosts | awk '/bench/ {print $1; exit}')"
  ENGINE_PID="$(cat "$ELB_LOCAL_HOME/engine.pid")"
  [ -n "$OURS" ] && [ -d "/proc/$ENGINE_PID" ] || { echo "no address or process for load balancer bench" >&2; exit 1; }
}
