// Package e2e holds end-to-end tests: real components built by
// fixtures/build.sh (Rust, Python, JS) are composed by the compose package
// and by the wcomp CLI, validated by wasm-tools and Wasmtime, and run in
// the embedded Wasmtime with their output checked. Where wac is installed
// its output for the same inputs is compared with ours.
//
// These tests are slow (compiling an 18 MB Python component); they are
// skipped under -short.
package e2e
