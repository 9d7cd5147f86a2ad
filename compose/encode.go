package compose

import (
	"errors"
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
//     interface comes after the interfaces whose types it uses (reached
//     through aliases of those imports, so a resource stays one resource);
//  2. every member's bytes, unchanged, as a nested component section;
//  3. the instances, in dependency order, each preceded by the aliases of
//     the earlier instances' exports it is given;
//  4. the root's exports, re-exported through aliases;
//  5. a name section and a producers section.
//
// The output depends only on the plan: no map is iterated to produce it.
//
// An auto-plugged link that would leave an import using a member's types
// is undone first (see unplugForImports), which changes p.
func Encode(g *graph.Graph, p *graph.Plan, opts EncodeOptions) ([]byte, error) {
	enc, err := encodeChunks(g, p, opts)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, enc.size)
	for _, c := range enc.chunks {
		out = append(out, c...)
	}
	return out, nil
}

// encoded is Encode's result before the final concatenation: the output as
// a sequence of byte slices, the members' bytes among them uncopied
// (writing these to a file costs what `cp` costs), and notes on what was
// changed in the plan.
type encoded struct {
	chunks [][]byte
	size   int
	notes  []string
}

func encodeChunks(g *graph.Graph, p *graph.Plan, opts EncodeOptions) (*encoded, error) {
	e := &encoder{g: g, p: p, rm: component.ResourceMap{}}
	e.types = component.NewTypeEncoder(e)
	if err := e.planImports(); err != nil {
		return nil, err
	}
	if err := e.encode(); err != nil {
		return nil, err
	}
	e.writeCustom(opts)
	chunks, size, err := e.out.finish()
	if err != nil {
		return nil, err
	}
	return &encoded{chunks: chunks, size: size, notes: e.notes}, nil
}

type encoder struct {
	g     *graph.Graph
	p     *graph.Plan
	rm    component.ResourceMap // member resources unified by import merging
	types *component.TypeEncoder
	out   output

	// pending are top-level type definitions and aliases not yet written:
	// the type encoder adds them while an import's type is being encoded,
	// and they are written, in order, just before that import.
	pending []component.Section
	// Sizes of the index spaces written so far (pending items included).
	ntypes, ninstances, ncomponents, nfuncs, nvalues uint32

	groups  []*importGroup // in dependency order
	groupOf []*importGroup // by index in p.Imports
	// sources says where each instance type, and each resource one
	// declares, comes from: an import of the result or a plugged member.
	sources map[component.Type]typeSource

	componentIndex map[graph.ComponentID]uint32
	instanceIndex  map[graph.InstanceID]uint32
	// exportAlias holds the index of `alias export` of a member instance's
	// export, written once however many consumers use it.
	exportAlias map[endpoint]uint32
	names       []indexName // instance names
	// notes say what the encoder changed in the plan, for the summary.
	notes []string
}

// argRef is one instantiation argument: p.Instances[instance].Args[arg].
type argRef struct{ instance, arg int }

// endpoint is one export of one member instance.
type endpoint struct {
	instance graph.InstanceID
	export   string
}

// typeSource is where the result gets the types an instance type declares:
// exactly one of group (an import of the result) or plug (a consumer's
// import that a member's export satisfies) is set.
type typeSource struct {
	group *importGroup
	plug  *plugSource
}

// plugSource is a plugged import of an instance type: the consumer's
// instance type (its: every pointer that stands for it) is provided by the
// export at. An import of the result must not use its types.
type plugSource struct {
	at   endpoint
	its  []*component.InstanceType
	args []argRef // the arguments it is passed as
}

// importGroup is one import of the result.
type importGroup struct {
	plan  *graph.ImportGroup
	order int // position in p.Imports, for ties
	typ   component.Extern
	// its are all instance types that stand for this import: the members'
	// and their unions. Types they declare are reached through it.
	its   []*component.InstanceType
	deps  []*importGroup
	plugs []*plugSource
	index uint32 // in its sort's index space, once written
}

