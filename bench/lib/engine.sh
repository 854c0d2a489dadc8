# Sourced by the data-plane benchmarks: the engine as a user starts it (`elb-local start`), with its
# API, health checks, metrics, journal and console, serving one load balancer over the nginx back ends.
#
# bench_start_engine HTTP_PORT HTTPS_PORT TCP_PORT B1 B2 BPORT
#   starts `elb-local start --foreground` pinned like the other proxy (PROXY_CPU) with its state in
#   WORK/home, launches two stand-in instances on B1 and B2 (no demo back ends: nginx answers there),
#   uploads WORK/cert.pem + WORK/key.pem as a server certificate, and creates load balancer `bench`
#   with HTTP, HTTPS (→ HTTP) and TCP listeners, a TCP health check on BPORT every 30 s (AWS's
#   default interval), both instances registered; waits until both are InService. Sets OURS (the load
#   balancer's address), ENGINE_PID (the process to read /proc from) and appends it to PIDS.
bench_start_engine() {
  local http="$1" https="$2" tcp="$3" b1="$4" b2="$5" bport="$6"
  export ELB_LOCAL_HOME="$WORK/home" ELB_LOCAL_AUTOSTART=0
  local api_port
  api_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  export ELB_LOCAL_ENDPOINT="http://127.0.0.1:$api_port" AWS_ELB_URL="http://127.0.0.1:$api_port" EC2_REGION=us-east-1
  local cli="$ROOT/bin"
  # shellcheck disable=SC2086
  NODE_OPTIONS="${LB_NODE_FLAGS:-}" "${PROXY_CPU[@]}" "$cli/elb-local" start --foreground --port "$api_port" --dns-port 0 > "$WORK/ours.log" 2>&1 &
  PIDS+=($!)
  "$cli/elb-local" wait --timeout 20 >/dev/null || { echo "the engine did not start:" >&2; cat "$WORK/ours.log" >&2; exit 1; }
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
  "$cli/elb-local" wait --in-service bench --timeout 30 >/dev/null || { echo "the instances did not come InService" >&2; exit 1; }
  # The engine process itself (the one `start --foreground` runs), whose CPU the benchmarks read.
  read -r OURS ENGINE_PID < <("$cli/elb-local" status --json | node -e '
    let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => {
      const status = JSON.parse(s); const lb = status.loadBalancers.find((l) => l.name === "bench")
      console.log(lb.address, status.pid) })')
  [ -n "$OURS" ] && [ -d "/proc/$ENGINE_PID" ] || { echo "no address or process for load balancer bench" >&2; exit 1; }
}
