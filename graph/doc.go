// Package graph is the composition graph of issue #3: components, their
// instances, and the links between them.
//
// A Graph is built by mutators that validate every step (AddComponent,
// Instantiate, Wire, SetExports). Resolve then computes, in one
// deterministic pass, every link that explicit wiring and auto-plugging
// imply, checks each link with subtyping, and returns a Plan: instances in
// dependency order with their arguments, the imports left for the composed
// component (semver-compatible ones grouped), and its exports. The compose
// package encodes a Plan; it never changes the graph. Each instance has its
// own copy of its component's type (component.Fresh), so two instances of
// one component have distinct resources, as resource types are generative.
//
// graph writes no bytes and does no I/O. Nothing here depends on map
// iteration order: instances keep insertion order, imports keep the
// component's declaration order, and groups are sorted by name.
package graph
