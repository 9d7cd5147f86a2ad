package component

import (
	"fmt"
)

// How the syntax becomes types (Explainer.md, "Type Checking"):
//   - A type import or export with an eq bound, and a type export of a
//     component, give a *Named whose Owner is the instance type declaring it
//     (nil at a component's top level). (sub resource) gives a fresh
//     abstract *Resource, bare. A resource definition gives a fresh
//     concrete *Resource, named by its first export.
//   - Aliases add the very Type they point at, so identity is preserved:
//     `use` between interfaces appears as a *Named whose Type is the other
//     interface's *Named (or resource).
//   - An instance type used by a second import or export declaration gets
//     a copy with fresh abstract resources.
//   - Instantiation substitutes the arguments for the instantiated
//     component's type imports throughout its exports (resolve_subst.go);
//     the resources it defines itself are fresh per instantiation, and the
//     names its exports give become owned by the new instance type.

// ResolveError reports a component whose indices or sorts do not fit
// together: an index out of range, an item of the wrong sort, a missing
// instantiation argument. Where names the section item, e.g.
// `export "foo"`; Offset is the byte offset of the section in the
// component being resolved (for a nested component, Err holds the inner
// error and Offset is where the nested component starts).
type ResolveError struct {
	Offset int
	Where  string
	Msg    string
	Err    error
}

func (e *ResolveError) Error() string {
	if e.Err != nil {
		if e.Msg != "" {
			return e.Where + ": " + e.Msg + ": " + e.Err.Error()
		}
		return e.Where + ": " + e.Err.Error()
	}
	return e.Where + ": " + e.Msg
}

func (e *ResolveError) Unwrap() error { return e.Err }

// DecodeType decodes a component binary and resolves its type: the one call
// most tools need.
func DecodeType(data []byte) (*ComponentType, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, err
	}
	return Resolve(c)
}

// Check resolves c as Resolve does and, as a validator would, checks every
// instantiation of its own: each argument must be a subtype of the
// instantiated component's import, resources by identity. The nested
// components' own insides are resolved but not checked: a composer checks
// what it wrote. Function bodies are never read, so this costs little
// more than Resolve.
//
// known, if not nil, may return the type of a nested component already
// resolved from the same bytes (a composer's members), which is then used
// rather than resolved again.
func Check(c *Component, known func(n *Nested) *ComponentType) (*ComponentType, error) {
	r := &resolver{checkArgs: true, known: known, usedInstanceTypes: map[*InstanceType]bool{}}
	s := &scope{kind: scopeComponent, r: r}
	if err := s.component(c); err != nil {
		return nil, err
	}
	return &ComponentType{Imports: s.imports, Exports: s.exports}, nil
}

// Resolve builds every index space of c in section order and returns c's
// imports and exports with fully resolved types. Nested core modules are
// never parsed; a nested component is decoded and resolved only when an
// instantiation of it (or an export of it) needs its type, and then once.
func Resolve(c *Component) (*ComponentType, error) {
	r := &resolver{usedInstanceTypes: map[*InstanceType]bool{}}
	s := &scope{kind: scopeComponent, r: r}
	if err := s.component(c); err != nil {
		return nil, err
	}
	return &ComponentType{Imports: s.imports, Exports: s.exports}, nil
}

// ResolveEach is Resolve, and calls each with every nested component it
// resolved on the way, at any depth, and its type. A nested component
// that aliases items of the components around it (`alias outer`, as a
// composer that stores shared modules once writes) resolves only in
// place, so a tool that walks the members needs their types from here.
func ResolveEach(c *Component, each func(n *Nested, ct *ComponentType)) (*ComponentType, error) {
	r := &resolver{usedInstanceTypes: map[*InstanceType]bool{}, each: each}
	s := &scope{kind: scopeComponent, r: r}
	if err := s.component(c); err != nil {
		return nil, err
	}
	return &ComponentType{Imports: s.imports, Exports: s.exports}, nil
}

// resolver holds what is shared by all scopes of one Resolve call.
type resolver struct {
	// each, if set, is told every nested component resolved (ResolveEach).
	each func(n *Nested, ct *ComponentType)
	// checkArgs makes the outermost component's instantiations check each
	// argument against the instantiated component's import (CheckType).
	checkArgs bool
	// known gives nested components' types resolved before (Check).
	known func(n *Nested) *ComponentType
	// usedInstanceTypes records instance types already given to an import
	// or export declaration. A second use gets a copy with fresh abstract
	// resources: each (sub resource) declaration introduces a new type.
	usedInstanceTypes map[*InstanceType]bool
}

type scopeKind uint8

const (
	scopeComponent scopeKind = iota
	scopeComponentType
	scopeInstanceType
)

// scope is one component definition, component type or instance type, with
// its index spaces. Outer aliases walk the parent chain.
type scope struct {
	kind   scopeKind
	parent *scope
	r      *resolver
	// owner is the instance type being built, for instance-type scopes: it
	// becomes the Owner of the names its export declarations give.
	owner *InstanceType

	types      []Type
	coreTypes  []*ModuleType // nil for non-module core types
	funcs      []*Func
	values     []ValType
	instances  []*InstanceType
	components []*componentEntry
	// coreModules holds the type of imported modules; defined modules are
	// never parsed and have a nil entry.
	coreModules                                            []*ModuleType
	coreInstances                                          int
	coreFuncs, coreTables, coreMems, coreGlobals, coreTags int

	imports, exports []Item
}

