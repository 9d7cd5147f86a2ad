package component

import (
	"bytes"
	"fmt"
	"sort"
)

// This file is the byte-level half of storing shared nested modules and
// components once (graph decides what is shared, compose writes it): a
// scan that lists everything a component nests, at any depth, and a
// rewrite that replaces chosen nested sections by outer aliases, leaving
// every other byte as it was.

// NestedItem is a core module or component nested, at any depth, in a
// component binary.
type NestedItem struct {
	// Kind is SectionCoreModule or SectionComponent.
	Kind SectionID
	// Section is the offset of the item's section id byte in the scanned
	// data; Offset and Size bound its payload (the module or component
	// binary itself, preamble included).
	Section, Offset, Size int
	// Depth is how many components enclose the item inside the scanned
	// one, plus one: 1 for an item of the scanned component's own
	// sections. It is the count an outer alias in the item's place needs
	// to reach the component that encloses the scanned one.
	Depth int
	// Parent is the index, in the list NestedItems returns, of the nested
	// component the item is in, or -1.
	Parent int
}

// Bytes returns the item's payload in data, the bytes that were scanned.
func (it NestedItem) Bytes(data []byte) []byte {
	return data[it.Offset : it.Offset+it.Size : it.Offset+it.Size]
}

// NestedItems lists every core module and component nested in the
// component data, in binary order, a component before what it nests. Like
// CheckNestedFraming it reads only section headers, never a module's
// contents; data must have passed CheckNestedFraming.
func NestedItems(data []byte) ([]NestedItem, error) {
	if err := checkPreamble(data); err != nil {
		return nil, err
	}
	var items []NestedItem
	var walk func(start, end, depth, parent int) error
	walk = func(start, end, depth, parent int) error {
		if depth > maxNesting {
			return &DecodeError{Offset: start, Msg: fmt.Sprintf("components nested more than %d deep", maxNesting)}
		}
		return walkSections(data, start+8, end, "", func(id byte, idOff, from, to int) error {
			switch SectionID(id) {
			case SectionCoreModule:
				items = append(items, NestedItem{Kind: SectionCoreModule, Section: idOff, Offset: from, Size: to - from, Depth: depth, Parent: parent})
			case SectionComponent:
				if to-from < 8 {
					return &DecodeError{Offset: from, Msg: "nested component shorter than its preamble"}
				}
				items = append(items, NestedItem{Kind: SectionComponent, Section: idOff, Offset: from, Size: to - from, Depth: depth, Parent: parent})
				return walk(from, to, depth+1, len(items)-1)
			}
			return nil
		})
	}
	if err := walk(0, len(data), 1, -1); err != nil {
		return nil, err
	}
	return items, nil
}

// SelfContained reports whether the component data refers to nothing
// outside itself: no outer alias in it, in its types or in the components
// it nests, counts past its own top level. Only such a component can be
// moved into another component unchanged. Core modules never refer
// outside themselves.
func SelfContained(data []byte) (bool, error) {
	c, err := Decode(data)
	if err != nil {
		return false, err
	}
	return selfContained(c, 0)
}

// selfContained checks c, which sits level scopes inside the component
// being asked about (0 for that component itself).
func selfContained(c *Component, level uint32) (bool, error) {
	if level > maxNesting {
		return false, &DecodeError{Msg: fmt.Sprintf("components nested more than %d deep", maxNesting)}
	}
	for i := range c.Sections {
		s := &c.Sections[i]
		switch s.ID {
		case SectionAlias:
			for _, a := range s.Aliases {
				if a.Kind == AliasOuter && a.Count > level {
					return false, nil
				}
			}
		case SectionType:
			for j := range s.Types {
				if !typeDefContained(&s.Types[j], level+1) {
					return false, nil
				}
			}
		case SectionCoreType:
			for j := range s.CoreTypes {
				if !coreTypeContained(&s.CoreTypes[j], level+1) {
					return false, nil
				}
			}
		case SectionComponent:
			nc, err := Decode(s.Component.Bytes)
			if err != nil {
				return false, err
			}
			if ok, err := selfContained(nc, level+1); !ok || err != nil {
				return ok, err
			}
		}
	}
	return true, nil
}

