package wac

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// Type declarations become the semantic types of package component,
// shaped as Resolve shapes types decoded from a binary, so that subtype
// checks, unions and the type encoder treat both alike:
//   - a named type declared in an interface is a *component.Named owned
//     by the interface's *component.InstanceType; in a world or at the top
//     level its Owner is nil;
//   - a resource is a bare abstract *component.Resource, its methods
//     functions named `[constructor]r`, `[method]r.m`, `[static]r.m`;
//   - `use i.{t as u}` is a *component.Named `u` whose Type is i's `t`;
//   - an interface is an *component.InstanceType, a world a
//     *component.ComponentType that imports, ahead of its items, every
//     interface whose types they use and that it does not import itself.

// typeStmt resolves a top-level type declaration, which the result exports.
func (r *resolver) typeStmt(st Stmt) error {
	var id Ident
	var t component.Type
	var err error
	switch d := st.(type) {
	case *InterfaceDecl:
		id = d.ID
		t, err = r.interfaceDecl(d.ID.Name, d.Items)
	case *WorldDecl:
		id = d.ID
		t, err = r.worldDecl(d)
	case TypeDecl:
		id = d.DeclID()
		t, err = r.typeDecl(d, nil)
	default:
		return fmt.Errorf("wac: unknown statement %T", st)
	}
	if err != nil {
		return err
	}
	if prev, ok := r.exported[id.Name]; ok {
		e := r.errorf(id.Span, "type `%s` conflicts with an earlier export of the same name", id.Name)
		e.Notes = []Note{{Span: prev, Msg: "the export is here"}}
		return e
	}
	te := &TypeExport{Name: id.Name, Type: r.exportForm(id.Name, t), Span: id.Span}
	if err := r.define(id, item{typ: t, def: te}); err != nil {
		return err
	}
	r.exported[id.Name] = id.Span
	r.comp.Types = append(r.comp.Types, te)
	return nil
}

// docID is the full name of an interface or world the document declares.
func (r *resolver) docID(name string) string {
	id := r.doc.Package.Name + "/" + name
	if v := r.doc.Package.Version; v != "" {
		id += "@" + v
	}
	return id
}

// exportForm is how a top-level declaration is exported: an interface or
// world wrapped as WIT packages wrap them, anything else as it is (value
// types are already named by their declaration).
func (r *resolver) exportForm(name string, t component.Type) component.Type {
	switch x := t.(type) {
	case *component.InstanceType:
		var imports []component.Item
		for _, dep := range r.usedInterfaces([]component.Item{{Type: x}}, func(it *component.InstanceType) bool { return it == x }) {
			imports = append(imports, externItemOf(r.ifaceIDs[dep], dep))
		}
		return &component.ComponentType{Imports: imports, Exports: []component.Item{externItemOf(r.ifaceIDs[x], x)}}
	case *component.ComponentType:
		return &component.ComponentType{Exports: []component.Item{externItemOf(r.docID(name), x)}}
	}
	return t
}

func externItemOf(name string, e component.Extern) component.Item {
	return component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: e}
}