// componentEntry is a component in a component index space. A nested
// component is decoded and resolved on first need.
type componentEntry struct {
	ct     *ComponentType
	nested *Nested
	parent *scope
	err    error
}

func (s *scope) componentType(e *componentEntry) (*ComponentType, error) {
	if e.ct != nil || e.err != nil {
		return e.ct, e.err
	}
	if s.r.known != nil {
		if ct := s.r.known(e.nested); ct != nil {
			e.ct = ct
			return ct, nil
		}
	}
	nc, err := Decode(e.nested.Data())
	if err == nil {
		ns := &scope{kind: scopeComponent, parent: e.parent, r: s.r}
		if err = ns.component(nc); err == nil {
			e.ct = &ComponentType{Imports: ns.imports, Exports: ns.exports}
			if s.r.each != nil {
				s.r.each(e.nested, e.ct)
			}
			return e.ct, nil
		}
	}
	e.err = &ResolveError{Offset: e.nested.Offset, Where: fmt.Sprintf("nested component at offset %d", e.nested.Offset), Err: err}
	return nil, e.err
}

// errAt makes a ResolveError for an item of the section at off.
func errAt(off int, where string, format string, args ...any) error {
	return &ResolveError{Offset: off, Where: where, Msg: fmt.Sprintf(format, args...)}
}

// indexErr is the message for an index past the end of its space.
func indexErr(what string, idx uint32, n int, plural string) string {
	return fmt.Sprintf("%s index %d out of range (%d %s)", what, idx, n, plural)
}

// component resolves the sections of a component definition.
func (s *scope) component(c *Component) error {
	for si := range c.Sections {
		sec := &c.Sections[si]
		var err error
		switch sec.ID {
		case SectionCustom:
		case SectionCoreModule:
			s.coreModules = append(s.coreModules, nil)
		case SectionCoreInstance:
			for i := range sec.CoreInstances {
				if err = s.coreInstance(&sec.CoreInstances[i]); err != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("core instance %d", s.coreInstances), err)
					break
				}
				s.coreInstances++
			}
		case SectionCoreType:
			for i := range sec.CoreTypes {
				s.coreTypes = append(s.coreTypes, coreModuleType(&sec.CoreTypes[i]))
			}
		case SectionComponent:
			s.components = append(s.components, &componentEntry{nested: sec.Component, parent: s})
		case SectionInstance:
			for i := range sec.Instances {
				n := len(s.instances)
				it, ierr := s.instance(&sec.Instances[i])
				if ierr != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("instance %d", n), ierr)
					break
				}
				s.instances = append(s.instances, it)
			}
		case SectionAlias:
			for i := range sec.Aliases {
				if aerr := s.alias(&sec.Aliases[i]); aerr != nil {
					err = wrapAt(sec.Offset, aliasWhere(&sec.Aliases[i]), aerr)
					break
				}
			}
		case SectionType:
			for i := range sec.Types {
				n := len(s.types)
				t, terr := s.defType(&sec.Types[i])
				if terr != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("type %d", n), terr)
					break
				}
				s.types = append(s.types, t)
			}
		case SectionCanon:
			for i := range sec.Canons {
				if cerr := s.canon(&sec.Canons[i]); cerr != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("canon %d", i), cerr)
					break
				}
			}
		case SectionStart:
			err = s.start(sec.Start)
			if err != nil {
				err = wrapAt(sec.Offset, "start", err)
			}
		case SectionImport:
			for i := range sec.Imports {
				imp := &sec.Imports[i]
				if ierr := s.declare(imp.Name, &imp.Type, true); ierr != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("import %q", imp.Name.Name), ierr)
					break
				}
			}
		case SectionExport:
			for i := range sec.Exports {
				ex := &sec.Exports[i]
				if eerr := s.export(ex); eerr != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("export %q", ex.Name.Name), eerr)
					break
				}
			}
		case SectionValue:
			for i := range sec.Values {
				v, verr := s.valType(sec.Values[i].Type)
				if verr != nil {
					err = wrapAt(sec.Offset, fmt.Sprintf("value %d", len(s.values)), verr)
					break
				}
				s.values = append(s.values, v)
			}
		default:
			err = errAt(sec.Offset, fmt.Sprintf("section %d", sec.ID), "unknown section id")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// plainErr is an error message without location; wrapAt gives it one.
type plainErr string

func (e plainErr) Error() string { return string(e) }

func fail(format string, args ...any) error { return plainErr(fmt.Sprintf(format, args...)) }

// wrapAt attaches a section offset and item to err. Plain messages become
// the Msg; anything else (a nested component's error) is kept as Err.
func wrapAt(off int, where string, err error) error {
	if p, ok := err.(plainErr); ok {
		return &ResolveError{Offset: off, Where: where, Msg: string(p)}
	}
	return &ResolveError{Offset: off, Where: where, Err: err}
}

