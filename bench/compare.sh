#!/usr/bin/env bash
# compare.sh: wcomp compose vs `wac plug` vs `cp` on the seed composition
# (fixtures/out/business.wasm, an 18 MB componentize-py app, plugged with
# fixtures/out/validator.wasm, a Rust provider).
#
# Prints: wall-time ratio wcomp/wac (hyperfine medians), each tool's peak
# RSS (/usr/bin/time -v), whether both outputs have the same imports and
# exports (wasm-tools component wit + diff), and wcomp vs cp of the input.
# Goals (issue #3): wcomp ≥ 5× faster than wac, within 3× of cp.
#
# Usage: bench/compare.sh [ROOT.wasm PLUG.wasm]   (needs hyperfine, wac, wasm-tools)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
root=${1:-$repo/fixtures/out/business.wasm}
plug=${2:-$repo/fixtures/out/validator.wasm}
wac=${WAC:-$(command -v wac || echo "$HOME/.cargo/bin/wac")}
runs=${RUNS:-20}

for tool in hyperfine wasm-tools /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed" >&2; exit 1; }
done
[ -x "$wac" ] || { echo "compare.sh: wac not found (cargo install wac-cli, or set WAC=)" >&2; exit 1; }
for f in "$root" "$plug"; do
	[ -f "$f" ] || { echo "compare.sh: $f missing (run fixtures/build.sh)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wcomp="$work/wcomp"
(cd "$repo" && go build -o "$wcomp" ./cmd/wcomp)
# Members are named by file stem; copy the inputs so wac and wcomp read the
# same files from the same (warm) place.
cp "$root" "$plug" "$work/"
r="$work/$(basename "$root")"
p="$work/$(basename "$plug")"

hyperfine --style basic --warmup 3 --runs "$runs" --export-json "$work/times.json" \
	-n wcomp "$wcomp compose $r --plug $p -o $work/wcomp.wasm" \
	-n wac "$wac plug $r --plug $p -o $work/wac.wasm" \
	-n cp "cp $r $work/copy.wasm" >"$work/hyperfine.txt"

median() { python3 -c "import json,sys; d=json.load(open('$work/times.json')); print([x['median'] for x in d['results'] if x['command']==sys.argv[1]][0])" "$1"; }
tw=$(median wcomp); ta=$(median wac); tc=$(median cp)

peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'; }
rw=$(peak "$wcomp" compose "$r" --plug "$p" -o "$work/wcomp.wasm")
ra=$(peak "$wac" plug "$r" --plug "$p" -o "$work/wac.wasm")
rc=$(peak cp "$r" "$work/copy.wasm")

wit_world() { wasm-tools component wit "$1" | sed -n '/^world /,/^}/p' | grep -E '^\s*(import|export) ' | sed -E 's/@[0-9][^;: ]*//' | sort; }
wit_world "$work/wcomp.wasm" >"$work/wcomp.wit"
wit_world "$work/wac.wasm" >"$work/wac.wit"
if diff -u "$work/wac.wit" "$work/wcomp.wit" >"$work/wit.diff"; then same="yes"; else same="no"; fi

ms() { python3 -c "print(f'{float(\"$1\")*1000:.1f} ms')"; }
ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
echo "inputs: $(basename "$root") ($(stat -c %s "$root") B) + $(basename "$plug") ($(stat -c %s "$plug") B), $runs runs each"
printf '%-6s median %10s   peak RSS %8s KiB   output %s B\n' wcomp "$(ms "$tw")" "$rw" "$(stat -c %s "$work/wcomp.wasm")"
printf '%-6s median %10s   peak RSS %8s KiB   output %s B\n' wac "$(ms "$ta")" "$ra" "$(stat -c %s "$work/wac.wasm")"
printf '%-6s median %10s   peak RSS %8s KiB\n' cp "$(ms "$tc")" "$rc"
echo "wac / wcomp time:  $(ratio "$ta" "$tw")x  (goal: >= 5x)"
echo "wcomp / cp time:   $(ratio "$tw" "$tc")x  (goal: <= 3x)"
echo "same imports and exports (interface names, versions aside): $same"
if [ "$same" = no ]; then cat "$work/wit.diff"; fi
wasm-tools component wit "$work/wcomp.wasm" | sed -n '/^world /,/^}/p' | grep -E '^\s*import ' | sed 's/^/  wcomp /' >"$work/wi.txt"
wasm-tools component wit "$work/wac.wasm" | sed -n '/^world /,/^}/p' | grep -E '^\s*import ' | sed 's/^/  wac   /' >"$work/ai.txt"
if ! diff -q <(sed 's/^  wcomp //' "$work/wi.txt" | sort) <(sed 's/^  wac   //' "$work/ai.txt" | sort) >/dev/null; then
	echo "import versions differ (wcomp merges each interface at the highest version members ask for):"
	diff <(sed 's/^  wac   //' "$work/ai.txt" | sort) <(sed 's/^  wcomp //' "$work/wi.txt" | sort) | grep '^[<>]' | sed 's/^</  wac  /; s/^>/  wcomp/' || true
fi