// typeDecl resolves a record, variant, flags, enum or alias declaration,
// named in owner (nil outside interfaces). It does not bind the name.
func (r *resolver) typeDecl(d TypeDecl, owner *component.InstanceType) (component.Type, error) {
	name := d.DeclID().Name
	named := func(t component.Type) component.Type {
		return &component.Named{Name: name, Type: t, Owner: owner}
	}
	switch d := d.(type) {
	case *VariantDecl:
		v := &component.Variant{}
		seen := map[string]bool{}
		for _, c := range d.Cases {
			if seen[c.ID.Name] {
				return nil, r.errorf(c.ID.Span, "variant `%s` has two cases named `%s`", name, c.ID.Name)
			}
			seen[c.ID.Name] = true
			var t component.ValType
			if c.Type != nil {
				var err error
				if t, err = r.valType(c.Type); err != nil {
					return nil, err
				}
			}
			v.Cases = append(v.Cases, component.Case{Name: c.ID.Name, Type: t})
		}
		return named(v), nil
	case *RecordDecl:
		rec := &component.Record{}
		seen := map[string]bool{}
		for _, f := range d.Fields {
			if seen[f.ID.Name] {
				return nil, r.errorf(f.ID.Span, "record `%s` has two fields named `%s`", name, f.ID.Name)
			}
			seen[f.ID.Name] = true
			t, err := r.valType(f.Type)
			if err != nil {
				return nil, err
			}
			rec.Fields = append(rec.Fields, component.Field{Name: f.ID.Name, Type: t})
		}
		return named(rec), nil
	case *FlagsDecl:
		names, err := r.labels("flags", name, "flag", d.Flags)
		if err != nil {
			return nil, err
		}
		return named(&component.Flags{Names: names}), nil
	case *EnumDecl:
		names, err := r.labels("enum", name, "case", d.Cases)
		if err != nil {
			return nil, err
		}
		return named(&component.Enum{Names: names}), nil
	case *TypeAlias:
		if d.Func != nil {
			return r.funcType(d.Func, funcFree, nil)
		}
		if id, ok := d.Type.(*Ident); ok {
			it, err := r.local(*id)
			if err != nil {
				return nil, err
			}
			switch {
			case it.val != nil:
				if f, ok := it.val.Type.(*component.Func); ok {
					return f, nil // an imported function's type
				}
			case typeKind(it.typ) == "function type":
				return component.Underlying(it.typ), nil
			case isValueOrResource(it.typ):
				return named(it.typ), nil
			}
			return nil, r.errorf(id.Span, "`%s` is %s and cannot be aliased", id.Name, r.describe(it))
		}
		t, err := r.valType(d.Type)
		if err != nil {
			return nil, err
		}
		return named(t), nil
	}
	return nil, fmt.Errorf("wac: unknown type declaration %T", d)
}

func (r *resolver) labels(kind, name, what string, ids []Ident) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if seen[id.Name] {
			return nil, r.errorf(id.Span, "%s `%s` has two %ss named `%s`", kind, name, what, id.Name)
		}
		seen[id.Name] = true
		out = append(out, id.Name)
	}
	return out, nil
}

// isValueOrResource reports whether t may stand where a value type can
// (a resource standing for own<r>).
func isValueOrResource(t component.Type) bool {
	switch component.Underlying(t).(type) {
	case nil, *component.Func, *component.InstanceType, *component.ComponentType:
		return false
	}
	return true
}

// valType resolves a type expression.
func (r *resolver) valType(n Node) (component.ValType, error) {
	switch t := n.(type) {
	case *PrimType:
		return component.Prim(primOf[t.Kind]), nil
	case *TupleType:
		tu := &component.Tuple{}
		for _, e := range t.Types {
			v, err := r.valType(e)
			if err != nil {
				return nil, err
			}
			tu.Types = append(tu.Types, v)
		}
		return tu, nil
	case *ListType:
		e, err := r.valType(t.Elem)
		if err != nil {
			return nil, err
		}
		return &component.List{Elem: e}, nil
	case *OptionType:
		e, err := r.valType(t.Elem)
		if err != nil {
			return nil, err
		}
		return &component.Option{Elem: e}, nil
	case *ResultType:
		res := &component.Result{}
		var err error
		if t.Ok != nil {
			if res.Ok, err = r.valType(t.Ok); err != nil {
				return nil, err
			}
		}
		if t.Err != nil {
			if res.Err, err = r.valType(t.Err); err != nil {
				return nil, err
			}
		}
		return res, nil
	case *StreamType:
		e, err := r.valType(t.Elem)
		if err != nil {
			return nil, err
		}
		return &component.Stream{Elem: e}, nil
	case *FutureType:
		e, err := r.valType(t.Elem)
		if err != nil {
			return nil, err
		}
		return &component.Future{Elem: e}, nil
	case *BorrowType:
		it, err := r.local(t.Resource)
		if err != nil {
			return nil, err
		}
		if it.val != nil || component.ResourceOf(it.typ) == nil {
			return nil, r.errorf(t.Resource.Span, "`%s` is %s, not a resource", t.Resource.Name, r.describe(it))
		}
		return &component.Borrow{Resource: it.typ}, nil
	case *Ident:
		it, err := r.local(*t)
		if err != nil {
			return nil, err
		}
		if it.val == nil {
			if component.ResourceOf(it.typ) != nil {
				return &component.Own{Resource: it.typ}, nil
			}
			if isValueOrResource(it.typ) {
				if v, ok := it.typ.(component.ValType); ok {
					return v, nil
				}
			}
		}
		return nil, r.errorf(t.Span, "`%s` is %s, not a value type", t.Name, r.describe(it))
	}
	return nil, fmt.Errorf("wac: unknown type expression %T", n)
}

