package wac

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Resolve evaluates doc against the packages pkgs supplies and returns the
// composition it describes. It reports the first problem as an *Error
// positioned in the document. Resolve checks names, kinds and arity; the
// types of the links are checked when the composition is built into a
// graph.
func Resolve(ctx context.Context, doc *Document, pkgs PackageResolver) (*Composition, error) {
	r := &resolver{
		ctx:       ctx,
		doc:       doc,
		file:      doc.File,
		pkgs:      pkgs,
		loaded:    map[string]*Package{},
		ifaceIDs:  map[*component.InstanceType]string{},
		resOwners: map[*component.Resource]*component.InstanceType{},
		comp:      &Composition{Doc: doc},
		aliases:   map[aliasKey]*Value{},
		exported:  map[string]Span{},
		imported:  map[string]Span{},
	}
	r.root = &scope{names: map[string]binding{}}
	r.cur = r.root
	for _, st := range doc.Stmts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		switch st := st.(type) {
		case *ImportStmt:
			err = r.importStmt(st)
		case *LetStmt:
			err = r.letStmt(st)
		case *ExportStmt:
			err = r.exportStmt(st)
		default:
			err = r.typeStmt(st)
		}
		if err != nil {
			return nil, err
		}
	}
	if doc.Targets != nil {
		t, err := r.resolvePath(doc.Targets)
		if err != nil {
			return nil, err
		}
		w, ok := t.typ.(*component.ComponentType)
		if !ok {
			return nil, r.errorf(doc.Targets.Span, "`%s` is %s, not a world", doc.Targets, r.describe(t))
		}
		r.comp.Target = &Target{Path: doc.Targets, World: w}
	}
	return r.comp, nil
}

// resolver holds the state of one Resolve call.
type resolver struct {
	ctx    context.Context
	doc    *Document
	file   *File
	pkgs   PackageResolver
	loaded map[string]*Package
	comp   *Composition
	// root is the document's scope; cur is the scope of the interface or
	// world being declared, or root.
	root, cur *scope
	// ifaceIDs are the full names (`ns:pkg/i@v`) of the interfaces known by
	// one: those the document declares and those packages define. An
	// interface used by another is imported under this name.
	ifaceIDs map[*component.InstanceType]string
	// resOwners caches which of those interfaces declares each resource.
	resOwners map[*component.Resource]*component.InstanceType
	aliases   map[aliasKey]*Value
	// exported and imported are the names taken so far, with the span of
	// the statement that took each.
	exported, imported map[string]Span
}

type aliasKey struct {
	of   *Value
	name string
}

// scope maps names to what they stand for.
type scope struct {
	names map[string]binding
}

type binding struct {
	item item
	span Span
}

// item is what a name stands for: a type or a composition value.
type item struct {
	// typ is a value type (possibly *component.Named), a resource, a
	// *component.Func (a function type), an *component.InstanceType (an
	// interface) or a *component.ComponentType (a world).
	typ component.Type
	val *Value
	// def is the export of a top-level type declaration.
	def *TypeExport
}

func (r *resolver) errorf(s Span, format string, args ...any) *Error {
	return &Error{File: r.file, Span: s, Msg: fmt.Sprintf(format, args...)}
}

func (r *resolver) define(id Ident, it item) error {
	if prev, ok := r.cur.names[id.Name]; ok {
		e := r.errorf(id.Span, "`%s` is already defined", id.Name)
		e.Notes = []Note{{Span: prev.span, Msg: fmt.Sprintf("`%s` was first defined here", id.Name)}}
		return e
	}
	r.cur.names[id.Name] = binding{item: it, span: id.Span}
	if it.val != nil && it.val.Instance != nil && it.val.Instance.Name == "" {
		it.val.Instance.Name = id.Name
	}
	return nil
}

// local looks a name up in the current scope only: inside an interface or
// world, a type must be declared or used there.
func (r *resolver) local(id Ident) (item, error) {
	if b, ok := r.cur.names[id.Name]; ok {
		return b.item, nil
	}
	return item{}, r.errorf(id.Span, "undefined name `%s`", id.Name)
}

// rootItem looks a name up in the document's scope.
func (r *resolver) rootItem(id Ident) (item, error) {
	if b, ok := r.root.names[id.Name]; ok {
		return b.item, nil
	}
	return item{}, r.errorf(id.Span, "undefined name `%s`", id.Name)
}

// localOrRoot looks in the current scope, then in the document's.
func (r *resolver) localOrRoot(id Ident) (item, error) {
	if b, ok := r.cur.names[id.Name]; ok {
		return b.item, nil
	}
	return r.rootItem(id)
}