func aliasWhere(a *Alias) string {
	switch a.Kind {
	case AliasInstanceExport:
		return fmt.Sprintf("alias export %d %q (%s)", a.Instance, a.Name, sortName(a.Sort))
	case AliasCoreInstanceExport:
		return fmt.Sprintf("alias core export %d %q (%s)", a.Instance, a.Name, sortName(a.Sort))
	default:
		return fmt.Sprintf("alias outer %d %d (%s)", a.Count, a.Index, sortName(a.Sort))
	}
}

func coreModuleType(ct *CoreType) *ModuleType {
	if ct.Module == nil {
		return nil
	}
	mt := &ModuleType{}
	for _, d := range ct.Module.Decls {
		switch d.Kind {
		case 0x00:
			mt.Imports = append(mt.Imports, CoreExternItem{Module: d.ImportModule, Name: d.ImportName, Extern: d.Extern})
		case 0x03:
			mt.Exports = append(mt.Exports, CoreExternItem{Name: d.ExportName, Extern: d.Extern})
		}
	}
	return mt
}

// coreCount returns the size of a core index space.
func (s *scope) coreCount(sort Sort) (int, string) {
	switch sort {
	case SortCoreFunc:
		return s.coreFuncs, "core funcs"
	case SortCoreTable:
		return s.coreTables, "core tables"
	case SortCoreMemory:
		return s.coreMems, "core memories"
	case SortCoreGlobal:
		return s.coreGlobals, "core globals"
	case SortCoreTag:
		return s.coreTags, "core tags"
	case SortCoreType:
		return len(s.coreTypes), "core types"
	case SortCoreModule:
		return len(s.coreModules), "core modules"
	case SortCoreInstance:
		return s.coreInstances, "core instances"
	}
	return 0, "?"
}

func (s *scope) checkCore(sort Sort, idx uint32) error {
	if !sort.IsCore() {
		return fail("%s is not a core sort", sortName(sort))
	}
	n, plural := s.coreCount(sort)
	if int64(idx) >= int64(n) {
		return fail("%s", indexErr(sortName(sort), idx, n, plural))
	}
	return nil
}

// addCore grows a core index space by one item of an unknown core type.
func (s *scope) addCore(sort Sort) error {
	switch sort {
	case SortCoreFunc:
		s.coreFuncs++
	case SortCoreTable:
		s.coreTables++
	case SortCoreMemory:
		s.coreMems++
	case SortCoreGlobal:
		s.coreGlobals++
	case SortCoreTag:
		s.coreTags++
	case SortCoreType:
		s.coreTypes = append(s.coreTypes, nil)
	case SortCoreModule:
		s.coreModules = append(s.coreModules, nil)
	case SortCoreInstance:
		s.coreInstances++
	default:
		return fail("%s is not a core sort", sortName(sort))
	}
	return nil
}

func (s *scope) coreInstance(ci *CoreInstance) error {
	if ci.Inline {
		for _, e := range ci.Exports {
			if err := s.checkCore(e.Item.Sort, e.Item.Index); err != nil {
				return fmt.Errorf("export %q: %w", e.Name, err)
			}
		}
		return nil
	}
	if err := s.checkCore(SortCoreModule, ci.Module); err != nil {
		return err
	}
	for _, a := range ci.Args {
		if err := s.checkCore(SortCoreInstance, a.Instance); err != nil {
			return fail("with %q: %v", a.Name, err)
		}
	}
	return nil
}

// typeAt returns the type at idx of this scope's type index space.
func (s *scope) typeAt(idx uint32) (Type, error) {
	if int64(idx) >= int64(len(s.types)) {
		return nil, fail("%s", indexErr("type", idx, len(s.types), "types"))
	}
	return s.types[idx], nil
}

func (s *scope) funcTypeAt(idx uint32) (*Func, error) {
	t, err := s.typeAt(idx)
	if err != nil {
		return nil, err
	}
	f, ok := Underlying(t).(*Func)
	if !ok {
		return nil, fail("type %d is %s, not a func type", idx, typeKind(t))
	}
	return f, nil
}

func (s *scope) instanceTypeAt(idx uint32) (*InstanceType, error) {
	t, err := s.typeAt(idx)
	if err != nil {
		return nil, err
	}
	it, ok := Underlying(t).(*InstanceType)
	if !ok {
		return nil, fail("type %d is %s, not an instance type", idx, typeKind(t))
	}
	return it, nil
}

func (s *scope) componentTypeAt(idx uint32) (*ComponentType, error) {
	t, err := s.typeAt(idx)
	if err != nil {
		return nil, err
	}
	ct, ok := Underlying(t).(*ComponentType)
	if !ok {
		return nil, fail("type %d is %s, not a component type", idx, typeKind(t))
	}
	return ct, nil
}

// resourceAt returns the type at idx, which must be a resource (possibly
// behind names; the names are kept).
func (s *scope) resourceAt(idx uint32) (Type, error) {
	t, err := s.typeAt(idx)
	if err != nil {
		return nil, err
	}
	if ResourceOf(t) == nil {
		return nil, fail("type %d is %s, not a resource", idx, typeKind(t))
	}
	return t, nil
}

