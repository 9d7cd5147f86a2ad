package compose

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
)

// EncodeOptions are the parts of the output that are not in the plan.
type EncodeOptions struct {
	Name    string // component-name in the name section
	Version string // wcomp's version, for the producers section
}

// Encode writes plan as one component binary:
//
//  1. imports, each a type definition then the import, ordered so an
//     interface comes after the interfaces whose types it uses;
//  2. every member's bytes, unchanged, as a nested component section;
//  3. the instances, in dependency order, each preceded by the aliases of
//     the earlier instances' exports it is given;
//  4. the root's exports, re-exported through aliases;
//  5. a name section and a producers section.
//
// The output depends only on the plan: no map is iterated to produce it.
func Encode(g *graph.Graph, p *graph.Plan, opts EncodeOptions) ([]byte, error) {
	e := &encoder{g: g, p: p, rm: component.ResourceMap{}}
	if err := e.planImports(); err != nil {
		return nil, err
	}
	e.out = append(e.out, preamble...)
	if err := e.writeImports(); err != nil {
		return nil, err
	}
	e.writeComponents()
	if err := e.writeInstances(); err != nil {
		return nil, err
	}
	if err := e.writeExports(); err != nil {
		return nil, err
	}
	e.writeCustom(opts)
	return e.out, nil
}

type encoder struct {
	g  *graph.Graph
	p  *graph.Plan
	rm component.ResourceMap // member resources → the result's resources

	out []byte
	// Sizes of the index spaces written so far.
	ntypes, ninstances, ncomponents, nfuncs uint32

	groups []*importGroup // in output order
	// groupOfIT maps every instance type a group's imports were declared
	// with (and their unions) to the group, so a *Named owned by one of
	// them is known to come from that import.
	groupOfIT map[*component.InstanceType]*importGroup
	// resourceOwner maps a resource declared by an imported interface to
	// the group and export name that declare it.
	resourceOwner map[*component.Resource]typeExport

	componentIndex map[graph.ComponentID]uint32
	instanceIndex  map[graph.InstanceID]uint32
	names          []indexName // instance names
}

// importGroup is one import of the result.
type importGroup struct {
	plan  *graph.ImportGroup
	order int // position in p.Imports, for ties
	typ   component.Extern
	deps  []*importGroup
	index uint32 // in its sort's index space, once written
	// aliases are the outer type indices of this import's type exports,
	// created on first use by a later import.
	aliases map[string]uint32
	written bool
}

type typeExport struct {
	group *importGroup
	name  string
}

// planImports unions each import group's member types and orders the
// groups so that every interface follows those it uses.
func (e *encoder) planImports() error {
	e.groupOfIT = map[*component.InstanceType]*importGroup{}
	e.resourceOwner = map[*component.Resource]typeExport{}
	byKey := make([]*importGroup, len(e.p.Imports))
	for i := range e.p.Imports {
		gr := &importGroup{plan: &e.p.Imports[i], order: i, aliases: map[string]uint32{}}
		byKey[i] = gr
		for _, u := range gr.plan.Members {
			it, ok := u.Type.(*component.InstanceType)
			if !ok {
				continue
			}
			e.groupOfIT[it] = gr
			for _, ex := range it.Exports {
				if tb, ok := ex.Type.(*component.TypeBound); ok {
					if r, ok := tb.Type.(*component.Resource); ok {
						e.resourceOwner[r] = typeExport{gr, ex.Name}
					}
				}
			}
		}
	}
	// Dependencies: a group uses another when one of its member types
	// refers to a type or resource the other declares.
	for _, gr := range byKey {
		seen := map[*importGroup]bool{}
		for _, u := range gr.plan.Members {
			e.walkExtern(u.Type, gr, func(dep *importGroup) {
				if !seen[dep] {
					seen[dep] = true
					gr.deps = append(gr.deps, dep)
				}
			}, map[component.Type]bool{})
		}
	}
	order, err := topoGroups(byKey)
	if err != nil {
		return err
	}
	e.groups = order
	for _, gr := range e.groups {
		if err := e.union(gr); err != nil {
			return err
		}
	}
	return nil
}

