#!/usr/bin/env bash
# remotecache.sh: the shared build cache ([cache] remote) on
# examples/polyglot-service (Rust + Python), against a docker-registry on
# 127.0.0.1 that the script starts and stops.
#
#   cold:   a fresh copy of the example built from source
#           (--no-remote-cache, an empty target/ each run; the toolchains
#           themselves are installed once, before timing, as on a CI runner
#           with a warm toolchain cache);
#   cached: a fresh copy (its own target/ and local blob cache, another
#           machine) whose every member is found in the remote cache, which
#           the first build filled.
#
# Checks that the cached build ran no toolchain (every member `cached`) and
# that both outputs are byte-identical, then prints hyperfine's table and
# the ratio cached/cold of the medians.
#
# Usage: bench/remotecache.sh [EXAMPLE_DIR]   (needs hyperfine, jq, docker-registry
#                                              and the example's toolchains)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
example=${1:-$repo/examples/polyglot-service}
registry=${DOCKER_REGISTRY:-$(command -v docker-registry || echo /usr/bin/docker-registry)}
runs=${RUNS:-5}
for tool in hyperfine jq python3 "$registry"; do
	command -v "$tool" >/dev/null || { echo "remotecache.sh: $tool is not installed" >&2; exit 1; }
done

source "$here/registry-lib.sh"
bench_setup

start_registry "$work"

copy() {
	cp -r "$example" "$1"
	rm -rf "$1/target" "$1"/*/target
	printf '\n[cache]\nremote = "oci://%s/bench/wcomp-cache"\n' "$host" >>"$1/component.toml"
}
copy "$work/cold"
copy "$work/cached"
# The toolchains (cargo's std build, componentize-py) are cached per user,
# as on a CI runner: one build fills them and the remote cache.
export XDG_CACHE_HOME=$work/cache-a
"$wcomp" build --manifest-path "$work/cold/component.toml" >/dev/null 2>&1
# The machine that finds everything cached has a local cache of its own.
XDG_CACHE_HOME=$work/cache-b "$wcomp" build --message-format json --manifest-path "$work/cached/component.toml" >"$work/events.jsonl"
# The toolchains are asked their versions (part of the inputs hash), and
# nothing else: no member compiles.
events=$(jq -r 'select(.event == "cached" or .event == "compiling") | "\(.event) \(.member)"' "$work/events.jsonl" | sort | tr '\n' ' ')
case $events in *compiling*|"") echo "remotecache.sh: the cached build built something: $events" >&2; exit 1 ;; esac
jq -r 'select(.event == "running") | "  probe: \(.member): \(.message)"' "$work/events.jsonl"
cmp -s "$work/cold/target/service.wasm" "$work/cached/target/service.wasm" || { echo "remotecache.sh: outputs differ" >&2; exit 1; }
echo "cached build: $events"

hyperfine --style basic --runs "$runs" --export-json "$work/times.json" \
	-n "cold (built from source)" --prepare "rm -rf $work/cold/target $work/cold/*/target" \
	"$wcomp build --no-remote-cache --manifest-path $work/cold/component.toml" \
	-n "remote cache hit" --prepare "rm -rf $work/cached/target $work/cache-b" \
	"XDG_CACHE_HOME=$work/cache-b $wcomp build --manifest-path $work/cached/component.toml"
python3 - "$work/times.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
cold, hit = r["cold (built from source)"], r["remote cache hit"]
print(f"\nmedians: cold {cold:.2f} s, remote cache hit {hit:.2f} s, hit/cold {hit/cold:.3f} ({cold/hit:.0f}x faster)")
PY