// typeKind describes t for error messages.
func typeKind(t Type) string {
	switch Underlying(t).(type) {
	case *Func:
		return "a func type"
	case *InstanceType:
		return "an instance type"
	case *ComponentType:
		return "a component type"
	case *Resource:
		return "a resource"
	default:
		return "a value type"
	}
}

// asValType returns t as a value type, keeping names.
func asValType(t Type) (ValType, bool) {
	switch Underlying(t).(type) {
	case *Func, *InstanceType, *ComponentType, *Resource:
		return nil, false
	}
	v, ok := t.(ValType)
	return v, ok
}

func (s *scope) valType(v ValTypeRef) (ValType, error) {
	if v.Prim != 0 {
		return Prim(v.Prim), nil
	}
	t, err := s.typeAt(v.Index)
	if err != nil {
		return nil, err
	}
	vt, ok := asValType(t)
	if !ok {
		return nil, fail("type %d is %s, not a value type", v.Index, typeKind(t))
	}
	return vt, nil
}

func (s *scope) optValType(v *ValTypeRef) (ValType, error) {
	if v == nil {
		return nil, nil
	}
	return s.valType(*v)
}

// defType resolves one type definition.
func (s *scope) defType(td *TypeDef) (Type, error) {
	switch {
	case td.Value != nil:
		return s.defValType(td.Value)
	case td.Func != nil:
		return s.funcType(td.Func)
	case td.Component != nil:
		return s.typeScope(scopeComponentType, td.Component.Decls)
	case td.Instance != nil:
		return s.typeScope(scopeInstanceType, td.Instance.Decls)
	case td.Resource != nil:
		if s.kind != scopeComponent {
			return nil, fail("resource type definitions are not allowed inside component or instance types")
		}
		if td.Resource.Dtor != nil {
			if err := s.checkCore(SortCoreFunc, *td.Resource.Dtor); err != nil {
				return nil, fail("dtor: %v", err)
			}
		}
		return &Resource{}, nil
	}
	return nil, fail("empty type definition")
}

func (s *scope) funcType(ft *FuncType) (*Func, error) {
	f := &Func{Async: ft.Async, Params: make([]Param, len(ft.Params))}
	for i, p := range ft.Params {
		t, err := s.valType(p.Type)
		if err != nil {
			return nil, fail("param %q: %v", p.Name, err)
		}
		f.Params[i] = Param{Name: p.Name, Type: t}
	}
	r, err := s.optValType(ft.Result)
	if err != nil {
		return nil, fail("result: %v", err)
	}
	f.Result = r
	return f, nil
}

func (s *scope) defValType(d *DefValType) (ValType, error) {
	switch d.Kind {
	case DefPrim:
		return Prim(d.Prim), nil
	case DefRecord:
		r := &Record{Fields: make([]Field, len(d.Fields))}
		for i, f := range d.Fields {
			t, err := s.valType(f.Type)
			if err != nil {
				return nil, fail("field %q: %v", f.Name, err)
			}
			r.Fields[i] = Field{Name: f.Name, Type: t}
		}
		return r, nil
	case DefVariant:
		v := &Variant{Cases: make([]Case, len(d.Cases))}
		for i, c := range d.Cases {
			t, err := s.optValType(c.Type)
			if err != nil {
				return nil, fail("case %q: %v", c.Name, err)
			}
			v.Cases[i] = Case{Name: c.Name, Type: t}
		}
		return v, nil
	case DefList, DefFixedList:
		if d.Elem == nil {
			return nil, fail("list without element type")
		}
		t, err := s.valType(*d.Elem)
		if err != nil {
			return nil, err
		}
		l := &List{Elem: t}
		if d.Kind == DefFixedList {
			l.Len = d.Len
		}
		return l, nil
	case DefTuple:
		tu := &Tuple{Types: make([]ValType, len(d.Types))}
		for i, e := range d.Types {
			t, err := s.valType(e)
			if err != nil {
				return nil, fail("tuple element %d: %v", i, err)
			}
			tu.Types[i] = t
		}
		return tu, nil
	case DefFlags:
		return &Flags{Names: d.Labels}, nil
	case DefEnum:
		return &Enum{Names: d.Labels}, nil
	case DefOption:
		if d.Elem == nil {
			return nil, fail("option without element type")
		}
		t, err := s.valType(*d.Elem)
		if err != nil {
			return nil, err
		}
		return &Option{Elem: t}, nil
	case DefResult:
		ok, err := s.optValType(d.Ok)
		if err != nil {
			return nil, fail("ok: %v", err)
		}
		e, err := s.optValType(d.Err)
		if err != nil {
			return nil, fail("error: %v", err)
		}
		return &Result{Ok: ok, Err: e}, nil
	case DefOwn, DefBorrow:
		r, err := s.resourceAt(d.Resource)
		if err != nil {
			return nil, err
		}
		if d.Kind == DefOwn {
			return &Own{Resource: r}, nil
		}
		return &Borrow{Resource: r}, nil
	case DefStream, DefFuture:
		t, err := s.optValType(d.Elem)
		if err != nil {
			return nil, err
		}
		if d.Kind == DefStream {
			return &Stream{Elem: t}, nil
		}
		return &Future{Elem: t}, nil
	case DefMap:
		if d.Key == nil || d.Elem == nil {
			return nil, fail("map without key or value type")
		}
		k, err := s.valType(*d.Key)
		if err != nil {
			return nil, fail("key: %v", err)
		}
		v, err := s.valType(*d.Elem)
		if err != nil {
			return nil, fail("value: %v", err)
		}
		return &Map{Key: k, Value: v}, nil
	}
	return nil, fail("unknown defined value type 0x%02x", uint8(d.Kind))
}

