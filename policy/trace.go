package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Trace is the provenance of a component's imports: for each, the members
// that bring it in and how they use it. Members are the nested components
// the component instantiates, named from its name section; a member that
// is itself a composition is traced inside, so a path can be several
// members deep (app → mid → enricher).
type Trace struct {
	// Component is the traced component's name: the one the caller gave,
	// else its name section's.
	Component string
	// Type is the traced component's resolved type.
	Type *component.ComponentType
	// Imports are the component's imports, in order.
	Imports []ImportTrace
	// Members are the nested members found, depth first, in instantiation
	// order.
	Members []Member
	// Links are the imports of members that other members' exports satisfy.
	Links []Link
}

// ImportTrace is one import of the traced component and who needs it.
type ImportTrace struct {
	Name  string
	Users []User
}

// Use says how a member uses an import.
type Use uint8

const (
	// UseCalls: the member's code calls the import's functions.
	UseCalls Use = iota
	// UseTypes: the member calls none of its functions; it imports it
	// because another import's types use its types (WIT `use`), as
	// wasi:io/streams uses wasi:io/error's error.
	UseTypes
	// UseExported: the member re-exports the import unchanged.
	UseExported
	// UseOpaque: the import is passed to a component whose code is not
	// in the file (a component import), so how it is used is unknown.
	UseOpaque
	// UseUnused: imported, and neither called, passed on nor used by
	// another import's types.
	UseUnused
)

func (u Use) String() string {
	switch u {
	case UseCalls:
		return "calls"
	case UseTypes:
		return "types"
	case UseExported:
		return "exported"
	case UseOpaque:
		return "opaque"
	case UseUnused:
		return "unused"
	}
	return fmt.Sprintf("Use(%d)", uint8(u))
}

// User is one member that imports an import of the traced component.
type User struct {
	// Path names the members from the traced component down to the one
	// that imports it: ["enricher"], or ["mid", "enricher"] when mid is a
	// composition. Empty when the traced component itself does (it is
	// not a composition, or it uses the import directly).
	Path []string
	// Import is that member's own name for the import, which may differ
	// from the traced component's (another version, merged).
	Import string
	Use    Use
	// TypesFor are, for UseTypes, the member's imports whose types use it.
	TypesFor []string
}

// Member is one nested member of the traced component.
type Member struct {
	Path []string
	// Generated is the kind of a member wcomp generated (GeneratedStub,
	// GeneratedVirtual), "" for any other.
	Generated string
	// Exports are the member's exports, for generated members: what they
	// provide.
	Exports []string
}

// Link is a member's import satisfied inside the traced component by
// another member's export.
type Link struct {
	Consumer []string
	Import   string
	Provider []string
	Export   string
}

// The kinds of member wcomp generates, recorded in their GeneratedSection.
const (
	GeneratedStub    = "deny-stub"
	GeneratedVirtual = "virtual-env"
)

// GeneratedSection is the name of the custom section in which wcomp marks
// the components it generates, holding the kind. It is how a trace of a
// composed file tells a stub from a member.
const GeneratedSection = "wcomp-generated"

// TraceComponent traces the imports of the component in data. name names
// it in paths ("" for its name section's name). Only component-level
// sections are read: core modules are never parsed.
func TraceComponent(data []byte, name string) (*Trace, error) {
	c, err := component.Decode(data)
	if err != nil {
		return nil, err
	}
	// Members are resolved in place, where their outer aliases (of
	// shared modules) mean something, and found again by their bytes.
	nestedTypes := map[*byte]*component.ComponentType{}
	ct, err := component.ResolveEach(c, func(n *component.Nested, nt *component.ComponentType) {
		if len(n.Bytes) > 0 {
			nestedTypes[&n.Bytes[0]] = nt
		}
	})
	if err != nil {
		return nil, err
	}
	names, err := c.Names()
	if err != nil {
		return nil, fmt.Errorf("reading the name section: %w", err)
	}
	if name == "" {
		name = names.Component
	}
	t := &Trace{Component: name, Type: ct}
	res, err := traceScope(c, ct, names, &tscope{nestedTypes: nestedTypes})
	if err != nil {
		return nil, err
	}
	for _, imp := range ct.Imports {
		t.Imports = append(t.Imports, ImportTrace{Name: imp.Name, Users: res.users[imp.Name]})
	}
	t.Members, t.Links = res.members, res.links
	return t, nil
}

