#!/usr/bin/env bash
# share.sh: shared core modules (issue #14), measured in one run on the
# Python services of fixtures/out: business + py-validator (2 members) and
# business + py-enricher + py-validator (3 members), each composed by
# `wcomp compose` with sharing (the default) and with --no-share-modules.
#
# Prints three tables:
#   1. output size, shared vs unshared, and the shared size against the
#      goal 18 + 11·(N−1) MB (within 5%);
#   2. compose time (hyperfine medians), shared / unshared (goal ≤ 1.5×);
#   3. Wasmtime's first compile of the output (`wasmtime compile`, no
#      cache: every run compiles), shared / unshared. The embedded engine's
#      is `go test ./bench -bench CompileShared` (BenchmarkCompileShared).
#
# Usage: bench/share.sh   (needs hyperfine, wasmtime, wasm-tools; RUNS=10
# compose runs and COMPILE_RUNS=3 compile runs by default)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=$repo/fixtures/out
runs=${RUNS:-10}
compile_runs=${COMPILE_RUNS:-3}

for tool in hyperfine wasmtime wasm-tools jq; do
	command -v "$tool" >/dev/null || { echo "share.sh: $tool is not installed" >&2; exit 1; }
done
for f in business py-validator py-enricher; do
	[ -f "$out/$f.wasm" ] || { echo "share.sh: $out/$f.wasm missing (run fixtures/build.sh $f)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wcomp="$work/wcomp"
(cd "$repo" && go build -o "$wcomp" ./cmd/wcomp)
cp "$out/business.wasm" "$out/py-validator.wasm" "$out/py-enricher.wasm" "$work/"
iface=example:service/processing@0.1.0
two="$work/business.wasm --plug $work/py-validator.wasm"
three="$work/business.wasm --plug $work/py-enricher.wasm --plug $work/py-validator.wasm \
 --wire business:$iface=py-enricher:$iface --wire py-enricher:$iface=py-validator:$iface"

median() { jq -r ".results[] | select(.command == \"$2\") | .median" "$1"; }
size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# times FILE UNIT: the table of hyperfine medians in FILE, in ms or s.
times() {
	local u s n
	echo "| members | unshared | shared | shared / unshared |"
	echo "| --- | --- | --- | --- |"
	for n in 2 3; do
		u=$(median "$work/$1" "$n unshared")
		s=$(median "$work/$1" "$n shared")
		echo "| $n Python | $(seconds "$u" "$2") | $(seconds "$s" "$2") | $(ratio "$s" "$u") |"
	done
}
seconds() { awk -v t="$1" -v unit="$2" 'BEGIN { if (unit == "ms") printf "%.1f ms", t * 1000; else printf "%.2f s", t }'; }

# Compose times, and the outputs for the other tables.
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-json "$work/compose.json" \
	--prepare "rm -f $work/out-*.wasm" \
	-n "2 shared" "$wcomp compose $two -o $work/out-2-shared.wasm" \
	-n "2 unshared" "$wcomp compose $two --no-share-modules -o $work/out-2-unshared.wasm" \
	-n "3 shared" "$wcomp compose $three -o $work/out-3-shared.wasm" \
	-n "3 unshared" "$wcomp compose $three --no-share-modules -o $work/out-3-unshared.wasm" >"$work/compose.txt"
for n in 2 3; do
	for v in shared unshared; do
		args=$two
		[ "$n" = 3 ] && args=$three
		flag=""
		[ "$v" = unshared ] && flag=--no-share-modules
		$wcomp compose $args $flag -o "$work/out-$n-$v.wasm" >/dev/null
		wasm-tools validate "$work/out-$n-$v.wasm"
	done
done

echo "## Output size (goal: shared within 5% of 18 + 11·(N−1) MB)"
echo
echo "| members | unshared | shared | shared / unshared | goal | shared / goal |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in 2 3; do
	u=$(size "$work/out-$n-unshared.wasm")
	s=$(size "$work/out-$n-shared.wasm")
	goal=$(( (18 + 11 * (n - 1)) * 1000000 ))
	echo "| $n Python | $(mb "$u") MB | $(mb "$s") MB | $(ratio "$s" "$u") | $(mb "$goal") MB | $(ratio "$s" "$goal") |"
done
echo
echo "## Compose time, wcomp compose to a file (hyperfine median of $runs; goal: shared ≤ 1.5× unshared)"
echo
times compose.json ms

# First compile: wasmtime compile with its cache off, so every run compiles.
hyperfine -N --style basic --runs "$compile_runs" --export-json "$work/compile.json" \
	-n "2 shared" "wasmtime compile -C cache=n $work/out-2-shared.wasm -o $work/c.cwasm" \
	-n "2 unshared" "wasmtime compile -C cache=n $work/out-2-unshared.wasm -o $work/c.cwasm" \
	-n "3 shared" "wasmtime compile -C cache=n $work/out-3-shared.wasm -o $work/c.cwasm" \
	-n "3 unshared" "wasmtime compile -C cache=n $work/out-3-unshared.wasm -o $work/c.cwasm" >"$work/compile.txt"
echo
echo "## Wasmtime first compile, wasmtime compile -C cache=n (hyperfine median of $compile_runs)"
echo
times compile.json s
