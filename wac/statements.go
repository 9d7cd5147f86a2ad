package wac

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

func (r *resolver) importStmt(st *ImportStmt) error {
	name, at := st.ID.Name, st.ID.Span
	var ext component.Extern
	switch t := st.Type.(type) {
	case *PackagePath:
		it, err := r.resolvePath(t)
		if err != nil {
			return err
		}
		ext, name, at = promote(it), t.String(), t.Span
	case *FuncType, *InlineInterface:
		var err error
		if ext, err = r.inlineType(t); err != nil {
			return err
		}
	case *Ident:
		it, err := r.local(*t)
		if err != nil {
			return err
		}
		ext = promote(it)
		if it.val != nil {
			if id := r.instanceID(it.val); id != "" {
				name = id
			}
		}
	}
	if st.As != nil {
		name, at = st.As.Value, st.As.Span
	}
	if _, err := component.ParseName(name); err != nil {
		e := r.errorf(at, "import name `%s` is not valid", name)
		e.Err = nameErr(err)
		return e
	}
	if prev, ok := r.imported[name]; ok {
		e := r.errorf(at, "duplicate import `%s`", name)
		if st.As == nil {
			e.Msg += "; give this one another name with `as`"
		}
		e.Notes = []Note{{Span: prev, Msg: "the first import of that name"}}
		return e
	}
	r.imported[name] = at
	imp := &Import{Name: name, Type: ext, Span: at, Uses: r.uses(ext)}
	r.comp.Imports = append(r.comp.Imports, imp)
	return r.define(st.ID, item{val: &Value{Import: imp, Type: ext}})
}

// uses lists the interfaces whose types ext uses, dependencies first.
func (r *resolver) uses(ext component.Extern) []component.Item {
	self := func(it *component.InstanceType) bool { return component.Extern(it) == ext }
	var out []component.Item
	for _, dep := range r.usedInterfaces([]component.Item{{Type: ext}}, self) {
		if id := r.ifaceIDs[dep]; id != "" {
			out = append(out, externItemOf(id, dep))
		}
	}
	return out
}

// nameErr drops the name from a component.NameError, which the message
// already shows.
func nameErr(err error) error {
	if ne, ok := err.(*component.NameError); ok {
		return fmt.Errorf("%s", ne.Msg)
	}
	return err
}

func (r *resolver) letStmt(st *LetStmt) error {
	it, err := r.expr(st.Expr)
	if err != nil {
		return err
	}
	return r.define(st.ID, it)
}

func (r *resolver) exportStmt(st *ExportStmt) error {
	it, err := r.expr(st.Expr)
	if err != nil {
		return err
	}
	switch {
	case st.Spread != nil:
		inst, ok := r.instance(it)
		if !ok {
			return r.errorf(st.Expr.Span, "`...` spreads an instance's exports, but this is %s", r.describe(it))
		}
		any := false
		for _, e := range inst.Exports {
			if _, done := r.exported[e.Name]; done {
				continue
			}
			if err := r.export(item{val: r.alias(it.val, e.Name, st.Expr.Span)}, e.Name, *st.Spread, false); err != nil {
				return err
			}
			any = true
		}
		if !any {
			return r.errorf(st.Expr.Span, "spreading this instance exports nothing: it has no exports, or each is exported already")
		}
		return nil
	case st.As != nil:
		return r.export(it, st.As.Value, st.As.Span, false)
	}
	name := r.exportName(it)
	if name == "" {
		return r.errorf(st.Expr.Span, "the export's name cannot be inferred from this expression; give one with `as`")
	}
	return r.export(it, name, st.Expr.Span, true)
}

// exportName infers the name an item is exported under: an instance's
// interface name, an import's name, or the name of the export accessed.
func (r *resolver) exportName(it item) string {
	if it.val == nil {
		return ""
	}
	if id := r.instanceID(it.val); id != "" {
		return id
	}
	switch {
	case it.val.Import != nil:
		return it.val.Import.Name
	case it.val.Of != nil:
		return it.val.Export
	}
	return ""
}

// instanceID is the full interface name of an instance value, if it has
// one: the interface it is typed by, or the interface name it was
// exported under.
func (r *resolver) instanceID(v *Value) string {
	it, ok := v.Type.(*component.InstanceType)
	if !ok {
		return ""
	}
	if id := r.ifaceIDs[it]; id != "" {
		return id
	}
	if v.Of != nil {
		if _, ok := component.InterfaceName(v.Export); ok {
			return v.Export
		}
	}
	return ""
}

