package compose

// nameSection encodes the component-name custom section (Binary.md "Name
// Section"): the component's own name, then one namemap per sort. Tools such
// as wasm-tools print and wasmtime's backtraces show these names, which is
// what makes a composed component debuggable.
func nameSection(component string, sorts []sortNames) []byte {
	var w buf
	w.str("component-name")
	if component != "" {
		var sub buf
		sub.str(component)
		w.byte1(0x00)
		w.u32(uint32(sub.len()))
		w.bytes(sub.b)
	}
	for _, s := range sorts {
		if len(s.names) == 0 {
			continue
		}
		var sub buf
		sub.byte1(s.sort)
		sub.u32(uint32(len(s.names)))
		for _, n := range s.names {
			sub.u32(n.index)
			sub.str(n.name)
		}
		w.byte1(0x01)
		w.u32(uint32(sub.len()))
		w.bytes(sub.b)
	}
	return w.b
}

// sortNames names items of one component-level sort; names are in
// increasing index order, as the name section requires.
type sortNames struct {
	sort  byte // sortComponent, sortInstance, …
	names []indexName
}

type indexName struct {
	index uint32
	name  string
}

// producersSection encodes the producers custom section (the tool
// conventions' format): one "processed-by" field naming wcomp.
func producersSection(tool, version string) []byte {
	var w buf
	w.str("producers")
	w.u32(1) // one field
	w.str("processed-by")
	w.u32(1)
	w.str(tool)
	w.str(version)
	return w.b
}
