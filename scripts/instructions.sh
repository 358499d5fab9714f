#!/usr/bin/env bash
# The engine's cost in instructions: how many it takes to settle the benchmark's StatefulSet
# (examples/settle.rs), counted by valgrind's cachegrind. Wall times on a shared machine vary
# by 10-20% from run to run; instruction counts repeat exactly, so compare changes with these
# (and confirm with `make bench`). Installs Debian's valgrind if it is missing.
# Usage: scripts/instructions.sh [REPLICAS ...]   (default: 1000 2000, both policies)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1minstructions:\033[0m %s\n' "$*"; }

if ! command -v valgrind >/dev/null; then
  say "installing Debian's valgrind (about 1 min)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq valgrind >/dev/null
fi

say "building examples/settle.rs with the bench profile"
cargo build --quiet --profile bench --example settle
binary=${CARGO_TARGET_DIR:-target}/release/examples/settle

counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 2000)
printf '%-14s %9s %16s\n' policy replicas instructions
for policy in OrderedReady Parallel; do
  for replicas in "${counts[@]}"; do
    # The count covers the whole run: start-up, parsing the manifests and settling.
    refs=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      "$binary" "$replicas" "$policy" 2>&1 >/dev/null | awk '/I +refs:/ {print $NF}')
    printf '%-14s %9s %16s\n' "$policy" "$replicas" "$refs"
  done
done