// typeScope resolves a component or instance type with its own index spaces.
func (s *scope) typeScope(kind scopeKind, decls []Decl) (Type, error) {
	ts := &scope{kind: kind, parent: s, r: s.r}
	if kind == scopeInstanceType {
		ts.owner = &InstanceType{}
	}
	for i := range decls {
		d := &decls[i]
		var err error
		switch d.Kind {
		case DeclCoreType:
			if d.CoreType == nil {
				err = fail("empty core type declarator")
				break
			}
			ts.coreTypes = append(ts.coreTypes, coreModuleType(d.CoreType))
		case DeclType:
			if d.Type == nil {
				err = fail("empty type declarator")
				break
			}
			var t Type
			if t, err = ts.defType(d.Type); err == nil {
				ts.types = append(ts.types, t)
			}
		case DeclAlias:
			if d.Alias == nil {
				err = fail("empty alias declarator")
				break
			}
			err = ts.alias(d.Alias)
		case DeclImport:
			if kind != scopeComponentType {
				err = fail("import declarators are allowed only in component types")
				break
			}
			err = ts.declare(d.Name, &d.Extern, true)
		case DeclExport:
			err = ts.declare(d.Name, &d.Extern, false)
		default:
			err = fail("unknown declarator 0x%02x", uint8(d.Kind))
		}
		if err != nil {
			what := "declarator"
			if d.Kind == DeclImport {
				what = fmt.Sprintf("import %q", d.Name.Name)
			} else if d.Kind == DeclExport {
				what = fmt.Sprintf("export %q", d.Name.Name)
			}
			kindName := "instance type"
			if kind == scopeComponentType {
				kindName = "component type"
			}
			return nil, fail("%s: %s %d: %v", kindName, what, i, err)
		}
	}
	if kind == scopeInstanceType {
		ts.owner.Exports = ts.exports
		return ts.owner, nil
	}
	return &ComponentType{Imports: ts.imports, Exports: ts.exports}, nil
}

// nameOwner is the Owner given to names declared in this scope.
func (s *scope) nameOwner() *InstanceType {
	if s.kind == scopeInstanceType {
		return s.owner
	}
	return nil
}

// externType resolves the declared type of an import, export declarator or
// export ascription named name.
func (s *scope) externType(name string, et *ExternType) (Extern, error) {
	switch et.Kind {
	case ExternModule:
		if int64(et.Index) >= int64(len(s.coreTypes)) {
			return nil, fail("%s", indexErr("core type", et.Index, len(s.coreTypes), "core types"))
		}
		mt := s.coreTypes[et.Index]
		if mt == nil {
			return nil, fail("core type %d is not a module type", et.Index)
		}
		return mt, nil
	case ExternFunc:
		return s.funcTypeAt(et.Index)
	case ExternValue:
		if et.ValueType != nil {
			v, err := s.valType(*et.ValueType)
			if err != nil {
				return nil, err
			}
			return &ValueBound{Type: v}, nil
		}
		if int64(et.Index) >= int64(len(s.values)) {
			return nil, fail("%s", indexErr("value", et.Index, len(s.values), "values"))
		}
		return &ValueBound{Type: s.values[et.Index]}, nil
	case ExternTypeKind:
		if et.SubResource {
			return &TypeBound{Type: &Resource{Name: name, Abstract: true}}, nil
		}
		t, err := s.typeAt(et.Index)
		if err != nil {
			return nil, err
		}
		return &TypeBound{Type: s.name(name, t)}, nil
	case ExternComponent:
		return s.componentTypeAt(et.Index)
	case ExternInstance:
		it, err := s.instanceTypeAt(et.Index)
		if err != nil {
			return nil, err
		}
		return s.r.freshInstanceType(it), nil
	}
	return nil, fail("unknown extern kind 0x%02x", uint8(et.Kind))
}

// name gives t the name name in this scope, as a type export or eq-bound
// import does. A resource without a name yet takes this one.
func (s *scope) name(name string, t Type) *Named {
	if r := ResourceOf(t); r != nil && r.Name == "" {
		r.Name = name
	}
	return &Named{Name: name, Type: t, Owner: s.nameOwner()}
}

// declare adds an import (or, in a type, an export declarator) to the scope.
func (s *scope) declare(name ExternName, et *ExternType, isImport bool) error {
	ext, err := s.externType(name.Name, et)
	if err != nil {
		return err
	}
	s.push(ext)
	item := Item{Name: name.Name, Attr: name, Type: ext}
	if isImport {
		s.imports = append(s.imports, item)
	} else {
		s.exports = append(s.exports, item)
	}
	return nil
}