// planImports finds where every type an import uses comes from, orders
// the imports so that each follows those it uses, and unions each import's
// member types. A plugged import whose types a remaining import uses is
// unplugged first (see unplugForImports).
func (e *encoder) planImports() error {
	e.planSources()
	notes, err := e.unplugForImports()
	if err != nil {
		return err
	}
	if len(notes) > 0 {
		e.notes = notes
		e.planSources()
	}
	order, err := topoGroups(e.groupOf)
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

// planSources records where the types of every instance type come from
// and what each import's type uses.
func (e *encoder) planSources() {
	e.sources = map[component.Type]typeSource{}
	e.groupOf = make([]*importGroup, len(e.p.Imports))
	for i := range e.p.Imports {
		gr := &importGroup{plan: &e.p.Imports[i], order: i}
		e.groupOf[i] = gr
		for _, u := range gr.plan.Members {
			switch x := u.Type.(type) {
			case *component.InstanceType:
				e.addSource(x, typeSource{group: gr})
			case *component.TypeBound:
				// A world-level type import (`point` for a function
				// `dist: func(p: point)`), and the resource it may name.
				e.sources[x.Type] = typeSource{group: gr}
				if r := component.ResourceOf(x.Type); r != nil {
					e.sources[r] = typeSource{group: gr}
				}
			}
		}
	}
	e.planPlugSources()
	// Dependencies: an import uses another (or a plugged member) when one
	// of its member types refers to a type or resource declared there.
	for _, gr := range e.groupOf {
		seenGroup := map[*importGroup]bool{}
		seenPlug := map[*plugSource]bool{}
		for _, u := range gr.plan.Members {
			visitNamed(u.Type, func(t component.Type) bool {
				src, ok := e.sourceOf(t)
				if !ok || src.group == gr {
					return true
				}
				if src.group != nil && !seenGroup[src.group] {
					seenGroup[src.group] = true
					gr.deps = append(gr.deps, src.group)
				}
				if src.plug != nil && !seenPlug[src.plug] {
					seenPlug[src.plug] = true
					gr.plugs = append(gr.plugs, src.plug)
				}
				return false
			})
		}
	}
}

// planPlugSources records, for every plugged import of an instance type,
// which member export provides it, so an unplugged import that uses its
// types can refer to the provided ones.
func (e *encoder) planPlugSources() {
	byEndpoint := map[endpoint]*plugSource{}
	for i := range e.p.Instances {
		in := &e.p.Instances[i]
		for j, a := range in.Args {
			it, ok := a.Type.(*component.InstanceType)
			if !ok || a.Kind == graph.ArgImport {
				continue
			}
			at := endpoint{a.Provider, a.Export}
			use := argRef{instance: i, arg: j}
			if prev, ok := e.sources[it]; ok {
				// One component instantiated twice shares its import
				// types: the first provider found stands for them, and
				// every argument is recorded, to be unplugged together.
				if prev.plug != nil {
					prev.plug.args = append(prev.plug.args, use)
				}
				continue
			}
			src := byEndpoint[at]
			if src == nil {
				src = &plugSource{at: at}
				byEndpoint[at] = src
			}
			src.its = append(src.its, it)
			src.args = append(src.args, use)
			e.addSource(it, typeSource{plug: src})
		}
	}
}

// addSource records that it, and the resources it declares, come from src.
func (e *encoder) addSource(it *component.InstanceType, src typeSource) {
	if _, ok := e.sources[it]; ok {
		return
	}
	e.sources[it] = src
	if src.group != nil {
		src.group.its = append(src.group.its, it)
	}
	for _, ex := range it.Exports {
		if tb, ok := ex.Type.(*component.TypeBound); ok {
			if r, ok := tb.Type.(*component.Resource); ok {
				if _, ok := e.sources[r]; !ok {
					e.sources[r] = src
				}
			}
		}
	}
}

// sourceOf returns where t is declared: the import of a world-level type,
// the interface declaring a resource, or the source of the instance type
// owning a *Named.
func (e *encoder) sourceOf(t component.Type) (typeSource, bool) {
	if src, ok := e.sources[t]; ok { // a resource, or a world-level name
		return src, true
	}
	if n, ok := t.(*component.Named); ok && n.Owner != nil {
		src, ok := e.sources[n.Owner]
		return src, ok
	}
	return typeSource{}, false
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
				return e.conflict(gr, first, u, fmt.Errorf("one imports an instance, the other a %s", component.KindName(u.Type)))
			}
			merged, err := component.UnionInstanceTypes(a, b, component.WithResourceMap(e.rm))
			if err != nil {
				return e.conflict(gr, first, u, err)
			}
			gr.its = append(gr.its, merged)
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
	return nil
}

// conflict reports two members' imports that cannot be merged into one.
// A *component.UnionError already says "conflicting types" and names the
// item that differs; other errors get that said once, here.
func (e *encoder) conflict(gr *importGroup, a, b graph.ImportUse, err error) error {
	an, _ := e.g.Instance(a.Instance)
	bn, _ := e.g.Instance(b.Instance)
	var ue *component.UnionError
	if !errors.As(err, &ue) {
		err = fmt.Errorf("conflicting types: %w", err)
	}
	return fmt.Errorf("import %s: %s imports %q and %s imports %q: %w",
		gr.plan.Name, an, a.Import, bn, b.Import, err)
}

