package compose

import (
	"fmt"
	"slices"

	"github.com/wcomp/wcomp/graph"
)

// An import of a component may use only types of other imports: a type
// defined inside the component, a member's resource included, has no name
// the outside world could provide it by (Explainer.md, "external names":
// imports cannot depend on anything but imports). So when an import that
// stays open uses a type of an interface a member plugs — a consumer
// imports wasi:io/streams from the host but takes wasi:io/error from a
// member, and streams' `error` is error's resource — the only valid result
// imports that interface too, and gives the consumer the imported one:
// the host's streams return the host's errors, so that is also the only
// meaning the consumer's import of error can have (wac #166 leaves such a
// composition invalid).
//
// unplugForImports does this for auto-plugged links and says so in the
// notes. A link the user wired explicitly is never undone: it is an error
// naming the import that needs the interface.
func (e *encoder) unplugForImports() ([]string, error) {
	var notes []string
	done := map[*plugSource]bool{}
	for _, gr := range e.groupOf {
		for _, ps := range gr.plugs {
			if done[ps] {
				continue
			}
			done[ps] = true
			for _, ref := range ps.args {
				in := &e.p.Instances[ref.instance]
				a := in.Args[ref.arg]
				if a.Kind == graph.ArgExplicit {
					return nil, fmt.Errorf("%s.%s is wired to %s.%s, but %s, which stays an import of the result, uses its types; "+
						"an import can only use types of other imports, not of members: plug %s as well, or drop the wire",
						in.Name, a.Import, e.p.InstanceName(a.Provider), a.Export, gr.plan.Name, gr.plan.Name)
				}
			}
			for _, ref := range ps.args {
				in := &e.p.Instances[ref.instance]
				a := in.Args[ref.arg]
				notes = append(notes, fmt.Sprintf("%s.%s stays an import (not plugged by %s.%s): %s, which %s imports, uses its types",
					in.Name, a.Import, e.p.InstanceName(a.Provider), a.Export, gr.plan.Name, in.Name))
				unplugArg(e.p, ref)
			}
		}
	}
	if len(notes) > 0 {
		pruneUnused(e.p)
	}
	return notes, nil
}

// unplugArg turns a plugged argument into one taken from an import of the
// result, merged (as graph.Resolve merges) with compatible imports.
func unplugArg(p *graph.Plan, ref argRef) {
	in := &p.Instances[ref.instance]
	a := &in.Args[ref.arg]
	key := graph.CompatName(a.Import)
	gi := slices.IndexFunc(p.Imports, func(g graph.ImportGroup) bool { return g.Key == key })
	if gi < 0 {
		p.Imports = append(p.Imports, graph.ImportGroup{Key: key})
		gi = len(p.Imports) - 1
	}
	grp := &p.Imports[gi]
	grp.Members = append(grp.Members, graph.ImportUse{Instance: in.ID, Import: a.Import, Type: a.Type})
	if !slices.Contains(grp.Names, a.Import) {
		grp.Names = append(grp.Names, a.Import)
	}
	grp.Name = graph.Highest(grp.Names)
	a.Kind, a.Provider, a.Export, a.Group = graph.ArgImport, -1, "", gi
}

// pruneUnused drops the instances nothing reachable from the root uses any
// more, and the components only they used.
func pruneUnused(p *graph.Plan) {
	needed := map[graph.InstanceID]bool{p.Root: true}
	for _, ex := range p.Exports {
		needed[ex.Instance] = true
	}
	// Consumers come after their providers: walk backwards.
	for i := len(p.Instances) - 1; i >= 0; i-- {
		in := p.Instances[i]
		if !needed[in.ID] {
			continue
		}
		for _, a := range in.Args {
			if a.Kind != graph.ArgImport {
				needed[a.Provider] = true
			}
		}
	}
	var kept []graph.PlannedInstance
	usedComp := map[graph.ComponentID]bool{}
	for _, in := range p.Instances {
		if needed[in.ID] {
			kept = append(kept, in)
			usedComp[in.Component] = true
		} else {
			p.Unused = append(p.Unused, in.ID)
		}
	}
	p.Instances = kept
	p.Components = slices.DeleteFunc(p.Components, func(c graph.PlannedComponent) bool { return !usedComp[c.ID] })
	slices.Sort(p.Unused)
	// The dropped instances' imports go too, and with them any import
	// only they needed.
	newIndex := make([]int, len(p.Imports))
	var groups []graph.ImportGroup
	for i, grp := range p.Imports {
		grp.Members = slices.DeleteFunc(slices.Clone(grp.Members), func(u graph.ImportUse) bool { return !needed[u.Instance] })
		newIndex[i] = -1
		if len(grp.Members) == 0 {
			continue
		}
		grp.Names = grp.Names[:0:0]
		for _, u := range grp.Members {
			if !slices.Contains(grp.Names, u.Import) {
				grp.Names = append(grp.Names, u.Import)
			}
		}
		grp.Name = graph.Highest(grp.Names)
		newIndex[i] = len(groups)
		groups = append(groups, grp)
	}
	p.Imports = groups
	for i := range p.Instances {
		for j := range p.Instances[i].Args {
			if a := &p.Instances[i].Args[j]; a.Kind == graph.ArgImport {
				a.Group = newIndex[a.Group]
			}
		}
	}
}
