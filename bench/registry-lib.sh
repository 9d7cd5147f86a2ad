# registry-lib.sh: sourced by the registry benchmarks. start_registry WORK
# runs docker-registry on a free 127.0.0.1 port with its storage in WORK,
# sets $host (host:port) and $reg_pid, and waits until it answers; the
# caller's EXIT trap kills $reg_pid.
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