var primOf = map[tokenKind]component.PrimType{
	kwU8: component.PrimU8, kwS8: component.PrimS8, kwU16: component.PrimU16, kwS16: component.PrimS16,
	kwU32: component.PrimU32, kwS32: component.PrimS32, kwU64: component.PrimU64, kwS64: component.PrimS64,
	kwF32: component.PrimF32, kwF64: component.PrimF64, kwChar: component.PrimChar, kwBool: component.PrimBool,
	kwString: component.PrimString,
}

type funcKind uint8

const (
	funcFree funcKind = iota
	funcConstructor
	funcMethod
	funcStatic
)

func (k funcKind) String() string {
	return [...]string{"function", "constructor", "method", "static function"}[k]
}

// funcType resolves a function type; a method gets `self: borrow<r>`
// first and a constructor the result own<r>.
func (r *resolver) funcType(f *FuncType, kind funcKind, res component.Type) (*component.Func, error) {
	fn := &component.Func{Async: f.Async}
	seen := map[string]bool{}
	if kind == funcMethod {
		fn.Params = append(fn.Params, component.Param{Name: "self", Type: &component.Borrow{Resource: res}})
		seen["self"] = true
	}
	for _, p := range f.Params {
		if seen[p.ID.Name] {
			return nil, r.errorf(p.ID.Span, "%s has two parameters named `%s`", kind, p.ID.Name)
		}
		seen[p.ID.Name] = true
		t, err := r.valType(p.Type)
		if err != nil {
			return nil, err
		}
		fn.Params = append(fn.Params, component.Param{Name: p.ID.Name, Type: t})
	}
	switch {
	case kind == funcConstructor:
		fn.Result = &component.Own{Resource: res}
	case f.Result != nil:
		t, err := r.valType(f.Result)
		if err != nil {
			return nil, err
		}
		if containsBorrow(t) {
			return nil, r.errorf(f.Result.NodeSpan(), "a function result cannot contain a borrow")
		}
		fn.Result = t
	}
	return fn, nil
}

func containsBorrow(t component.ValType) bool {
	found := false
	w := &component.TypeWalk{Visit: func(n any) bool {
		if _, ok := n.(*component.Borrow); ok {
			found = true
		}
		return !found
	}}
	w.Type(t)
	return found
}

// members collects the items of an interface or world under
// construction, refusing a second item of one name.
type members struct {
	items []component.Item
	// what says what the items are in messages: "export", "import".
	what string
}

func (m *members) has(name string) bool {
	for _, it := range m.items {
		if it.Name == name {
			return true
		}
	}
	return false
}

func (m *members) add(name string, e component.Extern) {
	m.items = append(m.items, externItemOf(name, e))
}

