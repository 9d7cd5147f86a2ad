package graph

import "github.com/wcomp/wcomp/component"

// Plan is a resolved composition, ready for the encoder. Every slice is in
// a deterministic order that depends only on the graph's insertion order
// and the components' declaration order.
type Plan struct {
	// Root is the instance whose exports become the result's exports.
	Root InstanceID
	// Components used by Instances, each once, in order of first use. The
	// encoder embeds each once, however often it is instantiated.
	Components []PlannedComponent
	// Instances in dependency order: every provider comes before its
	// consumers, and the root comes last.
	Instances []PlannedInstance
	// Imports of the result: everything no instance inside satisfies, with
	// semver-compatible names merged, in order of first appearance (which
	// keeps an interface after the interfaces it uses).
	Imports []ImportGroup
	// Exports of the result: the root's exports, all or the chosen set.
	Exports []PlannedExport
	// Unused lists instances that nothing reachable from the root needs,
	// in insertion order. They are not part of the result.
	Unused []InstanceID

	// names snapshots every instance name, so a Plan stays readable and
	// unchanged if the graph is mutated afterwards.
	names []string
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
}

// PlannedInstance is one instantiation.
type PlannedInstance struct {
	ID        InstanceID
	Name      string
	Component ComponentID
	// Type is the instance's own copy of its component's type, with
	// resources of its own (see Graph.Instantiate); Args' types and the
	// provider exports that links were checked against come from it.
	Type *component.ComponentType
	// Args has one entry per import of the component, in its import order.
	Args []Arg
}

// ArgKind says where an instantiation argument comes from, and why.
type ArgKind uint8

const (
	// ArgExplicit: an instance export chosen by Wire.
	ArgExplicit ArgKind = iota
	// ArgExact: auto-plugged by an export with the same name.
	ArgExact
	// ArgSemver: auto-plugged by a semver-compatible export.
	ArgSemver
	// ArgImport: nothing inside satisfies it; it is an import of the result.
	ArgImport
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
	// Provider and Export are set for every kind but ArgImport.
	Provider InstanceID
	Export   string
	// Group indexes Plan.Imports for ArgImport; -1 otherwise.
	Group int
}

// ImportGroup is one import of the result. Members that name the same
// interface on the same semver track share it; the result imports it once,
// under the highest version among them.
type ImportGroup struct {
	// Name is the import name in the result: the highest version.
	Name string
	// Key is the compatibility name (`ns:pkg/iface@0.2`) or, for names that
	// merge with nothing else, the name itself.
	Key string
	// Names are the distinct member names, lowest version first.
	Names []string
	// Members are the consumers' imports it serves, in plan order. The
	// encoder unions their types (the wider one of each pair wins).
	Members []ImportUse
}

// ImportUse is one consumer import served by an ImportGroup.
type ImportUse struct {
	Instance InstanceID
	Import   string
	Type     component.Extern
}

// PlannedExport is one export of the result: the root's export Name.
type PlannedExport struct {
	Name     string
	Instance InstanceID
	Type     component.Extern
}
