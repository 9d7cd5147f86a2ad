package component

import (
	"encoding/json"
	"fmt"
)

// The type encoder turns resolved types (types.go) back into type
// definitions (ast.go) in the type index space of a component being built.
//
// Design:
//   - Indices are fresh: nothing of the index layout of the component the
//     types came from is reused. The encoder appends definitions to a
//     TypeSink (the component under construction), which hands back each new
//     type index. Inside instance and component types it writes declarators.
//   - Value and function types are deduplicated per scope (the same
//     definition is written once and its index reused); instance and
//     component types are written once per use. Output is deterministic: it depends only on the order
//     of calls and of items, never on map iteration.
//   - Names survive: a *Named exported by an instance type is written as its
//     definition followed by (export "name" (type (eq i))), and later uses
//     refer to the exported index, so a WIT printer reading the output sees
//     the same names.
//   - Resources keep their identity. A resource is written where it is
//     introduced as (export "r" (type (sub resource))); every later use in
//     the same scope refers to that index. A resource (or named type) that
//     belongs to something already in scope is reached, never redeclared:
//       - at the top level, the caller says where it is: Bind(t, index) for a
//         type the component already has, BindInstance(it, index) for an
//         imported instance whose type exports should be aliased on demand
//         ((alias export i "name" (type)), written to the sink when first
//         needed), or BindExtern right after writing an import;
//       - inside a component type, the instances it imports or exports are
//         bound the same way, with alias declarators;
//       - from a nested type, an outer binding is reached with
//         (alias outer n k (type)), and a WIT `use` becomes, inside the
//         using instance type, (alias outer 1 k (type)) followed by
//         (export "error" (type (eq j))): the same resource under the
//         using interface's name, as wasi:io/streams needs for wasi:io/error.
//   - A type bound holding a bare *Resource is written as (sub resource):
//     that is how Resolve models the declaration that introduces a resource.
//     A *Named resource whose resource is in no scope (a resource a
//     component defines, seen from outside) is introduced the same way. A
//     value type in no scope is written structurally (value types are
//     structural, so this keeps the meaning).

// TypeSink is where a TypeEncoder writes top-level definitions: the
// component being built. Each call appends one item to the component's type
// index space and returns its index.
type TypeSink interface {
	// AddType appends a type definition (a type section entry).
	AddType(def TypeDef) uint32
	// AddAlias appends an alias of sort type (an alias section entry).
	AddAlias(a Alias) uint32
}

// TypeEncoder writes resolved types into a component's type index space.
// It is not safe for concurrent use.
type TypeEncoder struct {
	sink TypeSink
	top  *encScope
}

// NewTypeEncoder returns an encoder that appends to sink.
func NewTypeEncoder(sink TypeSink) *TypeEncoder {
	return &TypeEncoder{sink: sink, top: newEncScope(nil, false)}
}

// encScope is one type index space: the component being built (depth 0,
// parent nil) or a component or instance type being written.
type encScope struct {
	parent      *encScope
	depth       uint32
	isComponent bool
	decls       []Decl
	types       uint32 // next local type index (nested scopes only)
	instances   uint32 // next local instance index (nested scopes only)
	// bound: a *Named or *Resource available at a local type index.
	bound map[Type]uint32
	// lazy: a *Named or *Resource exported by a local instance, aliased
	// into bound on first use.
	lazy map[Type]lazyAlias
	// dedup: a definition's canonical text to its local index.
	dedup map[string]uint32
}

type lazyAlias struct {
	instance uint32
	name     string
}

func newEncScope(parent *encScope, isComponent bool) *encScope {
	s := &encScope{parent: parent, isComponent: isComponent,
		bound: map[Type]uint32{}, lazy: map[Type]lazyAlias{}, dedup: map[string]uint32{}}
	if parent != nil {
		s.depth = parent.depth + 1
	}
	return s
}

