package graph

import (
	"fmt"
	"sort"

	"github.com/wcomp/wcomp/component"
)

// Resolve computes the composition rooted at root in one deterministic
// pass and returns its Plan. The graph is not changed, so Resolve may be
// called again after more mutations.
//
// Each import of each instance reachable from root is satisfied, in order:
//  1. by its explicit wire, if any;
//  2. else by the one other instance exporting the same name;
//  3. else by the one other instance exporting a semver-compatible name
//     (its highest such export);
//  4. else it becomes an import of the result.
//
// Two candidate instances at step 2 or 3 are an *AmbiguousError. The root
// never auto-plugs anything (its exports are the result's), and no instance
// plugs itself. Providers are visited in turn, so plugs satisfy each other's
// imports. Cycles are a *CycleError; every link is subtype-checked, a
// failure being a *LinkError.
func (g *Graph) Resolve(root InstanceID) (*Plan, error) {
	if !g.validInstance(root) {
		return nil, fmt.Errorf("resolve: unknown root instance id %d", root)
	}
	args, reached, err := g.plugAll(root)
	if err != nil {
		return nil, err
	}
	order, err := g.topoOrder(root, args)
	if err != nil {
		return nil, err
	}
	if err := g.checkLinks(order, args); err != nil {
		return nil, err
	}
	p := &Plan{Root: root}
	for _, in := range g.instances {
		p.names = append(p.names, in.name)
	}
	g.fillInstances(p, order, args)
	exports, err := g.resultExports(root)
	if err != nil {
		return nil, err
	}
	p.Exports = exports
	for i := range g.instances {
		if !reached[InstanceID(i)] {
			p.Unused = append(p.Unused, InstanceID(i))
		}
	}
	return p, nil
}

// plugAll decides the source of every import of every instance reachable
// from root, visiting instances breadth-first in discovery order.
func (g *Graph) plugAll(root InstanceID) (map[InstanceID][]Arg, map[InstanceID]bool, error) {
	args := map[InstanceID][]Arg{}
	reached := map[InstanceID]bool{root: true}
	queue := []InstanceID{root}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		node := g.instances[id]
		ct := node.ct
		list := make([]Arg, 0, len(ct.Imports))
		for _, imp := range ct.Imports {
			a := Arg{Import: imp.Name, Type: imp.Type, Provider: -1, Group: -1}
			if w, ok := node.wires[imp.Name]; ok {
				a.Kind, a.Provider, a.Export = ArgExplicit, w.Instance, w.Export
			} else {
				kind, from, err := g.autoPlug(root, id, imp.Name)
				if err != nil {
					return nil, nil, err
				}
				a.Kind = kind
				if kind != ArgImport {
					a.Provider, a.Export = from.Instance, from.Export
				}
			}
			if a.Provider >= 0 && !reached[a.Provider] {
				reached[a.Provider] = true
				queue = append(queue, a.Provider)
			}
			list = append(list, a)
		}
		args[id] = list
	}
	return args, reached, nil
}

// autoPlug finds the provider of consumer's import name: exact names
// first, then semver-compatible ones.
func (g *Graph) autoPlug(root, consumer InstanceID, name string) (ArgKind, Endpoint, error) {
	var exact, compat []Endpoint
	for i := range g.instances {
		id := InstanceID(i)
		if id == root || id == consumer {
			continue
		}
		ct := g.instances[id].ct
		if ct.Export(name) != nil {
			exact = append(exact, Endpoint{Instance: id, Export: name})
			continue
		}
		var names []string
		for _, e := range ct.Exports {
			if e.Name != name && Compatible(name, e.Name) {
				names = append(names, e.Name)
			}
		}
		if len(names) > 0 {
			compat = append(compat, Endpoint{Instance: id, Export: Highest(names)})
		}
	}
	for _, c := range []struct {
		kind ArgKind
		eps  []Endpoint
	}{{ArgExact, exact}, {ArgSemver, compat}} {
		switch len(c.eps) {
		case 0:
			continue
		case 1:
			return c.kind, c.eps[0], nil
		default:
			e := &AmbiguousError{Consumer: g.instances[consumer].name, Import: name}
			for _, ep := range c.eps {
				e.Candidates = append(e.Candidates, Candidate{Instance: g.instances[ep.Instance].name, Export: ep.Export})
			}
			return 0, Endpoint{}, e
		}
	}
	return ArgImport, Endpoint{}, nil
}

// topoOrder returns the reachable instances, providers first, by a
// depth-first walk from root that follows imports in declaration order. A
// back edge is a cycle, reported with its path.
func (g *Graph) topoOrder(root InstanceID, args map[InstanceID][]Arg) ([]InstanceID, error) {
	const (
		unseen = iota
		onStack
		done
	)
	state := map[InstanceID]int{}
	var stack []InstanceID
	var stackImports []string
	var order []InstanceID
	var visit func(id InstanceID) error
	visit = func(id InstanceID) error {
		state[id] = onStack
		stack = append(stack, id)
		for _, a := range args[id] {
			if a.Provider < 0 {
				continue
			}
			stackImports = append(stackImports, a.Import)
			switch state[a.Provider] {
			case onStack:
				return g.cycleError(stack, stackImports, a.Provider)
			case unseen:
				if err := visit(a.Provider); err != nil {
					return err
				}
			}
			stackImports = stackImports[:len(stackImports)-1]
		}
		stack = stack[:len(stack)-1]
		state[id] = done
		order = append(order, id)
		return nil
	}
	if err := visit(root); err != nil {
		return nil, err
	}
	return order, nil
}