// scopeResult is what tracing one component finds, with paths relative
// to it.
type scopeResult struct {
	users   map[string][]User // by import name
	members []Member
	links   []Link
}

// origin says where an item of an index space comes from: imports of the
// scope (an imported instance or func, or something aliased out of one),
// or an export of a member instance.
type origin struct {
	imports []int
	member  int // instance index of the member, -1 if none
	export  string
}

var noOrigin = origin{member: -1}

// compRef is an entry of a component index space.
type compRef struct {
	nested *component.Nested // nil for an imported component
	scope  *tscope           // the scope it was defined in
	index  uint32            // its index there, for names
}

type tscope struct {
	parent *tscope
	// nestedTypes, in the outermost scope, are the types of nested
	// components resolved in place, by their first byte.
	nestedTypes map[*byte]*component.ComponentType
	names       *component.NameSection
	components  []compRef
}

// traceScope traces one component definition. ct is its resolved type,
// nil when it cannot be resolved on its own (it aliases its parent's
// types); it is only needed to find type-only imports.
func traceScope(c *component.Component, ct *component.ComponentType, names *component.NameSection, parent *tscope) (*scopeResult, error) {
	sc := &tscope{parent: parent, names: names}
	res := &scopeResult{users: map[string][]User{}}
	var imports []component.Import
	var instances, funcs []origin
	memberPath := map[int][]string{} // instance index → member name
	calls := map[int]bool{}          // import index → called here
	exported := map[int]bool{}
	nested := map[int]bool{} // import index → passed to a member
	used := func(o origin, mark map[int]bool) {
		for _, i := range o.imports {
			mark[i] = true
		}
	}
	push := func(sort component.Sort, o origin) {
		switch sort {
		case component.SortInstance:
			instances = append(instances, o)
		case component.SortFunc:
			funcs = append(funcs, o)
		}
	}
	originOf := func(si component.SortIndex) origin {
		switch si.Sort {
		case component.SortInstance:
			if int(si.Index) < len(instances) {
				return instances[si.Index]
			}
		case component.SortFunc:
			if int(si.Index) < len(funcs) {
				return funcs[si.Index]
			}
		}
		return noOrigin
	}
	for _, sec := range c.Sections {
		switch sec.ID {
		case component.SectionImport:
			for _, imp := range sec.Imports {
				idx := len(imports)
				imports = append(imports, imp)
				o := origin{imports: []int{idx}, member: -1}
				switch imp.Type.Kind {
				case component.ExternInstance:
					push(component.SortInstance, o)
				case component.ExternFunc:
					push(component.SortFunc, o)
				case component.ExternComponent:
					sc.components = append(sc.components, compRef{scope: sc, index: uint32(len(sc.components))})
				}
			}
		case component.SectionComponent:
			sc.components = append(sc.components, compRef{nested: sec.Component, scope: sc, index: uint32(len(sc.components))})
		case component.SectionAlias:
			for _, a := range sec.Aliases {
				switch {
				case a.Kind == component.AliasInstanceExport && (a.Sort == component.SortInstance || a.Sort == component.SortFunc):
					o := noOrigin
					if int(a.Instance) < len(instances) {
						from := instances[a.Instance]
						switch {
						case len(from.imports) > 0:
							o = origin{imports: from.imports, member: -1}
						case from.member >= 0:
							o = origin{member: from.member, export: joinExport(from.export, a.Name)}
						default:
							if _, ok := memberPath[int(a.Instance)]; ok {
								o = origin{member: int(a.Instance), export: a.Name}
							}
						}
					}
					push(a.Sort, o)
				case a.Kind == component.AliasOuter && a.Sort == component.SortComponent:
					ref := compRef{}
					s := sc
					for i := uint32(0); i < a.Count && s != nil; i++ {
						s = s.parent
					}
					if s != nil && int(a.Index) < len(s.components) {
						ref = s.components[a.Index]
					}
					sc.components = append(sc.components, ref)
				case a.Sort == component.SortComponent:
					sc.components = append(sc.components, compRef{scope: sc, index: uint32(len(sc.components))})
				default:
					push(a.Sort, noOrigin)
				}
			}
		case component.SectionCanon:
			for _, cn := range sec.Canons {
				switch cn.Op {
				case component.CanonLift:
					push(component.SortFunc, noOrigin)
				case component.CanonLower:
					if int(cn.Func) < len(funcs) {
						used(funcs[cn.Func], calls)
					}
				}
			}
		case component.SectionInstance:
			for _, in := range sec.Instances {
				idx := len(instances)
				if in.Inline {
					var o origin = noOrigin
					for _, e := range in.Exports {
						o.imports = append(o.imports, originOf(e.Item).imports...)
					}
					instances = append(instances, o)
					continue
				}
				instances = append(instances, noOrigin)
				if err := sc.instantiate(c, in, idx, imports, originOf, instances, memberPath, nested, res); err != nil {
					return nil, err
				}
			}
		case component.SectionExport:
			for _, ex := range sec.Exports {
				o := originOf(ex.Item)
				used(o, exported)
				push(ex.Item.Sort, o)
				if ex.Item.Sort == component.SortComponent && int(ex.Item.Index) < len(sc.components) {
					sc.components = append(sc.components, sc.components[ex.Item.Index])
				}
			}
		}
	}
	typeUsers := typeUsers(ct)
	for i, imp := range imports {
		name := imp.Name.Name
		var here []User
		switch {
		case calls[i]:
			here = append(here, User{Import: name, Use: UseCalls})
		case exported[i]:
			here = append(here, User{Import: name, Use: UseExported})
		case nested[i]:
		case len(typeUsers[name]) > 0:
			here = append(here, User{Import: name, Use: UseTypes, TypesFor: typeUsers[name]})
		default:
			here = append(here, User{Import: name, Use: UseUnused})
		}
		res.users[name] = append(here, res.users[name]...)
	}
	return res, nil
}