// Bind says that t (a *Resource, or a *Named) is available in the component
// being built at type index typeIndex. Uses of t, and of any *Named that
// wraps it, refer to that index from then on.
func (e *TypeEncoder) Bind(t Type, typeIndex uint32) {
	e.top.bound[t] = typeIndex
}

// BindInstance says that an instance of type it is available in the
// component being built at instance index instanceIndex. The resources and
// named types it exports are aliased from it ((alias export ...)) when
// first needed, so an instance type encoded later that uses them refers to
// the same types.
func (e *TypeEncoder) BindInstance(it *InstanceType, instanceIndex uint32) {
	e.top.offerExports(it, instanceIndex)
}

// BindExtern records what an import or export just written with the
// extern type from EncodeExtern makes available at index (its type index
// for a type bound, its instance index for an instance).
func (e *TypeEncoder) BindExtern(x Extern, index uint32) {
	e.top.bindExtern(x, index)
}

// EncodeInstanceType writes it and returns its type index.
func (e *TypeEncoder) EncodeInstanceType(it *InstanceType) (uint32, error) {
	return e.instanceType(e.top, it)
}

// EncodeComponentType writes ct and returns its type index.
func (e *TypeEncoder) EncodeComponentType(ct *ComponentType) (uint32, error) {
	return e.componentType(e.top, ct)
}

// EncodeFunc writes f and returns its type index.
func (e *TypeEncoder) EncodeFunc(f *Func) (uint32, error) {
	return e.funcType(e.top, f)
}

// EncodeType writes t, a value, function, instance or component type (or a
// *Named of one), and returns its type index: what a type export of the
// component being built refers to. A name already in scope is reused.
func (e *TypeEncoder) EncodeType(t Type) (uint32, error) {
	switch x := t.(type) {
	case *Func:
		return e.funcType(e.top, x)
	case *InstanceType:
		return e.instanceType(e.top, x)
	case *ComponentType:
		return e.componentType(e.top, x)
	case *Named:
		if i, ok := e.lookup(e.top, x); ok {
			return i, nil
		}
		return e.EncodeType(x.Type)
	case *Resource:
		return 0, fmt.Errorf("resource `%s`: a resource can only be imported or defined by a component", x.Name)
	case ValType:
		return e.valTypeIndex(e.top, x)
	}
	return 0, fmt.Errorf("cannot encode type %T", t)
}

// EncodeExtern writes what the type of an import or export needs and
// returns the extern type to write with it. For a type bound, a resource
// already in scope gives (eq i) and one that is not gives (sub resource).
// Call BindExtern with the new index after writing the import or export.
func (e *TypeEncoder) EncodeExtern(x Extern) (ExternType, error) {
	return e.externType(e.top, x)
}

// addType appends a definition to s and returns its index.
func (e *TypeEncoder) addType(s *encScope, def TypeDef) uint32 {
	if s.parent == nil {
		return e.sink.AddType(def)
	}
	s.decls = append(s.decls, Decl{Kind: DeclType, Type: &def})
	s.types++
	return s.types - 1
}

// addAlias appends a type alias to s and returns its index.
func (e *TypeEncoder) addAlias(s *encScope, a Alias) uint32 {
	if s.parent == nil {
		return e.sink.AddAlias(a)
	}
	s.decls = append(s.decls, Decl{Kind: DeclAlias, Alias: &a})
	s.types++
	return s.types - 1
}

// define appends def to s unless an identical definition is there already.
func (e *TypeEncoder) define(s *encScope, def TypeDef) (uint32, error) {
	key, err := json.Marshal(def)
	if err != nil {
		return 0, fmt.Errorf("type definition key: %w", err)
	}
	if i, ok := s.dedup[string(key)]; ok {
		return i, nil
	}
	i := e.addType(s, def)
	s.dedup[string(key)] = i
	return i, nil
}

