package graph

import (
	"fmt"
	"slices"
	"strings"
)

// prune finds the instances nothing reaches once every link is settled:
// from the roots (the root, kept instances, exports), following the
// arguments. Every other instance is an error, a plug that plugs nothing,
// unless kept: silently leaving out a member the user named would hide a
// misspelt interface or a link that had to be undone.
func (r *resolver) prune(roots []InstanceID) error {
	live := map[InstanceID]bool{}
	var walk func(id InstanceID)
	walk = func(id InstanceID) {
		if live[id] {
			return
		}
		live[id] = true
		for _, a := range r.args[id] {
			if p, ok := a.From.provider(); ok {
				walk(p)
			}
		}
	}
	for _, id := range roots {
		walk(id)
	}
	r.order = slices.DeleteFunc(r.order, func(id InstanceID) bool { return !live[id] })
	var errs ErrorList
	for i, in := range r.g.instances {
		id := InstanceID(i)
		if live[id] {
			continue
		}
		e := &UnusedError{Instance: in.name, Component: r.g.components[in.comp].name, Why: r.describeUnused(id)}
		if e.Why == "" && in.wiredOnly {
			e.Why = "it serves only explicit wires, and no wire names it"
		}
		for _, ex := range in.ct.Exports {
			e.Exports = append(e.Exports, ex.Name)
		}
		for _, gr := range r.groups {
			if gr.explicit || slices.ContainsFunc(gr.members, func(u ImportUse) bool { return live[u.Instance] }) {
				e.Imports = append(e.Imports, gr.name)
			}
		}
		errs = append(errs, e)
	}
	return errs.err()
}

// plan assembles the immutable Plan from the settled state.
func (r *resolver) plan(exports []PlannedExport) *Plan {
	g := r.g
	p := &Plan{root: g.root, exports: exports, notes: r.notes, resources: r.rm}
	for _, in := range g.instances {
		p.names = append(p.names, in.name)
	}
	usedComp := map[ComponentID]bool{}
	for _, id := range r.order {
		node := g.instances[id]
		if !usedComp[node.comp] {
			usedComp[node.comp] = true
			c := g.components[node.comp]
			p.components = append(p.components, PlannedComponent{ID: node.comp, Name: c.name, Type: c.ct, Data: c.data})
		}
		p.instances = append(p.instances, PlannedInstance{ID: id, Name: node.name, Component: node.comp, Type: node.ct, Args: slices.Clone(r.args[id]), WiredOnly: node.wiredOnly})
	}
	for _, gr := range r.groups {
		im := PlannedImport{ID: gr.id, Name: gr.name, Explicit: gr.explicit, Type: gr.typ, Members: slices.Clone(gr.members)}
		if !gr.explicit {
			for _, u := range gr.members {
				if !containsString(im.Names, u.Import) {
					im.Names = append(im.Names, u.Import)
				}
			}
			slices.SortFunc(im.Names, compareNames)
		}
		p.imports = append(p.imports, im)
	}
	return p
}

// UnusedError reports an instance that nothing in the composition uses: a
// plug that plugs nothing. Why says what undid its links, if anything did.
type UnusedError struct {
	Instance  string
	Component string
	Exports   []string
	Why       string
	// Imports are the result's imports, for spotting a name that should
	// have matched one of Exports.
	Imports []string
}

func (e *UnusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s plugs nothing", e.Instance)
	if e.Why != "" {
		fmt.Fprintf(&b, ": %s", e.Why)
	} else {
		exports := "nothing"
		if len(e.Exports) > 0 {
			exports = strings.Join(e.Exports, ", ")
		}
		fmt.Fprintf(&b, ": no instance takes what it exports (%s)", exports)
	}
	if len(e.Imports) > 0 {
		fmt.Fprintf(&b, "; the result imports %s", strings.Join(e.Imports, ", "))
	}
	b.WriteString("; keep it to instantiate it anyway, or leave it out")
	return b.String()
}