// push appends an item of type ext to the index space of its sort.
func (s *scope) push(ext Extern) {
	switch e := ext.(type) {
	case *Func:
		s.funcs = append(s.funcs, e)
	case *ValueBound:
		s.values = append(s.values, e.Type)
	case *TypeBound:
		s.types = append(s.types, e.Type)
	case *ComponentType:
		s.components = append(s.components, &componentEntry{ct: e})
	case *InstanceType:
		s.instances = append(s.instances, e)
	case *ModuleType:
		s.coreModules = append(s.coreModules, e)
	}
}

// sortCount returns the size of a component-level index space.
func (s *scope) sortCount(sort Sort) (int, string) {
	switch sort {
	case SortFunc:
		return len(s.funcs), "funcs"
	case SortValue:
		return len(s.values), "values"
	case SortType:
		return len(s.types), "types"
	case SortComponent:
		return len(s.components), "components"
	case SortInstance:
		return len(s.instances), "instances"
	}
	return s.coreCount(sort)
}

func (s *scope) checkIndex(si SortIndex) error {
	n, plural := s.sortCount(si.Sort)
	if si.Sort > SortInstance {
		return fail("unknown sort %d", si.Sort)
	}
	if int64(si.Index) >= int64(n) {
		return fail("%s", indexErr(sortName(si.Sort), si.Index, n, plural))
	}
	return nil
}

// itemType returns the type of an item of this scope, resolving a nested
// component if the item is one. A defined core module has an empty
// ModuleType: modules are never parsed.
func (s *scope) itemType(si SortIndex) (Extern, error) {
	if err := s.checkIndex(si); err != nil {
		return nil, err
	}
	switch si.Sort {
	case SortFunc:
		return s.funcs[si.Index], nil
	case SortValue:
		return &ValueBound{Type: s.values[si.Index]}, nil
	case SortType:
		return &TypeBound{Type: s.types[si.Index]}, nil
	case SortComponent:
		return s.componentType(s.components[si.Index])
	case SortInstance:
		return s.instances[si.Index], nil
	case SortCoreModule:
		if mt := s.coreModules[si.Index]; mt != nil {
			return mt, nil
		}
		return &ModuleType{}, nil
	}
	return nil, fail("a %s cannot be exported from a component", sortName(si.Sort))
}

// export resolves a component-level export: the exported item is added
// again to its index space, with the ascribed type if there is one.
func (s *scope) export(ex *Export) error {
	name := ex.Name.Name
	var ext Extern
	if ex.Item.Sort == SortType {
		t, err := s.typeAt(ex.Item.Index)
		if err != nil {
			return err
		}
		if ex.Type != nil {
			if ex.Type.Kind != ExternTypeKind {
				return fail("type item ascribed a %s type", externKindName(ex.Type.Kind))
			}
			if ex.Type.SubResource {
				// The ascription hides the identity from the outside; we keep
				// the real resource so functions exported later still link to
				// it (the concrete type is a subtype of the ascribed one).
				if ResourceOf(t) == nil {
					return fail("(sub resource) ascribed to %s", typeKind(t))
				}
			} else if t, err = s.typeAt(ex.Type.Index); err != nil {
				return err
			}
		}
		ext = &TypeBound{Type: s.name(name, t)}
	} else {
		var err error
		if ext, err = s.itemType(ex.Item); err != nil {
			return err
		}
		if ex.Type != nil {
			asc, err := s.externType(name, ex.Type)
			if err != nil {
				return fail("ascribed type: %v", err)
			}
			if externSort(asc) != ex.Item.Sort {
				return fail("%s item ascribed a %s type", sortName(ex.Item.Sort), externKindName(ex.Type.Kind))
			}
			// The ascription must be a supertype of the item's type. The
			// check is cheap (it walks the two types once), so it is done
			// here rather than left to full validation.
			if err := CheckSubtype(ext, asc); err != nil {
				return fail("ascribed type is not a supertype of the item's type: %v", err)
			}
			ext = asc
		}
	}
	s.push(ext)
	s.exports = append(s.exports, Item{Name: name, Attr: ex.Name, Type: ext})
	return nil
}

func externKindName(k ExternKind) string {
	switch k {
	case ExternModule:
		return "core module"
	case ExternFunc:
		return "func"
	case ExternValue:
		return "value"
	case ExternTypeKind:
		return "type"
	case ExternComponent:
		return "component"
	case ExternInstance:
		return "instance"
	}
	return fmt.Sprintf("extern kind 0x%02x", uint8(k))
}

// externSort is the sort of items that have type ext.
func externSort(ext Extern) Sort {
	switch ext.(type) {
	case *Func:
		return SortFunc
	case *ValueBound:
		return SortValue
	case *TypeBound:
		return SortType
	case *ComponentType:
		return SortComponent
	case *InstanceType:
		return SortInstance
	case *ModuleType:
		return SortCoreModule
	}
	return 255
}