func joinExport(a, b string) string {
	if a == "" {
		return b
	}
	return a + "/" + b
}

// instantiate traces one instantiation of a nested component: the member.
func (sc *tscope) instantiate(c *component.Component, in component.Instance, idx int, imports []component.Import,
	originOf func(component.SortIndex) origin, instances []origin, memberPath map[int][]string,
	nested map[int]bool, res *scopeResult) error {
	var ref compRef
	if int(in.Component) < len(sc.components) {
		ref = sc.components[in.Component]
	}
	name := sc.memberName(ref, idx, in.Component)
	memberPath[idx] = []string{name}
	if isShim(in, originOf) {
		return nil
	}
	var inner *scopeResult
	member := Member{Path: []string{name}}
	if ref.nested != nil {
		nc, err := component.Decode(ref.nested.Bytes)
		if err != nil {
			return fmt.Errorf("member %s (nested component at offset %d): %w", name, ref.nested.Offset, err)
		}
		nnames, _ := nc.Names() // names are for messages: a bad section only loses them
		nct := sc.nestedType(ref.nested)
		if nct == nil {
			nct, _ = component.Resolve(nc)
		}
		member.Generated = generatedKind(nc)
		if member.Generated != "" && nct != nil {
			for _, e := range nct.Exports {
				member.Exports = append(member.Exports, e.Name)
			}
		}
		if inner, err = traceScope(nc, nct, nnames, ref.scope); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
	}
	res.members = append(res.members, member)
	if inner != nil {
		for _, m := range inner.members {
			res.members = append(res.members, Member{Path: prefix(name, m.Path), Generated: m.Generated, Exports: m.Exports})
		}
		for _, l := range inner.links {
			res.links = append(res.links, Link{Consumer: prefix(name, l.Consumer), Import: l.Import, Provider: prefix(name, l.Provider), Export: l.Export})
		}
	}
	for _, arg := range in.Args {
		o := originOf(arg.Item)
		if o.member >= 0 {
			res.links = append(res.links, Link{Consumer: []string{name}, Import: arg.Name, Provider: memberPath[o.member], Export: o.export})
			continue
		}
		for _, i := range o.imports {
			nested[i] = true
			outer := imports[i].Name.Name
			if inner == nil {
				res.users[outer] = append(res.users[outer], User{Path: []string{name}, Import: arg.Name, Use: UseOpaque})
				continue
			}
			for _, u := range inner.users[arg.Name] {
				u.Path = prefix(name, u.Path)
				res.users[outer] = append(res.users[outer], u)
			}
		}
	}
	return nil
}

