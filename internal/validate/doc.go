// Package validate checks in tests that a component is valid for both
// wasm-tools and Wasmtime, the two consumers wcomp's output must satisfy.
// A component one accepts and the other rejects is a bug in wcomp (or a
// gap between them worth knowing about), so both run on every check.
package validate
