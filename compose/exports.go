package compose

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// withSiblings completes a chosen subset of the root's exports with the
// sibling exports whose types they use: `export api` where api does `use
// types.{thing}` also exports types, placed before api. Without it the
// result would still validate, but api would seem to define its own
// `thing`, a different resource from types' thing to anyone composing the
// result further (wac #141 is the same `use` between exports going wrong).
// It returns the complete list, in order, and a note per added export.
// Names the root does not export are kept as they are, for graph to
// report.
func withSiblings(root *component.ComponentType, chosen []string) (all, notes []string) {
	// owner maps each type an export declares to that export's name.
	owner := map[component.Type]string{}
	for _, ex := range root.Exports {
		switch t := ex.Type.(type) {
		case *component.InstanceType:
			owner[t] = ex.Name
			for _, it := range t.Exports {
				if tb, ok := it.Type.(*component.TypeBound); ok {
					if r, ok := tb.Type.(*component.Resource); ok {
						owner[r] = ex.Name
					}
				}
			}
		case *component.TypeBound:
			owner[t.Type] = ex.Name
			if r := component.ResourceOf(t.Type); r != nil {
				owner[r] = ex.Name
			}
		}
	}
	placed := map[string]bool{}
	var isChosen map[string]bool
	var add func(name, user string)
	add = func(name, user string) {
		if placed[name] {
			return
		}
		placed[name] = true
		ex := root.Export(name)
		if ex != nil {
			for _, dep := range usedExports(ex.Type, name, owner) {
				add(dep, name)
			}
		}
		all = append(all, name)
		if user != "" && !isChosen[name] {
			notes = append(notes, fmt.Sprintf("exports %s too: %s uses its types", name, user))
		}
	}
	isChosen = map[string]bool{}
	for _, name := range chosen {
		isChosen[name] = true
	}
	for _, name := range chosen {
		add(name, "")
	}
	return all, notes
}

// usedExports lists, in first-use order, the other exports whose types x
// (the type of export self) uses.
func usedExports(x component.Extern, self string, owner map[component.Type]string) []string {
	var out []string
	seen := map[string]bool{self: true}
	visitNamed(x, func(t component.Type) bool {
		name, ok := "", false
		if n, isNamed := t.(*component.Named); isNamed && n.Owner != nil {
			name, ok = owner[n.Owner]
		}
		if !ok {
			name, ok = owner[t]
		}
		if !ok || name == self {
			return true
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		return false
	})
	return out
}
