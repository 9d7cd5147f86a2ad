package graph

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// ComponentID names a component added to a Graph.
type ComponentID int

// InstanceID names an instance in a Graph.
type InstanceID int

// ImportID names an explicit import of the result (Graph.Import). In a
// Plan, imports that no one declared but some instance needs get IDs too,
// after the explicit ones.
type ImportID int

// Graph is a composition under construction. Its zero value is not usable;
// call New. Mutators validate their arguments and leave the graph unchanged
// when they return an error; the errors name the instance, import or
// export at fault.
type Graph struct {
	components []*componentNode
	instances  []*instanceNode
	imports    []*importNode
	exports    []*exportNode // in Export order
	root       InstanceID    // -1: none
	// noShare turns off storing identical nested modules once (share.go).
	noShare bool
}

type componentNode struct {
	name string
	ct   *component.ComponentType
	data []byte
}

type instanceNode struct {
	name string
	comp ComponentID
	// ct is this instance's own copy of its component's type
	// (component.Fresh): resource identity is pointer identity, and two
	// instances of one component have distinct resources, so binding one
	// instance's imported resource must not bind the other's.
	ct *component.ComponentType
	// args are the explicit arguments, by import name; Resolve visits them
	// in the component's import order, never map order.
	args map[string]Source
	fill Fill
	keep bool
	// wiredOnly: the instance's exports serve only explicit arguments;
	// auto-plugging never picks them (WiredOnly).
	wiredOnly bool
}

type importNode struct {
	name string
	typ  component.Extern
	// open imports (the dependencies ImportItem declares) take in the
	// instance imports of their name: their type widens to the union.
	open bool
}

type exportNode struct {
	name string
	from Source
	// defined is set for a type the graph itself defines (ExportType);
	// from is unused then.
	defined component.Type
}

// Fill says what happens to an instance's imports that no explicit
// argument (SetArg) satisfies.
type Fill uint8

const (
	// FillAuto plugs each one by name: an explicit import of the result
	// with that name (or a semver-compatible one), else the one other
	// instance exporting it (exact name first, then semver-compatible;
	// never the root, never the instance itself), else the result imports
	// it. This is `wcomp compose`'s auto-plugging and the default.
	FillAuto Fill = iota
	// FillImport makes each one an import of the result, merged with the
	// other instances' compatible imports; nothing is plugged by name.
	// This is WAC's `...`. An implicit import may not share its name with
	// an explicit import.
	FillImport
	// FillNone requires an explicit argument for every import; a missing
	// one is a *MissingArgError from Resolve. This is WAC's `new` without
	// `...`.
	FillNone
)

func (f Fill) String() string {
	switch f {
	case FillAuto:
		return "auto"
	case FillImport:
		return "import"
	case FillNone:
		return "none"
	}
	return "?"
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{root: -1}
}

// AddComponent adds a component, its resolved type, and its bytes (kept
// for the encoder, never read here). Names must be unique.
func (g *Graph) AddComponent(name string, ct *component.ComponentType, data []byte) (ComponentID, error) {
	if name == "" {
		return -1, errors.New("add component: empty name")
	}
	if ct == nil {
		return -1, fmt.Errorf("add component %s: no type", name)
	}
	if _, dup := g.ComponentByName(name); dup {
		return -1, fmt.Errorf("add component %s: a component with that name already exists", name)
	}
	if err := uniqueNames("import", ct.Imports); err != nil {
		return -1, fmt.Errorf("add component %s: %w", name, err)
	}
	if err := uniqueNames("export", ct.Exports); err != nil {
		return -1, fmt.Errorf("add component %s: %w", name, err)
	}
	g.components = append(g.components, &componentNode{name: name, ct: ct, data: data})
	return ComponentID(len(g.components) - 1), nil
}

func uniqueNames(what string, items []component.Item) error {
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if seen[it.Name] {
			return fmt.Errorf("duplicate %s %q", what, it.Name)
		}
		seen[it.Name] = true
	}
	return nil
}

// Instantiate adds an instance of comp named name (see CheckInstanceName).
// One component may be instantiated any number of times under different
// names; each instance gets resources of its own, as in the component
// model, where resource types are generative. The instance's imports are
// filled with FillAuto until SetFill says otherwise.
func (g *Graph) Instantiate(comp ComponentID, name string) (InstanceID, error) {
	if err := CheckInstanceName(name); err != nil {
		return -1, fmt.Errorf("instantiate: instance name: %w", err)
	}
	if !g.validComponent(comp) {
		return -1, fmt.Errorf("instantiate %s: unknown component id %d", name, comp)
	}
	if _, ok := g.InstanceByName(name); ok {
		return -1, fmt.Errorf("instantiate %s: an instance with that name already exists", name)
	}
	ct := component.Fresh(g.components[comp].ct)
	g.instances = append(g.instances, &instanceNode{name: name, comp: comp, ct: ct, args: map[string]Source{}})
	return InstanceID(len(g.instances) - 1), nil
}