func (r *resolver) export(it item, name string, at Span, inferred bool) error {
	hint := ""
	if inferred {
		hint = "; give it another name with `as`"
	}
	if b, ok := r.root.names[name]; ok && b.item.def != nil {
		e := r.errorf(at, "export `%s` conflicts with the %s `%s` the document declares%s", name, typeKind(b.item.typ), name, hint)
		e.Notes = []Note{{Span: b.span, Msg: "declared here"}}
		return e
	}
	if it.val == nil && it.def == nil {
		return r.errorf(at, "cannot export %s: only the document's top-level types are exported, by declaring them", r.describe(it))
	}
	if _, err := component.ParseName(name); err != nil {
		e := r.errorf(at, "export name `%s` is not valid", name)
		e.Err = nameErr(err)
		return e
	}
	if prev, ok := r.exported[name]; ok {
		e := r.errorf(at, "duplicate export `%s`%s", name, hint)
		e.Notes = []Note{{Span: prev, Msg: "the first export of that name"}}
		return e
	}
	r.exported[name] = at
	if it.def != nil {
		// Exporting a declared type under another name renames its
		// export; the first name stays taken, as in wac.
		it.def.Name, it.def.Span = name, at
		return nil
	}
	r.comp.Exports = append(r.comp.Exports, &Export{Name: name, Value: it.val, Span: at})
	return nil
}

// instance returns the type of an instance value.
func (r *resolver) instance(it item) (*component.InstanceType, bool) {
	if it.val == nil {
		return nil, false
	}
	inst, ok := it.val.Type.(*component.InstanceType)
	return inst, ok
}

// alias returns the value of export name of instance v (which has it),
// one value per export however often it is accessed; at is where it is
// first taken.
func (r *resolver) alias(v *Value, name string, at Span) *Value {
	k := aliasKey{of: v, name: name}
	if a, ok := r.aliases[k]; ok {
		return a
	}
	inst := v.Type.(*component.InstanceType)
	a := &Value{Of: v, Export: name, Type: inst.Export(name).Type, Span: at}
	r.aliases[k] = a
	return a
}

func (r *resolver) expr(e *Expr) (item, error) {
	var it item
	var err error
	switch p := e.Primary.(type) {
	case *Ident:
		it, err = r.local(*p)
	case *NestedExpr:
		it, err = r.expr(p.Inner)
	case *NewExpr:
		it, err = r.newExpr(p)
	}
	if err != nil {
		return item{}, err
	}
	parent := e.Primary.NodeSpan()
	for _, pf := range e.Postfix {
		inst, ok := r.instance(it)
		if !ok {
			return item{}, r.errorf(parent, "only an instance has exports to access, but this is %s", r.describe(it))
		}
		var name string
		switch a := pf.(type) {
		case *AccessExpr:
			name = a.ID.Name
			if m := matchInterface(name, inst.Exports); m != "" {
				name = m
			}
		case *NamedAccessExpr:
			name = a.Name.Value
		}
		if inst.Export(name) == nil {
			return item{}, r.errorf(pf.NodeSpan(), "the instance has no export named `%s`%s", name, suggest(name, inst.Exports))
		}
		it = item{val: r.alias(it.val, name, pf.NodeSpan())}
		parent = pf.NodeSpan()
	}
	return it, nil
}

// suggest lists names that look like the one not found.
func suggest(name string, items []component.Item) string {
	var close []string
	short := shortName(name)
	for _, it := range items {
		if shortName(it.Name) == short && it.Name != name {
			close = append(close, "`"+it.Name+"`")
		}
	}
	if len(close) == 0 {
		return ""
	}
	return " (did you mean " + strings.Join(close, " or ") + "?)"
}

// shortName is the last segment of an interface name, without version:
// `streams` for `wasi:io/streams@0.2.0`; a plain name is itself.
func shortName(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	return name
}

// matchInterface finds the one interface name among items whose last
// segment is name (`streams` → `wasi:io/streams@0.2.0`). It returns ""
// if an item is called name exactly, or if zero or several match.
func matchInterface(name string, items []component.Item) string {
	found := ""
	for _, it := range items {
		if it.Name == name {
			return ""
		}
		if strings.ContainsRune(it.Name, '/') && shortName(it.Name) == name {
			if found != "" {
				return ""
			}
			found = it.Name
		}
	}
	return found
}

