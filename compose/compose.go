package compose

import (
	"bytes"
	"fmt"
	"io"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
)

// Input is one component given to Compose.
type Input struct {
	// Name identifies the member in wires, messages and the name section,
	// and must be unique (see CheckMemberName). The CLI uses the file stem
	// ("business" for business.wasm) unless given NAME=FILE.
	Name  string
	Bytes []byte
	// Path is where the bytes came from, for messages only (may be empty).
	Path string
}

// Options says what to compose. Members are given as bytes, so a caller
// that builds them (wcomp build) need not write them to disk first.
type Options struct {
	// Root is the member whose exports the result exports (unless Exports
	// says otherwise). It is never auto-plugged into another member.
	Root Input
	// Plugs are the other members: their exports plug the others'
	// imports, exact names first, then semver-compatible ones.
	Plugs []Input
	// Wires, Imports, Exports and Keep are the rest of the graph, by
	// member name, as `wcomp compose`'s flags and component.toml's
	// [compose] give them (see graph.Spec). Exports nil means the root's
	// exports.
	Wires   []graph.Wire
	Imports []graph.ImportSpec
	Exports []graph.ExportSpec
	Keep    []string
	// NoAutoPlug turns auto-plugging off: what no wire or import names
	// becomes an import of the result.
	NoAutoPlug bool
	// NoShareModules turns off storing nested core modules and components
	// that are byte-identical across (or within) members once
	// (graph.Graph.SetShareModules): every member is then embedded
	// unchanged.
	NoShareModules bool
	// Name is the result's name in its name section (default: the root's).
	Name string
	// Version is wcomp's version for the producers section.
	Version string
	// Resolve, when set, turns the graph into the plan instead of
	// Graph.Resolve: `wcomp compose`'s policy flags judge the plan and add
	// the members the policy generates there (policy.EnforceGraph).
	Resolve func(*graph.Graph) (*graph.Plan, error)
}

// Link is one import plugged inside the composition, for the summary.
type Link struct {
	Consumer, Import string
	From             string // `p.x`, `instance p` or `import x`
	Kind             graph.ArgKind
}

func (l Link) String() string {
	return fmt.Sprintf("%s.%s ← %s", l.Consumer, l.Import, l.From)
}

// Result is a composed component and a summary of what went into it.
type Result struct {
	// chunks are the output's bytes in order; members' bytes are not
	// copied into one buffer unless Bytes is called.
	chunks  [][]byte
	size    int
	bytes   []byte
	Members []string // instance names, in instantiation order
	Links   []Link   // arguments taken from inside, in instantiation order
	Imports []string // the result's imports
	Exports []string // the result's exports
	// Shared says what the result stores once (graph.Plan.Shared).
	Shared Sharing
	// Notes say where the result differs from what was literally asked,
	// and why (a link left unplugged, an export added because a chosen one
	// uses its types, a component embedded once for two members).
	Notes []string
}

// Compose builds the graph opts describe, resolves it (graph.Resolve makes
// every decision, unless opts.Resolve takes its place) and encodes the
// plan. Nothing is returned but an error
// if any link does not type-check, so a caller never writes a
// half-checked component.
//
// Members with identical bytes (one file given twice, under two names) are
// one component, embedded once and instantiated once per member.
func Compose(opts Options) (*Result, error) {
	g, notes, err := Graph(opts)
	if err != nil {
		return nil, err
	}
	resolve := (*graph.Graph).Resolve
	if opts.Resolve != nil {
		resolve = opts.Resolve
	}
	plan, err := resolve(g)
	if err != nil {
		return nil, err
	}
	name := opts.Name
	if name == "" {
		name = opts.Root.Name
	}
	r, err := Encode(plan, EncodeOptions{Name: name, Version: opts.Version})
	if err != nil {
		return nil, err
	}
	r.Notes = append(notes, r.Notes...)
	return r, nil
}

// Graph builds the composition graph opts describe, without resolving
// it: members decoded (and framing-checked), one instance per member, the
// root set, and the spec applied. The notes say which members share one
// component.
func Graph(opts Options) (*graph.Graph, []string, error) {
	all := append([]Input{opts.Root}, opts.Plugs...)
	if err := checkNames(all); err != nil {
		return nil, nil, err
	}
	g := graph.New()
	g.SetShareModules(!opts.NoShareModules)
	comps := make([]graph.ComponentID, len(all))
	var notes []string
	for i, in := range all {
		if j := sameBytes(all[:i], in.Bytes); j >= 0 {
			comps[i] = comps[j]
			notes = append(notes, fmt.Sprintf("%s and %s are two instances of one component, embedded once", all[j].Name, in.Name))
		} else {
			ct, err := component.DecodeType(in.Bytes)
			if err == nil {
				// Members are embedded unchanged and never parsed below
				// their component-level sections: check that what they nest
				// is at least framed well, or the output would be invalid.
				err = component.CheckNestedFraming(in.Bytes)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", describe(in, i == 0), err)
			}
			if comps[i], err = g.AddComponent(in.Name, ct, in.Bytes); err != nil {
				return nil, nil, err
			}
		}
		id, err := g.Instantiate(comps[i], in.Name)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			if err := g.SetRoot(id); err != nil {
				return nil, nil, err
			}
		}
		if opts.NoAutoPlug {
			if err := g.SetFill(id, graph.FillImport); err != nil {
				return nil, nil, err
			}
		}
	}
	spec := graph.Spec{Wires: opts.Wires, Imports: opts.Imports, Exports: opts.Exports, Keep: opts.Keep}
	if err := spec.Apply(g); err != nil {
		return nil, nil, err
	}
	return g, notes, nil
}

