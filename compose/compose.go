package compose

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
)

// Input is one component given to Compose.
type Input struct {
	// Name identifies the member in wires, messages and the name section;
	// the CLI uses the file stem ("business" for business.wasm).
	Name  string
	Bytes []byte
	// Path is where the bytes came from, for messages only (may be empty).
	Path string
}

// Wire is an explicit link: Consumer's import Import is satisfied by
// Provider's export Export. Consumer and Provider are member names.
type Wire struct {
	Consumer, Import, Provider, Export string
}

func (w Wire) String() string {
	return w.Consumer + ":" + w.Import + "=" + w.Provider + ":" + w.Export
}

// ParseWire parses CONSUMER:IMPORT=PROVIDER:EXPORT. Member names cannot
// contain ':', so the first ':' on each side ends the member name and the
// rest is the (possibly namespaced) import or export name.
func ParseWire(s string) (Wire, error) {
	lhs, rhs, ok := strings.Cut(s, "=")
	if !ok {
		return Wire{}, errors.New("expected CONSUMER:IMPORT=PROVIDER:EXPORT")
	}
	c, imp, ok1 := strings.Cut(lhs, ":")
	p, exp, ok2 := strings.Cut(rhs, ":")
	if !ok1 || !ok2 || c == "" || imp == "" || p == "" || exp == "" {
		return Wire{}, errors.New("expected CONSUMER:IMPORT=PROVIDER:EXPORT, e.g. business:example:service/processing=validator:example:service/processing")
	}
	return Wire{Consumer: c, Import: imp, Provider: p, Export: exp}, nil
}

// Options says what to compose.
type Options struct {
	// Root is the component whose exports the result exports.
	Root Input
	// Plugs are components whose exports satisfy the others' imports.
	Plugs []Input
	// Wires override auto-plugging for the imports they name.
	Wires []Wire
	// Exports chooses a subset of the root's exports (nil: all).
	Exports []string
	// Name is the result's name in its name section (default: the root's).
	Name string
	// Version is wcomp's version for the producers section.
	Version string
}

// Link is one plugged import, for the summary.
type Link struct {
	Consumer, Import, Provider, Export string
	Kind                               graph.ArgKind
}

func (l Link) String() string {
	return fmt.Sprintf("%s.%s ← %s.%s", l.Consumer, l.Import, l.Provider, l.Export)
}

// Result is a composed component and a summary of what went into it.
type Result struct {
	// chunks are the output's bytes in order; members' bytes are not
	// copied into one buffer unless Bytes is called.
	chunks  [][]byte
	size    int
	bytes   []byte
	Members []string // instance names, in instantiation order
	Links   []Link   // plugged imports, in instantiation order
	Imports []string // the result's imports
	Exports []string // the result's exports
	Unused  []string // members nothing reachable from the root needs
	// Notes say where the result differs from what was asked, and why
	// (an export added because a chosen one uses its types, a link left
	// unplugged because an import uses its types).
	Notes []string
}

// Compose plugs opts.Plugs into opts.Root (and into each other) and encodes
// the result. Nothing is returned but an error if any link does not
// type-check, so a caller never writes a half-checked component.
func Compose(opts Options) (*Result, error) {
	g := graph.New()
	all := append([]Input{opts.Root}, opts.Plugs...)
	ids := make([]graph.InstanceID, len(all))
	var rootType *component.ComponentType
	for i, in := range all {
		if strings.Contains(in.Name, ":") {
			return nil, fmt.Errorf("member name %q: must not contain ':'", in.Name)
		}
		ct, err := component.DecodeType(in.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", describe(in), err)
		}
		if i == 0 {
			rootType = ct
		}
		cid, err := g.AddComponent(in.Name, ct, in.Bytes)
		if err != nil {
			return nil, err
		}
		if ids[i], err = g.Instantiate(cid, in.Name); err != nil {
			return nil, err
		}
	}
	for _, w := range opts.Wires {
		c, ok := g.InstanceByName(w.Consumer)
		if !ok {
			return nil, fmt.Errorf("--wire %s: no member named %q (members: %s)", w, w.Consumer, memberNames(all))
		}
		p, ok := g.InstanceByName(w.Provider)
		if !ok {
			return nil, fmt.Errorf("--wire %s: no member named %q (members: %s)", w, w.Provider, memberNames(all))
		}
		if err := g.Wire(c, w.Import, p, w.Export); err != nil {
			return nil, fmt.Errorf("--wire %s: %w", w, err)
		}
	}
	var notes []string
	if opts.Exports != nil {
		exports, added := withSiblings(rootType, opts.Exports)
		notes = added
		if err := g.SetExports(exports); err != nil {
			return nil, err
		}
	}
	plan, err := g.Resolve(ids[0])
	if err != nil {
		return nil, err
	}
	name := opts.Name
	if name == "" {
		name = opts.Root.Name
	}
	enc, err := encodeChunks(g, plan, EncodeOptions{Name: name, Version: opts.Version})
	if err != nil {
		return nil, err
	}
	r := summarize(g, plan)
	r.chunks, r.size = enc.chunks, enc.size
	r.Notes = append(notes, enc.notes...)
	return r, nil
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

func describe(in Input) string {
	if in.Path != "" {
		return in.Path
	}
	return in.Name
}

func memberNames(all []Input) string {
	names := make([]string, len(all))
	for i, in := range all {
		names[i] = in.Name
	}
	return strings.Join(names, ", ")
}

func summarize(g *graph.Graph, p *graph.Plan) *Result {
	r := &Result{}
	for _, in := range p.Instances {
		r.Members = append(r.Members, in.Name)
		for _, a := range in.Args {
			if a.Kind == graph.ArgImport {
				continue
			}
			prov, _ := g.Instance(a.Provider)
			r.Links = append(r.Links, Link{Consumer: in.Name, Import: a.Import, Provider: prov, Export: a.Export, Kind: a.Kind})
		}
	}
	for _, im := range p.Imports {
		r.Imports = append(r.Imports, im.Name)
	}
	for _, e := range p.Exports {
		r.Exports = append(r.Exports, e.Name)
	}
	for _, id := range p.Unused {
		n, _ := g.Instance(id)
		r.Unused = append(r.Unused, n)
	}
	return r
}
