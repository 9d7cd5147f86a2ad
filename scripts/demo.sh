#!/usr/bin/env bash
# The main job: build wcomp, then build and run the example project
# examples/polyglot-service, a Rust validator and a Python business-logic
# member composed into one component:
#
#   business (Python) --imports--> example:service/processing <--exports-- validator (Rust)
#
# then the same service with a JavaScript enricher wired between the two
# (examples/polyglot-chain). Each example's component.toml has a
# [capabilities] policy: the build composes in stubs for what the members'
# runtimes import but never use, and `wcomp audit` shows every capability the
# result asks for, which member brings it in, and what the policy says.
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
wcomp audit
wcomp run

echo
echo "== examples/polyglot-chain: Python -> JavaScript -> Rust =="
cd ../polyglot-chain
wcomp build
wcomp audit
# componentize-js output imports wasi:http; the policy stubs the outgoing
# handler, so the service cannot send a request, and allows the types, which
# `wcomp run` then links without --http.
wcomp run