// interfaceDecl resolves an interface's items; name is "" for an inline
// interface, which has no full name.
func (r *resolver) interfaceDecl(name string, items []Node) (*component.InstanceType, error) {
	it := &component.InstanceType{}
	where := "the interface"
	if name != "" {
		where = fmt.Sprintf("interface `%s`", name)
	}
	outer := r.cur
	r.cur = &scope{names: map[string]binding{}}
	defer func() { r.cur = outer }()
	m := &members{what: "export"}
	for _, n := range items {
		switch n := n.(type) {
		case *UseDecl:
			if err := r.use(n, m, it); err != nil {
				return nil, err
			}
		case *ResourceDecl:
			if err := r.resourceDecl(n, m, where); err != nil {
				return nil, err
			}
		case TypeDecl:
			if err := r.memberTypeDecl(n, m, it, where); err != nil {
				return nil, err
			}
		case *InterfaceExport:
			if m.has(n.ID.Name) {
				return nil, r.errorf(n.ID.Span, "%s already has an export named `%s`", where, n.ID.Name)
			}
			var f *component.Func
			if n.Func != nil {
				var err error
				if f, err = r.funcType(n.Func, funcFree, nil); err != nil {
					return nil, err
				}
			} else {
				ref, err := r.local(*n.Ref)
				if err != nil {
					return nil, err
				}
				if f = funcOf(ref); f == nil {
					return nil, r.errorf(n.Ref.Span, "`%s` is %s, not a function type", n.Ref.Name, r.describe(ref))
				}
			}
			m.add(n.ID.Name, f)
		}
	}
	it.Exports = m.items
	if name != "" {
		r.nameInterface(it, r.docID(name))
	}
	return it, nil
}

// funcOf returns the function type an item names, or nil.
func funcOf(it item) *component.Func {
	if it.val != nil {
		f, _ := it.val.Type.(*component.Func)
		return f
	}
	f, _ := component.Underlying(it.typ).(*component.Func)
	return f
}

// memberTypeDecl declares a named type in an interface (owner non-nil) or
// world.
func (r *resolver) memberTypeDecl(d TypeDecl, m *members, owner *component.InstanceType, where string) error {
	id := d.DeclID()
	t, err := r.typeDecl(d, owner)
	if err != nil {
		return err
	}
	if err := r.define(id, item{typ: t}); err != nil {
		return err
	}
	if _, isFunc := t.(*component.Func); isFunc {
		return nil // a function type alias is a local name, not an item
	}
	if m.has(id.Name) {
		return r.errorf(id.Span, "%s already has an %s named `%s`", where, m.what, id.Name)
	}
	m.add(id.Name, &component.TypeBound{Type: t})
	return nil
}

// resourceDecl declares a resource and its methods.
func (r *resolver) resourceDecl(d *ResourceDecl, m *members, where string) error {
	res := &component.Resource{Name: d.ID.Name, Abstract: true}
	if err := r.define(d.ID, item{typ: res}); err != nil {
		return err
	}
	if m.has(d.ID.Name) {
		return r.errorf(d.ID.Span, "%s already has an %s named `%s`", where, m.what, d.ID.Name)
	}
	m.add(d.ID.Name, &component.TypeBound{Type: res})
	seen := map[string]bool{}
	for i := range d.Methods {
		meth := &d.Methods[i]
		var kind funcKind
		var name string
		switch {
		case meth.Constructor:
			if seen[""] {
				return r.errorf(meth.ID.Span, "resource `%s` has two constructors", d.ID.Name)
			}
			seen[""] = true
			kind, name = funcConstructor, "[constructor]"+d.ID.Name
		default:
			if seen[meth.ID.Name] {
				return r.errorf(meth.ID.Span, "resource `%s` has two methods named `%s`", d.ID.Name, meth.ID.Name)
			}
			seen[meth.ID.Name] = true
			kind, name = funcMethod, "[method]"+d.ID.Name+"."+meth.ID.Name
			if meth.Static {
				kind, name = funcStatic, "[static]"+d.ID.Name+"."+meth.ID.Name
			}
		}
		f, err := r.funcType(&meth.Func, kind, res)
		if err != nil {
			return err
		}
		m.add(name, f)
	}
	return nil
}

