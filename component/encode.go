package component

import (
	"fmt"
	"unicode/utf8"
)

// Encoding writes the syntax model back to bytes. Two levels:
//
//   - Writer appends single items (LEB128 integers, names, value types,
//     type definitions, declarators, imports, exports, aliases, canons…) to
//     a growing byte slice. It knows nothing of sections.
//   - Encoder builds a whole component: the preamble, then sections in the
//     order they are added. Each section's payload is written through a
//     Writer and its size is filled in afterwards.
//
// All integers are written as canonical (shortest) LEB128, so a component
// that was written canonically (as wasm-tools writes them) round-trips to
// the same bytes. Invalid model values (an unknown sort, a TypeDef with no
// field set) are reported by Writer.Err rather than by panicking.
//
// Building a new component:
//
//	var e component.Encoder
//	e.Section(component.SectionType, func(w *component.Writer) {
//		w.U32(1) // one type
//		w.TypeDef(&component.TypeDef{Func: &component.FuncType{}})
//	})
//	e.Section(component.SectionImport, func(w *component.Writer) {
//		w.U32(1)
//		w.Import(component.Import{Name: component.ExternName{Name: "f"},
//			Type: component.ExternType{Kind: component.ExternFunc, Index: 0}})
//	})
//	out, err := e.Bytes()

// Writer appends encoded items to a byte slice. The zero value is ready to
// use. The first invalid item sets Err; later writes still append but the
// result should be discarded.
type Writer struct {
	buf []byte
	err error
}

// Bytes returns what was written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// Len returns the number of bytes written so far.
func (w *Writer) Len() int { return len(w.buf) }

// Err returns the first encoding error, or nil.
func (w *Writer) Err() error { return w.err }

func (w *Writer) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("encode: "+format, args...)
	}
}

// Byte appends one byte.
func (w *Writer) Byte(b byte) { w.buf = append(w.buf, b) }

// Raw appends bytes unchanged.
func (w *Writer) Raw(b []byte) { w.buf = append(w.buf, b...) }

// U32 appends v as unsigned LEB128.
func (w *Writer) U32(v uint32) { w.U64(uint64(v)) }

// U64 appends v as unsigned LEB128.
func (w *Writer) U64(v uint64) {
	for v >= 0x80 {
		w.buf = append(w.buf, byte(v)|0x80)
		v >>= 7
	}
	w.buf = append(w.buf, byte(v))
}

// S64 appends v as signed LEB128.
func (w *Writer) S64(v int64) {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			w.buf = append(w.buf, b)
			return
		}
		w.buf = append(w.buf, b|0x80)
	}
}

// Len32 appends a vector length.
func (w *Writer) Len32(n int) {
	if n < 0 || uint64(n) > 0xffffffff {
		w.fail("length %d out of range", n)
	}
	w.U32(uint32(n))
}

// Name appends a length-prefixed UTF-8 string (core:name).
func (w *Writer) Name(s string) {
	if !utf8.ValidString(s) {
		w.fail("name %q is not valid UTF-8", s)
	}
	w.Len32(len(s))
	w.buf = append(w.buf, s...)
}

// Flag appends a 0x00/0x01 boolean immediate.
func (w *Writer) Flag(b bool) {
	if b {
		w.Byte(1)
	} else {
		w.Byte(0)
	}
}

// CoreSort appends a core:sort.
func (w *Writer) CoreSort(s Sort) {
	switch {
	case s <= SortCoreTag:
		w.Byte(byte(s))
	case s == SortCoreType:
		w.Byte(0x10)
	case s == SortCoreModule:
		w.Byte(0x11)
	case s == SortCoreInstance:
		w.Byte(0x12)
	default:
		w.fail("sort %d is not a core sort", s)
	}
}