// alias resolves an alias definition or declarator.
func (s *scope) alias(a *Alias) error {
	switch a.Kind {
	case AliasInstanceExport:
		if a.Sort.IsCore() && a.Sort != SortCoreModule {
			return fail("a component instance cannot export a %s", sortName(a.Sort))
		}
		if int64(a.Instance) >= int64(len(s.instances)) {
			return fail("%s", indexErr("instance", a.Instance, len(s.instances), "instances"))
		}
		item := s.instances[a.Instance].Export(a.Name)
		if item == nil {
			return fail("instance %d has no export %q", a.Instance, a.Name)
		}
		if got := externSort(item.Type); got != a.Sort {
			return fail("export %q of instance %d is a %s, not a %s", a.Name, a.Instance, sortName(got), sortName(a.Sort))
		}
		s.push(item.Type)
		return nil
	case AliasCoreInstanceExport:
		if !a.Sort.IsCore() {
			return fail("a core instance cannot export a %s", sortName(a.Sort))
		}
		if err := s.checkCore(SortCoreInstance, a.Instance); err != nil {
			return err
		}
		return s.addCore(a.Sort)
	case AliasOuter:
		t := s
		for i := uint32(0); i < a.Count; i++ {
			if t.parent == nil {
				return fail("outer count %d exceeds the %d enclosing scopes", a.Count, i)
			}
			t = t.parent
		}
		switch a.Sort {
		case SortType:
			typ, err := t.typeAt(a.Index)
			if err != nil {
				return err
			}
			s.types = append(s.types, typ)
		case SortCoreType:
			if int64(a.Index) >= int64(len(t.coreTypes)) {
				return fail("%s", indexErr("core type", a.Index, len(t.coreTypes), "core types"))
			}
			s.coreTypes = append(s.coreTypes, t.coreTypes[a.Index])
		case SortComponent:
			if int64(a.Index) >= int64(len(t.components)) {
				return fail("%s", indexErr("component", a.Index, len(t.components), "components"))
			}
			s.components = append(s.components, t.components[a.Index])
		case SortCoreModule:
			if int64(a.Index) >= int64(len(t.coreModules)) {
				return fail("%s", indexErr("core module", a.Index, len(t.coreModules), "core modules"))
			}
			s.coreModules = append(s.coreModules, t.coreModules[a.Index])
		default:
			return fail("outer aliases cannot refer to a %s", sortName(a.Sort))
		}
		return nil
	}
	return fail("unknown alias kind %d", a.Kind)
}

// canon resolves a canonical definition: lift adds a component func, every
// other op a core func.
func (s *scope) canon(c *Canon) error {
	switch c.Op {
	case CanonLift:
		if err := s.checkCore(SortCoreFunc, c.Func); err != nil {
			return fail("lift: %v", err)
		}
		f, err := s.funcTypeAt(c.Type)
		if err != nil {
			return fail("lift: %v", err)
		}
		s.funcs = append(s.funcs, f)
		return nil
	case CanonLower:
		if int64(c.Func) >= int64(len(s.funcs)) {
			return fail("lower: %s", indexErr("func", c.Func, len(s.funcs), "funcs"))
		}
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep:
		if _, err := s.resourceAt(c.Type); err != nil {
			return fail("%s: %v", canonName(c.Op), err)
		}
	case CanonTaskReturn:
		if _, err := s.optValType(c.Result); err != nil {
			return fail("%s: %v", canonName(c.Op), err)
		}
	case CanonStreamNew, CanonStreamRead, CanonStreamWrite, CanonStreamCancelRead, CanonStreamCancelWrite,
		CanonStreamDropReadable, CanonStreamDropWritable, CanonFutureNew, CanonFutureRead, CanonFutureWrite,
		CanonFutureCancelRead, CanonFutureCancelWrite, CanonFutureDropReadable, CanonFutureDropWritable:
		t, err := s.typeAt(c.Type)
		if err != nil {
			return fail("%s: %v", canonName(c.Op), err)
		}
		switch Underlying(t).(type) {
		case *Stream, *Future:
		default:
			return fail("%s: type %d is %s, not a stream or future type", canonName(c.Op), c.Type, typeKind(t))
		}
	}
	s.coreFuncs++
	return nil
}

func canonName(op CanonOp) string {
	switch op {
	case CanonResourceNew:
		return "resource.new"
	case CanonResourceDrop:
		return "resource.drop"
	case CanonResourceRep:
		return "resource.rep"
	case CanonTaskReturn:
		return "task.return"
	case CanonStreamNew, CanonStreamRead, CanonStreamWrite, CanonStreamCancelRead, CanonStreamCancelWrite,
		CanonStreamDropReadable, CanonStreamDropWritable:
		return fmt.Sprintf("stream op 0x%02x", uint8(op))
	case CanonFutureNew, CanonFutureRead, CanonFutureWrite, CanonFutureCancelRead, CanonFutureCancelWrite,
		CanonFutureDropReadable, CanonFutureDropWritable:
		return fmt.Sprintf("future op 0x%02x", uint8(op))
	}
	return fmt.Sprintf("canon 0x%02x", uint8(op))
}

func (s *scope) start(st *Start) error {
	if st == nil {
		return fail("empty start section")
	}
	if int64(st.Func) >= int64(len(s.funcs)) {
		return fail("%s", indexErr("func", st.Func, len(s.funcs), "funcs"))
	}
	for _, a := range st.Args {
		if int64(a) >= int64(len(s.values)) {
			return fail("%s", indexErr("value", a, len(s.values), "values"))
		}
	}
	f := s.funcs[st.Func]
	for i := uint32(0); i < st.Results; i++ {
		s.values = append(s.values, f.Result)
	}
	return nil
}

