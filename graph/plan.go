package graph

import (
	"slices"

	"github.com/wcomp/wcomp/component"
)

// Plan is a resolved composition, ready for the encoder. It is immutable:
// its accessors return copies, and the types they hold (shared with the
// graph's components) are never changed by anyone. Every list is in a
// deterministic order that depends only on the graph's insertion order
// and the components' declaration order.
type Plan struct {
	root       InstanceID
	components []PlannedComponent
	instances  []PlannedInstance
	imports    []PlannedImport
	exports    []PlannedExport
	notes      []Note
	resources  component.ResourceMap
	// shared are the nested items stored once (share.go).
	shared []SharedItem
	// names snapshots every instance name, so a Plan stays readable and
	// unchanged if the graph is mutated afterwards.
	names []string
}

// Root returns the root instance, if the graph has one.
func (p *Plan) Root() (InstanceID, bool) { return p.root, p.root >= 0 }

// Components lists the components the instances instantiate, each once, in
// order of first use. The encoder embeds each once, however often it is
// instantiated.
func (p *Plan) Components() []PlannedComponent {
	out := slices.Clone(p.components)
	for i := range out {
		out[i].Shares = slices.Clone(out[i].Shares)
	}
	return out
}

// Instances lists the instances in dependency order: every instance comes
// after the instances its arguments are taken from.
func (p *Plan) Instances() []PlannedInstance {
	out := slices.Clone(p.instances)
	for i := range out {
		out[i].Args = slices.Clone(out[i].Args)
	}
	return out
}

// Imports lists the result's imports in the order they must be written:
// an import comes after the imports whose types it uses, otherwise in
// order of first use.
func (p *Plan) Imports() []PlannedImport {
	out := slices.Clone(p.imports)
	for i := range out {
		out[i].Names = slices.Clone(out[i].Names)
		out[i].Members = slices.Clone(out[i].Members)
	}
	return out
}

// Import returns the import with the given ID.
func (p *Plan) Import(id ImportID) (PlannedImport, bool) {
	for _, im := range p.imports {
		if im.ID == id {
			im.Names = slices.Clone(im.Names)
			im.Members = slices.Clone(im.Members)
			return im, true
		}
	}
	return PlannedImport{}, false
}

// Exports lists the result's exports in order.
func (p *Plan) Exports() []PlannedExport { return slices.Clone(p.exports) }

// Notes say where the result differs from what was literally asked, and
// why: a link left unplugged, a sibling export added.
func (p *Plan) Notes() []Note { return slices.Clone(p.notes) }

// Resources returns a copy of the resource bindings the link check found:
// each abstract resource an instance imports, mapped to the resource it
// stands for (a member's, or one an import of the result declares).
func (p *Plan) Resources() component.ResourceMap {
	out := make(component.ResourceMap, len(p.resources))
	for k, v := range p.resources {
		out[k] = v
	}
	return out
}

// InstanceName returns the name of an instance of the graph the plan was
// resolved from.
func (p *Plan) InstanceName(id InstanceID) string {
	if id < 0 || int(id) >= len(p.names) {
		return "?"
	}
	return p.names[id]
}

// PlannedComponent is one component the result embeds.
type PlannedComponent struct {
	ID   ComponentID
	Name string
	Type *component.ComponentType
	Data []byte
	// Shares are the places in Data where a shared item (Plan.Shared)
	// stood; the encoder writes Data with each replaced by an outer alias.
	// Empty: Data is embedded unchanged.
	Shares []ShareRef
}

// PlannedInstance is one instantiation.
type PlannedInstance struct {
	ID        InstanceID
	Name      string
	Component ComponentID
	// Type is the instance's own copy of its component's type, with
	// resources of its own (see Graph.Instantiate); Args' types and the
	// exports that sources name come from it.
	Type *component.ComponentType
	// Args has one entry per import of the component, in its import order.
	Args []Arg
	// WiredOnly is set for an instance whose exports serve only explicit
	// arguments (Graph.WiredOnly).
	WiredOnly bool
}

// ArgKind says where an instantiation argument comes from, and why.
type ArgKind uint8

const (
	// ArgExplicit: given by SetArg (or Wire).
	ArgExplicit ArgKind = iota
	// ArgExact: auto-plugged by an export with the same name.
	ArgExact
	// ArgSemver: auto-plugged by a semver-compatible export.
	ArgSemver
	// ArgImport: an import of the result, implicitly (nothing inside
	// satisfies it, FillImport, or it was unplugged: see the notes).
	ArgImport
	// ArgNamedImport: auto-plugged by an explicit import of the result
	// with the same or a semver-compatible name.
	ArgNamedImport
)

func (k ArgKind) String() string {
	switch k {
	case ArgExplicit:
		return "explicit"
	case ArgExact:
		return "exact"
	case ArgSemver:
		return "semver"
	case ArgImport:
		return "import"
	case ArgNamedImport:
		return "named import"
	}
	return "?"
}

// Arg is one instantiation argument: `(with "Import" …)`.
type Arg struct {
	// Import is the consumer's own import name; the encoder uses it in
	// `with`, even when the value comes from a merged, higher-versioned
	// import.
	Import string
	// Type is the consumer's import type (what is expected).
	Type component.Extern
	Kind ArgKind
	// From is where the value comes from. For imports of the result,
	// From.Import is a PlannedImport's ID.
	From Source
}

// PlannedImport is one import of the result.
type PlannedImport struct {
	ID   ImportID
	Name string
	// Explicit is set for imports declared with Graph.Import.
	Explicit bool
	// Type is what the result imports: the declared type of an explicit
	// import, else the union of Members' types (the wider one of each
	// pair).
	Type component.Extern
	// Names are the distinct member import names an implicit import
	// merges, lowest version first (Name is the highest).
	Names []string
	// Members are the instance imports it serves, in plan order: for an
	// implicit import, those it was unioned from; for an explicit one,
	// those passed the whole import. Their types name the same types as
	// Type, so the encoder binds them all to this import.
	Members []ImportUse
}

// ImportUse is one instance import served by a PlannedImport.
type ImportUse struct {
	Instance InstanceID
	Import   string
	Type     component.Extern
}

// PlannedExport is one export of the result.
type PlannedExport struct {
	Name string
	// From is what is exported; unused when Defined is set.
	From Source
	// Type is the exported item's type.
	Type component.Extern
	// Defined is a type the graph defines itself (Graph.ExportType).
	Defined component.Type
}

// NoteKind says which decision a Note reports.
type NoteKind uint8

const (
	// NoteUnplugged: an auto-plugged link was undone; the import is
	// taken from outside instead.
	NoteUnplugged NoteKind = iota
	// NoteSiblingExport: an export was added because a chosen one uses
	// its types (wac #141).
	NoteSiblingExport
	// NoteShared: identical nested modules or components are stored once
	// (Plan.Shared).
	NoteShared
)

// Note is one decision Resolve made on its own, for people.
type Note struct {
	Kind NoteKind
	// Instance, Import and From locate the link a NoteUnplugged undid.
	Instance string
	Import   string
	From     string
	Text     string
}

func (n Note) String() string { return n.Text }