// lookup finds t, or something t is a name for, in s or an enclosing scope
// and returns its index in s, writing the aliases needed to reach it.
// Inner scopes are searched first, and in each scope the most specific name
// first.
func (e *TypeEncoder) lookup(s *encScope, t Type) (uint32, bool) {
	chain := []Type{}
	for x := t; x != nil; {
		chain = append(chain, x)
		n, ok := x.(*Named)
		if !ok {
			break
		}
		x = n.Type
	}
	for sc := s; sc != nil; sc = sc.parent {
		for _, k := range chain {
			if i, ok := sc.bound[k]; ok {
				return e.reach(s, sc, k, i), true
			}
			if la, ok := sc.lazy[k]; ok {
				i := e.addAlias(sc, Alias{Sort: SortType, Kind: AliasInstanceExport, Instance: la.instance, Name: la.name})
				sc.bound[k] = i
				return e.reach(s, sc, k, i), true
			}
		}
	}
	return 0, false
}

// reach returns an index in s for index i of the enclosing scope sc.
func (e *TypeEncoder) reach(s, sc *encScope, k Type, i uint32) uint32 {
	if s == sc {
		return i
	}
	j := e.addAlias(s, Alias{Sort: SortType, Kind: AliasOuter, Count: s.depth - sc.depth, Index: i})
	s.bound[k] = j
	return j
}

// offerExports makes the type exports of an instance at instance index
// inst available in s, aliased on first use. A type already available
// keeps its first binding.
func (s *encScope) offerExports(it *InstanceType, inst uint32) {
	for _, x := range it.Exports {
		tb, ok := x.Type.(*TypeBound)
		if !ok {
			continue
		}
		keys := []Type{tb.Type}
		if r := ResourceOf(tb.Type); r != nil && r != tb.Type {
			keys = append(keys, r)
		}
		for _, k := range keys {
			if _, ok := s.bound[k]; ok {
				continue
			}
			if _, ok := s.lazy[k]; ok {
				continue
			}
			s.lazy[k] = lazyAlias{instance: inst, name: x.Name}
		}
	}
}

// bindExtern records what an import or export of type x makes available at
// index in s.
func (s *encScope) bindExtern(x Extern, index uint32) {
	switch t := x.(type) {
	case *TypeBound:
		s.bound[t.Type] = index
		if r := ResourceOf(t.Type); r != nil {
			if _, ok := s.bound[r]; !ok {
				s.bound[r] = index
			}
		}
	case *InstanceType:
		s.offerExports(t, index)
	}
}

// externType writes what x needs in s and returns its extern type.
func (e *TypeEncoder) externType(s *encScope, x Extern) (ExternType, error) {
	switch t := x.(type) {
	case *Func:
		i, err := e.funcType(s, t)
		return ExternType{Kind: ExternFunc, Index: i}, err
	case *InstanceType:
		i, err := e.instanceType(s, t)
		return ExternType{Kind: ExternInstance, Index: i}, err
	case *ComponentType:
		i, err := e.componentType(s, t)
		return ExternType{Kind: ExternComponent, Index: i}, err
	case *TypeBound:
		return e.typeBound(s, t)
	case *ValueBound:
		v, err := e.valType(s, t.Type)
		return ExternType{Kind: ExternValue, ValueType: &v}, err
	case *ModuleType:
		return ExternType{}, fmt.Errorf("core module types cannot be encoded from the resolved model (their core types are not kept)")
	}
	return ExternType{}, fmt.Errorf("cannot encode extern %T", x)
}

