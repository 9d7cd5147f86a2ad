// Package component reads, writes and type-checks WebAssembly components
// (the Component Model binary format, design/mvp/Binary.md). It is pure:
// bytes in, bytes out, no file or network I/O.
//
// Two layers:
//
//   - Syntax (ast.go, decode*.go, encode.go, names.go): Decode turns a
//     component binary into a Component, a faithful list of sections whose
//     indices are exactly as written. Nested core modules and components
//     stay sub-slices of the input and are decoded only on request, so a
//     35 MB component decodes in a few milliseconds; CheckNestedFraming
//     walks just their section headers, to refuse a truncated or corrupt
//     member that is embedded unread. Component.Encode writes the model
//     back; for canonically encoded input (what wasm-tools and the
//     toolchains write) the bytes are identical. Encoder and Writer
//     build new components section by section. ParseName classifies import
//     and export names. Malformed input gives a *DecodeError with the byte
//     offset, never a panic; input that is no component at all (empty,
//     text, a core module) a *NotComponentError saying what it is.
//   - Semantics (types.go, resolve*.go, subtype*.go, equal.go, union.go,
//     typeenc.go): Resolve builds types with every index resolved; subtype
//     checks, unions and the type encoder work on those. Resource identity
//     is pointer identity; Fresh copies a type with resources of its own,
//     for a second instance of one component.
package component