// CheckInstanceName says why name cannot name an instance, or returns nil.
// An instance name is what CONSUMER and PROVIDER are in a wire
// (`CONSUMER:IMPORT=PROVIDER:EXPORT`), so it must not contain the syntax's
// ':' or '='.
func CheckInstanceName(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case strings.ContainsAny(name, ":="):
		return fmt.Errorf("%q must not contain ':' or '='", name)
	}
	return nil
}

// Import adds an explicit import of the result, named name and typed typ
// (any extern but a core module or a value). An explicit import is passed
// to instances by SetArg with ImportOf or ImportExportOf, and, under
// FillAuto, plugs every import of the same (or a semver-compatible) name
// that no argument satisfies. Resources that typ declares with
// (sub resource) become the import's own; resources it only uses (a
// wasi:io/streams type using wasi:io/error's `error`) must be another
// import's, as Resolve checks.
func (g *Graph) Import(name string, typ component.Extern) (ImportID, error) {
	if _, err := component.ParseName(name); err != nil {
		return -1, fmt.Errorf("import %q: the name is not valid: %w", name, err)
	}
	switch typ.(type) {
	case *component.Func, *component.InstanceType, *component.ComponentType, *component.TypeBound:
	case nil:
		return -1, fmt.Errorf("import %s: no type", name)
	default:
		return -1, fmt.Errorf("import %s: importing a %s is not supported", name, component.KindName(typ))
	}
	if id, ok := g.ImportByName(name); ok {
		return -1, fmt.Errorf("import %s: the result already imports %q (import %d)", name, name, id)
	}
	g.imports = append(g.imports, &importNode{name: name, typ: component.FreshImport(typ)})
	return ImportID(len(g.imports) - 1), nil
}

// ImportItem adds an explicit import named name, typed as item, an import
// or export of ct: a component the graph need not instantiate, as WAC's
// `import x: pkg/iface` types an import by a package's interface. As wac
// does, the other items of ct whose types item uses (an interface's `use`
// of another) are imported too, each under its own name, before it; one
// the result already imports is reused. Those dependency imports are open:
// an instance's import of the same name (or a semver-compatible one) that
// would be imported too joins them, and their type widens to the union.
func (g *Graph) ImportItem(name string, ct *component.ComponentType, item string) (ImportID, error) {
	if ct == nil {
		return -1, fmt.Errorf("import %s: no component type", name)
	}
	main := ct.Export(item)
	if main == nil {
		main = ct.Import(item)
	}
	if main == nil {
		return -1, fmt.Errorf("import %s: the component has no import or export %q", name, item)
	}
	if _, err := component.ParseName(name); err != nil {
		return -1, fmt.Errorf("import %q: the name is not valid: %w", name, err)
	}
	if id, ok := g.ImportByName(name); ok {
		return -1, fmt.Errorf("import %s: the result already imports %q (import %d)", name, name, id)
	}
	deps := itemDependencies(ct, *main)
	bound := map[component.Type]component.Type{}
	var declare []component.Item
	for _, d := range deps {
		if id, ok := g.ImportByName(d.Name); ok {
			matchTypes(d.Type, g.imports[id].typ, bound)
			continue
		}
		declare = append(declare, d)
	}
	all := &component.InstanceType{Exports: append(append([]component.Item(nil), declare...), component.Item{Name: name, Type: main.Type})}
	fresh := component.FreshImportWith(all, bound).(*component.InstanceType)
	for _, d := range fresh.Exports[:len(declare)] {
		g.imports = append(g.imports, &importNode{name: d.Name, typ: d.Type, open: true})
	}
	g.imports = append(g.imports, &importNode{name: name, typ: fresh.Exports[len(declare)].Type})
	return ImportID(len(g.imports) - 1), nil
}

// itemDependencies lists, dependencies first, the items of ct other than
// it whose instance types or resources it's type refers to.
func itemDependencies(ct *component.ComponentType, it component.Item) []component.Item {
	owner := map[component.Type]int{}
	items := append(append([]component.Item(nil), ct.Imports...), ct.Exports...)
	for i, x := range items {
		switch t := x.Type.(type) {
		case *component.InstanceType:
			owner[t] = i
			for _, e := range t.Exports {
				if tb, ok := e.Type.(*component.TypeBound); ok {
					if r, ok := tb.Type.(*component.Resource); ok {
						owner[r] = i
					}
				}
			}
		case *component.TypeBound:
			if _, ok := owner[t.Type]; !ok {
				owner[t.Type] = i
			}
		}
	}
	var out []component.Item
	placed := map[int]bool{}
	var visit func(x component.Extern, self component.Extern)
	visit = func(x component.Extern, self component.Extern) {
		visitNamed(x, func(t component.Type) bool {
			i, ok := owner[t]
			if n, isNamed := t.(*component.Named); !ok && isNamed && n.Owner != nil {
				i, ok = owner[n.Owner]
			}
			if !ok || items[i].Type == self {
				return true
			}
			if !placed[i] {
				placed[i] = true
				visit(items[i].Type, items[i].Type)
				out = append(out, items[i])
			}
			return false
		})
	}
	visit(it.Type, it.Type)
	return out
}

