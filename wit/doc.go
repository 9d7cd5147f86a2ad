// Package wit turns a component's resolved type (component.ComponentType)
// into WIT text.
//
// Print renders the imports and exports of a component as a WIT world
// (`package root:component; world root { … }`) followed by every package
// whose interfaces the world names, in the same shape and order as
// `wasm-tools component wit` prints, so the two can be diffed. Canonical
// renders the same world as one sorted line per import and export, which is
// what tests compare against the reference tool.
//
// Both work from a WIT view of the component (view.go): interfaces are
// grouped into their packages, an interface imported and exported under the
// same name is merged into one, and a type whose definition is another
// interface's named type becomes a `use`. A WIT package encoded as a
// component binary has no world, and Print says so (ErrPackageBinary). The
// package owns no I/O.
package wit
