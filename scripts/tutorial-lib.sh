#!/usr/bin/env bash
# Shared by scripts/tutorial.sh and scripts/tutorial-query-api.sh (sourced): output helpers, the ✓/✗
# record, the choice of ports and addresses that do not clash with other engines on this machine,
# starting a fresh engine with a temporary state directory, and the final summary.
# Sets REPO, WORK, ELB_LOCAL_HOME, ELB_LOCAL_ENDPOINT, OFFSET, P80, P443 (and exports the engine knobs).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$REPO/bin:$PATH"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# Every command talks to the engine started below, never to an engine started on its own.
export ELB_LOCAL_AUTOSTART=0
unset AWS_ELB_URL AWS_IAM_URL ELB_TARGET EC2_REGION AWS_CREDENTIAL_FILE

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  BOLD=$'\e[1m' DIM=$'\e[2m' GREEN=$'\e[32m' RED=$'\e[31m' RESET=$'\e[0m'
else
  BOLD='' DIM='' GREEN='' RED='' RESET=''
fi

LB=MyLoadBalancer
INSTANCE_A='i-4f8cf126'
INSTANCE_B='i-0bb7ca62'
HEALTH_WAIT_SECONDS=60

STEP_NAMES=()
STEP_RESULTS=()
OUT='' ERR='' RC=0

# ---------------------------------------------------------------------------------------------
# Output helpers

section() { printf '\n%s== %s ==%s\n' "$BOLD" "$1" "$RESET"; }
note() { printf '%s# %s%s\n' "$DIM" "$1" "$RESET"; }

# run CMD: prints `PROMPT> CMD` then runs exactly that text; OUT, ERR and RC hold the result.
run() {
  local command="$1" out_file err_file
  printf '%sPROMPT> %s%s\n' "$BOLD" "$command" "$RESET"
  out_file="$WORK/.out" err_file="$WORK/.err"
  (cd "$WORK" && eval "$command") >"$out_file" 2>"$err_file"
  RC=$?
  OUT="$(cat "$out_file")" ERR="$(cat "$err_file")"
  [ -n "$OUT" ] && printf '%s\n' "$OUT"
  [ -n "$ERR" ] && printf '%s\n' "$ERR"
  [ "$RC" -ne 0 ] && printf '%s[exit status %s]%s\n' "$DIM" "$RC" "$RESET"
  return 0
}

# record NAME OK [WHY]: one line of the final summary.
record() {
  local name="$1" ok="$2" why="${3:-}"
  STEP_NAMES+=("$name")
  if [ "$ok" = 1 ]; then
    STEP_RESULTS+=("ok")
    printf '%s✓ %s%s\n' "$GREEN" "$name" "$RESET"
  else
    STEP_RESULTS+=("FAILED${why:+: $why}")
    printf '%s✗ %s%s%s\n' "$RED" "$name" "${why:+ — $why}" "$RESET"
  fi
}

# expect NAME EXPECTED_STDOUT: the last command exited 0 and printed exactly this.
expect() {
  local name="$1" expected="$2"
  if [ "$RC" -ne 0 ]; then record "$name" 0 "exit status $RC"
  elif [ "$OUT" != "$expected" ]; then record "$name" 0 "unexpected output (expected: $(printf '%s' "$expected" | head -c 200))"
  else record "$name" 1
  fi
}

