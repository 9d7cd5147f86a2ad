package compose

import (
	"fmt"
	"sort"

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
//  1. the imports, in the plan's order (each after the imports whose types
//     it uses), each a type definition and the import, types used across
//     interfaces reached through aliases of the earlier imports, so a
//     resource stays one resource;
//  2. every member's bytes, unchanged, as a nested component section;
//  3. the instances, in dependency order, each preceded by the aliases of
//     the earlier instances' exports it is given;
//  4. the exports, through aliases;
//  5. a name section and a producers section.
//
// Encode only reads the plan: every decision (what plugs what, what stays
// an import, which exports) was made by graph.Resolve. The same plan
// always gives the same bytes, and no map is iterated to produce them.
// Before returning, the output is read back and checked (selfCheck): an
// output that does not check is a *BugError, never bytes.
func Encode(p *graph.Plan, opts EncodeOptions) (*Result, error) {
	e := newEncoder(p)
	chunks, size, err := e.encode(opts)
	if err != nil {
		return nil, err
	}
	if err := e.selfCheck(chunks); err != nil {
		return nil, err
	}
	r := summarize(p)
	r.chunks, r.size = chunks, size
	return r, nil
}

func newEncoder(p *graph.Plan) *encoder {
	e := &encoder{p: p, imports: p.Imports(), instances: p.Instances()}
	e.types = component.NewTypeEncoder(e)
	return e
}

// encode writes the output (see Encode for the layout) and returns it as
// chunks, the members' bytes among them uncopied.
func (e *encoder) encode(opts EncodeOptions) ([][]byte, int, error) {
	e.out.w.Raw(component.Preamble[:])
	for i := range e.imports {
		if err := e.writeImport(&e.imports[i]); err != nil {
			return nil, 0, err
		}
	}
	if err := e.writeComponents(); err != nil {
		return nil, 0, err
	}
	for i := range e.instances {
		if err := e.writeInstance(&e.instances[i]); err != nil {
			return nil, 0, err
		}
	}
	if err := e.writeExports(); err != nil {
		return nil, 0, err
	}
	e.writeCustom(opts)
	return e.out.finish()
}

type encoder struct {
	p         *graph.Plan
	imports   []graph.PlannedImport
	instances []graph.PlannedInstance
	types     *component.TypeEncoder
	out       output

	// pending are top-level type definitions and aliases not yet written:
	// the type encoder adds them while a type is being encoded, and they
	// are written, in order, just before the item that needs them.
	pending []component.Section
	// Sizes of the index spaces written so far (pending items included).
	ntypes, ninstances, ncomponents, nfuncs, nvalues, nmodules uint32

	importIndex    map[graph.ImportID]uint32 // in the import's sort
	componentIndex map[graph.ComponentID]uint32
	instanceIndex  map[graph.InstanceID]uint32
	// aliases holds the index of `alias export` of an instance's (or an
	// imported instance's) export, written once however many use it.
	aliases map[graph.Source]uint32
	// names of the items the name section lists, by sort.
	instanceNames, componentNames, moduleNames []indexName
	// rewritten are the members written with outer aliases to shared items.
	rewritten []rewrittenMember
}

// writeImport writes the type of im (and the aliases it needs), then the
// import itself, and makes what it declares available to later types.
func (e *encoder) writeImport(im *graph.PlannedImport) error {
	s, err := sortOf(im.Type)
	if err != nil {
		return fmt.Errorf("import %s: %w", im.Name, err)
	}
	et, err := e.types.EncodeExtern(im.Type)
	if err != nil {
		return fmt.Errorf("import %s: %w", im.Name, err)
	}
	e.flushPending()
	e.out.section(component.SectionImport, func(w *component.Writer) {
		w.U32(1)
		w.Import(component.Import{Name: component.ExternName{Name: im.Name}, Type: et})
	})
	idx := e.bump(s)
	if e.importIndex == nil {
		e.importIndex = map[graph.ImportID]uint32{}
	}
	e.importIndex[im.ID] = idx
	e.types.BindExtern(im.Type, idx)
	// Every member's name for the import's types is this import.
	for _, u := range im.Members {
		switch t := u.Type.(type) {
		case *component.InstanceType:
			e.types.BindInstance(t, idx)
		case *component.TypeBound:
			e.types.BindExtern(t, idx)
		}
	}
	switch s {
	case component.SortInstance:
		e.instanceNames = append(e.instanceNames, indexName{idx, im.Name})
	case component.SortComponent:
		e.componentNames = append(e.componentNames, indexName{idx, im.Name})
	}
	return nil
}

// writeComponents writes the shared items (Plan.Shared), then embeds each
// member: its bytes unchanged, or, where a shared item stood, rewritten
// with an outer alias to it in that place (component.ReplaceNested), so
// the member's index spaces stay as they were and no code is re-encoded.
// A shared item is written before every component that aliases it, as
// outer aliases may only name what precedes the enclosing component.
func (e *encoder) writeComponents() error {
	e.flushPending()
	e.componentIndex = map[graph.ComponentID]uint32{}
	shared := e.p.Shared()
	outer := make([]uint32, len(shared))
	for i, it := range shared {
		parts, err := e.replaced(it.Data, it.Shares, shared, outer)
		if err != nil {
			return &BugError{Item: fmt.Sprintf("shared %s %x", sortName(it.Sort), it.Digest[:6]), Err: err}
		}
		name := fmt.Sprintf("shared-%x", it.Digest[:6])
		switch it.Sort {
		case component.SortCoreModule:
			e.out.splice(component.SectionCoreModule, it.Data)
			outer[i] = e.bump(component.SortCoreModule)
			e.moduleNames = append(e.moduleNames, indexName{outer[i], name})
		default:
			e.out.spliceParts(component.SectionComponent, parts)
			outer[i] = e.bump(component.SortComponent)
			e.componentNames = append(e.componentNames, indexName{outer[i], name})
			if len(it.Shares) > 0 {
				e.rewritten = append(e.rewritten, rewrittenMember{parts: parts})
			}
		}
	}
	for _, c := range e.p.Components() {
		parts, err := e.replaced(c.Data, c.Shares, shared, outer)
		if err != nil {
			// The plan's places came from these very bytes.
			return &BugError{Item: "member " + c.Name, Err: err}
		}
		if len(c.Shares) > 0 {
			e.rewritten = append(e.rewritten, rewrittenMember{parts: parts, typ: c.Type})
		}
		e.out.spliceParts(component.SectionComponent, parts)
		idx := e.bump(component.SortComponent)
		e.componentIndex[c.ID] = idx
		e.componentNames = append(e.componentNames, indexName{idx, c.Name})
	}
	return nil
}

// replaced returns data, as parts, with the shared items refs name
// replaced by outer aliases to where they were written (outer, by index
// in shared); data itself as the one part when refs is empty. No part is
// a copy.
func (e *encoder) replaced(data []byte, refs []graph.ShareRef, shared []graph.SharedItem, outer []uint32) ([][]byte, error) {
	if len(refs) == 0 {
		return [][]byte{data}, nil
	}
	aliases := make([]component.OuterRef, len(refs))
	for i, r := range refs {
		aliases[i] = component.OuterRef{Section: r.Section, Sort: shared[r.Item].Sort, Count: r.Depth, Index: outer[r.Item]}
	}
	return component.ReplaceNested(data, aliases)
}

// rewrittenMember is a member (or shared component) written with outer
// aliases, as parts, and a member's type (resolved from its original
// bytes), for selfCheck.
type rewrittenMember struct {
	parts [][]byte
	typ   *component.ComponentType
}

func sortName(s component.Sort) string {
	if s == component.SortCoreModule {
		return "core module"
	}
	return "component"
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

// writeInstance instantiates a member; the plan puts the instances its
// arguments come from before it.
func (e *encoder) writeInstance(in *graph.PlannedInstance) error {
	if e.instanceIndex == nil {
		e.instanceIndex = map[graph.InstanceID]uint32{}
	}
	args := make([]component.InstantiateArg, 0, len(in.Args))
	for _, a := range in.Args {
		s, err := sortOf(a.Type)
		if err != nil {
			return fmt.Errorf("instance %s: import %q: %w", in.Name, a.Import, err)
		}
		idx, err := e.source(a.From)
		if err != nil {
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
	e.instanceNames = append(e.instanceNames, indexName{idx, in.Name})
	return nil
}

// source returns the index, in its sort, of what a source names, writing
// an alias for an export on first use.
func (e *encoder) source(from graph.Source) (uint32, error) {
	switch from.Kind {
	case graph.SourceInstance:
		idx, ok := e.instanceIndex[from.Instance]
		if !ok {
			return 0, fmt.Errorf("%s is instantiated later (plan out of order)", e.p.InstanceName(from.Instance))
		}
		return idx, nil
	case graph.SourceImport:
		idx, ok := e.importIndex[from.Import]
		if !ok {
			return 0, fmt.Errorf("import %d is not written (plan out of order)", from.Import)
		}
		return idx, nil
	case graph.SourceExport, graph.SourceImportExport:
		return e.aliasExport(from)
	}
	return 0, fmt.Errorf("no source (kind %d)", from.Kind)
}

// aliasExport returns the index of `alias export` of the export from
// names, writing the alias on first use.
func (e *encoder) aliasExport(from graph.Source) (uint32, error) {
	if e.aliases == nil {
		e.aliases = map[graph.Source]uint32{}
	}
	if idx, ok := e.aliases[from]; ok {
		return idx, nil
	}
	var inst uint32
	var typ component.Extern
	if from.Kind == graph.SourceExport {
		var ok bool
		if inst, ok = e.instanceIndex[from.Instance]; !ok {
			return 0, fmt.Errorf("%s is instantiated later (plan out of order)", e.p.InstanceName(from.Instance))
		}
		if ex := e.instanceType(from.Instance).Export(from.Export); ex != nil {
			typ = ex.Type
		}
	} else {
		var ok bool
		if inst, ok = e.importIndex[from.Import]; !ok {
			return 0, fmt.Errorf("import %d is not written (plan out of order)", from.Import)
		}
		if im, ok := e.p.Import(from.Import); ok {
			if it, ok := im.Type.(*component.InstanceType); ok {
				if ex := it.Export(from.Export); ex != nil {
					typ = ex.Type
				}
			}
		}
	}
	if typ == nil {
		return 0, fmt.Errorf("%s: no such export", e.p.DescribeSource(from))
	}
	s, err := sortOf(typ)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", e.p.DescribeSource(from), err)
	}
	idx := e.addAlias(component.Alias{Sort: s, Kind: component.AliasInstanceExport, Instance: inst, Name: from.Export})
	e.aliases[from] = idx
	return idx, nil
}

// instanceType returns the type of a planned instance.
func (e *encoder) instanceType(id graph.InstanceID) *component.ComponentType {
	for i := range e.instances {
		if e.instances[i].ID == id {
			return e.instances[i].Type
		}
	}
	return &component.ComponentType{}
}

// writeExports writes the result's exports. An export adds an item to
// its sort's index space, so a type the composition defines is bound to
// its export's index: a later type that uses it names the export, as the
// component model requires of exported types.
func (e *encoder) writeExports() error {
	var batch []component.Export
	writeBatch := func() {
		if len(batch) == 0 {
			return
		}
		list := batch
		e.out.section(component.SectionExport, func(w *component.Writer) {
			w.Len32(len(list))
			for _, ex := range list {
				w.Export(ex)
			}
		})
		batch = nil
	}
	for _, ex := range e.p.Exports() {
		var item component.SortIndex
		if ex.Defined != nil {
			idx, err := e.types.EncodeType(ex.Defined)
			if err != nil {
				return fmt.Errorf("export %s: %w", ex.Name, err)
			}
			item = component.SortIndex{Sort: component.SortType, Index: idx}
		} else {
			s, err := sortOf(ex.Type)
			if err != nil {
				return fmt.Errorf("export %s: %w", ex.Name, err)
			}
			idx, err := e.source(ex.From)
			if err != nil {
				return fmt.Errorf("export %s: %w", ex.Name, err)
			}
			item = component.SortIndex{Sort: s, Index: idx}
		}
		if len(e.pending) > 0 {
			writeBatch()
			e.flushPending()
		}
		batch = append(batch, component.Export{Name: component.ExternName{Name: ex.Name}, Item: item})
		idx := e.bump(item.Sort)
		if ex.Defined != nil {
			e.types.Bind(ex.Defined, idx)
		}
	}
	writeBatch()
	return nil
}

func (e *encoder) writeCustom(opts EncodeOptions) {
	comps := append([]indexName(nil), e.componentNames...)
	insts := append([]indexName(nil), e.instanceNames...)
	sort.SliceStable(comps, func(i, j int) bool { return comps[i].index < comps[j].index })
	sort.SliceStable(insts, func(i, j int) bool { return insts[i].index < insts[j].index })
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	e.out.section(component.SectionCustom, func(w *component.Writer) {
		nameSection(w, opts.Name, []sortNames{
			{sort: component.SortCoreModule, names: e.moduleNames},
			{sort: component.SortComponent, names: comps},
			{sort: component.SortInstance, names: insts},
		})
	})
	e.out.section(component.SectionCustom, func(w *component.Writer) { producersSection(w, "wcomp", version) })
}

// AddType implements component.TypeSink: a top-level type definition the
// type encoder needs, written before the item being encoded.
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
	case component.SortCoreModule:
		n = &e.nmodules
	default:
		// compose writes no other core items at the top level.
		panic(fmt.Sprintf("compose: bump of sort %d", s))
	}
	*n++
	return *n - 1
}
