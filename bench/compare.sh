#!/usr/bin/env bash
# compare.sh: wcomp compose vs `wac plug` vs `cp` on the seed composition
# (fixtures/out/business.wasm, an 18 MB componentize-py app, plugged with
# fixtures/out/validator.wasm, a Rust provider).
#
# Prints: wall-time ratio wcomp/wac (hyperfine medians), each tool's peak
# RSS (/usr/bin/time -v) and their ratio, the same graph given as explicit
# flags (no auto-plug, a wire, named exports) against auto-plugging,
# whether both outputs have the same imports and exports (wasm-tools
# component wit + diff), and wcomp vs cp of the input.
# Goals (issue #10): wcomp ≥ 5× faster than wac, peak RSS ≤ half of wac's;
# the explicit graph costs no more than auto-plugging (bench/wac_test.go
# times the same graph as a WAC document against the flags).
# wcomp writes its output to a temporary name and renames it into place;
# wac and cp write in place.
#
# Each run writes a fresh output (hyperfine --prepare removes the last one),
# so every tool is timed on its own work. Overwriting an existing 18 MB file
# adds the file system's cost of freeing the old one, and on ext4 wcomp's
# atomic rename-over also makes the kernel allocate the new file's blocks
# at once (auto_da_alloc); the second table shows that case.
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
# Built, then copied into place as an installed binary is. Peak RSS counts
# the binary's mapped pages too, and on a kernel that keeps executables in
# large page-cache folios, a file just written by the linker maps in 2 MiB
# pieces: the same binary then peaks about 5 MiB higher than its copy.
(cd "$repo" && go build -o "$work/wcomp.linked" ./cmd/wcomp)
cp "$work/wcomp.linked" "$wcomp"
rm "$work/wcomp.linked"
# Members are named by file stem; copy the inputs so wac and wcomp read the
# same files from the same (warm) place.
cp "$root" "$plug" "$work/"
r="$work/$(basename "$root")"
p="$work/$(basename "$plug")"

rn=$(basename "$root" .wasm)
pn=$(basename "$plug" .wasm)
iface=example:service/processing@0.1.0
explicit="--no-auto-plug --wire $rn:$iface=$pn:$iface --export $rn:wasi:cli/run@0.2.6 --export $rn:handle"
outs="$work/wcomp.wasm $work/wac.wasm $work/copy.wasm $work/explicit.wasm"
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/times.json" \
	--prepare "rm -f $outs" \
	-n wcomp "$wcomp compose $r --plug $p -o $work/wcomp.wasm" \
	-n "wcomp explicit" "$wcomp compose $r --plug $p $explicit -o $work/explicit.wasm" \
	-n wac "$wac plug $r --plug $p -o $work/wac.wasm" \
	-n cp "cp $r $work/copy.wasm" >"$work/hyperfine.txt"
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/overwrite.json" \
	-n wcomp "$wcomp compose $r --plug $p -o $work/wcomp.wasm" \
	-n wac "$wac plug $r --plug $p -o $work/wac.wasm" \
	-n cp "cp $r $work/copy.wasm" >"$work/hyperfine-overwrite.txt"
# The same on a memory file system, where writing costs nothing: the
# composers' own work, without wcomp's flush to disk.
mem=""
if [ -d /dev/shm ] && mem=$(mktemp -d /dev/shm/wcomp-compare.XXXXXX 2>/dev/null); then
	trap 'rm -rf "$work" "$mem"' EXIT
	cp "$r" "$p" "$mem/"
	mr="$mem/$(basename "$r")"
	mp="$mem/$(basename "$p")"
	hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/memory.json" \
		--prepare "rm -f $mem/wcomp.wasm $mem/wac.wasm" \
		-n wcomp "$wcomp compose $mr --plug $mp -o $mem/wcomp.wasm" \
		-n wac "$wac plug $mr --plug $mp -o $mem/wac.wasm" >"$work/hyperfine-memory.txt"
fi
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/startup.json" \
	-n "wcomp --version" "$wcomp --version" >/dev/null

median() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print([x['median'] for x in d['results'] if x['command']==sys.argv[1]][0])" "$1" "${2:-$work/times.json}"; }
tw=$(median wcomp); ta=$(median wac); tc=$(median cp); te=$(median "wcomp explicit")
ow=$(median wcomp "$work/overwrite.json"); oa=$(median wac "$work/overwrite.json"); oc=$(median cp "$work/overwrite.json")
tv=$(median "wcomp --version" "$work/startup.json")

# peak OUT CMD…: CMD's peak RSS when it writes a fresh OUT, a file in the
# work directory ("-": CMD writes no file).
peak() {
	case "$1" in
	"$work"/*) rm -f "$1" ;;
	-) ;;
	*) echo "compare.sh: peak: $1 is not in $work" >&2; exit 1 ;;
	esac
	shift
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}
rw=$(peak "$work/wcomp.wasm" "$wcomp" compose "$r" --plug "$p" -o "$work/wcomp.wasm")
ra=$(peak "$work/wac.wasm" "$wac" plug "$r" --plug "$p" -o "$work/wac.wasm")
rc=$(peak "$work/copy.wasm" cp "$r" "$work/copy.wasm")
rv=$(peak - "$wcomp" --version)

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
if [ -n "$mem" ]; then
	mw=$(median wcomp "$work/memory.json"); ma=$(median wac "$work/memory.json")
	echo "output on a memory file system (no disk flush): wcomp $(ms "$mw"), wac $(ms "$ma"): wac / wcomp $(ratio "$ma" "$mw")x"
fi
echo "wac / wcomp peak RSS: $(ratio "$ra" "$rw")x  (goal: >= 2x)"
echo "explicit flags / auto-plug time: $(ratio "$te" "$tw")x  ($(ms "$te"); goal: <= 1x, within noise)"
echo "wcomp / cp time:   $(ratio "$tw" "$tc")x  (goal: <= 3x)"
echo "overwriting the output: wcomp $(ms "$ow"), wac $(ms "$oa"), cp $(ms "$oc"): wac / wcomp $(ratio "$oa" "$ow")x, wcomp / cp $(ratio "$ow" "$oc")x"
echo "startup (wcomp --version): $(ms "$tv"), peak RSS $rv KiB"
echo "same imports and exports (interface names, versions aside): $same"
if [ "$same" = no ]; then cat "$work/wit.diff"; fi
wasm-tools component wit "$work/wcomp.wasm" | sed -n '/^world /,/^}/p' | grep -E '^\s*import ' | sed 's/^/  wcomp /' >"$work/wi.txt"
wasm-tools component wit "$work/wac.wasm" | sed -n '/^world /,/^}/p' | grep -E '^\s*import ' | sed 's/^/  wac   /' >"$work/ai.txt"
if ! diff -q <(sed 's/^  wcomp //' "$work/wi.txt" | sort) <(sed 's/^  wac   //' "$work/ai.txt" | sort) >/dev/null; then
	echo "import versions differ (wcomp merges each interface at the highest version members ask for):"
	diff <(sed 's/^  wac   //' "$work/ai.txt" | sort) <(sed 's/^  wcomp //' "$work/wi.txt" | sort) | grep '^[<>]' | sed 's/^</  wac  /; s/^>/  wcomp/' || true
fi