// Sort appends a sort (core sorts prefixed with 0x00).
func (w *Writer) Sort(s Sort) {
	switch s {
	case SortFunc:
		w.Byte(0x01)
	case SortValue:
		w.Byte(0x02)
	case SortType:
		w.Byte(0x03)
	case SortComponent:
		w.Byte(0x04)
	case SortInstance:
		w.Byte(0x05)
	default:
		if !s.IsCore() {
			w.fail("unknown sort %d", s)
			return
		}
		w.Byte(0x00)
		w.CoreSort(s)
	}
}

// SortIndex appends a sortidx.
func (w *Writer) SortIndex(si SortIndex) {
	w.Sort(si.Sort)
	w.U32(si.Index)
}

// ValType appends a valtype: a primitive opcode, or a type index as s33.
func (w *Writer) ValType(t ValTypeRef) {
	if t.Prim != 0 {
		if !isPrim(byte(t.Prim)) {
			w.fail("unknown primitive type 0x%02x", byte(t.Prim))
		}
		w.Byte(byte(t.Prim))
		return
	}
	w.S64(int64(t.Index))
}

func (w *Writer) optValType(t *ValTypeRef) {
	if t == nil {
		w.Byte(0)
		return
	}
	w.Byte(1)
	w.ValType(*t)
}

// ExternName appends nameattributes.
func (w *Writer) ExternName(n ExternName) {
	if n.Form > 2 {
		w.fail("name %q: unknown name form 0x%02x", n.Name, n.Form)
	}
	w.Byte(n.Form)
	w.Name(n.Name)
	if n.Form != 2 {
		if n.Implements != "" || n.VersionSuffix != "" || n.ExternalID != "" {
			w.fail("name %q has attributes but form 0x%02x (attributes need form 0x02)", n.Name, n.Form)
		}
		return
	}
	attrs := []byte(n.attrs)
	if len(attrs) == 0 {
		for k, v := range []string{n.Implements, n.VersionSuffix, n.ExternalID} {
			if v != "" {
				attrs = append(attrs, byte(k))
			}
		}
	}
	w.Len32(len(attrs))
	for _, k := range attrs {
		w.Byte(k)
		switch k {
		case attrImplements:
			w.Name(n.Implements)
		case attrVersionSuffix:
			w.Name(n.VersionSuffix)
		case attrExternalID:
			w.Name(n.ExternalID)
		}
	}
}

// ExternType appends an externtype.
func (w *Writer) ExternType(t ExternType) {
	w.Byte(byte(t.Kind))
	switch t.Kind {
	case ExternModule:
		w.Byte(0x11)
		w.U32(t.Index)
	case ExternFunc, ExternComponent, ExternInstance:
		w.U32(t.Index)
	case ExternValue:
		// A bare valtype, as wasm-tools writes it (see reader.externType).
		if t.ValueType == nil {
			w.fail("value extern type without ValueType")
			return
		}
		w.ValType(*t.ValueType)
	case ExternTypeKind:
		if t.SubResource {
			w.Byte(0x01)
		} else {
			w.Byte(0x00)
			w.U32(t.Index)
		}
	default:
		w.fail("unknown extern kind %d", t.Kind)
	}
}

// Import appends an import (also an importdecl).
func (w *Writer) Import(im Import) {
	w.ExternName(im.Name)
	w.ExternType(im.Type)
}

// Export appends an export-section entry: name, item and optional
// ascribed type.
func (w *Writer) Export(ex Export) {
	w.ExternName(ex.Name)
	w.SortIndex(ex.Item)
	if ex.Type == nil {
		w.Byte(0)
		return
	}
	w.Byte(1)
	w.ExternType(*ex.Type)
}

// Alias appends an alias (definition or declarator).
func (w *Writer) Alias(a Alias) {
	w.Sort(a.Sort)
	w.Byte(byte(a.Kind))
	switch a.Kind {
	case AliasInstanceExport, AliasCoreInstanceExport:
		w.U32(a.Instance)
		w.Name(a.Name)
	case AliasOuter:
		w.U32(a.Count)
		w.U32(a.Index)
	default:
		w.fail("unknown alias kind %d", a.Kind)
	}
}

