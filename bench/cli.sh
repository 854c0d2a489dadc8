#!/usr/bin/env bash
# Start-up speed of the CLI (hyperfine medians): `elb-describe-lbs --help`, `elb-describe-lbs`
# and `elb-local status` against a running local engine (as installed: the shim starts Node from
# the start-up snapshot), the describe call down the module path (`node bin/elb-describe-lbs`, what runs when the
# build made no snapshot), `node -e 0` for scale, and — when ELB_LEGACY_HOME points at an unpacked
# legacy ELB CLI 1.0.17.0 — the legacy jar's same call against the same engine.
#
#   npm run build && bash bench/cli.sh
#   ELB_LEGACY_HOME=/path/to/elastic-load-balancing bash bench/cli.sh
#
# The engine is started for the run (temporary home, free port) and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "hyperfine is missing (apt-get install -y hyperfine)" >&2; exit 1; }
[ -f dist/lib/bundle/main.js ] || { echo "build first: npm run build" >&2; exit 1; }
blob=$(node --input-type=module -e 'import {snapshotBlobPath} from "./dist/lib/bundle/snapshot-cache.js"; console.log(snapshotBlobPath() ?? "")')
[ -n "$blob" ] && [ -f "$blob" ] || echo "no start-up snapshot (${blob:-no snapshot.key}): the shims take the module path" >&2

RUNS=${RUNS:-30}
home=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export ELB_LOCAL_HOME=$home ELB_LOCAL_ENDPOINT=http://127.0.0.1:$port ELB_LOCAL_AUTOSTART=0
cleanup() { ./bin/elb-local stop >/dev/null 2>&1 || true; rm -rf "$home" "${results:-}"; }
trap cleanup EXIT
./bin/elb-local start >/dev/null
./bin/elb-create-lb bench-lb --listener "protocol=http, lb-port=8080, instance-port=8080" --availability-zones us-east-1a >/dev/null

results=$(mktemp)
commands=("./bin/elb-describe-lbs --help" ./bin/elb-describe-lbs "node ./bin/elb-describe-lbs" "node -e 0" "./bin/elb-local status")
if [ -n "${ELB_LEGACY_HOME:-}" ]; then
  export AWS_ELB_HOME=$ELB_LEGACY_HOME
  export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
  commands+=("$ELB_LEGACY_HOME/bin/elb-describe-lbs -U $ELB_LOCAL_ENDPOINT/ -I AKIDBENCH -S benchsecret")
fi
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$results" "${commands[@]}" >/dev/null
node -e '
const {results} = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
for (const r of results) console.log(`${(r.median * 1000).toFixed(1).padStart(7)} ms median  ${r.command}`)
const ours = results[1], local = results[4], legacy = results[5]
console.log(`elb-local status / elb-describe-lbs: ${(local.median / ours.median).toFixed(2)}x`)
if (legacy) console.log(`legacy / ours: ${(legacy.median / ours.median).toFixed(1)}x`)
' "$results"
