#!/usr/bin/env bash
# registry.sh: wcomp push/pull vs wkg oci push/pull of the same component
# (default fixtures/out/business.wasm, an 18 MB componentize-py app)
# against a docker-registry on 127.0.0.1 that the script starts and stops.
#
# Push: every run pushes to a new repository, so both tools upload the
#   layer (a registry only skips blobs the repository already links).
# Pull (cold): wcomp with an empty cache each run, as wkg (which keeps none).
# Pull (warm): wcomp with the layer cached: only the manifest and config
#   cross the network, and the layer is re-verified as it is copied out.
#
# Prints hyperfine's table for each, and the ratios wcomp/wkg of the medians.
#
# Usage: bench/registry.sh [FILE.wasm]   (needs hyperfine, docker-registry, wkg)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
file=${1:-$repo/fixtures/out/business.wasm}
wkg=${WKG:-$(command -v wkg || echo "$HOME/.cargo/bin/wkg")}
registry=${DOCKER_REGISTRY:-$(command -v docker-registry || echo /usr/bin/docker-registry)}
runs=${RUNS:-10}

for tool in hyperfine python3 "$registry"; do
	command -v "$tool" >/dev/null || { echo "registry.sh: $tool is not installed" >&2; exit 1; }
done
[ -x "$wkg" ] || { echo "registry.sh: wkg not found (cargo install wkg, or set WKG=)" >&2; exit 1; }
[ -f "$file" ] || { echo "registry.sh: $file missing (run fixtures/build.sh)" >&2; exit 1; }

source "$here/registry-lib.sh"
bench_setup

start_registry "$work"

export HOME=$work/home XDG_CACHE_HOME=$work/home/cache DOCKER_CONFIG=$work/home/docker SOURCE_DATE_EPOCH=1764547200
mkdir -p "$HOME"
cp "$file" "$work/input.wasm"
in=$work/input.wasm
# One copy of the artifact that both tools pull, pushed by each.
"$wcomp" push "$in" "$host/bench/wcomp:1.0.0" >/dev/null
"$wkg" oci push --insecure "$host" "$host/bench/wkg:1.0.0" "$in" >/dev/null

# A counter file gives each push run a new repository.
echo 0 >"$work/n"
next='n=$(($(cat '"$work"'/n)+1)); echo $n >'"$work"'/n'
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$work/push.json" \
	-n "wcomp push" "$next; $wcomp push $in $host/push/wcomp\$n:1.0.0" \
	-n "wkg oci push" "$next; $wkg oci push --insecure $host $host/push/wkg\$n:1.0.0 $in" >"$work/push.txt"
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-json "$work/pull.json" \
	--prepare "rm -rf $XDG_CACHE_HOME $work/out.wasm" \
	-n "wcomp pull (cold cache)" "$wcomp pull $host/bench/wkg:1.0.0 -o $work/out.wasm" \
	-n "wkg oci pull" "$wkg oci pull --insecure $host $host/bench/wcomp:1.0.0 -o $work/out.wasm" >"$work/pull.txt"
"$wcomp" pull "$host/bench/wkg:1.0.0" -o "$work/out.wasm" >/dev/null
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-json "$work/warm.json" \
	-n "wcomp pull (warm cache)" "$wcomp pull $host/bench/wkg:1.0.0 -o $work/out.wasm" >"$work/warm.txt"
cmp -s "$in" "$work/out.wasm" || { echo "registry.sh: the pulled file differs from the input" >&2; exit 1; }

median() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print([x['median'] for x in d['results'] if x['command']==sys.argv[1]][0])" "$1" "$2"; }
cat "$work/push.txt" "$work/pull.txt" "$work/warm.txt"
size=$(stat -c %s "$in")
python3 - "$size" "$(median 'wcomp push' "$work/push.json")" "$(median 'wkg oci push' "$work/push.json")" \
	"$(median 'wcomp pull (cold cache)' "$work/pull.json")" "$(median 'wkg oci pull' "$work/pull.json")" \
	"$(median 'wcomp pull (warm cache)' "$work/warm.json")" <<'PY'
import sys
size, wp, kp, wc, kc, ww = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"\n{size/1e6:.1f} MB component, medians:")
print(f"  push       wcomp {wp*1000:7.1f} ms   wkg {kp*1000:7.1f} ms   wcomp/wkg {wp/kp:.2f}")
print(f"  pull cold  wcomp {wc*1000:7.1f} ms   wkg {kc*1000:7.1f} ms   wcomp/wkg {wc/kc:.2f}")
print(f"  pull warm  wcomp {ww*1000:7.1f} ms                      wcomp/wkg {ww/kc:.2f}")
PY