// CoreInstance appends a core:instance.
func (w *Writer) CoreInstance(ci CoreInstance) {
	if ci.Inline {
		w.Byte(0x01)
		w.Len32(len(ci.Exports))
		for _, e := range ci.Exports {
			w.Name(e.Name)
			w.CoreSort(e.Item.Sort)
			w.U32(e.Item.Index)
		}
		return
	}
	w.Byte(0x00)
	w.U32(ci.Module)
	w.Len32(len(ci.Args))
	for _, a := range ci.Args {
		w.Name(a.Name)
		w.Byte(0x12)
		w.U32(a.Instance)
	}
}

// Instance appends an instance.
func (w *Writer) Instance(in Instance) {
	if in.Inline {
		w.Byte(0x01)
		w.Len32(len(in.Exports))
		for _, e := range in.Exports {
			w.ExternName(e.Name)
			w.SortIndex(e.Item)
		}
		return
	}
	w.Byte(0x00)
	w.U32(in.Component)
	w.Len32(len(in.Args))
	for _, a := range in.Args {
		w.Name(a.Name)
		w.SortIndex(a.Item)
	}
}

// TypeDef appends a type (deftype).
func (w *Writer) TypeDef(t *TypeDef) {
	switch {
	case t.Value != nil:
		w.DefValType(t.Value)
	case t.Func != nil:
		w.FuncType(t.Func)
	case t.Component != nil:
		w.Byte(0x41)
		w.decls(t.Component.Decls)
	case t.Instance != nil:
		w.Byte(0x42)
		w.decls(t.Instance.Decls)
	case t.Resource != nil:
		w.Byte(0x3f)
		w.Byte(t.Resource.Rep)
		if t.Resource.Dtor == nil {
			w.Byte(0)
		} else {
			w.Byte(1)
			w.U32(*t.Resource.Dtor)
		}
	default:
		w.fail("type definition with no field set")
	}
}

// FuncType appends a functype.
func (w *Writer) FuncType(f *FuncType) {
	if f.Async {
		w.Byte(0x43)
	} else {
		w.Byte(0x40)
	}
	w.labeled(f.Params)
	w.resultList(f.Result)
}

func (w *Writer) resultList(t *ValTypeRef) {
	if t == nil {
		w.Byte(0x01)
		w.Byte(0x00)
		return
	}
	w.Byte(0x00)
	w.ValType(*t)
}

func (w *Writer) labeled(ls []LabeledType) {
	w.Len32(len(ls))
	for _, l := range ls {
		w.Name(l.Name)
		w.ValType(l.Type)
	}
}

// DefValType appends a defvaltype.
func (w *Writer) DefValType(d *DefValType) {
	if d.Kind == DefPrim {
		w.ValType(ValTypeRef{Prim: d.Prim})
		return
	}
	w.Byte(byte(d.Kind))
	switch d.Kind {
	case DefRecord:
		w.labeled(d.Fields)
	case DefVariant:
		w.Len32(len(d.Cases))
		for _, c := range d.Cases {
			w.Name(c.Name)
			w.optValType(c.Type)
			if c.Refines == nil {
				w.Byte(0)
			} else {
				w.Byte(1)
				w.U32(*c.Refines)
			}
		}
	case DefList, DefOption:
		w.elem(d)
	case DefFixedList:
		w.elem(d)
		w.U32(d.Len)
	case DefTuple:
		w.Len32(len(d.Types))
		for _, t := range d.Types {
			w.ValType(t)
		}
	case DefFlags, DefEnum:
		w.Len32(len(d.Labels))
		for _, l := range d.Labels {
			w.Name(l)
		}
	case DefResult:
		w.optValType(d.Ok)
		w.optValType(d.Err)
	case DefOwn, DefBorrow:
		w.U32(d.Resource)
	case DefStream, DefFuture:
		w.optValType(d.Elem)
	case DefMap:
		if d.Key == nil || d.Elem == nil {
			w.fail("map type needs Key and Elem")
			return
		}
		w.ValType(*d.Key)
		w.ValType(*d.Elem)
	default:
		w.fail("unknown defined value type 0x%02x", byte(d.Kind))
	}
}