// topoGroups orders groups so dependencies come first; among groups that
// are ready together, by name.
func topoGroups(groups []*importGroup) ([]*importGroup, error) {
	done := map[*importGroup]bool{}
	var out []*importGroup
	for len(out) < len(groups) {
		var ready []*importGroup
		for _, gr := range groups {
			if done[gr] {
				continue
			}
			ok := true
			for _, d := range gr.deps {
				if !done[d] {
					ok = false
					break
				}
			}
			if ok {
				ready = append(ready, gr)
			}
		}
		if len(ready) == 0 {
			var names []string
			for _, gr := range groups {
				if !done[gr] {
					names = append(names, gr.plan.Name)
				}
			}
			return nil, fmt.Errorf("imports use each other's types in a cycle: %s", strings.Join(names, ", "))
		}
		sort.SliceStable(ready, func(i, j int) bool { return ready[i].plan.Name < ready[j].plan.Name })
		// Take only the first, so a group made ready by it competes by name
		// with the others on the next round.
		done[ready[0]] = true
		out = append(out, ready[0])
	}
	return out, nil
}

// walkExtern calls dep for every other import group whose types x uses.
func (e *encoder) walkExtern(x component.Extern, self *importGroup, dep func(*importGroup), seen map[component.Type]bool) {
	switch t := x.(type) {
	case *component.InstanceType:
		for _, ex := range t.Exports {
			e.walkExtern(ex.Type, self, dep, seen)
		}
	case *component.Func:
		for _, p := range t.Params {
			e.walkType(p.Type, self, dep, seen)
		}
		if t.Result != nil {
			e.walkType(t.Result, self, dep, seen)
		}
	case *component.TypeBound:
		e.walkType(t.Type, self, dep, seen)
	case *component.ValueBound:
		e.walkType(t.Type, self, dep, seen)
	}
}

func (e *encoder) walkType(t component.Type, self *importGroup, dep func(*importGroup), seen map[component.Type]bool) {
	if t == nil {
		return
	}
	if _, ok := t.(component.Prim); ok {
		return
	}
	if seen[t] {
		return
	}
	seen[t] = true
	if owner := e.ownerGroup(t); owner != nil && owner != self {
		dep(owner)
		return
	}
	switch x := t.(type) {
	case *component.Named:
		e.walkType(x.Type, self, dep, seen)
	case *component.Record:
		for _, f := range x.Fields {
			e.walkType(f.Type, self, dep, seen)
		}
	case *component.Variant:
		for _, c := range x.Cases {
			if c.Type != nil {
				e.walkType(c.Type, self, dep, seen)
			}
		}
	case *component.List:
		e.walkType(x.Elem, self, dep, seen)
	case *component.Tuple:
		for _, el := range x.Types {
			e.walkType(el, self, dep, seen)
		}
	case *component.Option:
		e.walkType(x.Elem, self, dep, seen)
	case *component.Result:
		if x.Ok != nil {
			e.walkType(x.Ok, self, dep, seen)
		}
		if x.Err != nil {
			e.walkType(x.Err, self, dep, seen)
		}
	case *component.Own:
		e.walkType(x.Resource, self, dep, seen)
	case *component.Borrow:
		e.walkType(x.Resource, self, dep, seen)
	case *component.Stream:
		if x.Elem != nil {
			e.walkType(x.Elem, self, dep, seen)
		}
	case *component.Future:
		if x.Elem != nil {
			e.walkType(x.Elem, self, dep, seen)
		}
	case *component.Map:
		e.walkType(x.Key, self, dep, seen)
		e.walkType(x.Value, self, dep, seen)
	}
}

// ownerGroup returns the import group that declares t: the group of the
// instance type owning a *Named, or of the interface declaring a resource.
func (e *encoder) ownerGroup(t component.Type) *importGroup {
	switch x := t.(type) {
	case *component.Named:
		if x.Owner != nil {
			return e.groupOfIT[x.Owner]
		}
	case *component.Resource:
		if te, ok := e.resourceOwner[x]; ok {
			return te.group
		}
		if te, ok := e.resourceOwner[findResource(e.rm, x)]; ok {
			return te.group
		}
	}
	return nil
}