// nestedType returns the type of a nested component resolved in place,
// or nil.
func (sc *tscope) nestedType(n *component.Nested) *component.ComponentType {
	for s := sc; s != nil; s = s.parent {
		if s.nestedTypes != nil && len(n.Bytes) > 0 {
			return s.nestedTypes[&n.Bytes[0]]
		}
	}
	return nil
}

// isShim reports whether an instantiation is a helper of its component's
// own code rather than a member: it is given only types and functions the
// component lifted itself. wit-component nests such a shim in every
// component that exports an interface with resources.
func isShim(in component.Instance, originOf func(component.SortIndex) origin) bool {
	if len(in.Args) == 0 {
		return false
	}
	for _, a := range in.Args {
		switch a.Item.Sort {
		case component.SortType:
		case component.SortFunc:
			if o := originOf(a.Item); o.member >= 0 || len(o.imports) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func prefix(name string, path []string) []string {
	return append([]string{name}, path...)
}

// memberName names the member instantiated at instance index idx of
// component index comp: its instance name, else its component name, else
// the nested component's own name, else its position.
func (sc *tscope) memberName(ref compRef, idx int, comp uint32) string {
	if n := sc.names.Name(component.SortInstance, uint32(idx)); n != "" {
		return n
	}
	if ref.scope != nil {
		if n := ref.scope.names.Name(component.SortComponent, ref.index); n != "" {
			return n
		}
	}
	if ref.nested != nil {
		if nc, err := component.Decode(ref.nested.Bytes); err == nil {
			if ns, err := nc.Names(); err == nil && ns.Component != "" {
				return ns.Component
			}
		}
	}
	return fmt.Sprintf("component-%d", comp)
}

// generatedKind returns the kind in c's GeneratedSection, or "".
func generatedKind(c *component.Component) string {
	for _, s := range c.Sections {
		if s.ID == component.SectionCustom && s.Custom.Name == GeneratedSection {
			return string(s.Custom.Data)
		}
	}
	return ""
}

// typeUsers maps each import of ct to the other imports, and the
// exports, whose types use its types.
func typeUsers(ct *component.ComponentType) map[string][]string {
	out := map[string][]string{}
	if ct == nil {
		return out
	}
	owners := typeOwners(ct)
	// Imports and exports both use imports' types: a stub exports
	// wasi:filesystem/types and imports wasi:io/streams for its types.
	for _, item := range append(slices.Clone(ct.Imports), ct.Exports...) {
		for _, from := range usedImports(item.Type, owners) {
			if from != item.Name && !slices.Contains(out[from], item.Name) {
				out[from] = append(out[from], item.Name)
			}
		}
	}
	return out
}

// FormatPath renders a user's path from the traced component to the
// capability: "app → enricher → wasi:http/outgoing-handler@0.2.10".
func (t *Trace) FormatPath(u User, capability string) string {
	parts := append([]string{t.Component}, u.Path...)
	return strings.Join(append(parts, capability), " → ")
}