// use brings types of another interface into scope: named in owner (the
// interface declaring the use; nil in a world).
func (r *resolver) use(u *UseDecl, m *members, owner *component.InstanceType) error {
	var from *component.InstanceType
	var fromName string
	switch p := u.Path.(type) {
	case *PackagePath:
		it, err := r.resolvePath(p)
		if err != nil {
			return err
		}
		if from, _ = it.typ.(*component.InstanceType); from == nil {
			return r.errorf(p.Span, "`%s` is %s, not an interface", p, r.describe(it))
		}
		fromName = p.String()
	case *Ident:
		it, err := r.rootItem(*p)
		if err != nil {
			return err
		}
		if from, _ = it.typ.(*component.InstanceType); from == nil {
			return r.errorf(p.Span, "`%s` is %s, not an interface", p.Name, r.describe(it))
		}
		fromName = p.Name
	}
	for _, ui := range u.Items {
		exp := from.Export(ui.ID.Name)
		if exp == nil {
			return r.errorf(ui.ID.Span, "interface `%s` has no type named `%s`", fromName, ui.ID.Name)
		}
		tb, ok := exp.Type.(*component.TypeBound)
		if !ok || !isValueOrResource(tb.Type) {
			return r.errorf(ui.ID.Span, "`%s` in interface `%s` is %s, not a value type or resource", ui.ID.Name, fromName, article(externKind(exp.Type)))
		}
		name := ui.Name()
		if m.has(name.Name) {
			e := r.errorf(name.Span, "`%s` is used, but there is already an %s of that name", name.Name, m.what)
			return e
		}
		t := &component.Named{Name: name.Name, Type: tb.Type, Owner: owner}
		if err := r.define(name, item{typ: t}); err != nil {
			return err
		}
		m.add(name.Name, &component.TypeBound{Type: t})
	}
	return nil
}

// worldDecl resolves a world.
func (r *resolver) worldDecl(d *WorldDecl) (*component.ComponentType, error) {
	outer := r.cur
	r.cur = &scope{names: map[string]binding{}}
	defer func() { r.cur = outer }()
	where := fmt.Sprintf("world `%s`", d.ID.Name)
	imports := &members{what: "import"}
	exports := &members{what: "export"}
	var includes []*IncludeDecl
	for _, n := range d.Items {
		switch n := n.(type) {
		case *UseDecl:
			if err := r.use(n, imports, nil); err != nil {
				return nil, err
			}
		case *ResourceDecl:
			if err := r.resourceDecl(n, imports, where); err != nil {
				return nil, err
			}
		case TypeDecl:
			if err := r.memberTypeDecl(n, imports, nil, where); err != nil {
				return nil, err
			}
		case *WorldExtern:
			m := imports
			if n.Export {
				m = exports
			}
			if err := r.worldExtern(n, m, where); err != nil {
				return nil, err
			}
		case *IncludeDecl:
			// Includes come last, so that a conflict is always reported
			// against the world's own items.
			includes = append(includes, n)
		}
	}
	for _, inc := range includes {
		if err := r.include(inc, imports, exports, d.ID.Name); err != nil {
			return nil, err
		}
	}
	return r.worldType(imports.items, exports.items), nil
}

