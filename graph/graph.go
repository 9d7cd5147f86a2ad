package graph

import (
	"errors"
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// ComponentID names a component added to a Graph.
type ComponentID int

// InstanceID names an instance in a Graph.
type InstanceID int

// Graph is a composition under construction. Its zero value is not usable;
// call New. Mutators validate their arguments and leave the graph unchanged
// when they return an error.
type Graph struct {
	components []*componentNode
	instances  []*instanceNode
	exports    []string // nil: every root export
	exportsSet bool
	// Subtype checks every link. New sets it to the package default; tests
	// and callers with their own checker may replace it.
	subtype SubtypeFunc
}

// SubtypeFunc checks that actual (a provider's export) may stand where
// expected (a consumer's import) is required. res carries the resources
// already bound for the consumer: an abstract resource the consumer imports
// maps to the provider's resource, so later imports that use it agree.
// The error should name the path into the type.
// One map is shared by all imports of one instance, checked in import
// order.
type SubtypeFunc func(actual, expected component.Extern, res component.ResourceMap) error

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
	// wires are the explicit links, by import name; Resolve visits them in
	// the component's import order, never map order.
	wires map[string]Endpoint
}

// Endpoint is one instance export.
type Endpoint struct {
	Instance InstanceID
	Export   string
}

// New returns an empty graph that checks links with the default subtype
// checker.
func New() *Graph {
	return &Graph{subtype: defaultSubtype}
}

// SetSubtypeFunc replaces the link checker (nil restores the default).
func (g *Graph) SetSubtypeFunc(f SubtypeFunc) {
	if f == nil {
		f = defaultSubtype
	}
	g.subtype = f
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
	for _, c := range g.components {
		if c.name == name {
			return -1, fmt.Errorf("add component %s: a component with that name already exists", name)
		}
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

// Instantiate adds an instance of comp. One component may be instantiated
// any number of times under different instance names; each instance gets
// resources of its own, as in the component model, where resource types
// are generative.
func (g *Graph) Instantiate(comp ComponentID, name string) (InstanceID, error) {
	if name == "" {
		return -1, errors.New("instantiate: empty instance name")
	}
	if !g.validComponent(comp) {
		return -1, fmt.Errorf("instantiate %s: unknown component id %d", name, comp)
	}
	for _, in := range g.instances {
		if in.name == name {
			return -1, fmt.Errorf("instantiate %s: an instance with that name already exists", name)
		}
	}
	ct := component.Fresh(g.components[comp].ct)
	g.instances = append(g.instances, &instanceNode{name: name, comp: comp, ct: ct, wires: map[string]Endpoint{}})
	return InstanceID(len(g.instances) - 1), nil
}

// Wire links consumer's import to provider's export explicitly. An
// explicit wire overrides auto-plugging for that import. Wiring the same
// link again is a no-op; wiring the import elsewhere is an error. The subtype check
// runs in Resolve, where the consumer's resource bindings are known.
func (g *Graph) Wire(consumer InstanceID, importName string, provider InstanceID, exportName string) error {
	if !g.validInstance(consumer) {
		return fmt.Errorf("wire: unknown consumer instance id %d", consumer)
	}
	if !g.validInstance(provider) {
		return fmt.Errorf("wire: unknown provider instance id %d", provider)
	}
	cn, pn := g.instances[consumer], g.instances[provider]
	if cn.ct.Import(importName) == nil {
		return &MissingImportError{Instance: cn.name, Component: g.componentOf(consumer).name, Import: importName}
	}
	pc := g.componentOf(provider)
	if pn.ct.Export(exportName) == nil {
		return &MissingExportError{Instance: pn.name, Component: pc.name, Export: exportName, Similar: similarExports(pc.ct, exportName)}
	}
	if consumer == provider {
		return &CycleError{Path: []string{cn.name, cn.name}, Links: []string{importName}}
	}
	if prev, ok := cn.wires[importName]; ok {
		if prev == (Endpoint{Instance: provider, Export: exportName}) {
			return nil // the same link again asks for nothing new
		}
		return fmt.Errorf("%s.%s is already wired to %s.%s: an import takes one wire", cn.name, importName, g.instances[prev.Instance].name, prev.Export)
	}
	cn.wires[importName] = Endpoint{Instance: provider, Export: exportName}
	return nil
}

// SetExports chooses which of the root's exports the result exports, in
// the given order. nil (the default) exports all of them in the root's
// order. Names are checked against the root in Resolve.
func (g *Graph) SetExports(names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return fmt.Errorf("set exports: %q listed twice", n)
		}
		seen[n] = true
	}
	if names == nil {
		g.exports, g.exportsSet = nil, false
		return nil
	}
	g.exports, g.exportsSet = append([]string(nil), names...), true
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

// InstanceByName finds an instance by name.
func (g *Graph) InstanceByName(name string) (InstanceID, bool) {
	for i, in := range g.instances {
		if in.name == name {
			return InstanceID(i), true
		}
	}
	return -1, false
}

func (g *Graph) validComponent(id ComponentID) bool {
	return id >= 0 && int(id) < len(g.components)
}

func (g *Graph) validInstance(id InstanceID) bool {
	return id >= 0 && int(id) < len(g.instances)
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