# expect_match NAME REGEX: the last command exited 0 and its whole stdout matches the extended REGEX
# (`^`/`$` anchor the whole output, which may span lines).
expect_match() {
  local name="$1" pattern="$2"
  if [ "$RC" -ne 0 ]; then record "$name" 0 "exit status $RC"
  elif ! [[ "$OUT" =~ $pattern ]]; then record "$name" 0 "output does not match /$pattern/"
  else record "$name" 1
  fi
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'; }

# bind_problem HOST:PORT…: prints why this process cannot listen on one of them (EACCES: ports below
# 1024 need root or CAP_NET_BIND_SERVICE; EADDRINUSE: another process has it), nothing if it can.
bind_problem() {
  node -e '
    const net = require("net")
    const tryOne = ([host, port]) => new Promise((resolve) => {
      const server = net.createServer()
      server.once("error", (error) => resolve(error.code ?? error.message))
      server.listen({host, port: Number(port), exclusive: true}, () => server.close(() => resolve("")))
    })
    ;(async () => {
      for (const target of process.argv.slice(1)) {
        const problem = await tryOne(target.split(":"))
        if (problem !== "") { process.stdout.write(problem); return }
      }
    })()' "$@"
}

# ---------------------------------------------------------------------------------------------
# Setup and teardown

ENGINE_STARTED=0
cleanup() {
  local status=$?
  if [ "$ENGINE_STARTED" = 1 ]; then
    section "Clean up"
    run "elb-local stop"
    if [ "$RC" -ne 0 ] && [ -f "$ELB_LOCAL_HOME/engine.pid" ]; then
      # The engine we started did not stop on request: end that one process.
      kill "$(cat "$ELB_LOCAL_HOME/engine.pid")" 2>/dev/null
    fi
    ENGINE_STARTED=0
  fi
  if [ "${TUTORIAL_KEEP_HOME:-}" = 1 ]; then
    note "state kept in $ELB_LOCAL_HOME"
  else
    rm -rf "$ELB_LOCAL_HOME"
  fi
  return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ELB_LOCAL_HOME="$(mktemp -d "${TMPDIR:-/tmp}/elb-tutorial.XXXXXX")"
WORK="$ELB_LOCAL_HOME/work"
mkdir -p "$WORK"
export ELB_LOCAL_HOME
ELB_LOCAL_ENDPOINT="http://127.0.0.1:$(free_port)"
export ELB_LOCAL_ENDPOINT
export ELB_LOCAL_TIME_SCALE="${TUTORIAL_TIME_SCALE:-0.05}"

# The first load balancer of a fresh engine listens on LB_NETWORK.0.1 (127.1.0.1 unless
# ELB_LOCAL_LB_NETWORK says otherwise; src/engine/model/elb/naming.ts).
LB_NETWORK="${ELB_LOCAL_LB_NETWORK:-127.1}"
NETWORK_NOTES=()
PORT_REASON="ELB_LOCAL_PORT_OFFSET is set"
if [ -z "${ELB_LOCAL_PORT_OFFSET:-}" ]; then
  problem="$(bind_problem "$LB_NETWORK.0.1:80" "$LB_NETWORK.0.1:443")"
  if [ "$problem" = EADDRINUSE ] && [ -z "${ELB_LOCAL_LB_NETWORK:-}" ]; then
    # Another engine's load balancer has them: give ours other addresses (ELB_LOCAL_LB_NETWORK).
    for network in 127.11 127.21 127.31 127.41 127.51; do
      if [ -z "$(bind_problem "$network.0.1:80" "$network.0.1:443")" ]; then
        LB_NETWORK="$network" problem=''
        export ELB_LOCAL_LB_NETWORK="$network"
        NETWORK_NOTES+=("127.1.0.1:80/443 are in use by another process, so the load balancer gets an address in $network.0.0/16 (ELB_LOCAL_LB_NETWORK).")
        break
      fi
    done
  fi
  case "$problem" in
    '') ELB_LOCAL_PORT_OFFSET=0 PORT_REASON="this process can bind ports 80 and 443" ;;
    EACCES) PORT_REASON="this process may not bind ports below 1024 (that needs root)" ;;
    EADDRINUSE) PORT_REASON="another process already listens on $LB_NETWORK.0.1:80 or :443" ;;
    *) PORT_REASON="binding $LB_NETWORK.0.1:80 fails ($problem)" ;;
  esac
  if [ -n "$problem" ]; then
    # The engine's suggested offset, or the next one whose ports are free on this machine.
    for ELB_LOCAL_PORT_OFFSET in 8000 18000 28000 38000; do
      [ -z "$(bind_problem "$LB_NETWORK.0.1:$((80 + ELB_LOCAL_PORT_OFFSET))" "$LB_NETWORK.0.1:$((443 + ELB_LOCAL_PORT_OFFSET))")" ] && break
    done
  fi
