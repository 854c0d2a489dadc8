#!/usr/bin/env bash
# Soak benchmark: the real engine under mixed traffic (HTTP, HTTPS, TCP listeners) while load
# balancers and instances are created and deleted through the API. Prints the engine's RSS and open
# file descriptors over time and whether they stayed flat.
#
#   SOAK_SECONDS=600 bench/soak.sh          # default 600 s (10 min); e.g. SOAK_SECONDS=60 for a quick run
#   SOAK_CONNECTIONS=10 SOAK_SAMPLE=10       # wrk connections per listener, seconds between samples
#
# Bounded: every load generator and loop stops at SOAK_SECONDS; the engine runs in its own home,
# API port and loopback networks (127.0.77.x instances, 127.77.x.y LBs) and is stopped at the end.
# Needs node (npm run build done), wrk, curl, openssl. Run it alone: flock /tmp/elb-bench.lock bench/soak.sh
# Exit status: 0 flat, 3 growing, other = the run itself failed.
set -euo pipefail

SOAK_SECONDS="${SOAK_SECONDS:-600}"
CONNECTIONS="${SOAK_CONNECTIONS:-10}"
SAMPLE="${SOAK_SAMPLE:-$(( SOAK_SECONDS >= 120 ? 10 : (SOAK_SECONDS >= 24 ? SOAK_SECONDS / 12 : 2) ))}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/elb-soak.XXXXXX)"
API_PORT="${SOAK_API_PORT:-18773}"
export ELB_LOCAL_HOME="$WORK/home" ELB_LOCAL_ENDPOINT="http://127.0.0.1:$API_PORT" ELB_LOCAL_AUTOSTART=0
export ELB_LOCAL_INSTANCE_NETWORK=127.0.77 ELB_LOCAL_LB_NETWORK=127.77 ELB_LOCAL_TIME_SCALE=0.1
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
LOCAL="$ROOT/bin/elb-local"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$LOCAL" stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in node wrk curl openssl; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
[ -f "$ROOT/dist/lib/bundle/main.js" ] || (cd "$ROOT" && npm run build >/dev/null)

# ---- the Query API, unsigned (the engine does not verify signatures unless asked to) -------------
api() { # api Version Action [key=value…]
  local version="$1" action="$2"; shift 2
  local args=(-s --max-time 30 -X POST "$ELB_LOCAL_ENDPOINT/" --data-urlencode "Action=$action" --data-urlencode "Version=$version")
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  curl "${args[@]}"
}
elb() { api 2012-06-01 "$@"; }
lb_address() { "$LOCAL" hosts | awk -v n="$1-" '$2 ~ "^"n {print $1; exit}'; }

"$LOCAL" start --port "$API_PORT" >/dev/null
for _ in $(seq 1 100); do [ -s "$ELB_LOCAL_HOME/engine.pid" ] && break; sleep 0.1; done
ENGINE_PID="$(cat "$ELB_LOCAL_HOME/engine.pid")"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=soak.test -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
CERT_ARN="$(api 2010-05-08 UploadServerCertificate ServerCertificateName=soak "CertificateBody=$(cat "$WORK/cert.pem")" "PrivateKey=$(cat "$WORK/key.pem")" \
  | grep -o '<Arn>[^<]*' | sed 's/<Arn>//')"
[ -n "$CERT_ARN" ] || { echo "certificate upload failed" >&2; exit 1; }

instances() { "$LOCAL" run-instances --count "$1" --serve http --port 18080 | grep -o 'i-[0-9a-f]\{8,17\}' | sort -u; }
mapfile -t BASE < <(instances 2)
[ "${#BASE[@]}" -eq 2 ] || { echo "run-instances failed" >&2; exit 1; }

elb CreateLoadBalancer LoadBalancerName=soak AvailabilityZones.member.1=us-east-1a \
  Listeners.member.1.Protocol=HTTP Listeners.member.1.LoadBalancerPort=18001 Listeners.member.1.InstancePort=18080 \
  Listeners.member.2.Protocol=HTTPS Listeners.member.2.LoadBalancerPort=18443 Listeners.member.2.InstancePort=18080 \
  Listeners.member.2.InstanceProtocol=HTTP "Listeners.member.2.SSLCertificateId=$CERT_ARN" \
  Listeners.member.3.Protocol=TCP Listeners.member.3.LoadBalancerPort=18002 Listeners.member.3.InstancePort=18080 >/dev/null
elb ConfigureHealthCheck LoadBalancerName=soak HealthCheck.Target=HTTP:18080/ HealthCheck.Interval=5 HealthCheck.Timeout=2 \
  HealthCheck.UnhealthyThreshold=2 HealthCheck.HealthyThreshold=2 >/dev/null