// cycleError cuts the DFS stack at the first occurrence of back, the
// instance the last edge returned to.
func (g *Graph) cycleError(stack []InstanceID, imports []string, back InstanceID) error {
	start := 0
	for i, id := range stack {
		if id == back {
			start = i
			break
		}
	}
	e := &CycleError{}
	for _, id := range stack[start:] {
		e.Path = append(e.Path, g.instances[id].name)
	}
	e.Path = append(e.Path, g.instances[back].name)
	e.Links = append(e.Links, imports[start:]...)
	return e
}

// checkLinks subtype-checks every link, consumers in dependency order and
// each consumer's imports in declaration order, so that resources bound by
// an earlier import are known to later ones.
//
// A provider's export may name resources the provider itself imported
// (abstract in its type). What they stand for was bound when the provider
// was checked, so each consumer's map starts with its providers' bindings
// (which already hold theirs): a resource passed along a chain stays one
// resource. Each instance has its own copy of its component's type (see
// Instantiate), so the bindings of two instances of one component never
// collide in a consumer's map.
func (g *Graph) checkLinks(order []InstanceID, args map[InstanceID][]Arg) error {
	bindings := map[InstanceID]component.ResourceMap{}
	for _, id := range order {
		res := component.ResourceMap{}
		for _, a := range args[id] {
			if a.Provider < 0 {
				continue
			}
			// Keys are unique within one map, so iteration order does not
			// matter; across providers the first in import order wins.
			for k, v := range bindings[a.Provider] {
				if _, ok := res[k]; !ok {
					res[k] = v
				}
			}
		}
		bindings[id] = res
		for _, a := range args[id] {
			if a.Provider < 0 {
				continue
			}
			exp := g.instances[a.Provider].ct.Export(a.Export)
			if exp == nil { // Wire checked this; keep Resolve safe anyway.
				pc := g.componentOf(a.Provider)
				return &MissingExportError{Instance: g.instances[a.Provider].name, Component: pc.name, Export: a.Export}
			}
			if err := g.subtype(exp.Type, a.Type, res); err != nil {
				return &LinkError{
					Consumer: g.instances[id].name, Import: a.Import,
					Provider: g.instances[a.Provider].name, Export: a.Export,
					Err: err,
				}
			}
		}
	}
	return nil
}

// fillInstances copies the ordered instances into p, groups the imports
// that nothing satisfies, and lists the components in first-use order.
func (g *Graph) fillInstances(p *Plan, order []InstanceID, args map[InstanceID][]Arg) {
	groupByKey := map[string]int{}
	usedComp := map[ComponentID]bool{}
	for _, id := range order {
		node := g.instances[id]
		if !usedComp[node.comp] {
			usedComp[node.comp] = true
			c := g.components[node.comp]
			p.Components = append(p.Components, PlannedComponent{ID: node.comp, Name: c.name, Type: c.ct, Data: c.data})
		}
		list := append([]Arg(nil), args[id]...)
		for i := range list {
			a := &list[i]
			if a.Kind != ArgImport {
				continue
			}
			key := CompatName(a.Import)
			gi, ok := groupByKey[key]
			if !ok {
				gi = len(p.Imports)
				groupByKey[key] = gi
				p.Imports = append(p.Imports, ImportGroup{Key: key})
			}
			grp := &p.Imports[gi]
			grp.Members = append(grp.Members, ImportUse{Instance: id, Import: a.Import, Type: a.Type})
			a.Group = gi
		}
		p.Instances = append(p.Instances, PlannedInstance{ID: id, Name: node.name, Component: node.comp, Type: node.ct, Args: list})
	}
	for i := range p.Imports {
		grp := &p.Imports[i]
		seen := map[string]bool{}
		for _, m := range grp.Members {
			if !seen[m.Import] {
				seen[m.Import] = true
				grp.Names = append(grp.Names, m.Import)
			}
		}
		sort.Slice(grp.Names, func(a, b int) bool { return compareNames(grp.Names[a], grp.Names[b]) < 0 })
		grp.Name = Highest(grp.Names)
	}
}

// resultExports lists the root's exports: all, or the chosen ones.
func (g *Graph) resultExports(root InstanceID) ([]PlannedExport, error) {
	rc := g.componentOf(root)
	rt := g.instances[root].ct
	if !g.exportsSet {
		out := make([]PlannedExport, 0, len(rt.Exports))
		for _, e := range rt.Exports {
			out = append(out, PlannedExport{Name: e.Name, Instance: root, Type: e.Type})
		}
		return out, nil
	}
	out := make([]PlannedExport, 0, len(g.exports))
	for _, name := range g.exports {
		e := rt.Export(name)
		if e == nil {
			return nil, &MissingExportError{Instance: g.instances[root].name, Component: rc.name, Export: name, Similar: similarExports(rt, name)}
		}
		out = append(out, PlannedExport{Name: name, Instance: root, Type: e.Type})
	}
	return out, nil
}