func (r *resolver) newExpr(n *NewExpr) (item, error) {
	if n.Package.Name == r.doc.Package.Name {
		return item{}, r.errorf(n.Package.Span, "a document cannot instantiate its own package `%s`", n.Package.Name)
	}
	p, err := r.pkg(n.Package.Name, n.Package.Version, n.Package.Span)
	if err != nil {
		return item{}, err
	}
	ct := p.Type
	inst := &Instance{Package: p, Span: n.Package.Span}
	have := map[string]bool{}
	add := func(a *Arg) error {
		if have[a.Name] {
			return r.errorf(a.Span, "argument `%s` is given twice", a.Name)
		}
		if ct.Import(a.Name) == nil {
			return r.errorf(a.Span, "component `%s` has no import named `%s`%s", p.key(), a.Name, suggest(a.Name, ct.Imports))
		}
		have[a.Name] = true
		inst.Args = append(inst.Args, a)
		return nil
	}
	for i, a := range n.Args {
		switch a := a.(type) {
		case *FillArg:
			if i != len(n.Args)-1 {
				return item{}, r.errorf(a.Span, "`...` must be the last argument")
			}
			inst.Fill = true
		case *InferredArg:
			it, err := r.local(a.ID)
			if err != nil {
				return item{}, err
			}
			v, err := r.argValue(it, a.ID.Span)
			if err != nil {
				return item{}, err
			}
			if err := add(&Arg{Name: r.inferArgName(a.ID.Name, v, ct), Value: v, Span: a.ID.Span}); err != nil {
				return item{}, err
			}
		case *NamedArg:
			it, err := r.expr(a.Expr)
			if err != nil {
				return item{}, err
			}
			v, err := r.argValue(it, a.Expr.Span)
			if err != nil {
				return item{}, err
			}
			name := a.Name.Value
			if m := matchInterface(name, ct.Imports); !a.Name.Quoted && m != "" {
				name = m
			}
			if err := add(&Arg{Name: name, Value: v, Span: a.Name.Span}); err != nil {
				return item{}, err
			}
		}
	}
	// Spreads fill what the other arguments left, in order.
	for _, a := range n.Args {
		s, ok := a.(*SpreadArg)
		if !ok {
			continue
		}
		it, err := r.local(s.ID)
		if err != nil {
			return item{}, err
		}
		from, ok := r.instance(it)
		if !ok {
			return item{}, r.errorf(s.ID.Span, "`...` spreads an instance's exports, but `%s` is %s", s.ID.Name, r.describe(it))
		}
		any := false
		for _, imp := range ct.Imports {
			if have[imp.Name] || from.Export(imp.Name) == nil {
				continue
			}
			if err := add(&Arg{Name: imp.Name, Value: r.alias(it.val, imp.Name, s.ID.Span), Span: s.ID.Span}); err != nil {
				return item{}, err
			}
			any = true
		}
		if !any {
			return item{}, r.errorf(s.ID.Span, "`%s` has no export matching an argument still missing", s.ID.Name)
		}
	}
	if !inst.Fill {
		var missing []string
		for _, imp := range ct.Imports {
			if !have[imp.Name] {
				missing = append(missing, "`"+imp.Name+"`")
			}
		}
		switch count := len(missing); {
		case count == 1:
			return item{}, r.errorf(n.Package.Span, "missing argument %s for `%s`; pass it, or end the arguments with `...` to import it", missing[0], p.key())
		case count > 1:
			list := strings.Join(missing[:min(count, 3)], ", ")
			if count > 3 {
				list += fmt.Sprintf(" and %d more", count-3)
			}
			return item{}, r.errorf(n.Package.Span, "missing arguments for `%s`: %s; pass them, or end the arguments with `...` to import them", p.key(), list)
		}
	}
	r.comp.Instances = append(r.comp.Instances, inst)
	return item{val: &Value{Instance: inst, Type: &component.InstanceType{Exports: ct.Exports}}}, nil
}

// argValue checks that an argument is a value, not a type.
func (r *resolver) argValue(it item, at Span) (*Value, error) {
	if it.val == nil {
		return nil, r.errorf(at, "%s cannot be passed as an argument; pass an import, an instance or an instance's export", r.describe(it))
	}
	return it.val, nil
}

// inferArgName is the import an argument passed by local name satisfies:
// the interface its instance implements, the name it was imported or
// exported under, the one import whose last segment is the local name,
// or the local name itself.
func (r *resolver) inferArgName(local string, v *Value, ct *component.ComponentType) string {
	if id := r.instanceID(v); id != "" && ct.Import(id) != nil {
		return id
	}
	switch {
	case v.Import != nil:
		if ct.Import(v.Import.Name) != nil {
			return v.Import.Name
		}
	case v.Of != nil:
		if ct.Import(v.Export) != nil {
			return v.Export
		}
	}
	if m := matchInterface(local, ct.Imports); m != "" {
		return m
	}
	return local
}