// worldType completes a world's items into its component type. Every
// interface an item uses comes before it: an import of the world, moved
// ahead if need be, or else imported for it (an import may use only what
// is imported; an export may also use what is exported). An interface
// both imported and exported is two instances: the export gets resources
// of its own.
func (r *resolver) worldType(imports, exports []component.Item) *component.ComponentType {
	ct := &component.ComponentType{}
	byType := map[component.Extern]component.Item{}
	for _, x := range imports {
		if _, ok := x.Type.(*component.InstanceType); ok {
			byType[x.Type] = x
		}
	}
	placed := map[string]bool{}
	var place func(x component.Item)
	place = func(x component.Item) {
		if placed[x.Name] {
			return
		}
		placed[x.Name] = true
		self := func(it *component.InstanceType) bool { return component.Extern(it) == x.Type }
		for _, dep := range r.usedInterfaces([]component.Item{x}, self) {
			if item, ok := byType[dep]; ok {
				place(item)
			} else if id := r.ifaceIDs[dep]; id != "" {
				place(externItemOf(id, dep))
			}
		}
		ct.Imports = append(ct.Imports, x)
	}
	for _, x := range imports {
		place(x)
	}
	exported := map[component.Extern]bool{}
	for _, x := range exports {
		exported[x.Type] = true
	}
	for _, x := range exports {
		have := func(it *component.InstanceType) bool { return exported[it] || byType[it].Type != nil }
		for _, dep := range r.usedInterfaces([]component.Item{x}, have) {
			if id := r.ifaceIDs[dep]; id != "" && !placed[id] {
				place(externItemOf(id, dep))
			}
		}
	}
	imported := map[component.Extern]bool{}
	for _, x := range ct.Imports {
		imported[x.Type] = true
	}
	for _, x := range exports {
		if it, ok := x.Type.(*component.InstanceType); ok && imported[it] {
			x.Type = component.FreshImport(it)
		}
		ct.Exports = append(ct.Exports, x)
	}
	return ct
}

// worldExtern resolves `import …;` or `export …;` in a world.
func (r *resolver) worldExtern(n *WorldExtern, m *members, where string) error {
	var name string
	var at Span
	var ext component.Extern
	switch p := n.Path.(type) {
	case *NamedExtern:
		name, at = p.ID.Name, p.ID.Span
		switch t := p.Type.(type) {
		case *Ident:
			it, err := r.localOrRoot(*t)
			if err != nil {
				return err
			}
			if iface, ok := it.typ.(*component.InstanceType); ok {
				ext = iface
			} else if f := funcOf(it); f != nil && it.val == nil {
				ext = f
			} else {
				return r.errorf(t.Span, "`%s` is %s, not a function type or interface", t.Name, r.describe(it))
			}
		case *FuncType, *InlineInterface:
			var err error
			if ext, err = r.inlineType(t); err != nil {
				return err
			}
		}
	case *Ident:
		it, err := r.rootItem(*p)
		if err != nil {
			return err
		}
		iface, ok := it.typ.(*component.InstanceType)
		if !ok {
			return r.errorf(p.Span, "`%s` is %s, not an interface", p.Name, r.describe(it))
		}
		name, at, ext = r.ifaceIDs[iface], p.Span, iface
	case *PackagePath:
		it, err := r.resolvePath(p)
		if err != nil {
			return err
		}
		iface, ok := it.typ.(*component.InstanceType)
		if !ok {
			return r.errorf(p.Span, "`%s` is %s, not an interface", p, r.describe(it))
		}
		name, at, ext = r.ifaceIDs[iface], p.Span, iface
	}
	if m.has(name) {
		return r.errorf(at, "%s already has an %s named `%s`", where, m.what, name)
	}
	m.add(name, ext)
	return nil
}

// inlineType resolves a type written in place of a name: a function
// type or an inline interface.
func (r *resolver) inlineType(n Node) (component.Extern, error) {
	if f, ok := n.(*FuncType); ok {
		return r.funcType(f, funcFree, nil)
	}
	return r.interfaceDecl("", n.(*InlineInterface).Items)
}

