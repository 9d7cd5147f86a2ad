#!/usr/bin/env bash
# The main job: build the polyglot fixtures (Rust, Python, JS), link them into
# one component with wcomp, and run it in wcomp's embedded Wasmtime.
#
#   business (Python)  --imports-->  example:service/processing
#   enricher (JS)      --exports-->  example:service/processing, imports it too
#   validator (Rust)   --exports-->  example:service/processing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../.ci/env.sh
source .ci/env.sh

fixtures/build.sh
mkdir -p target
go build -o target/wcomp ./cmd/wcomp
wcomp=target/wcomp
out=fixtures/out
iface=example:service/processing@0.1.0

echo
echo "== Python + Rust: the seed =="
"$wcomp" compose "$out/business.wasm" --plug "$out/validator.wasm" -o target/seed.wasm
"$wcomp" run target/seed.wasm

echo
echo "== Python -> JS -> Rust: a chain =="
"$wcomp" compose "$out/business.wasm" --plug "$out/enricher.wasm" --plug "$out/validator.wasm" \
  --wire "business:$iface=enricher:$iface" \
  --wire "enricher:$iface=validator:$iface" \
  -o target/chain.wasm
# The JS member imports wasi:http (componentize-js always does), so the
# chain needs the grant; without --http, wcomp says so.
"$wcomp" run target/chain.wasm --http --invoke 'handle("hello from the demo")'