// matchTypes records in bound that the resources and instance types of
// from (a component's item) are those of to (an import already declared
// under the same name), matching exports by name.
func matchTypes(from, to component.Extern, bound map[component.Type]component.Type) {
	fi, ok1 := from.(*component.InstanceType)
	ti, ok2 := to.(*component.InstanceType)
	if !ok1 || !ok2 {
		return
	}
	bound[fi] = ti
	for _, e := range fi.Exports {
		te := ti.Export(e.Name)
		if te == nil {
			continue
		}
		fb, ok1 := e.Type.(*component.TypeBound)
		tb, ok2 := te.Type.(*component.TypeBound)
		if ok1 && ok2 {
			if fr, ok := fb.Type.(*component.Resource); ok {
				if tr := component.ResourceOf(tb.Type); tr != nil {
					bound[fr] = tr
				}
			}
		}
	}
}

// SetArg gives consumer's import importName the argument from. The kind of
// what from names must be the import's kind (an instance for an instance
// import, a function for a function, …); the subtype check runs in
// Resolve, where resource bindings are known. Setting the same argument
// again is a no-op; setting another for the same import is an error.
func (g *Graph) SetArg(consumer InstanceID, importName string, from Source) error {
	if !g.validInstance(consumer) {
		return fmt.Errorf("set argument: unknown instance id %d", consumer)
	}
	cn := g.instances[consumer]
	imp := cn.ct.Import(importName)
	if imp == nil {
		return &MissingImportError{Instance: cn.name, Component: g.components[cn.comp].name, Import: importName}
	}
	actual, err := g.sourceType(from)
	if err != nil {
		return err
	}
	if from.Kind == SourceInstance || from.Kind == SourceExport {
		if from.Instance == consumer {
			return &CycleError{Path: []string{cn.name, cn.name}, Links: []string{importName}}
		}
	}
	if ka, ke := component.KindName(actual), component.KindName(imp.Type); ka != ke {
		return &LinkError{Consumer: cn.name, Import: importName, From: g.describe(from),
			Err: fmt.Errorf("expected %s, found %s", articled(ke), articled(ka))}
	}
	if prev, ok := cn.args[importName]; ok {
		if prev == from {
			return nil // the same argument again asks for nothing new
		}
		return fmt.Errorf("%s.%s is already given %s: an import takes one argument", cn.name, importName, g.describe(prev))
	}
	cn.args[importName] = from
	return nil
}

// Wire links consumer's import importName to provider's export
// exportName: SetArg(consumer, importName, ExportOf(provider, exportName)).
func (g *Graph) Wire(consumer InstanceID, importName string, provider InstanceID, exportName string) error {
	return g.SetArg(consumer, importName, ExportOf(provider, exportName))
}

// SetFill says how id's imports without an explicit argument are filled.
func (g *Graph) SetFill(id InstanceID, f Fill) error {
	if !g.validInstance(id) {
		return fmt.Errorf("set fill: unknown instance id %d", id)
	}
	if f > FillNone {
		return fmt.Errorf("set fill %s: unknown fill %d", g.instances[id].name, f)
	}
	g.instances[id].fill = f
	return nil
}

// Keep asks for id to be instantiated even when nothing exported by the
// result reaches it: a bundle of several members, or an instance wanted
// for its own sake. An instance that is neither kept, nor the root, nor
// reached from them or from an export is an error in Resolve (a plug that
// plugs nothing).
func (g *Graph) Keep(id InstanceID) error {
	if !g.validInstance(id) {
		return fmt.Errorf("keep: unknown instance id %d", id)
	}
	g.instances[id].keep = true
	return nil
}

// WiredOnly makes id a provider that serves only the arguments given
// explicitly (SetArg, Wire): auto-plugging never picks its exports for
// another instance's import. A member generated for one consumer (a
// deny-stub, which exports only the functions that consumer imports) is
// wired only, so a member that may keep the real interface is never
// given the stub by name. Like any instance, it must be reached (wired,
// kept or exported) or Resolve reports it unused.
func (g *Graph) WiredOnly(id InstanceID) error {
	if !g.validInstance(id) {
		return fmt.Errorf("wired only: unknown instance id %d", id)
	}
	g.instances[id].wiredOnly = true
	return nil
}