// typeBound gives the bound of a type import or export. What the bound
// names (for a *Named, what it wraps) is looked up in scope: found, it is an
// eq bound to it; not found, a resource is introduced with (sub resource)
// and a value type is written out.
func (e *TypeEncoder) typeBound(s *encScope, tb *TypeBound) (ExternType, error) {
	target := tb.Type
	if _, ok := target.(*Resource); ok {
		// A bare resource is how Resolve models (sub resource): the
		// declaration that introduces it. It is always written as one, so
		// an instance type used twice declares a fresh resource each time.
		return ExternType{Kind: ExternTypeKind, SubResource: true}, nil
	}
	if n, ok := target.(*Named); ok {
		target = n.Type
	}
	if target == nil {
		return ExternType{}, fmt.Errorf("type bound names nothing")
	}
	if i, ok := e.lookup(s, target); ok {
		return ExternType{Kind: ExternTypeKind, Index: i}, nil
	}
	switch u := Underlying(target).(type) {
	case *Resource:
		return ExternType{Kind: ExternTypeKind, SubResource: true}, nil
	case ValType:
		i, err := e.valTypeIndex(s, u)
		return ExternType{Kind: ExternTypeKind, Index: i}, err
	}
	return ExternType{}, fmt.Errorf("type bound names %T", target)
}

// items writes the imports or exports of a component or instance type.
func (e *TypeEncoder) items(s *encScope, kind DeclKind, items []Item) error {
	what := "export"
	if kind == DeclImport {
		what = "import"
	}
	for _, it := range items {
		et, err := e.externType(s, it.Type)
		if err != nil {
			return fmt.Errorf("%s `%s`: %w", what, it.Name, err)
		}
		name := it.Attr
		if name.Name == "" {
			name = ExternName{Name: it.Name}
		}
		s.decls = append(s.decls, Decl{Kind: kind, Name: name, Extern: et})
		switch it.Type.(type) {
		case *TypeBound:
			s.types++
			s.bindExtern(it.Type, s.types-1)
		case *InstanceType:
			s.instances++
			s.bindExtern(it.Type, s.instances-1)
		}
	}
	return nil
}

func (e *TypeEncoder) instanceType(s *encScope, it *InstanceType) (uint32, error) {
	c := newEncScope(s, false)
	if err := e.items(c, DeclExport, it.Exports); err != nil {
		return 0, err
	}
	// Instance and component types are not deduplicated: each item keeps a
	// definition of its own, so the names it exports stay its own when the
	// output is read back (as toolchains write them).
	return e.addType(s, TypeDef{Instance: &InstanceTypeDef{Decls: c.decls}}), nil
}

func (e *TypeEncoder) componentType(s *encScope, ct *ComponentType) (uint32, error) {
	c := newEncScope(s, true)
	if err := e.items(c, DeclImport, ct.Imports); err != nil {
		return 0, err
	}
	if err := e.items(c, DeclExport, ct.Exports); err != nil {
		return 0, err
	}
	return e.addType(s, TypeDef{Component: &ComponentTypeDef{Decls: c.decls}}), nil
}

func (e *TypeEncoder) funcType(s *encScope, f *Func) (uint32, error) {
	ft := &FuncType{Async: f.Async, Params: make([]LabeledType, len(f.Params))}
	for i, p := range f.Params {
		v, err := e.valType(s, p.Type)
		if err != nil {
			return 0, fmt.Errorf("param `%s`: %w", p.Name, err)
		}
		ft.Params[i] = LabeledType{Name: p.Name, Type: v}
	}
	if f.Result != nil {
		v, err := e.valType(s, f.Result)
		if err != nil {
			return 0, fmt.Errorf("result: %w", err)
		}
		ft.Result = &v
	}
	return e.define(s, TypeDef{Func: ft})
}

// valTypeIndex is valType for places that need a type index (an eq bound):
// a primitive gets a definition of its own.
func (e *TypeEncoder) valTypeIndex(s *encScope, t ValType) (uint32, error) {
	v, err := e.valType(s, t)
	if err != nil {
		return 0, err
	}
	if v.Prim == 0 {
		return v.Index, nil
	}
	return e.define(s, TypeDef{Value: &DefValType{Kind: DefPrim, Prim: v.Prim}})
}