// include merges another world's imports and exports into this one,
// renaming plain names as the `with` clause says.
func (r *resolver) include(inc *IncludeDecl, imports, exports *members, world string) error {
	renames := map[string]IncludeRename{}
	for _, w := range inc.With {
		if _, dup := renames[w.From.Name]; dup {
			return r.errorf(w.From.Span, "`%s` is renamed twice", w.From.Name)
		}
		renames[w.From.Name] = w
	}
	var other *component.ComponentType
	var otherName string
	var at Span
	switch p := inc.World.(type) {
	case *Ident:
		it, err := r.rootItem(*p)
		if err != nil {
			return err
		}
		otherName, at = p.Name, p.Span
		if other, _ = it.typ.(*component.ComponentType); other == nil && it.val != nil {
			other, _ = it.val.Type.(*component.ComponentType)
		}
		if other == nil {
			return r.errorf(p.Span, "`%s` is %s, not a world", p.Name, r.describe(it))
		}
	case *PackagePath:
		it, err := r.resolvePath(p)
		if err != nil {
			return err
		}
		otherName, at = p.String(), p.Span
		if other, _ = it.typ.(*component.ComponentType); other == nil {
			return r.errorf(p.Span, "`%s` is %s, not a world", p, r.describe(it))
		}
	}
	used := map[string]bool{}
	merge := func(items []component.Item, m *members) error {
		for _, x := range items {
			name, span := x.Name, at
			if _, isIface := component.InterfaceName(name); isIface {
				// Interfaces are one thing whoever names them.
				if !m.has(name) {
					m.add(name, x.Type)
				}
				continue
			}
			if w, ok := renames[name]; ok {
				used[name] = true
				name, span = w.To.Name, w.To.Span
			}
			if m.has(name) {
				e := r.errorf(span, "%s `%s` of world `%s` conflicts with an %s of the same name in world `%s`", m.what, name, otherName, m.what, world)
				if len(inc.With) == 0 {
					e.Msg += "; rename it with `with { " + name + " as … }`"
				}
				return e
			}
			m.add(name, x.Type)
		}
		return nil
	}
	if err := merge(other.Imports, imports); err != nil {
		return err
	}
	if err := merge(other.Exports, exports); err != nil {
		return err
	}
	for _, w := range inc.With {
		if !used[w.From.Name] {
			return r.errorf(w.From.Span, "world `%s` has no import or export named `%s`", otherName, w.From.Name)
		}
	}
	return nil
}

// usedInterfaces returns the interfaces whose types the items use (by a
// name they own or a resource they declare), transitively, each after the
// interfaces it uses itself; have says which are already at hand.
func (r *resolver) usedInterfaces(items []component.Item, have func(*component.InstanceType) bool) []*component.InstanceType {
	var out []*component.InstanceType
	seen := map[*component.InstanceType]bool{}
	var w *component.TypeWalk
	var visit func(it *component.InstanceType)
	visit = func(it *component.InstanceType) {
		if it == nil || seen[it] {
			return
		}
		seen[it] = true
		w.Extern(it)
		if !have(it) {
			out = append(out, it)
		}
	}
	w = &component.TypeWalk{Visit: func(n any) bool {
		switch x := n.(type) {
		case *component.Named:
			if x.Owner != nil {
				visit(x.Owner)
			}
		case *component.Resource:
			visit(r.resourceOwner(x))
		}
		return true
	}}
	for _, it := range items {
		w.Extern(it.Type)
	}
	return out
}

// nameInterface records an interface's full name and the resources it
// declares, so that a type using them can be traced back to it.
func (r *resolver) nameInterface(it *component.InstanceType, id string) {
	r.ifaceIDs[it] = id
	for _, e := range it.Exports {
		if tb, ok := e.Type.(*component.TypeBound); ok {
			if x, ok := tb.Type.(*component.Resource); ok {
				r.resOwners[x] = it
			}
		}
	}
}

// resourceOwner finds the named interface that declares res, or nil.
func (r *resolver) resourceOwner(res *component.Resource) *component.InstanceType {
	return r.resOwners[res]
}
