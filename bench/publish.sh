#!/usr/bin/env bash
# publish.sh: `wcomp publish` of a project whose result is
# fixtures/out/business.wasm (18 MB, componentize-py; one prebuilt member,
# so the build is a no-op after the first) against `wkg oci push` of the
# same target/*.wasm, on a docker-registry on 127.0.0.1 the script starts.
# Every run publishes into a new repository (a new [registries] prefix), so
# both upload the layer. Prints hyperfine's table and the ratio of medians.
#
# Usage: bench/publish.sh   (needs hyperfine, docker-registry, wkg, fixtures)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
file=$repo/fixtures/out/business.wasm
wkg=${WKG:-$(command -v wkg || echo "$HOME/.cargo/bin/wkg")}
registry=${DOCKER_REGISTRY:-$(command -v docker-registry || echo /usr/bin/docker-registry)}
runs=${RUNS:-10}
for tool in hyperfine python3 "$registry" "$wkg"; do
	command -v "$tool" >/dev/null || { echo "publish.sh: $tool is not installed" >&2; exit 1; }
done
[ -f "$file" ] || { echo "publish.sh: $file missing (run fixtures/build.sh)" >&2; exit 1; }

source "$here/registry-lib.sh"
bench_setup
start_registry "$work"
export HOME=$work/home XDG_CACHE_HOME=$work/home/cache DOCKER_CONFIG=$work/home/docker SOURCE_DATE_EPOCH=1764547200
mkdir -p "$HOME" "$work/app"
cp "$file" "$work/app/business.wasm"
cat >"$work/app/component.toml.in" <<TOML
[package]
name = "bench:app"
version = "1.0.0"

[components.business]
path = "business.wasm"

[registries]
bench = "$host/run0/"
TOML
cp "$work/app/component.toml.in" "$work/app/component.toml"
"$wcomp" build --manifest-path "$work/app/component.toml" 2>/dev/null
echo 0 >"$work/n"
next='n=$(($(cat '"$work"'/n)+1)); echo $n >'"$work"'/n'
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$work/times.json" \
	-n "wcomp publish" --prepare "$next; sed \"s#/run0/#/run\$(cat $work/n)/#\" $work/app/component.toml.in >$work/app/component.toml" \
	"$wcomp publish --manifest-path $work/app/component.toml" \
	-n "wkg oci push" --prepare "$next" \
	"$wkg oci push --insecure $host $host/wkg\$(cat $work/n)/bench/app:1.0.0 $work/app/target/app.wasm"
python3 - "$work/times.json" "$(stat -c %s "$work/app/target/app.wasm")" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
w, k = r["wcomp publish"], r["wkg oci push"]
print(f"\n{int(sys.argv[2])/1e6:.1f} MB component, medians: wcomp publish {w*1000:.1f} ms (a no-op build + push), wkg oci push {k*1000:.1f} ms, wcomp/wkg {w/k:.2f}")
PY