func (e *TypeEncoder) optValType(s *encScope, t ValType) (*ValTypeRef, error) {
	if t == nil {
		return nil, nil
	}
	v, err := e.valType(s, t)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// valType returns a reference to t in s, writing what it needs.
func (e *TypeEncoder) valType(s *encScope, t ValType) (ValTypeRef, error) {
	if t == nil {
		return ValTypeRef{}, fmt.Errorf("missing value type")
	}
	if p, ok := t.(Prim); ok {
		return ValTypeRef{Prim: PrimType(p)}, nil
	}
	if n, ok := t.(*Named); ok {
		if i, ok := e.lookup(s, n); ok {
			return ValTypeRef{Index: i}, nil
		}
		inner, ok := n.Type.(ValType)
		if !ok {
			return ValTypeRef{}, fmt.Errorf("`%s` is not a value type", n.Name)
		}
		return e.valType(s, inner)
	}
	d := &DefValType{}
	var err error
	one := func(t ValType) *ValTypeRef {
		if err != nil {
			return nil
		}
		var r *ValTypeRef
		r, err = e.optValType(s, t)
		return r
	}
	switch x := t.(type) {
	case *Record:
		d.Kind = DefRecord
		for _, f := range x.Fields {
			r := one(f.Type)
			if err != nil {
				return ValTypeRef{}, fmt.Errorf("field `%s`: %w", f.Name, err)
			}
			d.Fields = append(d.Fields, LabeledType{Name: f.Name, Type: *r})
		}
	case *Variant:
		d.Kind = DefVariant
		for _, c := range x.Cases {
			r := one(c.Type)
			if err != nil {
				return ValTypeRef{}, fmt.Errorf("case `%s`: %w", c.Name, err)
			}
			d.Cases = append(d.Cases, VariantCase{Name: c.Name, Type: r})
		}
	case *List:
		d.Kind, d.Elem, d.Len = DefList, one(x.Elem), x.Len
		if x.Len > 0 {
			d.Kind = DefFixedList
		}
	case *Tuple:
		d.Kind = DefTuple
		for _, el := range x.Types {
			r := one(el)
			if err != nil {
				return ValTypeRef{}, err
			}
			d.Types = append(d.Types, *r)
		}
	case *Flags:
		d.Kind, d.Labels = DefFlags, x.Names
	case *Enum:
		d.Kind, d.Labels = DefEnum, x.Names
	case *Option:
		d.Kind, d.Elem = DefOption, one(x.Elem)
	case *Result:
		d.Kind, d.Ok, d.Err = DefResult, one(x.Ok), one(x.Err)
	case *Own:
		d.Kind = DefOwn
		d.Resource, err = e.resource(s, x.Resource)
	case *Borrow:
		d.Kind = DefBorrow
		d.Resource, err = e.resource(s, x.Resource)
	case *Stream:
		d.Kind, d.Elem = DefStream, one(x.Elem)
	case *Future:
		d.Kind, d.Elem = DefFuture, one(x.Elem)
	case *Map:
		d.Kind, d.Key, d.Elem = DefMap, one(x.Key), one(x.Value)
	default:
		return ValTypeRef{}, fmt.Errorf("cannot encode value type %T", t)
	}
	if err != nil {
		return ValTypeRef{}, err
	}
	i, err := e.define(s, TypeDef{Value: d})
	return ValTypeRef{Index: i}, err
}

// resource returns the index in s of the resource a handle refers to. A
// handle cannot introduce a resource: it must be in scope.
func (e *TypeEncoder) resource(s *encScope, t Type) (uint32, error) {
	if i, ok := e.lookup(s, t); ok {
		return i, nil
	}
	name := describeType(t)
	if r := ResourceOf(t); r == nil {
		return 0, fmt.Errorf("handle to `%s`, which is not a resource", name)
	}
	return 0, fmt.Errorf("resource `%s` is not in scope: import or export it first, or Bind it", name)
}
