package policy

import "github.com/wcomp/wcomp/component"

// builder writes a component item by item, keeping count of its index
// spaces. It is the TypeSink of its type encoder: definitions and aliases
// the encoder needs are queued and written just before the item that
// uses them.
type builder struct {
	enc     component.Encoder
	types   *component.TypeEncoder
	pending []component.Section

	ntypes, nfuncs, ninstances, ncomponents uint32
	ncoreFuncs, ncoreMems                   uint32
}

func newBuilder() *builder {
	b := &builder{}
	b.types = component.NewTypeEncoder(b)
	return b
}

// AddType implements component.TypeSink.
func (b *builder) AddType(def component.TypeDef) uint32 {
	b.pending = append(b.pending, component.Section{ID: component.SectionType, Types: []component.TypeDef{def}})
	b.ntypes++
	return b.ntypes - 1
}

// AddAlias implements component.TypeSink.
func (b *builder) AddAlias(a component.Alias) uint32 {
	b.pending = append(b.pending, component.Section{ID: component.SectionAlias, Aliases: []component.Alias{a}})
	return b.bump(a.Sort)
}

func (b *builder) bump(s component.Sort) uint32 {
	var n *uint32
	switch s {
	case component.SortType:
		n = &b.ntypes
	case component.SortFunc:
		n = &b.nfuncs
	case component.SortInstance:
		n = &b.ninstances
	case component.SortComponent:
		n = &b.ncomponents
	case component.SortCoreFunc:
		n = &b.ncoreFuncs
	case component.SortCoreMemory:
		n = &b.ncoreMems
	default:
		return 0
	}
	*n++
	return *n - 1
}

// addType writes a type definition now and returns its index.
func (b *builder) addType(def component.TypeDef) uint32 {
	idx := b.AddType(def)
	b.flush()
	return idx
}

// flush writes the queued definitions and aliases, in order.
func (b *builder) flush() {
	for _, s := range b.pending {
		if s.ID == component.SectionAlias {
			b.enc.Aliases(s.Aliases)
		} else {
			b.enc.Types(s.Types)
		}
	}
	b.pending = b.pending[:0]
}

func externSort(et component.ExternType) component.Sort {
	switch et.Kind {
	case component.ExternFunc:
		return component.SortFunc
	case component.ExternInstance:
		return component.SortInstance
	case component.ExternComponent:
		return component.SortComponent
	case component.ExternTypeKind:
		return component.SortType
	}
	return component.SortValue
}

// importItem writes an import and returns its index in its sort.
func (b *builder) importItem(name string, et component.ExternType) uint32 {
	b.flush()
	b.enc.Imports([]component.Import{{Name: component.ExternName{Name: name}, Type: et}})
	return b.bump(externSort(et))
}

// export writes an export and returns the new index it adds.
func (b *builder) export(name string, item component.SortIndex) uint32 {
	b.flush()
	b.enc.Exports([]component.Export{{Name: component.ExternName{Name: name}, Item: item}})
	return b.bump(item.Sort)
}

// exportTyped writes an export ascribed the type et.
func (b *builder) exportTyped(name string, item component.SortIndex, et component.ExternType) uint32 {
	b.flush()
	b.enc.Exports([]component.Export{{Name: component.ExternName{Name: name}, Item: item, Type: &et}})
	return b.bump(item.Sort)
}

// coreAlias aliases an export of core instance 0.
func (b *builder) coreAlias(sort component.Sort, name string) uint32 {
	b.flush()
	b.enc.Aliases([]component.Alias{{Sort: sort, Kind: component.AliasCoreInstanceExport, Instance: 0, Name: name}})
	return b.bump(sort)
}

// lift writes `canon lift` and returns the component function's index.
func (b *builder) lift(coreFunc, funcType uint32, opts []component.CanonOption) uint32 {
	b.flush()
	b.enc.Canons([]component.Canon{{Op: component.CanonLift, Func: coreFunc, Type: funcType, Options: opts}})
	return b.bump(component.SortFunc)
}

// instantiate nests a component and instantiates it with args.
func (b *builder) instantiate(nested []byte, args []component.InstantiateArg) uint32 {
	b.flush()
	b.enc.Component(nested)
	comp := b.bump(component.SortComponent)
	b.enc.Instances([]component.Instance{{Component: comp, Args: args}})
	return b.bump(component.SortInstance)
}
