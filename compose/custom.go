package compose

import "github.com/wcomp/wcomp/component"

// nameSection writes the component-name custom section (Binary.md "Name
// Section"): the component's own name, then one namemap per sort. Tools such
// as wasm-tools print and wasmtime's backtraces show these names, which is
// what makes a composed component debuggable.
func nameSection(w *component.Writer, name string, sorts []sortNames) {
	w.Name("component-name")
	if name != "" {
		var sub component.Writer
		sub.Name(name)
		subsection(w, 0x00, &sub)
	}
	for _, s := range sorts {
		if len(s.names) == 0 {
			continue
		}
		var sub component.Writer
		sub.Sort(s.sort)
		sub.Len32(len(s.names))
		for _, n := range s.names {
			sub.U32(n.index)
			sub.Name(n.name)
		}
		subsection(w, 0x01, &sub)
	}
}

// subsection appends a name subsection: its id, size and contents.
func subsection(w *component.Writer, id byte, sub *component.Writer) {
	w.Byte(id)
	w.Len32(sub.Len())
	w.Raw(sub.Bytes())
}

// sortNames names items of one component-level sort; names are in
// increasing index order, as the name section requires.
type sortNames struct {
	sort  component.Sort
	names []indexName
}

type indexName struct {
	index uint32
	name  string
}

// producersSection writes the producers custom section (the tool
// conventions' format): one "processed-by" field naming wcomp.
func producersSection(w *component.Writer, tool, version string) {
	w.Name("producers")
	w.U32(1) // one field
	w.Name("processed-by")
	w.U32(1)
	w.Name(tool)
	w.Name(version)
}
