package wit

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// This file reads a resolved component type as WIT: which interfaces exist,
// which package each belongs to, which named type each type export creates
// and which functions hang off which resource. It follows the decoding rules
// `wasm-tools component wit` uses, so both tools agree on names and order:
//
//   - An instance named `ns:pkg/iface@v` (or carrying an implements
//     attribute) is an interface of the foreign package `ns:pkg@v`; the same
//     name imported and exported is one interface, whose later occurrences
//     only add what the first one lacked.
//   - An instance with a plain label is an inline interface of the world.
//   - A type export whose definition is (an alias of) a type that an earlier
//     export already named becomes an alias of that type, printed as `use`
//     when the earlier name belongs to another interface.
//   - Imported modules, components and values are not part of a WIT world
//     and are skipped; exporting them is an error.

// view is the WIT reading of one component type.
type view struct {
	world    *world
	packages []*pkg // foreign packages, topologically sorted once built
	pkgByID  map[string]*pkg

	// created maps the *component.Named (or, for a `sub resource` bound,
	// the *component.Resource) that a type export introduced to the WIT
	// type it became. Type references are printed through it.
	created map[component.Type]*typeDef
	// byResource lists, per resource, every WIT type that stands for it,
	// so a bare resource handle can be named as its own scope calls it.
	byResource map[*component.Resource][]*typeDef
}

// pkg is a foreign WIT package, e.g. wasi:io@0.2.0.
type pkg struct {
	namespace, name, version string
	interfaces               []*iface
	byName                   map[string]*iface
}

// id is the package's name as WIT writes it: ns:name@version.
func (p *pkg) id() string {
	s := escape(p.namespace) + ":" + escape(p.name)
	if p.version != "" {
		s += "@" + p.version
	}
	return s
}

// iface is a WIT interface, or the world itself when it owns types and
// functions directly (isWorld).
type iface struct {
	name    string // "" for an inline interface and for the world
	pkg     *pkg   // nil for an inline interface and for the world
	isWorld bool

	types      []*typeDef
	typeByName map[string]*typeDef
	// resources holds the resources this interface defines (not uses), by
	// name: `[method]r.m` attaches to resources["r"].
	resources  map[string]*typeDef
	funcs      []*function
	funcByName map[string]*function
}

func newIface(name string, p *pkg) *iface {
	return &iface{name: name, pkg: p, typeByName: map[string]*typeDef{},
		resources: map[string]*typeDef{}, funcByName: map[string]*function{}}
}

// path is how WIT refers to the interface from outside its package.
func (i *iface) path() string {
	s := escape(i.pkg.namespace) + ":" + escape(i.pkg.name) + "/" + escape(i.name)
	if i.pkg.version != "" {
		s += "@" + i.pkg.version
	}
	return s
}

// typeDef is a named WIT type: exactly one of alias, resource or def is set.
type typeDef struct {
	name       string
	owner      *iface
	alias      *typeDef            // `type name = alias` or `use`
	resource   *component.Resource // `resource name`
	def        component.ValType   // record, variant, … or `type name = T`
	externalID string
}

// underlyingResource is the resource td stands for, or nil.
func (td *typeDef) underlyingResource() *component.Resource {
	for td.alias != nil {
		td = td.alias
	}
	return td.resource
}

// isUse reports whether td is written as a `use` of another interface's
// type rather than declared in its owner.
func (td *typeDef) isUse() bool {
	return td.alias != nil && td.alias.owner != td.owner && td.alias.owner.pkg != nil
}

type funcKind int

const (
	freestanding funcKind = iota
	constructor
	method
	static
)

// function is a WIT function; for resource functions, item is the short
// name (`read` in `[method]input-stream.read`).
type function struct {
	name       string
	item       string
	kind       funcKind
	resource   *typeDef
	typ        *component.Func
	externalID string
}

// world is the component's world: its own types and functions live in an
// iface with isWorld set.
type world struct {
	own              *iface
	imports, exports []worldItem
}

// worldItem is one import or export: an interface, a function or a type.
type worldItem struct {
	name string // the extern name: an interface id or a label
	// iface is set for instances. implements is set when a labelled
	// instance names the interface it implements (`import l: a:b/c;`).
	iface      *iface
	implements bool
	fn         *function
	typ        *typeDef
	externalID string
}

