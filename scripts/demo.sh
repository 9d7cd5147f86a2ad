#!/usr/bin/env bash
# The main job: build wcomp, then build and run the example project
# examples/polyglot-service, a Rust validator and a Python business-logic
# member composed into one component:
#
#   business (Python) --imports--> example:service/processing <--exports-- validator (Rust)
#
# then the same service with a JavaScript enricher wired between the two
# (examples/polyglot-chain).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../.ci/env.sh
source .ci/env.sh

mkdir -p target
go build -o target/wcomp ./cmd/wcomp
PATH="$PWD/target:$PATH"

echo "== examples/polyglot-service: Rust + Python =="
cd examples/polyglot-service
wcomp build
wcomp run

echo
echo "== examples/polyglot-chain: Python -> JavaScript -> Rust =="
cd ../polyglot-chain
wcomp build
# componentize-js output imports wasi:http, so the run needs the grant;
# without --http, wcomp says so.
wcomp run --http