func (w *Writer) elem(d *DefValType) {
	if d.Elem == nil {
		w.fail("type 0x%02x needs Elem", byte(d.Kind))
		return
	}
	w.ValType(*d.Elem)
}

func (w *Writer) decls(ds []Decl) {
	w.Len32(len(ds))
	for i := range ds {
		w.Decl(&ds[i])
	}
}

// Decl appends a component or instance type declarator.
func (w *Writer) Decl(d *Decl) {
	w.Byte(byte(d.Kind))
	switch d.Kind {
	case DeclCoreType:
		if d.CoreType == nil {
			w.fail("core type declarator without CoreType")
			return
		}
		w.CoreType(d.CoreType)
	case DeclType:
		if d.Type == nil {
			w.fail("type declarator without Type")
			return
		}
		w.TypeDef(d.Type)
	case DeclAlias:
		if d.Alias == nil {
			w.fail("alias declarator without Alias")
			return
		}
		w.Alias(*d.Alias)
	case DeclImport, DeclExport:
		w.ExternName(d.Name)
		w.ExternType(d.Extern)
	default:
		w.fail("unknown declarator kind 0x%02x", byte(d.Kind))
	}
}

// CoreType appends a core:type: a module type from its declarators, any
// other core type from its Raw bytes (built from Func when Raw is empty).
func (w *Writer) CoreType(ct *CoreType) {
	switch {
	case ct.Module != nil:
		w.Byte(0x50)
		w.Len32(len(ct.Module.Decls))
		for i := range ct.Module.Decls {
			w.coreModuleDecl(&ct.Module.Decls[i])
		}
	case len(ct.Raw) > 0:
		w.Raw(ct.Raw)
	case ct.Func != nil:
		w.Byte(0x60)
		for _, vs := range [][]CoreValType{ct.Func.Params, ct.Func.Results} {
			w.Len32(len(vs))
			for _, v := range vs {
				w.Raw(v)
			}
		}
	default:
		w.fail("core type with no Module, Raw or Func")
	}
}

func (w *Writer) coreModuleDecl(d *CoreModuleDecl) {
	w.Byte(d.Kind)
	switch d.Kind {
	case 0x00:
		w.Name(d.ImportModule)
		w.Name(d.ImportName)
		w.Raw(d.Extern)
	case 0x01:
		if d.Type == nil || d.Type.Module != nil {
			w.fail("module type declarator needs a non-module core type")
			return
		}
		w.CoreType(d.Type)
	case 0x02:
		w.Byte(0x10)
		w.Byte(0x01)
		w.U32(d.AliasCount)
		w.U32(d.AliasIndex)
	case 0x03:
		w.Name(d.ExportName)
		w.Raw(d.Extern)
	default:
		w.fail("unknown module type declarator 0x%02x", d.Kind)
	}
}

// Canon appends a canonical definition.
func (w *Writer) Canon(c *Canon) {
	shape := canonShapes[c.Op]
	if shape == shapeInvalid {
		w.fail("unknown canon opcode 0x%02x", byte(c.Op))
		return
	}
	w.Byte(byte(c.Op))
	switch shape {
	case shapeLift, shapeLower:
		w.Byte(0x00)
		w.U32(c.Func)
		w.canonOpts(c.Options)
		if shape == shapeLift {
			w.U32(c.Type)
		}
	case shapeType:
		w.U32(c.Type)
	case shapeTypeOpts:
		w.U32(c.Type)
		w.canonOpts(c.Options)
	case shapeTypeFlag:
		w.U32(c.Type)
		w.Flag(c.Flag)
	case shapeFlag:
		w.Flag(c.Flag)
	case shapeReserved:
		w.Byte(0x00)
	case shapeOpts:
		w.canonOpts(c.Options)
	case shapeResultOpts:
		w.resultList(c.Result)
		w.canonOpts(c.Options)
	case shapeContext:
		w.Byte(c.CoreValType)
		w.U32(c.Imm)
	case shapeReservedMemory:
		w.Byte(0x00)
		w.U32(c.Memory)
	case shapeCoreType:
		w.U32(c.CoreType)
	case shapeCoreTypeTable:
		w.U32(c.CoreType)
		w.U32(c.Table)
	}
}

