// Package registrytest runs real OCI registries for tests: Debian's
// docker-registry (CNCF distribution) on a free loopback port, with its own
// storage directory and, if asked, htpasswd basic auth; and a reverse
// proxy in front of one that injects faults (error statuses, reset
// connections, stalls, corrupted bodies) into chosen requests.
//
// Everything listens on 127.0.0.1 only. A missing docker-registry fails
// the test with the command that installs it (and skips it under
// `go test -short`).
package registrytest
