#!/usr/bin/env bash
# CloudWatch benchmark: a day of one-minute AWS/ELB history on 1,000 busy load balancers (memory,
# the segment files it writes on disk, the time to load them back and the longest the event loop
# was held meanwhile), the 15-day default on a sparse load (memory), then GetMetricStatistics over
# one day at 60 s for one load balancer and ListMetrics over all of them, through SDK v3 over
# loopback. Bounded: CW_ROUNDS calls each (default 20), three or four minutes in all (CW_SPARSE=0
# skips the 15-day injection, about a minute).
#
#   bench/cloudwatch.sh            # builds dist/ first
#
# Environment: CW_LBS (default 1000), CW_ROUNDS (default 20), CW_SPARSE (default 1). On a shared machine run it under
# `flock /tmp/elb-bench.lock`; figures from a loaded machine are indicative.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
npx tsc -p tsconfig.build.json
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true timeout 900 node --expose-gc bench/cloudwatch.mjs
