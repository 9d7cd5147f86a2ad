package graph

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// settle repeats rounds until no link is unplugged. Each unplug turns an
// auto-plugged argument into an import of the result, so the loop ends
// after at most as many rounds as there are auto-plugged links; the last
// round's errors are the answer.
func (r *resolver) settle() error {
	for {
		unplugs, err := r.round()
		if len(unplugs) == 0 {
			return err
		}
		for _, u := range unplugs {
			a := &r.args[u.instance][u.arg]
			a.Kind, a.From = ArgImport, Source{}
			r.notes = append(r.notes, u.note)
			r.unplugged = append(r.unplugged, u)
		}
	}
}

// unplug is a decision to take an auto-plugged argument from outside.
type unplug struct {
	instance InstanceID
	arg      int
	provider InstanceID // who plugged it before
	note     Note
}

// round checks the current arguments: first that imports of the result use
// only resources of other imports (a cheap, structural check), then, when
// that holds, merges the imports and checks every link. It returns the
// links to unplug, or the errors left when there are none.
func (r *resolver) round() ([]unplug, error) {
	unplugs, errs := r.checkImportResources()
	if len(unplugs) > 0 {
		return unplugs, nil
	}
	if err := r.buildGroups(); err != nil {
		return nil, err
	}
	r.rm = component.ResourceMap{}
	for _, gr := range r.groups {
		errs = append(errs, r.settleGroup(gr)...)
	}
	more, linkErrs := r.checkLinks()
	if len(more) > 0 {
		return more, nil
	}
	return nil, append(errs, linkErrs...).err()
}

// site is where a resource is introduced: import arg of instance, or, for
// instance -1, the explicit import arg.
type site struct {
	instance InstanceID
	arg      int
}

// introductions maps every resource an import declares with
// (sub resource) to that import.
func (r *resolver) introductions() map[*component.Resource]site {
	intro := map[*component.Resource]site{}
	for _, id := range r.order {
		for i, imp := range r.g.instances[id].ct.Imports {
			for _, res := range introduced(imp.Type) {
				intro[res] = site{instance: id, arg: i}
			}
		}
	}
	for i, im := range r.g.imports {
		for _, res := range introduced(im.typ) {
			intro[res] = site{instance: -1, arg: i}
		}
	}
	return intro
}

// checkImportResources enforces that an import of the result uses only
// resources of other imports. An instance's import taken from outside
// that uses a resource of the instance's import J needs J from outside
// too: auto-plugged, J is unplugged; given explicitly, it is an error.
func (r *resolver) checkImportResources() ([]unplug, ErrorList) {
	intro := r.introductions()
	var unplugs []unplug
	var errs ErrorList
	done := map[site]bool{}
	require := func(user string, res *component.Resource) {
		s, ok := intro[res]
		if !ok {
			errs = append(errs, fmt.Errorf("%s uses resource `%s`, which no import declares", user, res.Name))
			return
		}
		if s.instance < 0 || done[s] {
			return
		}
		a := r.args[s.instance][s.arg]
		if fromOutside(a) {
			return
		}
		done[s] = true
		consumer := r.g.instances[s.instance].name
		if autoPlugged(a) {
			from := r.describeArg(a)
			unplugs = append(unplugs, unplug{instance: s.instance, arg: s.arg, provider: a.From.Instance, note: Note{
				Kind: NoteUnplugged, Instance: consumer, Import: a.Import, From: from,
				Text: fmt.Sprintf("%s.%s stays an import (not plugged by %s): %s, which stays an import of the result, uses its resource `%s`",
					consumer, a.Import, from, user, res.Name),
			}})
			return
		}
		errs = append(errs, &ImportResourceError{Consumer: consumer, Import: a.Import, From: r.describeArg(a), User: user, Resource: res.Name, Path: r.path(s.instance)})
	}
	for _, id := range r.order {
		for _, a := range r.args[id] {
			if !fromOutside(a) {
				continue
			}
			user := r.g.instances[id].name + "." + a.Import
			for _, res := range usedResources(a.Type) {
				require(user, res)
			}
		}
	}
	for _, im := range r.g.imports {
		for _, res := range usedResources(im.typ) {
			require("import "+im.name, res)
		}
	}
	return unplugs, errs
}