// typeDefContained checks the declarators of a component or instance type
// whose own scope sits level scopes inside the asked-about component.
func typeDefContained(t *TypeDef, level uint32) bool {
	var decls []Decl
	switch {
	case t.Component != nil:
		decls = t.Component.Decls
	case t.Instance != nil:
		decls = t.Instance.Decls
	default:
		return true
	}
	for i := range decls {
		d := &decls[i]
		switch d.Kind {
		case DeclAlias:
			if d.Alias != nil && d.Alias.Kind == AliasOuter && d.Alias.Count > level {
				return false
			}
		case DeclType:
			if d.Type != nil && !typeDefContained(d.Type, level+1) {
				return false
			}
		case DeclCoreType:
			if d.CoreType != nil && !coreTypeContained(d.CoreType, level+1) {
				return false
			}
		}
	}
	return true
}

// coreTypeContained checks a core module type's outer type aliases.
func coreTypeContained(t *CoreType, level uint32) bool {
	if t.Module == nil {
		return true
	}
	for _, d := range t.Module.Decls {
		if d.Kind == 0x02 && d.AliasCount > level {
			return false
		}
	}
	return true
}

// OuterRef replaces one nested module or component section by an alias
// section holding `(alias outer Count Index (Sort))`, Sort being
// SortCoreModule or SortComponent. The alias adds one item to the same
// index space the nested definition did, at the same place, so no other
// index in the component moves.
type OuterRef struct {
	// Section is the offset of the nested section's id byte (NestedItem's
	// Section) in the data being rewritten.
	Section int
	Sort    Sort
	Count   uint32
	Index   uint32
}

// ReplaceNested returns the component data with each section refs names
// replaced by its outer alias, as consecutive parts: sub-slices of data
// for every run of bytes that stays as it was (so nothing is copied: a
// member's unshared modules are written straight from its input), and
// small new slices for the alias sections and for the size of each
// enclosing nested component section, written anew. Nothing inside a
// module is read or re-encoded. Each ref must name the id byte of a
// nested section of its sort.
func ReplaceNested(data []byte, refs []OuterRef) ([][]byte, error) {
	if err := checkPreamble(data); err != nil {
		return nil, err
	}
	sorted := append([]OuterRef(nil), refs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Section < sorted[j].Section })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Section == sorted[i-1].Section {
			return nil, fmt.Errorf("two outer aliases for the section at offset %d", sorted[i].Section)
		}
	}
	parts, _, used, err := replaceIn(data, 0, len(data), sorted)
	if err != nil {
		return nil, err
	}
	if used != len(sorted) {
		return nil, fmt.Errorf("%d of %d outer aliases name no nested section", len(sorted)-used, len(sorted))
	}
	return parts, nil
}