// union merges the types of every member import of gr into the one type
// the result imports. Instance types are unioned (the wider wins, resources
// unified through e.rm); other kinds must agree exactly.
func (e *encoder) union(gr *importGroup) error {
	members := gr.plan.Members
	if len(members) == 0 {
		return fmt.Errorf("import %s: no member needs it", gr.plan.Name)
	}
	first := members[0]
	acc := first.Type
	for _, u := range members[1:] {
		switch a := acc.(type) {
		case *component.InstanceType:
			b, ok := u.Type.(*component.InstanceType)
			if !ok {
				return e.conflict(gr, first, u, fmt.Errorf("one imports an instance, the other a %s", kindOf(u.Type)))
			}
			merged, err := component.UnionInstanceTypes(a, b, component.WithResourceMap(e.rm))
			if err != nil {
				return e.conflict(gr, first, u, err)
			}
			e.groupOfIT[merged] = gr
			acc = merged
		default:
			if err := component.CheckSubtype(acc, u.Type, component.WithResourceMap(e.rm)); err != nil {
				return e.conflict(gr, first, u, err)
			}
			if err := component.CheckSubtype(u.Type, acc, component.WithResourceMap(e.rm)); err != nil {
				return e.conflict(gr, first, u, err)
			}
		}
	}
	gr.typ = acc
	if it, ok := acc.(*component.InstanceType); ok {
		// The result's own resources are the union's; record them (and
		// what members' resources stand for them) as declared here.
		for _, ex := range it.Exports {
			if tb, ok := ex.Type.(*component.TypeBound); ok {
				if r, ok := tb.Type.(*component.Resource); ok {
					e.resourceOwner[findResource(e.rm, r)] = typeExport{gr, ex.Name}
				}
			}
		}
	}
	return nil
}

func (e *encoder) conflict(gr *importGroup, a, b graph.ImportUse, err error) error {
	an, _ := e.g.Instance(a.Instance)
	bn, _ := e.g.Instance(b.Instance)
	return fmt.Errorf("import %s: %s imports %q and %s imports %q with conflicting types: %w",
		gr.plan.Name, an, a.Import, bn, b.Import, err)
}

func kindOf(x component.Extern) string {
	switch x.(type) {
	case *component.Func:
		return "function"
	case *component.InstanceType:
		return "instance"
	case *component.TypeBound:
		return "type"
	case *component.ComponentType:
		return "component"
	case *component.ModuleType:
		return "core module"
	case *component.ValueBound:
		return "value"
	}
	return fmt.Sprintf("%T", x)
}

// writeImports writes each import: the outer aliases its type needs, its
// type definition, and the import itself.
func (e *encoder) writeImports() error {
	for _, gr := range e.groups {
		var aliases buf
		naliases := uint32(0)
		foreign := func(t component.Type) (uint32, bool, error) {
			te, ok := e.foreignExport(t, gr)
			if !ok {
				return 0, false, nil
			}
			if !te.group.written {
				return 0, false, fmt.Errorf("%s is used before its interface %s is imported", typeName(t), te.group.plan.Name)
			}
			if idx, ok := te.group.aliases[te.name]; ok {
				return idx, true, nil
			}
			// (alias export K "name" (type))
			aliases.byte1(sortType)
			aliases.byte1(0x00)
			aliases.u32(te.group.index)
			aliases.str(te.name)
			naliases++
			idx := e.ntypes
			e.ntypes++
			te.group.aliases[te.name] = idx
			return idx, true, nil
		}
		canon := func(r *component.Resource) *component.Resource { return findResource(e.rm, r) }
		var typeBody []byte
		var kind byte
		switch t := gr.typ.(type) {
		case *component.InstanceType:
			w := newInstanceTypeWriter("import "+gr.plan.Name, foreign, canon)
			body, err := w.instanceType(t)
			if err != nil {
				return err
			}
			typeBody, kind = body, 0x05
		case *component.Func:
			w := newInstanceTypeWriter("import "+gr.plan.Name, foreign, canon)
			body, err := w.funcTypeBody(t)
			if err != nil {
				return fmt.Errorf("import %s: %w", gr.plan.Name, err)
			}
			if w.ndecls > 0 {
				// A world-level function whose parameters use named types
				// needs them defined at the top level; no toolchain we
				// target emits that for an unplugged import.
				return fmt.Errorf("import %s: functions using non-primitive types at world level are not supported yet", gr.plan.Name)
			}
			typeBody, kind = body, 0x01
		default:
			return fmt.Errorf("import %s: importing a %s is not supported", gr.plan.Name, kindOf(gr.typ))
		}
		if naliases > 0 {
			var sec buf
			sec.u32(naliases)
			sec.bytes(aliases.b)
			e.out = appendSection(e.out, byte(component.SectionAlias), sec.b)
		}
		var ts buf
		ts.u32(1)
		ts.bytes(typeBody)
		e.out = appendSection(e.out, byte(component.SectionType), ts.b)
		typeIdx := e.ntypes
		e.ntypes++

		var is buf
		is.u32(1)
		writeName(&is, gr.plan.Name)
		is.byte1(kind)
		is.u32(typeIdx)
		e.out = appendSection(e.out, byte(component.SectionImport), is.b)
		switch kind {
		case 0x05:
			gr.index = e.ninstances
			e.ninstances++
			e.names = append(e.names, indexName{gr.index, gr.plan.Name})
		case 0x01:
			gr.index = e.nfuncs
			e.nfuncs++
		}
		gr.written = true
	}
	return nil
}

