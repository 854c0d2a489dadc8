#!/usr/bin/env bash
# State-scale benchmark: write latency, wrk p99 through one LB while another takes one write a second,
# restart and DescribeLoadBalancers times at 100 / 1,000 / 6,000 load balancers; health-check CPU and
# DescribeInstanceHealth at 1,000 / 10,000 instances. Loopback only, bounded (a few minutes).
#
#   bench/scale.sh                 # this checkout (builds dist/ first)
#   bench/scale.sh --before [REF]  # REF (default db1fe01, before the journal store), exported to a temp dir
#
# Environment: SCALE_LBS (default 100,1000,6000), SCALE_INSTANCES (default 1000,10000),
# WRK_SECONDS (default 5), CPU_SECONDS (default 10). Needs wrk and node. Run it under
# `flock /tmp/elb-bench.lock` on a shared machine; figures from a loaded machine are indicative.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$ROOT"
WORKTREE=""
cleanup() {
  if [ -n "$WORKTREE" ]; then rm -rf "$WORKTREE"; fi
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "missing wrk (apt-get install -y wrk)" >&2; exit 2; }
if [ "${1:-}" = "--before" ]; then
  REF="${2:-db1fe01}"
  WORKTREE="$(mktemp -d /tmp/elb-scale-before.XXXXXX)"
  git -C "$ROOT" archive "$REF" | tar -x -C "$WORKTREE"
  # Same dependencies as this checkout, minus what was added since: borrow them rather than install.
  ln -s "$ROOT/node_modules" "$WORKTREE/node_modules"
  TARGET="$WORKTREE"
fi
# An older tree may not typecheck against today's dependencies; it still emits, which is all we need.
(cd "$TARGET" && node node_modules/typescript/bin/tsc -p tsconfig.build.json >/dev/null) || true
[ -f "$TARGET/dist/engine/cli-entry.js" ] || { echo "build of $TARGET failed" >&2; exit 1; }
export SCALE_LABEL="${REF:-$(git -C "$ROOT" log --oneline -1)}"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
node "$ROOT/bench/scale.mjs" --repo "$TARGET" \
  --lbs "${SCALE_LBS:-100,1000,6000}" --instances "${SCALE_INSTANCES:-1000,10000}" \
  --wrk-seconds "${WRK_SECONDS:-5}" --cpu-seconds "${CPU_SECONDS:-10}"