// group is one import of the result while Resolve works on it.
type group struct {
	id       ImportID
	name     string
	key      string
	explicit bool
	open     bool             // an ImportItem dependency: members widen its type
	typ      component.Extern // declared, or the union once settled
	members  []ImportUse
	deps     []*group
}

// types lists the types that stand for the import: the declared one and
// its members'.
func (gr *group) types() []component.Extern {
	var out []component.Extern
	if gr.explicit {
		out = append(out, gr.typ)
	}
	for _, u := range gr.members {
		out = append(out, u.Type)
	}
	return out
}

// buildGroups gathers the result's imports: the explicit ones, then the
// implicit ones in order of first use, semver-compatible names merged,
// and orders them so each follows those whose types it uses.
func (r *resolver) buildGroups() error {
	g := r.g
	var groups []*group
	for i, im := range g.imports {
		groups = append(groups, &group{id: ImportID(i), name: im.name, key: CompatName(im.name), explicit: true, open: im.open, typ: im.typ})
	}
	byKey := map[string]*group{}
	for _, id := range r.order {
		for ai := range r.args[id] {
			a := &r.args[id][ai]
			use := ImportUse{Instance: id, Import: a.Import, Type: a.Type}
			switch {
			case a.Kind == ArgImport:
				key := CompatName(a.Import)
				gr := byKey[key]
				if gr == nil {
					gr = &group{id: ImportID(len(groups)), key: key}
					byKey[key] = gr
					groups = append(groups, gr)
				}
				gr.members = append(gr.members, use)
				a.From = ImportOf(gr.id)
			case a.From.Kind == SourceImport:
				gr := groups[a.From.Import]
				gr.members = append(gr.members, use)
			}
		}
	}
	for _, gr := range groups {
		if !gr.explicit {
			var names []string
			for _, u := range gr.members {
				if !containsString(names, u.Import) {
					names = append(names, u.Import)
				}
			}
			gr.name = Highest(names)
		}
	}
	linkGroupDeps(groups)
	order, err := topoGroups(groups)
	if err != nil {
		return err
	}
	r.groups = order
	return nil
}

// linkGroupDeps records which imports each import uses types of: where a
// member type refers to a name or resource that another import's types
// declare.
func linkGroupDeps(groups []*group) {
	sources := map[component.Type]*group{}
	claim := func(t component.Type, gr *group) {
		if _, ok := sources[t]; !ok {
			sources[t] = gr
		}
	}
	var claimInstance func(it *component.InstanceType, gr *group)
	claimInstance = func(it *component.InstanceType, gr *group) {
		claim(it, gr)
		for _, ex := range it.Exports {
			switch t := ex.Type.(type) {
			case *component.TypeBound:
				if res, ok := t.Type.(*component.Resource); ok {
					claim(res, gr)
				}
			case *component.InstanceType:
				claimInstance(t, gr)
			}
		}
	}
	for _, gr := range groups {
		for _, x := range gr.types() {
			switch t := x.(type) {
			case *component.InstanceType:
				claimInstance(t, gr)
			case *component.TypeBound:
				// A world-level type import: a resource it introduces, or
				// the name it gives. A name for another import's resource
				// (`use i.{r}` at world level) claims only the name.
				switch u := t.Type.(type) {
				case *component.Resource:
					claim(u, gr)
				case *component.Named:
					claim(u, gr)
				}
			}
		}
	}
	sourceOf := func(t component.Type) *group {
		if gr, ok := sources[t]; ok {
			return gr
		}
		if n, ok := t.(*component.Named); ok && n.Owner != nil {
			return sources[n.Owner]
		}
		return nil
	}
	for _, gr := range groups {
		seen := map[*group]bool{}
		for _, x := range gr.types() {
			visitNamed(x, func(t component.Type) bool {
				src := sourceOf(t)
				if src == nil || src == gr {
					return true
				}
				if !seen[src] {
					seen[src] = true
					gr.deps = append(gr.deps, src)
				}
				return false
			})
		}
	}
}