// foreignExport reports whether t is declared by an import group other
// than self, and under which export name.
func (e *encoder) foreignExport(t component.Type, self *importGroup) (typeExport, bool) {
	switch x := t.(type) {
	case *component.Named:
		if x.Owner == nil {
			return typeExport{}, false
		}
		gr := e.groupOfIT[x.Owner]
		if gr == nil || gr == self {
			return typeExport{}, false
		}
		return typeExport{gr, x.Name}, true
	case *component.Resource:
		te, ok := e.resourceOwner[findResource(e.rm, x)]
		if !ok {
			te, ok = e.resourceOwner[x]
		}
		if !ok || te.group == self {
			return typeExport{}, false
		}
		return te, true
	}
	return typeExport{}, false
}

func typeName(t component.Type) string {
	switch x := t.(type) {
	case *component.Named:
		return "type " + x.Name
	case *component.Resource:
		return "resource " + x.Name
	}
	return fmt.Sprintf("%T", t)
}

// writeComponents embeds each member's bytes, unchanged.
func (e *encoder) writeComponents() {
	e.componentIndex = map[graph.ComponentID]uint32{}
	for _, c := range e.p.Components {
		e.out = appendSection(e.out, byte(component.SectionComponent), c.Data)
		e.componentIndex[c.ID] = e.ncomponents
		e.ncomponents++
	}
}

// sortOf returns the sort byte for an extern (what `with` passes).
func sortOf(x component.Extern) (byte, error) {
	switch x.(type) {
	case *component.InstanceType:
		return sortInstance, nil
	case *component.Func:
		return sortFunc, nil
	case *component.TypeBound:
		return sortType, nil
	case *component.ComponentType:
		return sortComponent, nil
	case *component.ValueBound:
		return sortValue, nil
	}
	return 0, fmt.Errorf("cannot pass a %s between components", kindOf(x))
}