// newView reads ct as a WIT world.
func newView(ct *component.ComponentType) (*view, error) {
	v := &view{
		world:      &world{own: newIface("", nil)},
		pkgByID:    map[string]*pkg{},
		created:    map[component.Type]*typeDef{},
		byResource: map[*component.Resource][]*typeDef{},
	}
	v.world.own.isWorld = true
	for _, it := range ct.Imports {
		item, ok, err := v.item(it, true)
		if err != nil {
			return nil, fmt.Errorf("import %q: %w", it.Name, err)
		}
		if ok {
			v.world.imports = append(v.world.imports, item)
		}
	}
	for _, it := range ct.Exports {
		item, ok, err := v.item(it, false)
		if err != nil {
			return nil, fmt.Errorf("export %q: %w", it.Name, err)
		}
		if ok {
			v.world.exports = append(v.world.exports, item)
		}
	}
	v.sortPackages()
	return v, nil
}

// item reads one import or export. ok is false for imports WIT cannot show.
func (v *view) item(it component.Item, isImport bool) (worldItem, bool, error) {
	wi := worldItem{name: it.Name, externalID: it.Attr.ExternalID}
	switch t := it.Type.(type) {
	case *component.InstanceType:
		var err error
		_, named := component.InterfaceName(it.Name)
		switch {
		case it.Attr.Implements != "":
			wi.implements = true
			wi.iface, err = v.namedInterface(it.Attr.Implements, t)
		case named:
			wi.iface, err = v.namedInterface(it.Name, t)
		default:
			wi.iface, err = v.inlineInterface(t)
		}
		return wi, err == nil, err
	case *component.Func:
		fn, err := v.function(v.world.own, it.Name, t, it.Attr.ExternalID)
		if err != nil {
			return wi, false, err
		}
		wi.fn = fn
		return wi, true, nil
	case *component.TypeBound:
		if !isImport {
			return wi, false, fmt.Errorf("WIT worlds cannot export types")
		}
		td, err := v.typeExport(v.world.own, it.Name, t.Type, it.Attr.ExternalID)
		if err != nil {
			return wi, false, err
		}
		v.world.own.addType(td)
		wi.typ = td
		return wi, true, nil
	}
	if isImport {
		return wi, false, nil
	}
	return wi, false, fmt.Errorf("a WIT world can export only functions and interfaces, not %s", withArticle(component.KindName(it.Type)))
}

// namedInterface registers the interface `ns:pkg/name@v` as seen through
// one instance type, creating it, or adding what this instance type has
// and the earlier ones lacked.
func (v *view) namedInterface(id string, it *component.InstanceType) (*iface, error) {
	n, ok := component.InterfaceName(id)
	if !ok {
		return nil, fmt.Errorf("%q is not an interface name (namespace:package/interface@version)", id)
	}
	ns, pkgName, name, version := n.Namespace, n.Package, n.Interface, n.Version
	pid := ns + ":" + pkgName + "@" + version
	p := v.pkgByID[pid]
	if p == nil {
		p = &pkg{namespace: ns, name: pkgName, version: version, byName: map[string]*iface{}}
		v.pkgByID[pid] = p
		v.packages = append(v.packages, p)
	}
	ifc := p.byName[name]
	if ifc == nil {
		ifc = newIface(name, p)
		p.byName[name] = ifc
		p.interfaces = append(p.interfaces, ifc)
	}
	return ifc, v.fill(ifc, it)
}

// inlineInterface reads a labelled instance as an interface of its own.
func (v *view) inlineInterface(it *component.InstanceType) (*iface, error) {
	ifc := newIface("", nil)
	return ifc, v.fill(ifc, it)
}

