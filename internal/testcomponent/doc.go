// Package testcomponent gives tests small components built from source with
// the real wasm-tools: a WIT world with a dummy core module, or WAT. Sources
// that the tests of several packages share live here, once: wit/, inspect/
// and cmd/wcomp check their output for the same Kinds component.
package testcomponent
