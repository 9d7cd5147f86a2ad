package graph

import "github.com/wcomp/wcomp/component"

// Candidate roots: when a project names no root, the root is the one
// member that plugs no other member, as a cargo user expects the one
// binary of a workspace to be found. A member plugs another when a wire
// names it as the provider, or, with auto-plug, when another member
// imports one of its exports by name or by a semver-compatible name
// (Compatible, the rule auto-plug itself uses).

// RootCandidates returns, in the order given, the indexes of the members
// that plug no other member: exactly one is the default root; none or
// several mean the caller must be told to choose. types are the members'
// component types, wires the explicit wires (by member name, names[i]
// naming types[i]).
func RootCandidates(names []string, types []*component.ComponentType, wires []Wire, autoPlug bool) []int {
	plugs := make([]bool, len(types))
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	for _, w := range wires {
		if i, ok := index[w.Provider]; ok {
			plugs[i] = true
		}
	}
	if autoPlug {
		for i, prov := range types {
			for j, cons := range types {
				if i != j && !plugs[i] && importsAnyOf(cons, prov) {
					plugs[i] = true
				}
			}
		}
	}
	var roots []int
	for i, p := range plugs {
		if !p {
			roots = append(roots, i)
		}
	}
	return roots
}

// importsAnyOf reports whether cons imports something prov exports, under
// the name or a semver-compatible one.
func importsAnyOf(cons, prov *component.ComponentType) bool {
	for _, imp := range cons.Imports {
		for _, exp := range prov.Exports {
			if Compatible(imp.Name, exp.Name) {
				return true
			}
		}
	}
	return false
}