// encode writes the imports, members, instances and exports (see Encode
// for the layout).
func (e *encoder) encode() error {
	e.out.w.Raw(component.Preamble[:])
	for _, gr := range e.groups {
		if len(gr.plugs) > 0 { // unplugForImports leaves none
			return fmt.Errorf("import %s: uses types of a member", gr.plan.Name)
		}
		if err := e.writeImport(gr); err != nil {
			return err
		}
	}
	e.writeComponents()
	e.instanceIndex = map[graph.InstanceID]uint32{}
	e.exportAlias = map[endpoint]uint32{}
	for i := range e.p.Instances {
		if err := e.writeInstance(&e.p.Instances[i]); err != nil {
			return err
		}
	}
	return e.writeExports()
}

// writeImport writes the type of gr (and the aliases it needs), then the
// import itself.
func (e *encoder) writeImport(gr *importGroup) error {
	switch gr.typ.(type) {
	case *component.InstanceType, *component.Func, *component.TypeBound, *component.ComponentType:
	default:
		return fmt.Errorf("import %s: importing a %s is not supported", gr.plan.Name, component.KindName(gr.typ))
	}
	et, err := e.types.EncodeExtern(gr.typ)
	if err != nil {
		return fmt.Errorf("import %s: %w", gr.plan.Name, err)
	}
	e.flushPending()
	e.out.section(component.SectionImport, func(w *component.Writer) {
		w.U32(1)
		w.Import(component.Import{Name: component.ExternName{Name: gr.plan.Name}, Type: et})
	})
	s, _ := sortOf(gr.typ)
	gr.index = e.bump(s)
	e.types.BindExtern(gr.typ, gr.index)
	if s == component.SortType {
		// Every member's name for the type is this import.
		for _, u := range gr.plan.Members {
			e.types.BindExtern(u.Type, gr.index)
		}
	}
	if s == component.SortInstance {
		for _, it := range gr.its {
			e.types.BindInstance(it, gr.index)
		}
		e.names = append(e.names, indexName{gr.index, gr.plan.Name})
	}
	return nil
}

// writeComponents embeds each member's bytes, unchanged.
func (e *encoder) writeComponents() {
	e.flushPending()
	e.componentIndex = map[graph.ComponentID]uint32{}
	for _, c := range e.p.Components {
		e.out.splice(component.SectionComponent, c.Data)
		e.componentIndex[c.ID] = e.bump(component.SortComponent)
	}
}

// sortOf returns the sort of the item an import or export of type x is.
func sortOf(x component.Extern) (component.Sort, error) {
	switch x.(type) {
	case *component.InstanceType:
		return component.SortInstance, nil
	case *component.Func:
		return component.SortFunc, nil
	case *component.TypeBound:
		return component.SortType, nil
	case *component.ComponentType:
		return component.SortComponent, nil
	case *component.ValueBound:
		return component.SortValue, nil
	}
	return 0, fmt.Errorf("cannot pass a %s between components", component.KindName(x))
}

// writeInstance instantiates a member; the plan puts its providers
// before it.
func (e *encoder) writeInstance(in *graph.PlannedInstance) error {
	args := make([]component.InstantiateArg, 0, len(in.Args))
	for _, a := range in.Args {
		s, err := sortOf(a.Type)
		if err != nil {
			return fmt.Errorf("instance %s: import %q: %w", in.Name, a.Import, err)
		}
		var idx uint32
		if a.Kind == graph.ArgImport {
			idx = e.groupOf[a.Group].index
		} else if idx, err = e.aliasExport(endpoint{a.Provider, a.Export}); err != nil {
			return fmt.Errorf("instance %s: import %q: %w", in.Name, a.Import, err)
		}
		args = append(args, component.InstantiateArg{Name: a.Import, Item: component.SortIndex{Sort: s, Index: idx}})
	}
	e.flushPending()
	e.out.section(component.SectionInstance, func(w *component.Writer) {
		w.U32(1)
		w.Instance(component.Instance{Component: e.componentIndex[in.Component], Args: args})
	})
	idx := e.bump(component.SortInstance)
	e.instanceIndex[in.ID] = idx
	e.names = append(e.names, indexName{idx, in.Name})
	return nil
}

