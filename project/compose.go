package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/internal/mmapfile"
	"github.com/wcomp/wcomp/manifest"
)

// inputs are the members' components, mapped, in manifest order. close
// unmaps them: the output is written from the maps, so they stay open
// until then.
type inputs struct {
	list  []compose.Input
	maps  []*mmapfile.File
	types []*component.ComponentType
}

func (in *inputs) close() {
	for _, m := range in.maps {
		m.Close()
	}
}

// openInputs maps every member's component and decodes its type.
func (s *session) openInputs() (*inputs, error) {
	in := &inputs{}
	for i, mb := range s.members {
		r := s.built[i]
		f, err := mmapfile.Open(r.Path)
		if err != nil {
			in.close()
			return nil, fmt.Errorf("member %s: %w", mb.m.Name, err)
		}
		in.maps = append(in.maps, f)
		ct, err := component.DecodeType(f.Bytes())
		if err != nil {
			in.close()
			return nil, s.p.errorf(mb.m.Pos, "components."+mb.m.Name, "member %s: %s: %w", mb.m.Name, s.p.Rel(r.Path), err)
		}
		in.list = append(in.list, compose.Input{Name: mb.m.Name, Bytes: f.Bytes(), Path: s.p.Rel(r.Path)})
		in.types = append(in.types, ct)
	}
	return in, nil
}

// compose links the members into target/<name>.wasm, unless the last
// composition's inputs are unchanged and its output is in place.
func (s *session) compose(ctx context.Context) (*Result, error) {
	out := s.p.OutputPath()
	key, err := s.composeKey()
	if err != nil {
		return nil, err
	}
	if rec, ok := s.freshComposition(key, out); ok {
		return &Result{Path: out, Digest: rec.Output.Digest, Size: rec.Output.Size, Fresh: true}, nil
	}
	in, err := s.openInputs()
	if err != nil {
		return nil, err
	}
	defer in.close()
	plan, root, err := s.plan(ctx, in)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("%s (%d member", s.p.Name(), len(plan.Instances()))
	if len(plan.Instances()) != 1 {
		msg += "s"
	}
	if root != "" {
		msg += ", root " + root
	}
	s.report(Event{Kind: Composing, Message: msg + ")"})
	res, err := compose.Encode(plan, compose.EncodeOptions{Name: s.p.Name(), Version: s.opts.Version})
	if err != nil {
		return nil, err
	}
	for _, n := range res.Notes {
		s.report(Event{Kind: Note, Message: n})
	}
	if err := s.checkTarget(ctx, plan, res.Bytes()); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.p.TargetDir(), 0o755); err != nil {
		return nil, err
	}
	err = atomicfile.WriteOutput(out, func(f *os.File) error {
		mmapfile.Preallocate(f, int64(res.Size()))
		_, err := res.WriteTo(mmapfile.Writer(f, in.maps...))
		return err
	})
	if err != nil {
		return nil, err
	}
	rec, err := s.recordComposition(key, out)
	if err != nil {
		return nil, err
	}
	return &Result{Path: out, Digest: rec.Output.Digest, Size: rec.Output.Size}, nil
}

// plan builds the composition graph, from [compose] or from a WAC
// document, and resolves it. It returns the root's name ("" for a WAC
// document, which has none).
func (s *session) plan(ctx context.Context, in *inputs) (*graph.Plan, string, error) {
	if s.p.Manifest.Compose.WAC.Set {
		plan, err := s.wacPlan(ctx, in)
		return plan, "", err
	}
	g, root, err := s.graph(in)
	if err != nil {
		return nil, "", err
	}
	// [capabilities] (#12) goes here: policy.Enforce judges the members'
	// imports and returns the deny-stubs and the virtual environment to
	// add to g, with their wires, before it is resolved; the verdict
	// table is checked again on the encoded result.
	plan, err := g.Resolve()
	if err != nil {
		return nil, "", s.graphError(err)
	}
	return plan, root, nil
}

// shareModules says whether the composition stores identical nested
// modules once: [compose] share-modules, unless --no-share-modules.
func (s *session) shareModules() bool {
	return s.p.Manifest.Compose.ShareModules.Value && !s.opts.NoShareModules
}

// graph builds the composition graph [compose] describes: one instance per
// member, the root's exports exported unless compose.exports says
// otherwise, auto-plugging unless auto-plug = false, and the wires,
// imports, exports and kept instances applied through graph's Spec.
func (s *session) graph(in *inputs) (*graph.Graph, string, error) {
	c := &s.p.Manifest.Compose
	rootIdx, err := s.rootIndex(in)
	if err != nil {
		return nil, "", err
	}
	ordered := append([]compose.Input{in.list[rootIdx]}, in.list[:rootIdx]...)
	ordered = append(ordered, in.list[rootIdx+1:]...)
	spec, err := s.p.composeSpec()
	if err != nil {
		return nil, "", err
	}
	g, notes, err := compose.Graph(compose.Options{
		Root: ordered[0], Plugs: ordered[1:],
		Wires: spec.Wires, Imports: spec.Imports, Exports: spec.Exports, Keep: spec.Keep,
		NoAutoPlug:     !c.AutoPlug.Value,
		NoShareModules: !s.shareModules(),
	})
	if err != nil {
		return nil, "", s.graphError(err)
	}
	for _, n := range notes {
		s.report(Event{Kind: Note, Message: n})
	}
	return g, in.list[rootIdx].Name, nil
}

