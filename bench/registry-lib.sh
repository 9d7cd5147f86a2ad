# registry-lib.sh: sourced by the registry benchmarks. bench_setup (below)
# makes the work directory and builds wcomp; start_registry WORK
# runs docker-registry on a free 127.0.0.1 port with its storage in WORK,
# sets $host (host:port) and $reg_pid, and waits until it answers;
# bench_setup's EXIT trap stops it.
start_registry() {
	local work=$1 port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	host=127.0.0.1:$port
	cat >"$work/registry.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/storage}}
http: {addr: $host}
YML
	"$registry" serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
	reg_pid=$!
	for _ in $(seq 100); do curl -fs "http://$host/v2/" >/dev/null && break; sleep 0.05; done
}

# bench_setup makes $work, removed on exit together with the registry, and
# builds wcomp from $repo into $wcomp.
bench_setup() {
	work=$(mktemp -d)
	reg_pid=
	trap bench_cleanup EXIT
	wcomp="$work/wcomp"
	(cd "$repo" && go build -o "$wcomp" ./cmd/wcomp)
}

bench_cleanup() {
	[ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