elb RegisterInstancesWithLoadBalancer LoadBalancerName=soak "Instances.member.1.InstanceId=${BASE[0]}" "Instances.member.2.InstanceId=${BASE[1]}" >/dev/null
LB="$(lb_address soak)"
[ -n "$LB" ] || { echo "no address for the soak load balancer" >&2; exit 1; }
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://$LB:18001/" && break; sleep 0.1; done
curl -sf -o /dev/null "http://$LB:18001/" || { echo "the soak load balancer does not answer" >&2; exit 1; }

echo "soak: ${SOAK_SECONDS}s, engine pid $ENGINE_PID, LB $LB (HTTP 18001, HTTPS 18443, TCP 18002), ${CONNECTIONS} connections each"
for url in "http://$LB:18001/" "https://$LB:18443/" "http://$LB:18002/"; do
  wrk -t1 -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" "$url" > "$WORK/wrk-$(echo "$url" | tr -c 'a-z0-9' _).txt" 2>&1 &
  PIDS+=($!)
done

# ---- churn through the API: LBs and instances come and go while traffic flows ---------------------
churn() {
  local i=0 extra=""
  local end=$((SECONDS + SOAK_SECONDS))
  while [ "$SECONDS" -lt "$end" ]; do
    i=$((i + 1))
    elb CreateLoadBalancer "LoadBalancerName=churn-$i" AvailabilityZones.member.1=us-east-1a \
      Listeners.member.1.Protocol=HTTP Listeners.member.1.LoadBalancerPort=18100 Listeners.member.1.InstancePort=18080 >/dev/null
    elb RegisterInstancesWithLoadBalancer "LoadBalancerName=churn-$i" "Instances.member.1.InstanceId=${BASE[0]}" >/dev/null
    local address; address="$(lb_address "churn-$i")"
    [ -n "$address" ] && curl -s -o /dev/null --max-time 2 "http://$address:18100/" || true
    elb ModifyLoadBalancerAttributes LoadBalancerName=soak "LoadBalancerAttributes.ConnectionSettings.IdleTimeout=$((30 + i % 30))" >/dev/null
    elb DeleteLoadBalancer "LoadBalancerName=churn-$i" >/dev/null
    if [ $((i % 3)) -eq 0 ]; then
      local fresh; fresh="$(instances 1 | head -1)"
      elb RegisterInstancesWithLoadBalancer LoadBalancerName=soak "Instances.member.1.InstanceId=$fresh" >/dev/null
      if [ -n "$extra" ]; then
        elb DeregisterInstancesFromLoadBalancer LoadBalancerName=soak "Instances.member.1.InstanceId=$extra" >/dev/null
        "$LOCAL" terminate-instances "$extra" >/dev/null
      fi
      extra="$fresh"
    fi
    sleep 1
  done
  echo "$i" > "$WORK/churn-count"
}
churn &
PIDS+=($!)

# ---- samples -----------------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$ENGINE_PID/status"; }
fds() { find "/proc/$ENGINE_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
printf '%8s %10s %6s\n' seconds rss_MiB fds
start=$SECONDS
: > "$WORK/samples"
while [ $((SECONDS - start)) -lt "$SOAK_SECONDS" ]; do
  sleep "$SAMPLE"
  kill -0 "$ENGINE_PID" 2>/dev/null || { echo "the engine died" >&2; exit 1; }
  r="$(rss_kb)"; f="$(fds)"
  echo "$((SECONDS - start)) $r $f" >> "$WORK/samples"
  printf '%8d %10.1f %6d\n' "$((SECONDS - start))" "$(awk -v r="$r" 'BEGIN {print r/1024}')" "$f"
done
wait "${PIDS[@]}" 2>/dev/null || true

echo
for f in "$WORK"/wrk-*.txt; do
  printf '%s: %s requests, %s errors\n' "$(basename "$f" .txt | sed 's/^wrk-//')" \
    "$(awk '/requests in/ {print $1}' "$f")" "$(awk '/Socket errors|Non-2xx/ {printf "%s ", $0}' "$f")"
done
echo "churn: $(cat "$WORK/churn-count" 2>/dev/null || echo 0) load balancers created and deleted"

# Flat: the last third of the samples against the first third after warm-up (the first sample).
verdict="$(awk '
  {s[NR] = $2; f[NR] = $3}
  END {
    n = NR; if (n < 4) {print "too few samples"; exit}
    third = int((n - 1) / 3); if (third < 1) third = 1
    for (i = 2; i < 2 + third; i++) {a += s[i]; af += f[i]}
    for (i = n - third + 1; i <= n; i++) {b += s[i]; bf += f[i]}
    a /= third; b /= third; af /= third; bf /= third
    growth = (b - a) / a
    flat = (growth <= 0.25 && bf - af <= (af * 0.25 > 20 ? af * 0.25 : 20)) ? "flat" : "GROWING"
    printf "%s: RSS %.1f -> %.1f MiB (%+.0f%%), fds %.0f -> %.0f\n", flat, a / 1024, b / 1024, growth * 100, af, bf
  }' "$WORK/samples")"
echo "$verdict"
case "$verdict" in flat*) exit 0 ;; GROWING*) exit 3 ;; *) exit 1 ;; esac