// writeInstances instantiates every member in plan order.
func (e *encoder) writeInstances() error {
	e.instanceIndex = map[graph.InstanceID]uint32{}
	groupOf := make([]*importGroup, len(e.p.Imports))
	for _, gr := range e.groups {
		groupOf[gr.order] = gr
	}
	for _, in := range e.p.Instances {
		var aliases buf
		naliases := uint32(0)
		var args buf
		for _, a := range in.Args {
			s, err := sortOf(a.Type)
			if err != nil {
				return fmt.Errorf("instance %s: import %q: %w", in.Name, a.Import, err)
			}
			var idx uint32
			if a.Kind == graph.ArgImport {
				gr := groupOf[a.Group]
				if s != sortInstance && s != sortFunc {
					return fmt.Errorf("instance %s: import %q: importing a %s is not supported", in.Name, a.Import, kindOf(a.Type))
				}
				idx = gr.index
			} else {
				prov, ok := e.instanceIndex[a.Provider]
				if !ok {
					return fmt.Errorf("instance %s: import %q: provider instantiated later (plan out of order)", in.Name, a.Import)
				}
				ex := e.providerExport(a.Provider, a.Export)
				if ex == nil {
					pn, _ := e.g.Instance(a.Provider)
					return fmt.Errorf("instance %s: import %q: %s has no export %q", in.Name, a.Import, pn, a.Export)
				}
				ps, err := sortOf(ex.Type)
				if err != nil {
					return err
				}
				aliases.byte1(ps)
				aliases.byte1(0x00)
				aliases.u32(prov)
				aliases.str(a.Export)
				naliases++
				idx = e.bump(ps)
			}
			args.str(a.Import)
			args.byte1(s)
			args.u32(idx)
		}
		if naliases > 0 {
			var sec buf
			sec.u32(naliases)
			sec.bytes(aliases.b)
			e.out = appendSection(e.out, byte(component.SectionAlias), sec.b)
		}
		var sec buf
		sec.u32(1)
		sec.byte1(0x00)
		sec.u32(e.componentIndex[in.Component])
		sec.u32(uint32(len(in.Args)))
		sec.bytes(args.b)
		e.out = appendSection(e.out, byte(component.SectionInstance), sec.b)
		e.instanceIndex[in.ID] = e.ninstances
		e.names = append(e.names, indexName{e.ninstances, in.Name})
		e.ninstances++
	}
	return nil
}

// bump adds one item to the index space of sort s and returns its index.
func (e *encoder) bump(s byte) uint32 {
	var n *uint32
	switch s {
	case sortInstance:
		n = &e.ninstances
	case sortFunc:
		n = &e.nfuncs
	case sortType:
		n = &e.ntypes
	case sortComponent:
		n = &e.ncomponents
	default:
		var dummy uint32
		n = &dummy
	}
	*n++
	return *n - 1
}

func (e *encoder) providerExport(id graph.InstanceID, name string) *component.Item {
	_, cid := e.g.Instance(id)
	_, ct, _ := e.g.Component(cid)
	return ct.Export(name)
}

// writeExports re-exports the root's chosen exports.
func (e *encoder) writeExports() error {
	if len(e.p.Exports) == 0 {
		return nil
	}
	var aliases, exports buf
	for _, ex := range e.p.Exports {
		s, err := sortOf(ex.Type)
		if err != nil {
			return fmt.Errorf("export %q: %w", ex.Name, err)
		}
		inst, ok := e.instanceIndex[ex.Instance]
		if !ok {
			return fmt.Errorf("export %q: its instance is not part of the result", ex.Name)
		}
		aliases.byte1(s)
		aliases.byte1(0x00)
		aliases.u32(inst)
		aliases.str(ex.Name)
		idx := e.bump(s)
		writeName(&exports, ex.Name)
		exports.byte1(s)
		exports.u32(idx)
		exports.byte1(0x00) // no type ascription
	}
	var as buf
	as.u32(uint32(len(e.p.Exports)))
	as.bytes(aliases.b)
	e.out = appendSection(e.out, byte(component.SectionAlias), as.b)
	var es buf
	es.u32(uint32(len(e.p.Exports)))
	es.bytes(exports.b)
	e.out = appendSection(e.out, byte(component.SectionExport), es.b)
	return nil
}

func (e *encoder) writeCustom(opts EncodeOptions) {
	var comps []indexName
	for i, c := range e.p.Components {
		comps = append(comps, indexName{uint32(i), c.Name})
	}
	insts := append([]indexName(nil), e.names...)
	sort.SliceStable(insts, func(i, j int) bool { return insts[i].index < insts[j].index })
	e.out = appendSection(e.out, 0, nameSection(opts.Name, []sortNames{
		{sort: sortComponent, names: comps},
		{sort: sortInstance, names: insts},
	}))
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	e.out = appendSection(e.out, 0, producersSection("wcomp", version))
}

// findResource follows m from r to the resource r finally stands for.
func findResource(m component.ResourceMap, r *component.Resource) *component.Resource {
	for i := 0; i <= len(m); i++ {
		next, ok := m[r]
		if !ok || next == r {
			return r
		}
		r = next
	}
	return r
}