// aliasExport returns the index of `alias export` of the member export at,
// writing the alias (after the member's instance) on first use.
func (e *encoder) aliasExport(at endpoint) (uint32, error) {
	if idx, ok := e.exportAlias[at]; ok {
		return idx, nil
	}
	inst, ok := e.instanceIndex[at.instance]
	if !ok {
		return 0, fmt.Errorf("%s is instantiated later (plan out of order)", e.p.InstanceName(at.instance))
	}
	ex := e.providerExport(at.instance, at.export)
	if ex == nil {
		return 0, fmt.Errorf("%s has no export %q", e.p.InstanceName(at.instance), at.export)
	}
	s, err := sortOf(ex.Type)
	if err != nil {
		return 0, fmt.Errorf("export %q of %s: %w", at.export, e.p.InstanceName(at.instance), err)
	}
	idx := e.addAlias(component.Alias{Sort: s, Kind: component.AliasInstanceExport, Instance: inst, Name: at.export})
	e.exportAlias[at] = idx
	return idx, nil
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
	exports := make([]component.Export, 0, len(e.p.Exports))
	for _, ex := range e.p.Exports {
		s, err := sortOf(ex.Type)
		if err != nil {
			return fmt.Errorf("export %q: %w", ex.Name, err)
		}
		idx, err := e.aliasExport(endpoint{ex.Instance, ex.Name})
		if err != nil {
			return fmt.Errorf("export %q: %w", ex.Name, err)
		}
		exports = append(exports, component.Export{Name: component.ExternName{Name: ex.Name}, Item: component.SortIndex{Sort: s, Index: idx}})
	}
	e.flushPending()
	e.out.section(component.SectionExport, func(w *component.Writer) {
		w.Len32(len(exports))
		for _, ex := range exports {
			w.Export(ex)
		}
	})
	return nil
}

func (e *encoder) writeCustom(opts EncodeOptions) {
	var comps []indexName
	for i, c := range e.p.Components {
		comps = append(comps, indexName{uint32(i), c.Name})
	}
	insts := append([]indexName(nil), e.names...)
	sort.SliceStable(insts, func(i, j int) bool { return insts[i].index < insts[j].index })
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	e.out.section(component.SectionCustom, func(w *component.Writer) {
		nameSection(w, opts.Name, []sortNames{
			{sort: component.SortComponent, names: comps},
			{sort: component.SortInstance, names: insts},
		})
	})
	e.out.section(component.SectionCustom, func(w *component.Writer) { producersSection(w, "wcomp", version) })
}

// AddType implements component.TypeSink: a top-level type definition the
// type encoder needs, written before the import being encoded.
func (e *encoder) AddType(def component.TypeDef) uint32 {
	e.pending = append(e.pending, component.Section{ID: component.SectionType, Types: []component.TypeDef{def}})
	return e.bump(component.SortType)
}

// AddAlias implements component.TypeSink.
func (e *encoder) AddAlias(a component.Alias) uint32 { return e.addAlias(a) }

// addAlias queues a top-level alias and returns its index in its sort.
func (e *encoder) addAlias(a component.Alias) uint32 {
	e.pending = append(e.pending, component.Section{ID: component.SectionAlias, Aliases: []component.Alias{a}})
	return e.bump(a.Sort)
}

// flushPending writes the queued definitions and aliases, in order, runs
// of one kind as one section.
func (e *encoder) flushPending() {
	for i := 0; i < len(e.pending); {
		j := i + 1
		for j < len(e.pending) && e.pending[j].ID == e.pending[i].ID {
			j++
		}
		run := e.pending[i:j]
		e.out.section(run[0].ID, func(w *component.Writer) {
			w.Len32(len(run))
			for _, s := range run {
				if s.ID == component.SectionAlias {
					w.Alias(s.Aliases[0])
				} else {
					w.TypeDef(&s.Types[0])
				}
			}
		})
		i = j
	}
	e.pending = e.pending[:0]
}

// bump adds one item to the index space of sort s and returns its index.
func (e *encoder) bump(s component.Sort) uint32 {
	var n *uint32
	switch s {
	case component.SortInstance:
		n = &e.ninstances
	case component.SortFunc:
		n = &e.nfuncs
	case component.SortType:
		n = &e.ntypes
	case component.SortComponent:
		n = &e.ncomponents
	case component.SortValue:
		n = &e.nvalues
	default:
		// compose writes no core items at the top level.
		panic(fmt.Sprintf("compose: bump of sort %d", s))
	}
	*n++
	return *n - 1
}