func (w *Writer) canonOpts(opts []CanonOption) {
	w.Len32(len(opts))
	for _, o := range opts {
		if o.Kind > OptGC {
			w.fail("unknown canonical option 0x%02x", byte(o.Kind))
		}
		w.Byte(byte(o.Kind))
		if canonOptHasIndex(o.Kind) {
			w.U32(o.Index)
		}
	}
}

// Start appends a start definition.
func (w *Writer) Start(s *Start) {
	w.U32(s.Func)
	w.Len32(len(s.Args))
	for _, a := range s.Args {
		w.U32(a)
	}
	w.U32(s.Results)
}

// Value appends a value definition.
func (w *Writer) Value(v *Value) {
	w.ValType(v.Type)
	w.Len32(len(v.Data))
	w.Raw(v.Data)
}

// Encoder writes a component: the preamble, then one section per call, in
// call order. The zero value is ready to use.
type Encoder struct {
	w       Writer
	started bool
}

func (e *Encoder) begin() {
	if !e.started {
		e.started = true
		e.w.Raw(Preamble[:])
	}
}

// Section appends a section with the given id whose payload body writes.
// The payload's size is computed afterwards, so body just writes items
// (for vector sections, the item count first).
func (e *Encoder) Section(id SectionID, body func(w *Writer)) {
	e.begin()
	if id > SectionValue {
		e.w.fail("unknown section id %d", id)
	}
	e.w.Byte(byte(id))
	start := e.w.Len()
	body(&e.w)
	e.w.buf = insertSize(e.w.buf, start)
}

// insertSize inserts the LEB128 length of buf[start:] at start.
func insertSize(buf []byte, start int) []byte {
	size := uint64(len(buf) - start)
	var leb [10]byte
	n := 0
	for {
		b := byte(size & 0x7f)
		size >>= 7
		if size != 0 {
			leb[n] = b | 0x80
			n++
			continue
		}
		leb[n] = b
		n++
		break
	}
	buf = append(buf, leb[:n]...)
	copy(buf[start+n:], buf[start:len(buf)-n])
	copy(buf[start:], leb[:n])
	return buf
}

// Custom appends a custom section.
func (e *Encoder) Custom(name string, data []byte) {
	e.Section(SectionCustom, func(w *Writer) {
		w.Name(name)
		w.Raw(data)
	})
}

// vectorSection appends a section whose payload is a vector of items, each
// written by write: the shape of every section but custom, start and the
// nested module and component ones.
func vectorSection[T any](e *Encoder, id SectionID, items []T, write func(w *Writer, it *T)) {
	e.Section(id, func(w *Writer) {
		w.Len32(len(items))
		for i := range items {
			write(w, &items[i])
		}
	})
}

// CoreModule appends a core module section holding module, a complete core
// module binary, unchanged.
func (e *Encoder) CoreModule(module []byte) { e.raw(SectionCoreModule, module) }

// Component appends a component section holding component, a complete
// component binary, unchanged.
func (e *Encoder) Component(component []byte) { e.raw(SectionComponent, component) }

func (e *Encoder) raw(id SectionID, b []byte) {
	e.begin()
	e.w.Byte(byte(id))
	e.w.Len32(len(b))
	e.w.Raw(b)
}

// CoreInstances appends a core instance section.
func (e *Encoder) CoreInstances(items []CoreInstance) {
	vectorSection(e, SectionCoreInstance, items, func(w *Writer, it *CoreInstance) { w.CoreInstance(*it) })
}

