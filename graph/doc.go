// Package graph is the composition graph and every decision about it:
// which argument each instance's imports get, what stays an import of the
// result, what is exported. It produces an immutable Plan that package
// compose encodes; it writes no bytes and does no I/O.
//
// The model is the one wac's graph has, so WAC documents, `wcomp compose`
// flags and component.toml's [compose] all say the same things:
//   - components (AddComponent) and their instances (Instantiate), each
//     instance with resources of its own;
//   - explicit imports of the result (Import), named and typed;
//   - arguments (SetArg, Wire): an instance's export, a whole instance, an
//     import, or an imported instance's export (Source);
//   - for the imports no argument names, a Fill: auto-plug by name
//     (`wcomp compose`), import them (WAC's `...`), or require them (WAC);
//   - exports of the result (Export, ExportType), under any name, else the
//     root's (SetRoot); instances kept though nothing uses them (Keep), and
//     providers that serve only explicit wires, never auto-plugged
//     (WiredOnly).
//
// Mutators validate each step and leave the graph unchanged on error.
// Resolve then decides everything else, each decision a validated step
// with notes (see Resolve): plugging, unplugging to a fixpoint the links
// whose resources an import of the result needs, merging compatible
// imports, the link check with resources by identity, pruning, and sibling
// exports. Nothing depends on map iteration order: instances keep
// insertion order and imports their declaration order.
//
// spec.go parses the composition strings the flags and the manifest share
// (`C:IMPORT=P:EXPORT`, `I:NAME=AS`, `NAME=C:IMPORT`), with byte offsets in
// its errors, and Spec.Apply adds them to a graph by instance name.
package graph