// DuplicateNameError reports two members with one name: wires and
// messages name members, so each needs a name of its own.
type DuplicateNameError struct {
	Name string
	// First and Second describe the two members ("root business.wasm",
	// "plug other/business.wasm").
	First, Second string
}

func (e *DuplicateNameError) Error() string {
	return fmt.Sprintf("two members are named %q (%s and %s): give one of them another name", e.Name, e.First, e.Second)
}

// CheckNames checks that every member has a usable name of its own. It
// reads only names and paths, so a caller can run it before opening any
// file; Compose runs it too.
func CheckNames(root Input, plugs []Input) error {
	return checkNames(append([]Input{root}, plugs...))
}

func checkNames(all []Input) error {
	seen := make(map[string]int, len(all))
	for i, in := range all {
		if err := CheckMemberName(in.Name); err != nil {
			return fmt.Errorf("%s: %w", describe(in, i == 0), err)
		}
		if j, dup := seen[in.Name]; dup {
			return &DuplicateNameError{Name: in.Name, First: describe(all[j], j == 0), Second: describe(in, i == 0)}
		}
		seen[in.Name] = i
	}
	return nil
}

// CheckMemberName says why name cannot name a member, or returns nil. A
// member's name is its instance's name in the graph, so the rule is
// graph.CheckInstanceName's.
func CheckMemberName(name string) error {
	if err := graph.CheckInstanceName(name); err != nil {
		if name == "" {
			return fmt.Errorf("empty member name")
		}
		return fmt.Errorf("member name %w", err)
	}
	return nil
}

// sameBytes returns the index of the first input whose bytes are data's, or
// -1. One file given twice is usually one mapping; otherwise only inputs of
// equal length are compared.
func sameBytes(earlier []Input, data []byte) int {
	for j, in := range earlier {
		if len(in.Bytes) != len(data) {
			continue
		}
		if len(data) == 0 || &in.Bytes[0] == &data[0] || bytes.Equal(in.Bytes, data) {
			return j
		}
	}
	return -1
}

// Size is the length of the composed component in bytes.
func (r *Result) Size() int { return r.size }

// Bytes returns the composed component as one slice (built on first call).
func (r *Result) Bytes() []byte {
	if r.bytes == nil {
		r.bytes = make([]byte, 0, r.size)
		for _, c := range r.chunks {
			r.bytes = append(r.bytes, c...)
		}
	}
	return r.bytes
}

// WriteTo writes the composed component to w without first gathering it
// into one buffer.
func (r *Result) WriteTo(w io.Writer) (int64, error) {
	if r.bytes != nil {
		n, err := w.Write(r.bytes)
		return int64(n), err
	}
	var total int64
	for _, c := range r.chunks {
		n, err := w.Write(c)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// describe names a member in messages the way it was given: its role,
// then its file ("root business.wasm"), with its name when that is not the
// file's stem ("plug v2=validator.wasm").
func describe(in Input, root bool) string {
	role := "plug"
	if root {
		role = "root"
	}
	switch {
	case in.Path == "":
		return role + " " + in.Name
	case StemName(in.Path) == in.Name:
		return role + " " + in.Path
	}
	return role + " " + in.Name + "=" + in.Path
}

// Sharing sums up the nested modules and components a result stores once.
type Sharing struct {
	Modules, Components int
	// Stored is the bytes of the shared items, each written once; Saved is
	// what writing every use of them would have added.
	Stored, Saved int
}

// SharingOf sums up a plan's shared items.
func SharingOf(items []graph.SharedItem) Sharing {
	var s Sharing
	for _, it := range items {
		if it.Sort == component.SortCoreModule {
			s.Modules++
		} else {
			s.Components++
		}
		s.Stored += len(it.Data)
		s.Saved += it.Saved()
		// What a shared component nests and shares too is stored once,
		// as an item of its own.
		for _, r := range it.Shares {
			s.Stored -= len(items[r.Item].Data)
		}
	}
	return s
}

func summarize(p *graph.Plan) *Result {
	r := &Result{Shared: SharingOf(p.Shared())}
	for _, in := range p.Instances() {
		r.Members = append(r.Members, in.Name)
		for _, a := range in.Args {
			if a.Kind == graph.ArgImport {
				continue
			}
			r.Links = append(r.Links, Link{Consumer: in.Name, Import: a.Import, From: p.DescribeSource(a.From), Kind: a.Kind})
		}
	}
	for _, im := range p.Imports() {
		r.Imports = append(r.Imports, im.Name)
	}
	for _, e := range p.Exports() {
		r.Exports = append(r.Exports, e.Name)
	}
	for _, n := range p.Notes() {
		r.Notes = append(r.Notes, n.String())
	}
	return r
}
