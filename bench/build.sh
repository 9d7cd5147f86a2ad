#!/usr/bin/env bash
# build.sh: wcomp build of examples/polyglot-service, cold and no-op.
#
# Prints, from one cold build (a fresh copy of the example, its events read
# from --message-format json):
#   - the split between the toolchains and wcomp's own work: wcomp's part is
#     the build's wall time during which no member's toolchain was running
#     (resolving, fingerprinting, composing, writing). Goal: <= 2%.
#   - the overlap of the members' builds: wall time over the slowest member's
#     build time. Goal: <= 1.10 (the builds run at once, not one after the
#     other; their sum is printed too).
# and, with hyperfine, the no-op build (nothing changed) against
# `wcomp --version`, the cost of starting the binary. Goals: <= 50 ms, <= 4x.
#
# Usage: bench/build.sh   (needs hyperfine, jq, and the example's toolchains:
#                          .ci/install.sh). CARGO_TARGET_DIR, if set, is used
#                          by the Rust member, so a warm one skips building std.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=${RUNS:-30}
for tool in hyperfine jq; do
	command -v "$tool" >/dev/null || { echo "build.sh: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$repo" && go build -o "$work/wcomp" ./cmd/wcomp)
wcomp=$work/wcomp
cp -r "$repo/examples/polyglot-service" "$work/svc"
rm -rf "$work/svc/target" "$work/svc/validator/target"
cd "$work/svc"

echo "== cold build (a fresh copy of examples/polyglot-service) =="
"$wcomp" build --message-format json >"$work/events.jsonl"
jq -rs '
  (map(select(.event == "finished"))[0].elapsed_ms) as $total
  | [ .[] | select(.event == "built" and (.fresh | not)) | {member, start: (.at_ms - .elapsed_ms), end: .at_ms, ms: .elapsed_ms} ] as $m
  # The union of the members build intervals: time some toolchain ran.
  | ($m | sort_by(.start) | reduce .[] as $i ([];
        if length > 0 and $i.start <= .[-1].end
        then .[-1].end = ([.[-1].end, $i.end] | max)
        else . + [{start: $i.start, end: $i.end}] end)
      | map(.end - .start) | add) as $busy
  | ($m | map(.ms) | max) as $slowest
  | ($m | map("  \(.member): \(.ms / 1000 | . * 10 | round / 10)s") | join("\n")),
    "  wall time: \($total / 1000 | . * 10 | round / 10)s; the members one after the other: \($m | map(.ms) | add / 1000 | . * 10 | round / 10)s",
    "toolchains: \($busy / $total * 1000 | round / 10)%   wcomp own work: \(($total - $busy) | round) ms = \(($total - $busy) / $total * 10000 | round / 100)% (goal <= 2%)",
    "overlap: wall / slowest member = \($total / $slowest * 100 | round / 100) (goal <= 1.10)"
' "$work/events.jsonl"

echo
echo "== no-op build (nothing changed) vs wcomp --version =="
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/noop.json" \
	"$wcomp --version" "$wcomp build" >/dev/null
jq -r '
  (.results[0].median * 1000) as $version | (.results[1].median * 1000) as $build
  | "wcomp --version: \($version | . * 10 | round / 10) ms   wcomp build (no-op): \($build | . * 10 | round / 10) ms (goal <= 50 ms)",
    "ratio: \($build / $version * 100 | round / 100)x wcomp --version (goal <= 4x)"
' "$work/noop.json"