// topoGroups orders groups so dependencies come first; among groups that
// are ready together, in their given order.
func topoGroups(groups []*group) ([]*group, error) {
	done := map[*group]bool{}
	var out []*group
	for len(out) < len(groups) {
		var next *group
		for _, gr := range groups {
			if done[gr] {
				continue
			}
			ready := true
			for _, d := range gr.deps {
				if !done[d] {
					ready = false
					break
				}
			}
			if ready {
				next = gr
				break
			}
		}
		if next == nil {
			e := &ImportCycleError{}
			for _, gr := range groups {
				if !done[gr] {
					e.Imports = append(e.Imports, gr.name)
				}
			}
			return nil, e
		}
		done[next] = true
		out = append(out, next)
	}
	return out, nil
}

// settleGroup gives an import its final type and binds its resources: an
// explicit import keeps its declared type, and the instances passed it are
// checked against it; an implicit one is the union of its members'
// types, whose resources become one.
func (r *resolver) settleGroup(gr *group) ErrorList {
	var errs ErrorList
	if gr.explicit {
		if gr.open {
			// The declared type widens to take in the members.
			typ, err := r.union(gr, ImportUse{Instance: -1, Import: gr.name, Type: gr.typ}, gr.members)
			if err != nil {
				return append(errs, err)
			}
			gr.typ = typ
		}
		bindOwn(r.rm, gr.typ)
		for _, id := range r.order {
			for _, a := range r.args[id] {
				if a.From.Import != gr.id || (a.From.Kind != SourceImport && a.From.Kind != SourceImportExport) {
					continue
				}
				if gr.open && a.From.Kind == SourceImport {
					continue // unioned above
				}
				if err := r.checkArg(id, a); err != nil {
					errs = append(errs, err)
				}
			}
		}
		return errs
	}
	typ, err := r.union(gr, gr.members[0], gr.members[1:])
	if err != nil {
		return append(errs, err)
	}
	gr.typ = typ
	bindOwn(r.rm, typ)
	return errs
}

// union merges first's type with the others' into one type that serves
// them all: instance types unioned (the wider wins, resources unified
// through r.rm), other kinds equal both ways.
func (r *resolver) union(gr *group, first ImportUse, others []ImportUse) (component.Extern, error) {
	acc := first.Type
	for _, u := range others {
		switch a := acc.(type) {
		case *component.InstanceType:
			b, ok := u.Type.(*component.InstanceType)
			if !ok {
				return nil, r.conflict(gr, first, u, fmt.Errorf("one imports an instance, the other %s", articled(component.KindName(u.Type))))
			}
			merged, err := component.UnionInstanceTypes(a, b, component.WithResourceMap(r.rm))
			if err != nil {
				return nil, r.conflict(gr, first, u, err)
			}
			acc = merged
		default:
			if err := component.CheckSubtype(acc, u.Type, component.WithResourceMap(r.rm)); err != nil {
				return nil, r.conflict(gr, first, u, err)
			}
			if err := component.CheckSubtype(u.Type, acc, component.WithResourceMap(r.rm)); err != nil {
				return nil, r.conflict(gr, first, u, err)
			}
		}
	}
	return acc, nil
}

// bindOwn marks the resources x declares as bound to themselves: they are
// an import's own, so no later check may bind them to another.
func bindOwn(rm component.ResourceMap, x component.Extern) {
	for _, res := range introduced(x) {
		if _, ok := rm[res]; !ok {
			rm[res] = res
		}
	}
}

// conflict reports two members' imports that cannot be merged into one.
func (r *resolver) conflict(gr *group, a, b ImportUse, err error) error {
	var ue *component.UnionError
	if !errors.As(err, &ue) {
		err = fmt.Errorf("conflicting types: %w", err)
	}
	first := "the declared import"
	if a.Instance >= 0 {
		first = r.g.instances[a.Instance].name
	}
	return &ImportConflictError{
		Import: gr.name,
		First:  first, FirstImport: a.Import,
		Second: r.g.instances[b.Instance].name, SecondImport: b.Import,
		Err: err,
	}
}