// composeSpec parses the [compose] strings with graph's parser. Load
// checked them already, so an error here is unexpected, but it still
// points at the string.
func (p *Project) composeSpec() (graph.Spec, error) {
	c := &p.Manifest.Compose
	var errs ErrorList
	spec := graph.Spec{
		Wires:   parseEach(p, c.Wires, "compose.wires", graph.ParseWire, &errs),
		Imports: parseEach(p, c.Imports, "compose.imports", graph.ParseImport, &errs),
		Exports: parseEach(p, c.Exports, "compose.exports", graph.ParseExport, &errs),
		Keep:    parseEach(p, c.Instances, "compose.instances", graph.ParseKeep, &errs),
	}
	if len(errs) > 0 {
		return spec, errs
	}
	return spec, nil
}

// parseEach parses every string of l, adding a positioned error to errs
// for each that does not parse.
func parseEach[T any](p *Project, l manifest.List, key string, parse func(string) (T, error), errs *ErrorList) []T {
	var out []T
	for i, it := range l.Items {
		v, err := parse(it.Value)
		if err != nil {
			*errs = append(*errs, p.errorf(it.Pos, fmt.Sprintf("%s[%d]", key, i), "%w", err))
			continue
		}
		out = append(out, v)
	}
	return out
}

// rootIndex chooses the root: compose.root, else the only member that
// plugs no other member (whose exports no other member imports, by name or
// semver-compatible name, and that no wire names as a provider), as a
// cargo user expects the one binary of a workspace to be found.
func (s *session) rootIndex(in *inputs) (int, error) {
	c := &s.p.Manifest.Compose
	if c.Root.Set {
		for i, mb := range s.members {
			if mb.m.Name == c.Root.Value {
				return i, nil
			}
		}
		return 0, s.p.errorf(c.Root.Pos, "compose.root", "no member is named %q", c.Root.Value)
	}
	if len(s.members) == 1 {
		return 0, nil
	}
	names := make([]string, len(s.members))
	for i, mb := range s.members {
		names[i] = mb.m.Name
	}
	var wires []graph.Wire
	for _, it := range c.Wires.Items {
		if w, err := graph.ParseWire(it.Value); err == nil {
			wires = append(wires, w)
		}
	}
	candidates := graph.RootCandidates(names, in.types, wires, c.AutoPlug.Value)
	var roots []string
	root := -1
	for _, i := range candidates {
		roots = append(roots, names[i])
		root = i
	}
	pos := c.Pos
	if len(roots) == 1 {
		return root, nil
	}
	if len(roots) == 0 {
		return 0, s.p.errorf(pos, "compose.root", "every member plugs another, so none is the root: set root to the member whose exports the result exports")
	}
	return 0, s.p.errorf(pos, "compose.root", "%d members plug no other member (%s): set root to the one whose exports the result exports, and list the others in instances if they are to be kept", len(roots), strings.Join(roots, ", "))
}

// graphError positions the graph's errors at the manifest: a [compose]
// string at its place, a member's problem at its table, the rest at
// [compose].
func (s *session) graphError(err error) error {
	var list graph.ErrorList
	if errors.As(err, &list) && len(list) > 1 {
		out := make(ErrorList, len(list))
		for i, e := range list {
			out[i] = s.graphError(e)
		}
		return out
	}
	f := s.p.Manifest
	var se *graph.SpecError
	if errors.As(err, &se) {
		lists := map[string]*manifest.List{"wire": &f.Compose.Wires, "import": &f.Compose.Imports, "export": &f.Compose.Exports, "keep": &f.Compose.Instances}
		names := map[string]string{"wire": "wires", "import": "imports", "export": "exports", "keep": "instances"}
		if l, ok := lists[se.Field]; ok && se.Index >= 0 && se.Index < len(l.Items) {
			return s.p.errorf(l.Items[se.Index].Pos, fmt.Sprintf("compose.%s[%d]", names[se.Field], se.Index), "%s: %w", se.Item, se.Err)
		}
	}
	var unused *graph.UnusedError
	if errors.As(err, &unused) {
		if m := f.Member(unused.Instance); m != nil {
			return s.p.errorf(m.Pos, "components."+m.Name, "%w (to keep it: instances = [%q] in [compose])", err, m.Name)
		}
	}
	return s.p.errorf(f.Compose.Pos, "compose", "%w", err)
}

// Graph is a project's composition, resolved but not encoded: what `wcomp
// graph` draws. Close releases the members' mapped components, which Plan's
// components point into.
type Graph struct {
	Plan *graph.Plan
	// Root is the root member ("" for a WAC document).
	Root    string
	Members []MemberResult
	in      *inputs
}

// Close releases the members' components.
func (g *Graph) Close() { g.in.close() }

// Graph builds the members that need it and resolves the composition
// graph, without encoding or writing anything.
func (p *Project) Graph(ctx context.Context, opts Options) (*Graph, error) {
	s, unlock, err := p.begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := s.buildMembers(ctx); err != nil {
		return nil, err
	}
	in, err := s.openInputs()
	if err != nil {
		return nil, err
	}
	plan, root, err := s.plan(ctx, in)
	if err != nil {
		in.close()
		return nil, err
	}
	return &Graph{Plan: plan, Root: root, Members: s.memberResults(), in: in}, nil
}