// instance resolves an instance definition.
func (s *scope) instance(in *Instance) (*InstanceType, error) {
	if in.Inline {
		it := &InstanceType{Exports: make([]Item, 0, len(in.Exports))}
		for _, e := range in.Exports {
			var ext Extern
			if e.Item.Sort == SortType {
				t, err := s.typeAt(e.Item.Index)
				if err != nil {
					return nil, fail("export %q: %v", e.Name.Name, err)
				}
				if ResourceOf(t) != nil && ResourceOf(t).Name == "" {
					ResourceOf(t).Name = e.Name.Name
				}
				ext = &TypeBound{Type: &Named{Name: e.Name.Name, Type: t, Owner: it}}
			} else {
				var err error
				if ext, err = s.itemType(e.Item); err != nil {
					return nil, fail("export %q: %v", e.Name.Name, err)
				}
			}
			it.Exports = append(it.Exports, Item{Name: e.Name.Name, Attr: e.Name, Type: ext})
		}
		return it, nil
	}
	if int64(in.Component) >= int64(len(s.components)) {
		return nil, fail("instantiate: %s", indexErr("component", in.Component, len(s.components), "components"))
	}
	ct, err := s.componentType(s.components[in.Component])
	if err != nil {
		return nil, err
	}
	return s.instantiate(ct, in)
}

// instantiate types an instantiation of ct: every type import is replaced
// by the argument supplied for it, throughout ct's exports.
func (s *scope) instantiate(ct *ComponentType, in *Instance) (*InstanceType, error) {
	subst := map[Type]Type{}
	check := s.r.checkArgs && s.parent == nil
	rm := ResourceMap{} // the instantiated component's resources, bound by its arguments
	for _, imp := range ct.Imports {
		var arg *InstantiateArg
		for i := range in.Args {
			if in.Args[i].Name == imp.Name {
				arg = &in.Args[i]
				break
			}
		}
		if arg == nil {
			return nil, fail("instantiate component %d: missing argument for import %q", in.Component, imp.Name)
		}
		want := externSort(imp.Type)
		if arg.Item.Sort != want {
			return nil, fail("instantiate component %d: with %q: import is a %s, argument a %s", in.Component, imp.Name, sortName(want), sortName(arg.Item.Sort))
		}
		if err := s.checkIndex(arg.Item); err != nil {
			return nil, fail("instantiate component %d: with %q: %v", in.Component, imp.Name, err)
		}
		if check {
			actual, err := s.itemType(arg.Item)
			if err == nil {
				err = CheckSubtype(actual, imp.Type, WithResourceMap(rm))
			}
			if err != nil {
				return nil, fail("instantiate component %d: with %q: %v", in.Component, imp.Name, err)
			}
		}
		switch t := imp.Type.(type) {
		case *TypeBound:
			actual := s.types[arg.Item.Index]
			if _, ok := t.Type.(*Resource); ok && ResourceOf(actual) == nil {
				return nil, fail("instantiate component %d: with %q: import is a resource, argument %s", in.Component, imp.Name, typeKind(actual))
			}
			bindType(subst, t.Type, actual)
		case *InstanceType:
			bindInstance(subst, t, s.instances[arg.Item.Index])
		}
	}
	return instantiateType(ct, subst), nil
}

// bindType records that the imported type t is supplied by actual.
func bindType(subst map[Type]Type, t, actual Type) {
	switch t.(type) {
	case *Resource, *Named:
		if t != actual {
			subst[t] = actual
		}
	}
}

// bindInstance binds the types exported by an imported instance type to
// those of the instance supplied for it, by export name.
func bindInstance(subst map[Type]Type, imp, actual *InstanceType) {
	if imp == actual {
		return
	}
	subst[imp] = actual
	for _, e := range imp.Exports {
		a := actual.Export(e.Name)
		if a == nil {
			continue
		}
		switch t := e.Type.(type) {
		case *TypeBound:
			if at, ok := a.Type.(*TypeBound); ok {
				bindType(subst, t.Type, at.Type)
			}
		case *InstanceType:
			if at, ok := a.Type.(*InstanceType); ok {
				bindInstance(subst, t, at)
			}
		}
	}
}

// sortName names a sort as the text format does.
func sortName(s Sort) string {
	switch s {
	case SortCoreFunc:
		return "core func"
	case SortCoreTable:
		return "core table"
	case SortCoreMemory:
		return "core memory"
	case SortCoreGlobal:
		return "core global"
	case SortCoreTag:
		return "core tag"
	case SortCoreType:
		return "core type"
	case SortCoreModule:
		return "core module"
	case SortCoreInstance:
		return "core instance"
	case SortFunc:
		return "func"
	case SortValue:
		return "value"
	case SortType:
		return "type"
	case SortComponent:
		return "component"
	case SortInstance:
		return "instance"
	}
	return fmt.Sprintf("sort %d", uint8(s))
}
