#!/bin/sh
# npm runs this (the `prepare` script) on `npm install` in a clone and on `npm install -g <clone or
# git URL>`: build dist/ when it is missing. `npm install -g ./clone` links the folder without its
# devDependencies, so those are fetched first (npm ci, scripts off) — the compiler and bundler
# the build needs. `npm pack`/`npm publish` always rebuild (prepack).
set -e
[ -f dist/lib/bundle/main.js ] && exit 0
# Inside `npm install -g`, npm's settings say global and the global prefix: this is a local install here.
export npm_config_global=false npm_config_prefix="$PWD"
[ -x node_modules/.bin/tsc ] && [ -x node_modules/.bin/esbuild ] || npm ci --ignore-scripts --no-audit --no-fund
npm run build
