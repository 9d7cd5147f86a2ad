package graph

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// SourceKind says what a Source names.
type SourceKind uint8

const (
	// SourceNone is the zero Source: nothing (an argument not decided yet).
	SourceNone SourceKind = iota
	// SourceExport is one export of an instance.
	SourceExport
	// SourceInstance is a whole instance: its exports, as one instance.
	SourceInstance
	// SourceImport is an import of the result, whole.
	SourceImport
	// SourceImportExport is one export of an imported instance.
	SourceImportExport
)

// Source is where an instantiation argument or an export of the result
// comes from. Build one with ExportOf, InstanceOf, ImportOf or
// ImportExportOf; Sources compare with ==. The zero Source names nothing.
type Source struct {
	Kind     SourceKind
	Instance InstanceID // SourceExport, SourceInstance
	Import   ImportID   // SourceImport, SourceImportExport
	Export   string     // SourceExport, SourceImportExport
}

// ExportOf is instance inst's export name.
func ExportOf(inst InstanceID, name string) Source {
	return Source{Kind: SourceExport, Instance: inst, Import: -1, Export: name}
}

// InstanceOf is the whole instance inst.
func InstanceOf(inst InstanceID) Source {
	return Source{Kind: SourceInstance, Instance: inst, Import: -1}
}

// ImportOf is the result's import imp.
func ImportOf(imp ImportID) Source {
	return Source{Kind: SourceImport, Instance: -1, Import: imp}
}

// ImportExportOf is the export name of the result's import imp, which must
// be an instance.
func ImportExportOf(imp ImportID, name string) Source {
	return Source{Kind: SourceImportExport, Instance: -1, Import: imp, Export: name}
}

// provider returns the instance a source depends on, if any.
func (s Source) provider() (InstanceID, bool) {
	if s.Kind == SourceExport || s.Kind == SourceInstance {
		return s.Instance, true
	}
	return -1, false
}

// sourceType checks that from names something in g and returns its type.
func (g *Graph) sourceType(from Source) (component.Extern, error) {
	switch from.Kind {
	case SourceExport, SourceInstance:
		if !g.validInstance(from.Instance) {
			return nil, fmt.Errorf("unknown instance id %d", from.Instance)
		}
		in := g.instances[from.Instance]
		if from.Kind == SourceInstance {
			return wholeInstance(in.ct), nil
		}
		e := in.ct.Export(from.Export)
		if e == nil {
			return nil, &MissingExportError{Instance: in.name, Component: g.components[in.comp].name, Export: from.Export, Similar: similarExports(in.ct, from.Export)}
		}
		return e.Type, nil
	case SourceImport, SourceImportExport:
		if !g.validImport(from.Import) {
			return nil, fmt.Errorf("unknown import id %d", from.Import)
		}
		im := g.imports[from.Import]
		if from.Kind == SourceImport {
			return im.typ, nil
		}
		it, ok := im.typ.(*component.InstanceType)
		if !ok {
			return nil, fmt.Errorf("import %s is %s, not an instance: it has no exports", im.name, articled(component.KindName(im.typ)))
		}
		e := it.Export(from.Export)
		if e == nil {
			return nil, fmt.Errorf("import %s has no export %q", im.name, from.Export)
		}
		return e.Type, nil
	}
	return nil, fmt.Errorf("no source given (kind %d)", from.Kind)
}

// wholeInstance is the type of an instance of a component of type ct, as
// an argument or an export: its exports.
func wholeInstance(ct *component.ComponentType) *component.InstanceType {
	return &component.InstanceType{Exports: ct.Exports}
}

// describe names a source in messages: `p.x`, `instance p`, `import x`,
// `import x's f`.
func (g *Graph) describe(s Source) string {
	switch s.Kind {
	case SourceExport:
		if g.validInstance(s.Instance) {
			return g.instances[s.Instance].name + "." + s.Export
		}
	case SourceInstance:
		if g.validInstance(s.Instance) {
			return "instance " + g.instances[s.Instance].name
		}
	case SourceImport:
		if g.validImport(s.Import) {
			return "import " + g.imports[s.Import].name
		}
	case SourceImportExport:
		if g.validImport(s.Import) {
			return "import " + g.imports[s.Import].name + "'s " + s.Export
		}
	}
	return "?"
}