// checkLinks subtype-checks every argument taken from an instance,
// consumers in dependency order and each consumer's imports in
// declaration order, so that resources bound by an earlier import are
// known to later ones, and a resource passed along a chain stays one
// resource. An auto-plugged link that fails only because it would hand
// the consumer another resource than the one it holds is unplugged.
func (r *resolver) checkLinks() ([]unplug, ErrorList) {
	var unplugs []unplug
	var errs ErrorList
	for _, id := range r.order {
		for ai, a := range r.args[id] {
			if _, ok := a.From.provider(); !ok {
				continue
			}
			err := r.checkArg(id, a)
			if err == nil {
				continue
			}
			var se *component.SubtypeError
			if autoPlugged(a) && errors.As(err, &se) && se.Resource {
				consumer := r.g.instances[id].name
				from := r.describeArg(a)
				unplugs = append(unplugs, unplug{instance: id, arg: ai, provider: a.From.Instance, note: Note{
					Kind: NoteUnplugged, Instance: consumer, Import: a.Import, From: from,
					Text: fmt.Sprintf("%s.%s stays an import (not plugged by %s): its type names another resource than the one %s already has (%v)",
						consumer, a.Import, from, consumer, se),
				}})
				continue
			}
			errs = append(errs, err)
		}
	}
	return unplugs, errs
}

// checkArg subtype-checks one argument against the consumer's import.
func (r *resolver) checkArg(id InstanceID, a Arg) error {
	actual, err := r.g.sourceType(a.From)
	if err == nil {
		err = component.CheckSubtype(actual, a.Type, component.WithResourceMap(r.rm))
	}
	if err == nil {
		return nil
	}
	return &LinkError{
		Consumer: r.g.instances[id].name, Import: a.Import,
		From: r.g.describe(a.From), Path: r.path(id),
		Err: err,
	}
}

// introduced lists the resources x declares with (sub resource), at any
// depth, in order.
func introduced(x component.Extern) []*component.Resource {
	var out []*component.Resource
	var walk func(x component.Extern)
	walk = func(x component.Extern) {
		switch t := x.(type) {
		case *component.TypeBound:
			if res, ok := t.Type.(*component.Resource); ok {
				out = append(out, res)
			}
		case *component.InstanceType:
			for _, e := range t.Exports {
				walk(e.Type)
			}
		case *component.ComponentType:
			for _, e := range t.Imports {
				walk(e.Type)
			}
			for _, e := range t.Exports {
				walk(e.Type)
			}
		}
	}
	walk(x)
	return out
}

// usedResources lists the resources x refers to but does not declare, in
// first-use order.
func usedResources(x component.Extern) []*component.Resource {
	own := map[*component.Resource]bool{}
	for _, res := range introduced(x) {
		own[res] = true
	}
	var out []*component.Resource
	w := component.TypeWalk{Visit: func(node any) bool {
		if res, ok := node.(*component.Resource); ok && !own[res] {
			out = append(out, res)
		}
		return true
	}}
	w.Extern(x)
	return out
}

// visitNamed calls visit for every *Named and *Resource the extern x refers
// to, outermost first, each once. When visit returns false the walk does
// not look inside that type: a caller that has found where a type comes
// from does not need what it is made of.
func visitNamed(x component.Extern, visit func(component.Type) bool) {
	w := component.TypeWalk{Visit: func(node any) bool {
		switch t := node.(type) {
		case *component.Named:
			return visit(t)
		case *component.Resource:
			visit(t)
		}
		return true
	}}
	w.Extern(x)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// describeUnused explains why a provider ended up plugging nothing.
func (r *resolver) describeUnused(id InstanceID) string {
	var why []string
	for _, u := range r.unplugged {
		if u.provider == id {
			why = append(why, u.note.Text)
		}
	}
	return strings.Join(why, "; ")
}
