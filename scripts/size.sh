#!/usr/bin/env bash
# Prints the size of every file in dist/ and the total: raw bytes, gzip -9 bytes and
# brotli (quality 11) bytes, i.e. what a static host serving compressed files would send.
# `make size` builds the release bundle first.
set -euo pipefail
cd "$(dirname "$0")/.."

dist=${1:-dist}
if [ ! -f "$dist/index.html" ]; then
  echo "size.sh: $dist/index.html not found; run 'make size' (or 'trunk build --release') first" >&2
  exit 1
fi
command -v node >/dev/null || { echo "size.sh: node is needed for the brotli column" >&2; exit 1; }

# One node process computes brotli for all files (Debian's brotli CLI is not installed).
brotli_sizes() {
  node -e '
    const fs = require("fs"), zlib = require("zlib");
    for (const f of process.argv.slice(1)) {
      const out = zlib.brotliCompressSync(fs.readFileSync(f), {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: fs.statSync(f).size,
        },
      });
      console.log(out.length);
    }' "$@"
}

mapfile -t files < <(cd "$dist" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
mapfile -t br < <(cd "$dist" && brotli_sizes "${files[@]}")

w=4
for f in "${files[@]}"; do [ ${#f} -gt $w ] && w=${#f}; done

printf "%-${w}s  %10s  %10s  %10s\n" file raw gzip-9 brotli
printf "%-${w}s  %10s  %10s  %10s\n" "$(printf '%*s' $w '' | tr ' ' -)" ---------- ---------- ----------
total_raw=0 total_gz=0 total_br=0
for i in "${!files[@]}"; do
  f=${files[$i]}
  raw=$(stat -c %s "$dist/$f")
  gz=$(gzip -9 -c "$dist/$f" | wc -c)
  b=${br[$i]}
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + b))
  printf "%-${w}s  %10d  %10d  %10d\n" "$f" "$raw" "$gz" "$b"
done
printf "%-${w}s  %10d  %10d  %10d\n" total "$total_raw" "$total_gz" "$total_br"