// replaceIn rewrites the component in data[start:end] with the refs that
// fall inside it (refs is sorted), returning its new bytes as parts, their
// total size, and how many refs it used.
func replaceIn(data []byte, start, end int, refs []OuterRef) ([][]byte, int, int, error) {
	var parts [][]byte
	size := 0
	add := func(p []byte) {
		if len(p) > 0 {
			parts = append(parts, p)
			size += len(p)
		}
	}
	used := 0
	copied := start // data[copied:next section] is still to be added
	err := walkSections(data, start+8, end, "", func(id byte, idOff, from, to int) error {
		inside := refs[used:]
		n := sort.Search(len(inside), func(i int) bool { return inside[i].Section >= to })
		inside = inside[:n]
		if len(inside) == 0 {
			return nil
		}
		add(data[copied:idOff:idOff])
		copied = to
		var w Writer
		if inside[0].Section == idOff {
			r := inside[0]
			want := SectionCoreModule
			if r.Sort == SortComponent {
				want = SectionComponent
			} else if r.Sort != SortCoreModule {
				return fmt.Errorf("offset %d: an outer alias of a %s cannot stand for a nested definition", idOff, sortName(r.Sort))
			}
			if SectionID(id) != want || len(inside) > 1 {
				return fmt.Errorf("offset %d: no nested %s section to replace there", idOff, sortName(r.Sort))
			}
			var body Writer
			body.U32(1)
			body.Alias(Alias{Sort: r.Sort, Kind: AliasOuter, Count: r.Count, Index: r.Index})
			if err := body.Err(); err != nil {
				return err
			}
			w.Byte(byte(SectionAlias))
			w.Len32(body.Len())
			w.Raw(body.Bytes())
			add(w.Bytes())
			used++
			return nil
		}
		if SectionID(id) != SectionComponent || inside[0].Section < from {
			return fmt.Errorf("offset %d: no nested section to replace there", inside[0].Section)
		}
		if to-from < 8 || !bytes.Equal(data[from:from+8], Preamble[:]) {
			return &DecodeError{Offset: from, Msg: "nested component does not start with the component preamble"}
		}
		inner, innerSize, n, err := replaceIn(data, from, to, inside)
		if err != nil {
			return err
		}
		w.Byte(byte(SectionComponent))
		w.Len32(innerSize)
		add(w.Bytes())
		for _, p := range inner {
			add(p)
		}
		used += n
		return nil
	})
	if err != nil {
		return nil, 0, 0, err
	}
	add(data[copied:end:end])
	return parts, size, used, nil
}

// OuterUse is a core module or component defined in a component's own
// sections that nested components refer to by outer aliases: an item a
// composer stored once for several users.
type OuterUse struct {
	Sort  Sort // SortCoreModule or SortComponent
	Index uint32
	Size  int // the item's bytes
	Uses  int // outer aliases that name it
}

