package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

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
//
// Members with identical bytes (one file given twice, under two names) are
// one component, embedded once and instantiated once per member.
func Compose(opts Options) (*Result, error) {
	all := append([]Input{opts.Root}, opts.Plugs...)
	if err := checkNames(all); err != nil {
		return nil, err
	}
	g := graph.New()
	ids := make([]graph.InstanceID, len(all))
	comps := make([]graph.ComponentID, len(all))
	var rootType *component.ComponentType
	var notes []string
	var shared [][2]int // members (earlier, later) with the same bytes
	for i, in := range all {
		if j := sameBytes(all[:i], in.Bytes); j >= 0 {
			comps[i] = comps[j]
			shared = append(shared, [2]int{j, i})
		} else {
			ct, err := component.DecodeType(in.Bytes)
			if err == nil {
				// Members are embedded unchanged and never parsed below
				// their component-level sections: check that what they nest
				// is at least framed well, or the output would be invalid.
				err = component.CheckNestedFraming(in.Bytes)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", describe(in, i == 0), err)
			}
			if comps[i], err = g.AddComponent(in.Name, ct, in.Bytes); err != nil {
				return nil, err
			}
		}
		if i == 0 {
			_, rootType, _ = g.Component(comps[0])
		}
		var err error
		if ids[i], err = g.Instantiate(comps[i], in.Name); err != nil {
			return nil, err
		}
	}
	for _, w := range uniqueWires(opts.Wires) {
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
	if opts.Exports != nil {
		for _, name := range opts.Exports {
			if rootType.Export(name) == nil {
				return nil, fmt.Errorf("--export %s: the root, %s, has no such export (it exports %s)", name, opts.Root.Name, exportNames(rootType))
			}
		}
		exports, added := withSiblings(rootType, opts.Exports)
		notes = append(notes, added...)
		if err := g.SetExports(exports); err != nil {
			return nil, err
		}
	}
	plan, err := g.Resolve(ids[0])
	if err != nil {
		return nil, err
	}
	for _, pair := range shared {
		if !slices.Contains(plan.Unused, ids[pair[0]]) && !slices.Contains(plan.Unused, ids[pair[1]]) {
			notes = append(notes, fmt.Sprintf("%s and %s are two instances of one component, embedded once", all[pair[0]].Name, all[pair[1]].Name))
		}
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
// member name is what CONSUMER and PROVIDER are in a wire, so it must not
// contain the wire syntax's ':' or '='.
func CheckMemberName(name string) error {
	switch {
	case name == "":
		return errors.New("empty member name")
	case strings.ContainsAny(name, ":="):
		return fmt.Errorf("member name %q: must not contain ':' or '='", name)
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

// uniqueWires drops repeats of the same wire: giving one link twice asks
// for nothing new. Two different wires for one import still fail in Wire.
func uniqueWires(wires []Wire) []Wire {
	seen := make(map[Wire]bool, len(wires))
	out := make([]Wire, 0, len(wires))
	for _, w := range wires {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
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
	case stem(in.Path) == in.Name:
		return role + " " + in.Path
	}
	return role + " " + in.Name + "=" + in.Path
}

// stem is a file's name without directory and extension.
func stem(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func exportNames(ct *component.ComponentType) string {
	if len(ct.Exports) == 0 {
		return "nothing"
	}
	names := make([]string, len(ct.Exports))
	for i, e := range ct.Exports {
		names[i] = e.Name
	}
	return strings.Join(names, ", ")
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
