# stsplay: a Kubernetes StatefulSet playground (Rust → WebAssembly).
#
#   make serve   install the tools if needed, then build and serve on http://127.0.0.1:8080/
#   make test    install the tools if needed, then run every check CI runs
#
# Other targets: build, e2e, size, bench, instructions, fmt, clean. Every target can be run again safely;
# scripts/setup.sh only installs what is missing (the first run takes about 15 minutes).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Steps must run in the order written, even under make -j.
.NOTPARALLEL:
MAKEFLAGS += --no-print-directory

TOOLS_DIR ?= $(HOME)/.local/share/stsplay-tools
export PATH := $(HOME)/.cargo/bin:$(TOOLS_DIR)/node_modules/.bin:$(PATH)
# `offline = true` in Trunk.toml does not stop Trunk 0.21's check for a newer release; this does.
export TRUNK_SKIP_VERSION_CHECK := true

CHROMEDRIVER ?= /usr/bin/chromedriver

# $(call banner,text): one line before each step, so a long run shows where it is
# (bold on a terminal, plain in CI logs).
banner = @if [ -t 1 ]; then printf '\n\033[1;34m==>\033[0m \033[1m%s\033[0m\n' "$(1)"; \
          else printf '\n==> %s\n' "$(1)"; fi

.PHONY: help serve build test e2e size bench instructions fmt clean setup-build setup-test fetch \
        _release _e2e-run

help:
	@echo 'make serve   build and serve the playground on http://127.0.0.1:8080/ (installs tools first)'
	@echo 'make test    fmt, clippy (native + wasm), cargo test, browser tests, end-to-end tests'
	@echo 'make build   release bundle in dist/'
	@echo 'make e2e     release bundle, then the end-to-end tests in headless Chromium'
	@echo 'make size    release bundle, then raw/gzip/brotli sizes of dist/'
	@echo 'make bench   cargo bench'
	@echo 'make instructions  instructions to settle 1,000 and 2,000 replicas (valgrind; repeatable)'
	@echo 'make fmt     cargo fmt'
	@echo 'make clean   remove target/ and dist/'

setup-build:
	$(call banner,Checking build tools (scripts/setup.sh build))
	@scripts/setup.sh build

setup-test:
	$(call banner,Checking build and test tools (scripts/setup.sh test))
	@scripts/setup.sh test

# Trunk runs cargo with --offline (Trunk.toml), so download the crates first.
fetch:
	$(call banner,Fetching crates (cargo fetch))
	cargo fetch

serve: setup-build fetch
	$(call banner,Serving on http://127.0.0.1:8080/ (trunk serve; Ctrl-C stops))
	trunk serve

build: setup-build fetch _release

_release:
	$(call banner,Building the release bundle into dist/ (trunk build --release))
	trunk build --release

test: setup-test fetch
	$(call banner,[1/6] Formatting (cargo fmt --check))
	cargo fmt --check
	$(call banner,[2/6] Lints for the native target (cargo clippy --all-targets))
	cargo clippy --all-targets -- -D warnings
	$(call banner,[3/6] Lints for wasm32 (cargo clippy --target wasm32-unknown-unknown --lib --bins))
	cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings
	$(call banner,[4/6] Unit and integration tests on the native target (cargo test))
	cargo test
	$(call banner,[5/6] Browser tests in headless Chromium (cargo test --target wasm32-unknown-unknown --test web))
	CHROMEDRIVER=$(CHROMEDRIVER) WASM_BINDGEN_TEST_TIMEOUT=120 \
	  timeout 900 cargo test --target wasm32-unknown-unknown --test web
	$(call banner,[6/6] End-to-end tests (release bundle + tests/e2e))
	@$(MAKE) _release _e2e-run

e2e: setup-test fetch _release _e2e-run

_e2e-run:
	$(call banner,Running the end-to-end tests against dist/ (scripts/e2e.sh))
	scripts/e2e.sh

size: setup-build fetch _release
	$(call banner,Bundle sizes (scripts/size.sh))
	scripts/size.sh

bench: setup-build
	$(call banner,Benchmarks (cargo bench))
	cargo bench

instructions: setup-build
	$(call banner,Instruction counts (scripts/instructions.sh))
	scripts/instructions.sh

fmt:
	$(call banner,Formatting (cargo fmt))
	cargo fmt

clean:
	$(call banner,Removing target/ and dist/)
	cargo clean
	rm -rf dist