// CoreTypes appends a core type section.
func (e *Encoder) CoreTypes(items []CoreType) {
	vectorSection(e, SectionCoreType, items, (*Writer).CoreType)
}

// Instances appends an instance section.
func (e *Encoder) Instances(items []Instance) {
	vectorSection(e, SectionInstance, items, func(w *Writer, it *Instance) { w.Instance(*it) })
}

// Aliases appends an alias section.
func (e *Encoder) Aliases(items []Alias) {
	vectorSection(e, SectionAlias, items, func(w *Writer, it *Alias) { w.Alias(*it) })
}

// Types appends a type section.
func (e *Encoder) Types(items []TypeDef) { vectorSection(e, SectionType, items, (*Writer).TypeDef) }

// Canons appends a canon section.
func (e *Encoder) Canons(items []Canon) { vectorSection(e, SectionCanon, items, (*Writer).Canon) }

// Start appends a start section.
func (e *Encoder) Start(s *Start) {
	e.Section(SectionStart, func(w *Writer) { w.Start(s) })
}

// Imports appends an import section.
func (e *Encoder) Imports(items []Import) {
	vectorSection(e, SectionImport, items, func(w *Writer, it *Import) { w.Import(*it) })
}

// Exports appends an export section.
func (e *Encoder) Exports(items []Export) {
	vectorSection(e, SectionExport, items, func(w *Writer, it *Export) { w.Export(*it) })
}

// Values appends a value section.
func (e *Encoder) Values(items []Value) { vectorSection(e, SectionValue, items, (*Writer).Value) }

// Bytes returns the component written so far (at least the preamble), or
// the first encoding error.
func (e *Encoder) Bytes() ([]byte, error) {
	e.begin()
	if e.w.err != nil {
		return nil, e.w.err
	}
	return e.w.buf, nil
}

// Encode writes c back to bytes, re-encoding every section from the model.
// Nested modules and components and custom sections are copied as they are.
func (c *Component) Encode() ([]byte, error) {
	var e Encoder
	// Most of a typical component is nested module bytes; size the buffer
	// once.
	e.w.buf = make([]byte, 0, len(c.Data)+64)
	e.begin()
	for i := range c.Sections {
		if err := e.AddSection(&c.Sections[i]); err != nil {
			return nil, fmt.Errorf("section %d (%v): %w", i, c.Sections[i].ID, err)
		}
	}
	return e.Bytes()
}

// AddSection re-encodes one decoded (or hand-built) section.
func (e *Encoder) AddSection(s *Section) error {
	switch s.ID {
	case SectionCustom:
		if s.Custom == nil {
			return fmt.Errorf("custom section without Custom")
		}
		e.Custom(s.Custom.Name, s.Custom.Data)
	case SectionCoreModule:
		if s.CoreModule == nil {
			return fmt.Errorf("core module section without CoreModule")
		}
		e.CoreModule(s.CoreModule.Bytes)
	case SectionComponent:
		if s.Component == nil {
			return fmt.Errorf("component section without Component")
		}
		e.Component(s.Component.Bytes)
	case SectionCoreInstance:
		e.CoreInstances(s.CoreInstances)
	case SectionCoreType:
		e.CoreTypes(s.CoreTypes)
	case SectionInstance:
		e.Instances(s.Instances)
	case SectionAlias:
		e.Aliases(s.Aliases)
	case SectionType:
		e.Types(s.Types)
	case SectionCanon:
		e.Canons(s.Canons)
	case SectionStart:
		if s.Start == nil {
			return fmt.Errorf("start section without Start")
		}
		e.Start(s.Start)
	case SectionImport:
		e.Imports(s.Imports)
	case SectionExport:
		e.Exports(s.Exports)
	case SectionValue:
		e.Values(s.Values)
	default:
		return fmt.Errorf("unknown section id %d", s.ID)
	}
	return e.w.err
}
