// Package coremod writes small core WebAssembly modules: the code inside
// the components wcomp generates itself (deny-stubs, the virtual
// environment), so that no external tool runs at build time.
//
// It covers only what those modules need: function types, functions with
// a small instruction set, one memory, mutable globals, exports, active
// data segments and a name section (the module's and functions' names,
// which Wasmtime prints in trap backtraces). It is not a general encoder;
// core modules that wcomp embeds from members are never re-encoded.
package coremod