fi
export ELB_LOCAL_PORT_OFFSET
OFFSET="$ELB_LOCAL_PORT_OFFSET"
local_port() { if [ "$1" -lt 1024 ] && [ "$OFFSET" -gt 0 ]; then echo $(($1 + OFFSET)); else echo "$1"; fi; }
P80="$(local_port 80)" P443="$(local_port 443)"

# A fresh engine gives instances 127.0.0.2, 127.0.0.3, …; if another engine on this machine already
# serves there, use another instance network (the engine's ELB_LOCAL_INSTANCE_NETWORK setting).
if [ -z "${ELB_LOCAL_INSTANCE_NETWORK:-}" ]; then
  for network in 127.0.0 127.0.10 127.0.20 127.0.30 127.0.40 127.0.50; do
    [ -z "$(bind_problem "$network.2:8080" "$network.3:8080" "$network.2:$P443" "$network.3:$P443")" ] && break
  done
  if [ "$network" != 127.0.0 ]; then
    export ELB_LOCAL_INSTANCE_NETWORK="$network"
    NETWORK_NOTES+=("127.0.0.2 and 127.0.0.3 are in use by another process, so the instances get addresses in $network.0/24 (ELB_LOCAL_INSTANCE_NETWORK).")
  fi
fi

# start_tutorial_engine TITLE NOTE…: prints the title, starts a fresh engine (exits if it cannot).
start_tutorial_engine() {
  local title="$1" line
  shift
  printf '%s%s%s\n' "$BOLD" "$title" "$RESET"
  for line in "$@"; do note "$line"; done

  section "Before you start: a fresh local engine"
  note "State directory (ELB_LOCAL_HOME): $ELB_LOCAL_HOME"
  note "Engine endpoint (ELB_LOCAL_ENDPOINT): $ELB_LOCAL_ENDPOINT"
  note "Time scale (ELB_LOCAL_TIME_SCALE, a test aid): $ELB_LOCAL_TIME_SCALE — every health-check interval and timeout is"
  note "  multiplied by it, so the guide's 30 s interval lasts $(node -e "process.stdout.write(String(30*$ELB_LOCAL_TIME_SCALE))") s. The API still shows 30."
  if [ "$OFFSET" -eq 0 ]; then
    note "Ports: $PORT_REASON, so the listeners use them as the guide says (no port offset)."
  else
    note "Ports: $PORT_REASON, so the engine runs with --port-offset $OFFSET:"
    note "  ports below 1024 (listeners, instance HTTPS) are bound as port+$OFFSET (80 → $P80, 443 → $P443); the API still shows 80 and 443."
  fi
  for line in ${NETWORK_NOTES[@]+"${NETWORK_NOTES[@]}"}; do note "$line"; done
  # ELB_LOCAL_PLATFORM=ec2-classic walks the guide in 2011's world (shown as --platform); by default the account has a default VPC.
  if [ -n "${ELB_LOCAL_PLATFORM:-}" ]; then
    note "Platform: $ELB_LOCAL_PLATFORM (elb-local start --platform)."
  fi
  run "elb-local start$([ "$OFFSET" -gt 0 ] && printf -- ' --port-offset %s' "$OFFSET")$([ -n "${ELB_LOCAL_PLATFORM:-}" ] && printf -- ' --platform %s' "$ELB_LOCAL_PLATFORM")"
  if [ "$RC" -eq 0 ]; then ENGINE_STARTED=1; fi
  expect_match "start the local engine" '^Local engine started at '
  if [ "$ENGINE_STARTED" != 1 ]; then
    printf '%sThe engine did not start; nothing else can run.%s\n' "$RED" "$RESET"
    exit 1
  fi
}