// SetRoot makes id the root: it is kept, it never auto-plugs another
// instance's import (its exports are the result's), and, unless Export is
// called, the result exports exactly the root's exports.
func (g *Graph) SetRoot(id InstanceID) error {
	if !g.validInstance(id) {
		return fmt.Errorf("set root: unknown instance id %d", id)
	}
	g.root = id
	return nil
}

// Export makes from an export of the result, named name. The first call
// replaces the default (the root's exports) with exactly the exports
// given, in call order, completed in Resolve by the sibling exports whose
// types they use.
func (g *Graph) Export(name string, from Source) error {
	if err := g.checkExportName(name); err != nil {
		return err
	}
	if _, err := g.sourceType(from); err != nil {
		var missing *MissingExportError
		if errors.As(err, &missing) {
			return err // it names the instance and the export already
		}
		return fmt.Errorf("export %s: %w", name, err)
	}
	g.exports = append(g.exports, &exportNode{name: name, from: from})
	return nil
}

// ExportType makes t, a type the graph defines (a value, function,
// instance or component type), an export of the result named name, as a
// WAC document's type declarations are. A resource cannot be defined
// outside a component.
func (g *Graph) ExportType(name string, t component.Type) error {
	if err := g.checkExportName(name); err != nil {
		return err
	}
	switch u := t.(type) {
	case nil:
		return fmt.Errorf("export type %s: no type", name)
	case *component.Named:
		if component.ResourceOf(u) != nil {
			return fmt.Errorf("export type %s: a resource cannot be defined by a composition", name)
		}
	case *component.Resource:
		return fmt.Errorf("export type %s: a resource cannot be defined by a composition", name)
	}
	g.exports = append(g.exports, &exportNode{name: name, defined: t})
	return nil
}

func (g *Graph) checkExportName(name string) error {
	if _, err := component.ParseName(name); err != nil {
		return fmt.Errorf("export %q: the name is not valid: %w", name, err)
	}
	for _, e := range g.exports {
		if e.name == name {
			return fmt.Errorf("export %s: the result already exports %q", name, name)
		}
	}
	return nil
}

// Component returns the name, type and bytes of a component.
func (g *Graph) Component(id ComponentID) (name string, ct *component.ComponentType, data []byte) {
	c := g.components[id]
	return c.name, c.ct, c.data
}

// Instance returns an instance's name and component.
func (g *Graph) Instance(id InstanceID) (name string, comp ComponentID) {
	in := g.instances[id]
	return in.name, in.comp
}

// InstanceType returns an instance's own type (see Instantiate): the type
// that arguments are checked against and exports taken from.
func (g *Graph) InstanceType(id InstanceID) *component.ComponentType {
	return g.instances[id].ct
}

// ComponentByName finds a component by name.
func (g *Graph) ComponentByName(name string) (ComponentID, bool) {
	for i, c := range g.components {
		if c.name == name {
			return ComponentID(i), true
		}
	}
	return -1, false
}

// InstanceByName finds an instance by name.
func (g *Graph) InstanceByName(name string) (InstanceID, bool) {
	for i, in := range g.instances {
		if in.name == name {
			return InstanceID(i), true
		}
	}
	return -1, false
}

// InstanceNames lists the instances' names in insertion order.
func (g *Graph) InstanceNames() []string {
	out := make([]string, len(g.instances))
	for i, in := range g.instances {
		out[i] = in.name
	}
	return out
}

// ImportByName finds an explicit import by name.
func (g *Graph) ImportByName(name string) (ImportID, bool) {
	for i, im := range g.imports {
		if im.name == name {
			return ImportID(i), true
		}
	}
	return -1, false
}

// ImportType returns an explicit import's name and type.
func (g *Graph) ImportType(id ImportID) (string, component.Extern) {
	im := g.imports[id]
	return im.name, im.typ
}

func (g *Graph) validComponent(id ComponentID) bool {
	return id >= 0 && int(id) < len(g.components)
}

func (g *Graph) validInstance(id InstanceID) bool {
	return id >= 0 && int(id) < len(g.instances)
}

func (g *Graph) validImport(id ImportID) bool {
	return id >= 0 && int(id) < len(g.imports)
}

func (g *Graph) componentOf(id InstanceID) *componentNode {
	return g.components[g.instances[id].comp]
}

// similarExports lists exports of ct on the same interface as name, to
// hint at a version typo.
func similarExports(ct *component.ComponentType, name string) []string {
	want, ok := component.InterfaceName(name)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range ct.Exports {
		if n, ok := component.InterfaceName(e.Name); ok && n.WithoutVersion() == want.WithoutVersion() {
			out = append(out, e.Name)
		}
	}
	return out
}

// articled puts "a" or "an" before a kind name ("an instance").
func articled(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}