// OuterUses lists the modules and components data defines in its own
// sections and its nested components (at any depth) alias from it, in
// index order, modules first. Like Decode it never reads a module's
// contents.
func OuterUses(data []byte) ([]OuterUse, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, err
	}
	type key struct {
		sort  Sort
		index uint32
	}
	sizes := map[key]int{}
	uses := map[key]int{}
	var modules, comps uint32
	bump := func(s Sort) uint32 {
		switch s {
		case SortCoreModule:
			modules++
			return modules - 1
		case SortComponent:
			comps++
			return comps - 1
		}
		return 0
	}
	externSort := func(k ExternKind) Sort {
		switch k {
		case ExternModule:
			return SortCoreModule
		case ExternComponent:
			return SortComponent
		}
		return SortFunc
	}
	// countAliases adds the outer aliases of nested (depth levels below
	// data) that reach data.
	var countAliases func(nested []byte, depth uint32) error
	countAliases = func(nested []byte, depth uint32) error {
		if depth > maxNesting {
			return &DecodeError{Msg: fmt.Sprintf("components nested more than %d deep", maxNesting)}
		}
		nc, err := Decode(nested)
		if err != nil {
			return err
		}
		for _, s := range nc.Sections {
			switch s.ID {
			case SectionAlias:
				for _, a := range s.Aliases {
					if a.Kind == AliasOuter && a.Count == depth && (a.Sort == SortCoreModule || a.Sort == SortComponent) {
						uses[key{a.Sort, a.Index}]++
					}
				}
			case SectionComponent:
				if err := countAliases(s.Component.Bytes, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, s := range c.Sections {
		switch s.ID {
		case SectionCoreModule:
			sizes[key{SortCoreModule, bump(SortCoreModule)}] = len(s.CoreModule.Bytes)
		case SectionComponent:
			sizes[key{SortComponent, bump(SortComponent)}] = len(s.Component.Bytes)
			if err := countAliases(s.Component.Bytes, 1); err != nil {
				return nil, fmt.Errorf("nested component at offset %d: %w", s.Component.Offset, err)
			}
		case SectionAlias:
			for _, a := range s.Aliases {
				bump(a.Sort)
			}
		case SectionImport:
			for _, im := range s.Imports {
				bump(externSort(im.Type.Kind))
			}
		case SectionExport:
			for _, ex := range s.Exports {
				bump(ex.Item.Sort)
			}
		}
	}
	var out []OuterUse
	for k, n := range uses {
		if size, ok := sizes[k]; ok {
			out = append(out, OuterUse{Sort: k.sort, Index: k.index, Size: size, Uses: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Sort != out[j].Sort {
			return out[i].Sort < out[j].Sort
		}
		return out[i].Index < out[j].Index
	})
	return out, nil
}

// CheckFramingParts is CheckNestedFraming for a component given as
// consecutive parts (what ReplaceNested returns), read in place: the
// component's sections and those of the components it nests must tile
// it exactly, and each nested core module, which must lie within one part,
// is checked as CheckNestedFraming checks it.
func CheckFramingParts(parts [][]byte) error {
	pd := &partsData{parts: parts}
	total := 0
	for _, p := range parts {
		pd.offs = append(pd.offs, total)
		total += len(p)
	}
	if total < 8 || !bytes.Equal(pd.slice(0, 8), Preamble[:]) {
		return &DecodeError{Offset: 0, Msg: "does not start with the component preamble"}
	}
	return pd.component(0, total, "", 0)
}

// partsData reads bytes at offsets of the concatenation of parts.
type partsData struct {
	parts [][]byte
	offs  []int // offset of each part
}

// slice returns [from, to) if it lies within one part, else a copy
// (only ever a few header bytes).
func (d *partsData) slice(from, to int) []byte {
	i := sort.Search(len(d.offs), func(i int) bool { return d.offs[i] > from }) - 1
	if i >= 0 && to-d.offs[i] <= len(d.parts[i]) {
		return d.parts[i][from-d.offs[i] : to-d.offs[i]]
	}
	out := make([]byte, 0, to-from)
	for off := from; off < to; off++ {
		j := sort.Search(len(d.offs), func(j int) bool { return d.offs[j] > off }) - 1
		if j < 0 || off-d.offs[j] >= len(d.parts[j]) {
			return out
		}
		out = append(out, d.parts[j][off-d.offs[j]])
	}
	return out
}

func (d *partsData) component(start, end int, where string, depth int) error {
	if depth > maxNesting {
		return &DecodeError{Offset: start, Context: where, Msg: fmt.Sprintf("components nested more than %d deep", maxNesting)}
	}
	var modules, components int
	for off := start + 8; off < end; {
		head := d.slice(off, min(off+6, end))
		r := &reader{data: head, ctx: where}
		id, err := r.byte("section id")
		if err != nil {
			return err
		}
		size, err := r.u32("section size")
		if err != nil {
			return &DecodeError{Offset: off, Context: where, Msg: err.Error()}
		}
		from, to := off+r.off, off+r.off+int(size)
		if to > end {
			return &DecodeError{Offset: off, Context: where, Msg: fmt.Sprintf("section size %d exceeds the %d bytes left", size, end-from)}
		}
		switch SectionID(id) {
		case SectionCoreModule:
			inner := nestedName(where, "core module", modules)
			modules++
			mod := d.slice(from, to)
			if len(mod) != to-from || len(mod) < 8 || !bytes.Equal(mod[:8], corePreamble[:]) {
				return &DecodeError{Offset: from, Context: inner, Msg: "not a core module within one part, starting with its preamble"}
			}
			if err := checkCoreFraming(mod, 0, len(mod), inner); err != nil {
				return err
			}
		case SectionComponent:
			inner := nestedName(where, "component", components)
			components++
			if to-from < 8 || !bytes.Equal(d.slice(from, from+8), Preamble[:]) {
				return &DecodeError{Offset: from, Context: inner, Msg: "does not start with the component preamble 00 61 73 6d 0d 00 01 00"}
			}
			if err := d.component(from, to, inner, depth+1); err != nil {
				return err
			}
		default:
			if id > uint8(SectionValue) {
				return &DecodeError{Offset: off, Context: where, Msg: fmt.Sprintf("unknown section id 0x%02x", id)}
			}
		}
		off = to
	}
	return nil
}