// describe names what an item is, for messages: "a record", "an
// interface", "a function".
func (r *resolver) describe(it item) string {
	if it.val != nil {
		return article(externKind(it.val.Type))
	}
	return article(typeKind(it.typ))
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// externKind names the kind of a value.
func externKind(e component.Extern) string {
	switch e.(type) {
	case *component.InstanceType:
		return "instance"
	case *component.ComponentType:
		return "component"
	case *component.TypeBound:
		return "type"
	}
	return component.KindName(e)
}

// typeKind names the kind of a type.
func typeKind(t component.Type) string {
	switch u := component.Underlying(t).(type) {
	case *component.InstanceType:
		return "interface"
	case *component.ComponentType:
		return "world"
	case *component.Func:
		return "function type"
	case *component.Resource:
		return "resource"
	case *component.Record:
		return "record"
	case *component.Variant:
		return "variant"
	case *component.Enum:
		return "enum"
	case *component.Flags:
		return "flags type"
	case *component.List:
		return "list type"
	case *component.Tuple:
		return "tuple type"
	case *component.Option:
		return "option type"
	case *component.Result:
		return "result type"
	case *component.Own, *component.Borrow:
		return "handle type"
	case *component.Stream:
		return "stream type"
	case *component.Future:
		return "future type"
	case *component.Map:
		return "map type"
	case component.Prim:
		return "`" + component.FormatType(u) + "` type"
	}
	return "type"
}

// promote turns an item into the type of an import or export of it: an
// interface becomes an instance, a world a component, a value type or
// resource a type bound.
func promote(it item) component.Extern {
	if it.val != nil {
		return it.val.Type
	}
	switch t := it.typ.(type) {
	case *component.InstanceType:
		return t
	case *component.ComponentType:
		return t
	case *component.Func:
		return t
	}
	if f, ok := component.Underlying(it.typ).(*component.Func); ok {
		return f
	}
	return &component.TypeBound{Type: it.typ}
}

// pkg loads a package once per name and version.
func (r *resolver) pkg(name, version string, s Span) (*Package, error) {
	key := packageKey(name, version)
	if p, ok := r.loaded[key]; ok {
		return p, nil
	}
	data, err := r.pkgs.ResolvePackage(r.ctx, name, version)
	if err != nil {
		if errors.Is(err, ErrUnknownPackage) {
			e := r.errorf(s, "unknown package `%s`", key)
			if detail := strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrUnknownPackage.Error()), ": "); detail != "" && detail != err.Error() {
				e.Err = errors.New(detail)
			}
			return nil, e
		}
		e := r.errorf(s, "package `%s` failed to load", key)
		e.Err = err
		return nil, e
	}
	p, err := loadPackage(name, version, data)
	if err != nil {
		e := r.errorf(s, "package `%s` is not a valid component", key)
		e.Err = err
		return nil, e
	}
	for i := range p.defs {
		d := &p.defs[i]
		if it, ok := d.typ.(*component.InstanceType); ok {
			r.nameInterface(it, d.id)
		}
		// A definition's wrapper imports its own copy of each interface it
		// uses; knowing those copies by name lets an import of the
		// definition bring them along.
		for _, x := range d.wrapper.Imports {
			if it, ok := x.Type.(*component.InstanceType); ok {
				if _, isIface := component.InterfaceName(x.Name); isIface {
					r.nameInterface(it, x.Name)
				}
			}
		}
	}
	r.loaded[key] = p
	r.comp.Packages = append(r.comp.Packages, p)
	return p, nil
}

// resolvePath resolves a package path: the first segment names a
// definition of the package (or, for the document's own package, a
// top-level name), the rest project into exports.
func (r *resolver) resolvePath(path *PackagePath) (item, error) {
	var cur item
	if path.Package == r.doc.Package.Name {
		it, err := r.rootItem(path.Segments[0])
		if err != nil {
			return item{}, err
		}
		cur = it
	} else {
		p, err := r.pkg(path.Package, path.Version, path.NameSpan)
		if err != nil {
			return item{}, err
		}
		seg := path.Segments[0]
		d := p.def(seg.Name)
		if d == nil {
			if len(p.defs) == 0 {
				return item{}, r.errorf(seg.Span, "package `%s` is a component, not a WIT package: it defines no interface or world `%s`", p.key(), seg.Name)
			}
			return item{}, r.errorf(seg.Span, "package `%s` has no interface or world named `%s`", p.key(), seg.Name)
		}
		cur = item{typ: d.typ}
	}
	for i, seg := range path.Segments[1:] {
		var exports []component.Item
		switch t := promote(cur).(type) {
		case *component.InstanceType:
			exports = t.Exports
		case *component.ComponentType:
			exports = t.Exports
		default:
			return item{}, r.errorf(seg.Span, "`%s` is %s and has no exports", path.Segments[i].Name, r.describe(cur))
		}
		var found *component.Item
		for j := range exports {
			if exports[j].Name == seg.Name {
				found = &exports[j]
			}
		}
		if found == nil {
			return item{}, r.errorf(seg.Span, "`%s` has no export named `%s`", path.Segments[i].Name, seg.Name)
		}
		cur = externItem(found.Type)
	}
	return cur, nil
}

// externItem views an export found through a path as a type item.
func externItem(e component.Extern) item {
	switch x := e.(type) {
	case *component.TypeBound:
		return item{typ: x.Type}
	case *component.InstanceType:
		return item{typ: x}
	case *component.ComponentType:
		return item{typ: x}
	case *component.Func:
		return item{typ: x}
	}
	return item{val: &Value{Type: e}}
}

// Load parses the document src, named name in messages, and resolves it
// against pkgs: what a driver calls with its members' bytes (Packages)
// before Plan.
func Load(ctx context.Context, name string, src []byte, pkgs PackageResolver) (*Composition, error) {
	doc, err := Parse(NewFile(name, src))
	if err != nil {
		return nil, err
	}
	return Resolve(ctx, doc, pkgs)
}
