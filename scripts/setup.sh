#!/usr/bin/env bash
# Installs what building and testing stsplay needs, and nothing that is already there.
# Usage: scripts/setup.sh build   (toolchain, trunk, wasm-bindgen-cli, wasm-opt)
#        scripts/setup.sh test    (all of the above plus chromium and chromedriver)
# Every step checks first, so a second run prints only "ok" lines.
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-build}
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
TOOLS_DIR=${STSPLAY_TOOLS_DIR:-$HOME/.local/share/stsplay-tools}
# The CLI must equal the wasm-bindgen crate in Cargo.lock, so read it from there.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

toolchain=$(awk -F'"' '/^channel/{print $2}' rust-toolchain.toml)
if rustup toolchain list | grep -q "^$toolchain" \
   && rustup target list --installed --toolchain "$toolchain" | grep -q wasm32-unknown-unknown \
   && rustup component list --installed --toolchain "$toolchain" | grep -q clippy \
   && rustup component list --installed --toolchain "$toolchain" | grep -q rustfmt; then
  say "ok: rust $toolchain with wasm32 target, clippy and rustfmt"
else
  say "installing rust $toolchain, its wasm32 target, clippy and rustfmt (pinned in rust-toolchain.toml; about 1 min)"
  rustup toolchain install
fi

export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  say "ok: trunk $TRUNK_VERSION"
else
  say "installing trunk $TRUNK_VERSION, the bundler behind 'make serve' (cargo install, about 7 min on 2 cores)"
  cargo +"$toolchain" install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
   && command -v wasm-bindgen-test-runner >/dev/null; then
  say "ok: wasm-bindgen-cli $WASM_BINDGEN_VERSION"
else
  # Not --locked: its lockfile pins a webpki-roots release the registry mirror lacks.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION, which must equal the crate in Cargo.lock (about 3 min)"
  cargo +"$toolchain" install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*} "; then
  say "ok: wasm-opt ${BINARYEN_VERSION%%.*}"
else
  # Debian's binaryen is too old to parse what rustc 1.95 emits; npm ships a current one.
  say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION into $TOOLS_DIR (shrinks the release bundle)"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [ "$want" = test ]; then
  # The CJK font lets the Chinese UI render in screenshots instead of empty boxes.
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/truetype/wqy ]; then
    say "ok: chromium, chromedriver and a CJK font"
  else
    say "installing Debian's chromium, chromium-driver and fonts-wqy-microhei for the browser tests (about 1 min)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
  fi
  if [ -d "$TOOLS_DIR/node_modules/playwright-core" ] && [ -d "$TOOLS_DIR/node_modules/axe-core" ]; then
    say "ok: playwright-core and axe-core (end-to-end driver)"
  else
    say "installing playwright-core and axe-core from npm into $TOOLS_DIR (drives Debian's chromium; no browser download)"
    mkdir -p "$TOOLS_DIR"
    (cd "$TOOLS_DIR" && npm install --no-audit --no-fund playwright-core@1.64.1 axe-core@4 >/dev/null)
  fi
fi
say "tools ready"
