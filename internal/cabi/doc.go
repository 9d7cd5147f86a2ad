// Package cabi is the part of the Canonical ABI (component-model
// design/mvp/CanonicalABI.md) that wcomp needs to write core code for
// components it generates: the flattening of a function type into a core
// signature, the size and alignment of every value type, and the memory
// image of a constant value, which a generated function returns by
// pointer.
//
// Names follow the spec's Python definitions (flatten_functype,
// elem_size, alignment, store) so each function can be checked against
// its counterpart there. Only the 32-bit memory is supported.
package cabi