// fill adds it's exports to ifc, skipping names ifc already has: a type
// seen again is recorded as another name for the existing WIT type.
func (v *view) fill(ifc *iface, it *component.InstanceType) error {
	for _, e := range it.Exports {
		switch t := e.Type.(type) {
		case *component.TypeBound:
			if prev := ifc.typeByName[e.Name]; prev != nil {
				if _, dup := v.created[t.Type]; !dup {
					v.created[t.Type] = prev
					if r := component.ResourceOf(t.Type); r != nil {
						v.byResource[r] = append(v.byResource[r], prev)
					}
				}
				continue
			}
			td, err := v.typeExport(ifc, e.Name, t.Type, e.Attr.ExternalID)
			if err != nil {
				return fmt.Errorf("type %q: %w", e.Name, err)
			}
			ifc.addType(td)
		case *component.Func:
			if ifc.funcByName[e.Name] != nil {
				continue
			}
			if _, err := v.function(ifc, e.Name, t, e.Attr.ExternalID); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%q is %s; a WIT interface holds only types and functions", e.Name, withArticle(component.KindName(e.Type)))
		}
	}
	return nil
}

// typeExport makes the WIT type that the type export `name` (bound to t)
// creates in owner.
func (v *view) typeExport(owner *iface, name string, t component.Type, externalID string) (*typeDef, error) {
	if _, dup := v.created[t]; dup {
		return nil, fmt.Errorf("the type %q appears more than once (an instance re-exported under another name?); WIT cannot show that", name)
	}
	td := &typeDef{name: name, owner: owner, externalID: externalID}
	var referenced component.Type
	if n, ok := t.(*component.Named); ok {
		referenced = n.Type
	}
	if prev := v.aliasOf(referenced); prev != nil {
		td.alias = prev
	} else {
		switch u := component.Underlying(t).(type) {
		case *component.Resource:
			td.resource = u
			owner.resources[name] = td
		case component.ValType:
			td.def = u
		default:
			return nil, fmt.Errorf("unsupported type %T", u)
		}
	}
	v.created[t] = td
	if r := td.underlyingResource(); r != nil {
		v.byResource[r] = append(v.byResource[r], td)
	}
	return td, nil
}

// aliasOf follows t's chain of names to the first one an earlier type
// export created.
func (v *view) aliasOf(t component.Type) *typeDef {
	for t != nil {
		if td, ok := v.created[t]; ok {
			return td
		}
		n, ok := t.(*component.Named)
		if !ok {
			return nil
		}
		t = n.Type
	}
	return nil
}

func (i *iface) addType(td *typeDef) {
	i.types = append(i.types, td)
	i.typeByName[td.name] = td
}

// function adds the function `name` to owner, attaching resource functions
// (`[constructor]r`, `[method]r.m`, `[static]r.m`) to their resource.
func (v *view) function(owner *iface, name string, f *component.Func, externalID string) (*function, error) {
	fn := &function{name: name, item: name, typ: f, externalID: externalID}
	var res string
	switch {
	case strings.HasPrefix(name, "[constructor]"):
		fn.kind, res = constructor, strings.TrimPrefix(name, "[constructor]")
	case strings.HasPrefix(name, "[method]"):
		fn.kind = method
		res, fn.item, _ = strings.Cut(strings.TrimPrefix(name, "[method]"), ".")
	case strings.HasPrefix(name, "[static]"):
		fn.kind = static
		res, fn.item, _ = strings.Cut(strings.TrimPrefix(name, "[static]"), ".")
	}
	if fn.kind != freestanding {
		fn.resource = owner.resources[res]
		if fn.resource == nil {
			return nil, fmt.Errorf("function %q belongs to resource %q, which is not defined beside it", name, res)
		}
	}
	owner.funcs = append(owner.funcs, fn)
	owner.funcByName[name] = fn
	return fn, nil
}

// sortPackages orders packages so that a package comes after every package
// it uses types from, keeping first-seen order otherwise.
func (v *view) sortPackages() {
	var order []*pkg
	done := map[*pkg]bool{}
	var visit func(p *pkg)
	visit = func(p *pkg) {
		if done[p] {
			return
		}
		done[p] = true
		for _, ifc := range p.interfaces {
			for _, td := range ifc.types {
				if td.isUse() && td.alias.owner.pkg != p {
					visit(td.alias.owner.pkg)
				}
			}
		}
		order = append(order, p)
	}
	for _, p := range v.packages {
		visit(p)
	}
	v.packages = order
}

func withArticle(noun string) string {
	if strings.IndexByte("aeiou", noun[0]) >= 0 {
		return "an " + noun
	}
	return "a " + noun
}
