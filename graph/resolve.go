package graph

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Resolve computes the composition the graph describes and returns its
// Plan. It does not change the graph, so it may be called again after
// more mutations, and it gives the same plan for the same graph.
//
// It runs these steps, each of which validates what it decides:
//  1. plug: from the root, the kept instances and the exports, every
//     import of every instance reached gets its argument: the explicit one
//     (SetArg), else what the instance's Fill says (see FillAuto). Plugs
//     satisfy each other's imports, transitively.
//  2. order: instances in dependency order; a loop is a *CycleError.
//  3. settle, repeated until nothing changes: an import of the result may
//     use only resources of other imports (Explainer.md: an import cannot
//     name a type defined inside the component), so an auto-plugged link
//     whose resource an import uses is unplugged, and so is an
//     auto-plugged link that would hand a consumer a resource other than
//     the one it already holds; each is a Note. Explicit links are never
//     undone: they are errors instead.
//  4. merge and check: the result's imports are grouped (semver-compatible
//     names into one, at the highest version) and their types unioned, in
//     an order where each import follows those whose types it uses; every
//     link is subtype-checked, resources by identity.
//  5. prune: an instance that nothing reaches (a plug that plugs nothing)
//     is an *UnusedError unless kept.
//  6. exports: the chosen ones (or the root's), completed by the sibling
//     exports whose types they use (wac #141), each a Note.
//  7. share (unless SetShareModules(false)): nested core modules and
//     components found byte-identical in the components, more than once,
//     are stored once in the result (Plan.Shared; see share.go), a Note.
//
// Errors found in one step are reported together, as an ErrorList, each
// with the path from the root to the instance at fault.
func (g *Graph) Resolve() (*Plan, error) {
	r := &resolver{g: g, args: map[InstanceID][]Arg{}, parent: map[InstanceID]step{}}
	roots, err := r.roots()
	if err != nil {
		return nil, err
	}
	if err := r.plug(roots); err != nil {
		return nil, err
	}
	if err := r.topoOrder(roots); err != nil {
		return nil, err
	}
	if err := r.settle(); err != nil {
		return nil, err
	}
	if err := r.prune(roots); err != nil {
		return nil, err
	}
	exports, err := r.resultExports()
	if err != nil {
		return nil, err
	}
	p := r.plan(exports)
	if g.ShareModules() {
		if err := p.share(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// resolver holds one Resolve's state.
type resolver struct {
	g *Graph
	// args are the decided arguments of every instance reached, by
	// instance, in import order.
	args map[InstanceID][]Arg
	// reached lists the instances reached by plug, in discovery order.
	reached []InstanceID
	// parent is how each instance was first reached, for paths.
	parent map[InstanceID]step
	// order is reached in dependency order (providers first).
	order []InstanceID
	// Set by the last round of settle:
	groups []*group
	rm     component.ResourceMap
	notes  []Note
	// unplugged lists every link settle undid, for UnusedError.
	unplugged []unplug
}

// step is one edge of a path: consumer's import, taken from an instance.
type step struct {
	consumer InstanceID
	imp      string
}

// roots lists where reachability starts: the root, the kept instances, and
// the instances exports name, each once, in that order.
func (r *resolver) roots() ([]InstanceID, error) {
	g := r.g
	seen := map[InstanceID]bool{}
	var roots []InstanceID
	add := func(id InstanceID) {
		if !seen[id] {
			seen[id] = true
			roots = append(roots, id)
		}
	}
	if g.root >= 0 {
		add(g.root)
	}
	for i, in := range g.instances {
		if in.keep {
			add(InstanceID(i))
		}
	}
	for _, e := range g.exports {
		if id, ok := e.from.provider(); ok && e.defined == nil {
			add(id)
		}
	}
	// A graph without instances composes to its explicit imports alone (a
	// WAC document may be just that, or empty); one whose instances
	// nothing asks for is a mistake.
	if len(roots) == 0 && len(g.exports) == 0 && len(g.instances) > 0 {
		return nil, errors.New("nothing to compose: the graph has no root, no export and no kept instance")
	}
	return roots, nil
}

// plug decides the argument of every import of every instance reachable
// from roots, visiting instances breadth-first in discovery order.
func (r *resolver) plug(roots []InstanceID) error {
	g := r.g
	reached := map[InstanceID]bool{}
	queue := append([]InstanceID(nil), roots...)
	for _, id := range roots {
		reached[id] = true
	}
	var errs ErrorList
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		r.reached = append(r.reached, id)
		node := g.instances[id]
		list := make([]Arg, 0, len(node.ct.Imports))
		for _, imp := range node.ct.Imports {
			a := Arg{Import: imp.Name, Type: imp.Type, From: Source{}}
			if src, ok := node.args[imp.Name]; ok {
				a.Kind, a.From = ArgExplicit, src
			} else {
				switch node.fill {
				case FillAuto:
					kind, from, err := r.autoPlug(id, imp.Name)
					if err != nil {
						errs = append(errs, err)
						continue
					}
					a.Kind, a.From = kind, from
				case FillImport:
					a.Kind = ArgImport
					if im, ok := r.conflictingImport(imp.Name); ok {
						if g.imports[im].open {
							// A dependency ImportItem declared: one import.
							a.Kind, a.From = ArgNamedImport, ImportOf(im)
						} else {
							errs = append(errs, &ImplicitImportConflictError{Instance: node.name, Component: g.componentOf(id).name, Import: imp.Name, Explicit: g.imports[im].name})
						}
					}
				case FillNone:
					errs = append(errs, &MissingArgError{Instance: node.name, Component: g.componentOf(id).name, Import: imp.Name, Path: r.path(id)})
					continue
				}
			}
			if p, ok := a.From.provider(); ok && !reached[p] {
				reached[p] = true
				r.parent[p] = step{consumer: id, imp: imp.Name}
				queue = append(queue, p)
			}
			list = append(list, a)
		}
		r.args[id] = list
	}
	return errs.err()
}

// namedImport finds the explicit import that plugs an import named name
// under FillAuto: the one with that name, else the semver-compatible one
// with the highest version.
func (r *resolver) namedImport(name string) (ImportID, bool) {
	var compat []string
	for i, im := range r.g.imports {
		if im.name == name {
			return ImportID(i), true
		}
		if Compatible(name, im.name) {
			compat = append(compat, im.name)
		}
	}
	if len(compat) == 0 {
		return -1, false
	}
	return r.g.ImportByName(Highest(compat))
}

// conflictingImport finds the explicit import that an implicit import
// named name would collide with (FillImport): one on the same
// compatibility track, which the result could not import twice.
func (r *resolver) conflictingImport(name string) (ImportID, bool) {
	for i, im := range r.g.imports {
		if CompatName(im.name) == CompatName(name) {
			return ImportID(i), true
		}
	}
	return -1, false
}

// autoPlug finds what plugs consumer's import name under FillAuto: an
// explicit import of that name, else exact export names, then
// semver-compatible ones (never the root's, the consumer's own or a
// wired-only instance's), else an import of the result.
func (r *resolver) autoPlug(consumer InstanceID, name string) (ArgKind, Source, error) {
	g := r.g
	if im, ok := r.namedImport(name); ok {
		return ArgNamedImport, ImportOf(im), nil
	}
	var exact, compat []Source
	for i := range g.instances {
		id := InstanceID(i)
		if id == g.root || id == consumer || g.instances[id].wiredOnly {
			continue
		}
		ct := g.instances[id].ct
		if ct.Export(name) != nil {
			exact = append(exact, ExportOf(id, name))
			continue
		}
		var names []string
		for _, e := range ct.Exports {
			if e.Name != name && Compatible(name, e.Name) {
				names = append(names, e.Name)
			}
		}
		if len(names) > 0 {
			compat = append(compat, ExportOf(id, Highest(names)))
		}
	}
	for _, c := range []struct {
		kind ArgKind
		eps  []Source
	}{{ArgExact, exact}, {ArgSemver, compat}} {
		switch len(c.eps) {
		case 0:
			continue
		case 1:
			return c.kind, c.eps[0], nil
		default:
			e := &AmbiguousError{Consumer: g.instances[consumer].name, Import: name, Path: r.path(consumer)}
			for _, ep := range c.eps {
				e.Candidates = append(e.Candidates, Candidate{Instance: g.instances[ep.Instance].name, Export: ep.Export})
			}
			return 0, Source{}, e
		}
	}
	return ArgImport, Source{}, nil
}

// path lists instance names from the root (or the kept instance or export
// that reached it) to id.
func (r *resolver) path(id InstanceID) []string {
	var rev []string
	seen := map[InstanceID]bool{}
	for cur := id; !seen[cur]; {
		seen[cur] = true
		rev = append(rev, r.g.instances[cur].name)
		st, ok := r.parent[cur]
		if !ok {
			break
		}
		cur = st.consumer
	}
	out := make([]string, len(rev))
	for i, n := range rev {
		out[len(rev)-1-i] = n
	}
	return out
}

// topoOrder orders the reached instances, providers first, by a
// depth-first walk from the roots that follows imports in declaration
// order. A back edge is a cycle, reported with its path.
func (r *resolver) topoOrder(roots []InstanceID) error {
	const (
		unseen = iota
		onStack
		done
	)
	state := map[InstanceID]int{}
	var stack []InstanceID
	var stackImports []string
	var visit func(id InstanceID) error
	visit = func(id InstanceID) error {
		state[id] = onStack
		stack = append(stack, id)
		for _, a := range r.args[id] {
			p, ok := a.From.provider()
			if !ok {
				continue
			}
			stackImports = append(stackImports, a.Import)
			switch state[p] {
			case onStack:
				return r.cycleError(stack, stackImports, p)
			case unseen:
				if err := visit(p); err != nil {
					return err
				}
			}
			stackImports = stackImports[:len(stackImports)-1]
		}
		stack = stack[:len(stack)-1]
		state[id] = done
		r.order = append(r.order, id)
		return nil
	}
	for _, id := range roots {
		if state[id] == unseen {
			if err := visit(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// cycleError cuts the DFS stack at the first occurrence of back, the
// instance the last edge returned to.
func (r *resolver) cycleError(stack []InstanceID, imports []string, back InstanceID) error {
	start := 0
	for i, id := range stack {
		if id == back {
			start = i
			break
		}
	}
	e := &CycleError{}
	for _, id := range stack[start:] {
		e.Path = append(e.Path, r.g.instances[id].name)
	}
	e.Path = append(e.Path, r.g.instances[back].name)
	e.Links = append(e.Links, imports[start:]...)
	return e
}

// fromOutside reports whether an argument's value comes from an import of
// the result (implicit or explicit) rather than from an instance.
func fromOutside(a Arg) bool {
	return a.Kind == ArgImport || a.From.Kind == SourceImport || a.From.Kind == SourceImportExport
}

// autoPlugged reports whether an argument was chosen by auto-plugging from
// an instance, and so may be unplugged.
func autoPlugged(a Arg) bool { return a.Kind == ArgExact || a.Kind == ArgSemver }

// describeArg names where an argument comes from, in messages.
func (r *resolver) describeArg(a Arg) string {
	if a.Kind == ArgImport {
		return "an import of the result"
	}
	return r.g.describe(a.From)
}

// joinPath renders a path from the root: `root → a → b`.
func joinPath(path []string) string { return strings.Join(path, " → ") }

// errorf is fmt.Errorf for messages that name an instance by its path.
func (r *resolver) errorf(id InstanceID, format string, args ...any) error {
	return fmt.Errorf("%s: %s", joinPath(r.path(id)), fmt.Sprintf(format, args...))
}