# install_backend_certificate: the guide's back-end servers present one certificate, whose public key
# the load balancer pins; make it and install it on both instances before they launch.
install_backend_certificate() {
  local id ok=1
  note "The guide's back-end servers present one certificate, whose public key the load balancer will pin. Make it"
  note "and install it on both instances (their demo HTTPS servers use ELB_LOCAL_HOME/instances/ID/{cert,key}.pem)."
  run "openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj /CN=backend.example.com -keyout backend-key.pem -out backend-cert.pem 2>/dev/null"
  [ "$RC" -eq 0 ] || ok=0
  for id in "$INSTANCE_A" "$INSTANCE_B"; do
    run "mkdir -p \"\$ELB_LOCAL_HOME/instances/$id\" && cp backend-cert.pem \"\$ELB_LOCAL_HOME/instances/$id/cert.pem\" && cp backend-key.pem \"\$ELB_LOCAL_HOME/instances/$id/key.pem\""
    [ "$RC" -eq 0 ] || ok=0
  done
  record "make the back-end certificate and install it on both instances" "$ok"
}

# lb_address DNS_NAME: shows `elb-local hosts` and sets LB_ADDRESS to the address DNS_NAME is served on.
lb_address() {
  local dns_name="$1" ok=1
  note "Where the DNS name points on this machine (append to /etc/hosts to use the name everywhere):"
  run "elb-local hosts"
  LB_ADDRESS="$(printf '%s\n' "$OUT" | awk -v name="$dns_name" '$2 == name {print $1}')"
  [ -n "$LB_ADDRESS" ] || ok=0
  record "elb-local hosts names the address of $dns_name" "$ok"
}

# check_spread NAME SEEN_A SEEN_B: both instances answered some of the requests.
check_spread() {
  local name="$1" seen_a="$2" seen_b="$3"
  if [ "$seen_a" -gt 0 ] && [ "$seen_b" -gt 0 ]; then record "$name" 1
  else record "$name" 0 "$INSTANCE_A answered $seen_a, $INSTANCE_B answered $seen_b"
  fi
}

# http_traffic DNS_NAME: four requests through the port-80 listener at LB_ADDRESS; both instances must answer.
http_traffic() {
  local dns_name="$1" seen_a=0 seen_b=0
  note "HTTP listener (port 80$( [ "$OFFSET" -gt 0 ] && printf ', bound as %s' "$P80")): four requests; each answer names the instance that served it."
  for _ in 1 2 3 4; do
    run "curl -s --max-time 5 --resolve $dns_name:$P80:$LB_ADDRESS http://$dns_name:$P80/ | grep '\"instanceId\"'"
    case "$OUT" in *"$INSTANCE_A"*) seen_a=$((seen_a + 1)) ;; *"$INSTANCE_B"*) seen_b=$((seen_b + 1)) ;; esac
  done
  check_spread "HTTP :80 → both instances on 8080" "$seen_a" "$seen_b"
}

# finish_tutorial: stops the engine, prints the summary and exits 0 only if every step passed.
finish_tutorial() {
  local failed=0 total i
  trap - EXIT
  cleanup
  record "stop the engine and remove its state" "$([ "$RC" -eq 0 ] && echo 1 || echo 0)"

  section "Summary"
  for i in "${!STEP_NAMES[@]}"; do
    if [ "${STEP_RESULTS[$i]}" = ok ]; then
      printf '%s✓%s %s\n' "$GREEN" "$RESET" "${STEP_NAMES[$i]}"
    else
      printf '%s✗%s %s (%s)\n' "$RED" "$RESET" "${STEP_NAMES[$i]}" "${STEP_RESULTS[$i]}"
      failed=$((failed + 1))
    fi
  done
  total=${#STEP_NAMES[@]}
  if [ "$failed" -eq 0 ]; then
    printf '\n%sAll %s steps passed.%s\n' "$GREEN" "$total" "$RESET"
    exit 0
  fi
  printf '\n%s%s of %s steps failed.%s\n' "$RED" "$failed" "$total" "$RESET"
  exit 1
}
