// Package wave parses and prints WAVE, the WebAssembly Value Encoding used
// by `wasmtime run --invoke` to write component-model values as text.
//
// Parsing is in two steps because bools, enums, variants, options and
// results look alike without a type: ParseValue and ParseCall build
// untyped Nodes, and Node.Typed / Call.Params check them against a Type.
// Format prints a Value exactly as Wasmtime's CLI does, so wcomp's output
// can be compared with it byte for byte.
//
// The package is pure Go and knows nothing about Wasmtime; host converts
// between these values and the C API's.
package wave
