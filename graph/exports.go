package graph

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// resultExports lists the result's exports: those given with Export and
// ExportType, or, when there are none, every export of the root. Each
// instance export is completed with the sibling exports whose types it
// uses: `export api` where api does `use types.{thing}` also exports types,
// placed before api. Without it api would seem to define its own `thing`,
// a different resource from types' to anyone composing the result further,
// or not validate at all (wac #141). Each added export is a Note.
func (r *resolver) resultExports() ([]PlannedExport, error) {
	g := r.g
	type want struct {
		name    string
		from    Source
		defined component.Type
	}
	var wants []want
	if len(g.exports) == 0 && g.root >= 0 {
		for _, e := range g.instances[g.root].ct.Exports {
			wants = append(wants, want{name: e.Name, from: ExportOf(g.root, e.Name)})
		}
	}
	for _, e := range g.exports {
		wants = append(wants, want{name: e.name, from: e.from, defined: e.defined})
	}

	byName := map[string]Source{}
	wanted := map[Source][]string{} // the names each source is exported under
	for _, w := range wants {
		if w.defined == nil {
			byName[w.name] = w.from
			wanted[w.from] = append(wanted[w.from], w.name)
		}
	}
	owners := map[InstanceID]map[component.Type]string{}
	ownerOf := func(id InstanceID) map[component.Type]string {
		if o, ok := owners[id]; ok {
			return o
		}
		o := exportOwners(g.instances[id].ct)
		owners[id] = o
		return o
	}

	var out []PlannedExport
	placed := map[string]bool{}
	var add func(name string, from Source, user string) error
	add = func(name string, from Source, user string) error {
		if placed[name] {
			return nil
		}
		placed[name] = true
		typ, err := g.sourceType(from)
		if err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
		if from.Kind == SourceImport {
			typ = r.groupType(from.Import, typ)
		}
		if from.Kind == SourceExport {
			for _, dep := range usedExports(typ, from.Export, ownerOf(from.Instance)) {
				sib := ExportOf(from.Instance, dep)
				if names := wanted[sib]; len(names) > 0 {
					for _, n := range names {
						if err := add(n, sib, ""); err != nil {
							return err
						}
					}
					continue
				}
				if other, taken := byName[dep]; taken {
					return fmt.Errorf("export %s: it uses the types of %s.%s, which must be exported too, but the name %q is taken by %s",
						name, g.instances[from.Instance].name, dep, dep, g.describe(other))
				}
				byName[dep] = sib
				wanted[sib] = []string{dep}
				if err := add(dep, sib, name); err != nil {
					return err
				}
			}
		}
		out = append(out, PlannedExport{Name: name, From: from, Type: typ})
		if user != "" {
			r.notes = append(r.notes, Note{Kind: NoteSiblingExport, Instance: g.instances[from.Instance].name,
				Text: fmt.Sprintf("exports %s too: %s uses its types", name, user)})
		}
		return nil
	}
	for _, w := range wants {
		if w.defined != nil {
			out = append(out, PlannedExport{Name: w.name, Defined: w.defined, Type: &component.TypeBound{Type: w.defined}, From: Source{}})
			continue
		}
		if err := add(w.name, w.from, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// groupType returns the settled type of an explicit import (its declared
// type, which fallback already is).
func (r *resolver) groupType(id ImportID, fallback component.Extern) component.Extern {
	for _, gr := range r.groups {
		if gr.id == id {
			return gr.typ
		}
	}
	return fallback
}

// exportOwners maps each type an export of ct declares to that export's
// name: an interface's instance type and its resources, a world-level
// type.
func exportOwners(ct *component.ComponentType) map[component.Type]string {
	owner := map[component.Type]string{}
	for _, ex := range ct.Exports {
		switch t := ex.Type.(type) {
		case *component.InstanceType:
			owner[t] = ex.Name
			for _, it := range t.Exports {
				if tb, ok := it.Type.(*component.TypeBound); ok {
					if res, ok := tb.Type.(*component.Resource); ok {
						owner[res] = ex.Name
					}
				}
			}
		case *component.TypeBound:
			owner[t.Type] = ex.Name
			if res := component.ResourceOf(t.Type); res != nil {
				if _, ok := owner[res]; !ok {
					owner[res] = ex.Name
				}
			}
		}
	}
	return owner
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
