package component

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Preamble is the 8-byte header of every component binary: magic, version
// 0x0d and layer 1.
var Preamble = [8]byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}

var wasmMagic = []byte{0x00, 0x61, 0x73, 0x6d}

// IsComponent reports whether data starts with the component preamble (as
// opposed to a core module's, or something that is not WebAssembly).
func IsComponent(data []byte) bool {
	return len(data) >= 8 && bytes.Equal(data[:8], Preamble[:])
}

// Decode parses a component binary into its syntax model. Nested core
// modules and components are kept as sub-slices of data and not parsed; call
// Decode on a nested component's bytes to descend. data is retained, not
// copied: the model's byte ranges point into it.
func Decode(data []byte) (*Component, error) {
	if err := checkPreamble(data); err != nil {
		return nil, err
	}
	r := &reader{data: data, off: 8}
	c := &Component{Data: data}
	for !r.done() {
		s, err := r.section()
		if err != nil {
			return nil, err
		}
		c.Sections = append(c.Sections, s)
	}
	return c, nil
}

// DecodeParts decodes a component binary given as consecutive parts, the
// way a composer holds its output: its own sections in some parts, and
// each nested component or module spliced in by reference as one part, or
// as several (Nested.Parts), right after the header (id and size) of its
// section. The result is
// what Decode gives for the concatenation, offsets included, except that
// Component.Data is nil; no part is copied, so checking an output that
// embeds an 18 MB member costs no 18 MB copy.
func DecodeParts(parts [][]byte) (*Component, error) {
	if len(parts) == 0 {
		return nil, checkPreamble(nil)
	}
	if err := checkPreamble(parts[0]); err != nil {
		return nil, err
	}
	c := &Component{}
	base := 0 // offset of parts[i] in the concatenation
	for i := 0; i < len(parts); i++ {
		data := parts[i]
		r := &reader{data: data}
		if i == 0 {
			r.off = 8
		}
		for !r.done() {
			start := r.off
			if s, ok := splicedSection(r, parts, i, base); ok {
				c.Sections = append(c.Sections, s)
				// the payload's parts
				n := 1
				if nested := s.Component; nested != nil && nested.Parts != nil {
					n = len(nested.Parts)
				}
				for ; n > 0; n-- {
					base += len(data)
					i++
					data = parts[i]
				}
				r = &reader{data: data, off: len(data)}
				break
			}
			r.off = start
			s, err := r.section()
			if err != nil {
				var de *DecodeError
				if errors.As(err, &de) {
					de.Offset += base
				}
				return nil, err
			}
			s.Offset += base
			for _, n := range []*Nested{s.Component, s.CoreModule} {
				if n != nil {
					n.Offset += base
				}
			}
			c.Sections = append(c.Sections, s)
		}
		base += len(data)
	}
	return c, nil
}

// splicedSection reads, at r, the header of a nested component or module
// section that ends parts[i] and whose payload is all of parts[i+1].
func splicedSection(r *reader, parts [][]byte, i, base int) (Section, bool) {
	id, err := r.byte("section id")
	if err != nil || (SectionID(id) != SectionComponent && SectionID(id) != SectionCoreModule) {
		return Section{}, false
	}
	size, err := r.u32("section size")
	if err != nil || !r.done() || i+1 >= len(parts) || size == 0 {
		return Section{}, false
	}
	k, sum := i+1, 0
	for k < len(parts) && sum < int(size) {
		sum += len(parts[k])
		k++
	}
	if sum != int(size) {
		return Section{}, false
	}
	n := &Nested{Offset: base + len(parts[i])}
	if k == i+2 {
		payload := parts[i+1]
		n.Bytes = payload[:len(payload):len(payload)]
	} else if SectionID(id) == SectionComponent {
		n.Parts = parts[i+1 : k : k]
	} else {
		return Section{}, false
	}
	s := Section{ID: SectionID(id), Offset: n.Offset, Size: int(size)}
	if s.ID == SectionComponent {
		s.Component = n
	} else {
		s.CoreModule = n
	}
	return s, true
}

// checkPreamble returns nil when data starts with the component preamble.
// Input that is not a component at all gets a *NotComponentError saying
// what it is instead; a component header that is cut short or of another
// version, a *DecodeError.
func checkPreamble(data []byte) error {
	if len(data) < 4 || !bytes.Equal(data[:4], wasmMagic) {
		return &NotComponentError{Found: describeNonWasm(data)}
	}
	if len(data) < 8 {
		return &DecodeError{Offset: 0, Context: "preamble", Msg: fmt.Sprintf("truncated: expected 8-byte preamble, found %d bytes", len(data))}
	}
	version := uint16(data[4]) | uint16(data[5])<<8
	layer := uint16(data[6]) | uint16(data[7])<<8
	switch {
	case layer == 0:
		return &NotComponentError{Wasm: true, Found: fmt.Sprintf("this is a core WebAssembly module (version %d)", version)}
	case layer != 1:
		return &NotComponentError{Wasm: true, Found: fmt.Sprintf("unknown WebAssembly layer %d (a component has layer 1)", layer)}
	case version != 0x0d:
		return &DecodeError{Offset: 4, Context: "preamble", Msg: fmt.Sprintf("unsupported component binary version 0x%x (expected 0x0d)", version)}
	}
	return nil
}

// NotComponentError says the input is not a component binary at all (an
// empty file, text, a core module, some other format), as opposed to a
// component with a mistake at some offset (a *DecodeError). It names what
// was found, since that is what tells the user which file they passed.
type NotComponentError struct {
	// Wasm is set when the input is WebAssembly, only not a component.
	Wasm bool
	// Found says what the input is, e.g. "file is empty".
	Found string
}

func (e *NotComponentError) Error() string {
	if e.Wasm {
		return "not a component: " + e.Found
	}
	return "not a WebAssembly binary: " + e.Found
}

// describeNonWasm says what data, which lacks the WebAssembly magic, looks
// like: nothing, WAT or WIT text, other text, or other bytes.
func describeNonWasm(data []byte) string {
	if len(data) == 0 {
		return "file is empty"
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "file holds only white space"
	}
	line, ok := firstTextLine(data)
	if !ok {
		return fmt.Sprintf("starts with bytes % x, not the magic 00 61 73 6d", data[:min(len(data), 4)])
	}
	what := "looks like text, not a binary"
	switch {
	case hasAnyPrefix(line, "(component", "(module", ";;", "(;"):
		what = "looks like WAT text; assemble it with wasm-tools parse"
	case hasAnyPrefix(line, "package ", "world ", "interface ", "///"):
		what = "looks like WIT text, not a component binary"
	}
	return fmt.Sprintf("starts with %q — %s", line, what)
}

// firstTextLine returns the start of data's first non-blank line, when
// data begins as printable UTF-8 text.
func firstTextLine(data []byte) (string, bool) {
	head := data[:min(len(data), 256)]
	n := 0
	for n < len(head) {
		r, size := utf8.DecodeRune(head[n:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(head[n:]) && len(head) < len(data) {
				break // a rune cut in two by the window
			}
			return "", false
		}
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "", false
		}
		n += size
	}
	text := strings.TrimLeft(strings.TrimPrefix(string(head[:n]), "\uFEFF"), " \t\r\n")
	line, _, _ := strings.Cut(text, "\n")
	line = strings.TrimSpace(line)
	if r := []rune(line); len(r) > 24 {
		line = string(r[:24]) + "…"
	}
	return line, true
}

// hasAnyPrefix reports whether s starts with one of prefixes.
func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var sectionNames = [...]string{
	SectionCustom:       "custom section",
	SectionCoreModule:   "core module section",
	SectionCoreInstance: "core instance section",
	SectionCoreType:     "core type section",
	SectionComponent:    "component section",
	SectionInstance:     "instance section",
	SectionAlias:        "alias section",
	SectionType:         "type section",
	SectionCanon:        "canon section",
	SectionStart:        "start section",
	SectionImport:       "import section",
	SectionExport:       "export section",
	SectionValue:        "value section",
}

// String returns the section's name as error messages use it.
func (id SectionID) String() string {
	if int(id) < len(sectionNames) {
		return sectionNames[id]
	}
	return fmt.Sprintf("section 0x%02x", uint8(id))
}

// section reads one section: id, size and a payload that must be consumed
// exactly.
func (r *reader) section() (Section, error) {
	start := r.off
	r.ctx = ""
	id, err := r.byte("section id")
	if err != nil {
		return Section{}, err
	}
	if id > uint8(SectionValue) {
		return Section{}, r.errorf(start, "unknown section id 0x%02x", id)
	}
	sid := SectionID(id)
	r.ctx = sid.String()
	size, err := r.u32("section size")
	if err != nil {
		return Section{}, err
	}
	if int64(size) > int64(r.remaining()) {
		return Section{}, r.errorf(start, "section size %d exceeds the %d bytes left", size, r.remaining())
	}
	s := Section{ID: sid, Offset: r.off, Size: int(size)}
	sr, err := r.sub(int(size), sid.String())
	if err != nil {
		return Section{}, err
	}
	if err := sr.sectionPayload(&s); err != nil {
		return Section{}, err
	}
	if !sr.done() {
		return Section{}, sr.errorf(sr.off, "%d unexpected bytes at the end of the section", sr.remaining())
	}
	return s, nil
}

func (r *reader) sectionPayload(s *Section) error {
	var err error
	switch s.ID {
	case SectionCustom:
		var name string
		if name, err = r.name("custom section name"); err == nil {
			s.Custom = &CustomSection{Name: name, Data: r.data[r.off:len(r.data):len(r.data)]}
			r.off = len(r.data)
		}
	case SectionCoreModule, SectionComponent:
		n := &Nested{Offset: r.off, Bytes: r.data[r.off:len(r.data):len(r.data)]}
		r.off = len(r.data)
		if s.ID == SectionCoreModule {
			s.CoreModule = n
		} else {
			s.Component = n
		}
	case SectionCoreInstance:
		s.CoreInstances, err = vec(r, "core instance", 2, (*reader).coreInstance)
	case SectionCoreType:
		s.CoreTypes, err = vec(r, "core type", 2, func(r *reader) (CoreType, error) { return r.coreType(true) })
	case SectionInstance:
		s.Instances, err = vec(r, "instance", 2, (*reader).instance)
	case SectionAlias:
		s.Aliases, err = vec(r, "alias", 3, (*reader).alias)
	case SectionType:
		s.Types, err = vec(r, "type", 1, (*reader).typeDef)
	case SectionCanon:
		s.Canons, err = vec(r, "canon", 1, (*reader).canon)
	case SectionStart:
		var st Start
		if st, err = r.start(); err == nil {
			s.Start = &st
		}
	case SectionImport:
		s.Imports, err = vec(r, "import", 3, (*reader).importDecl)
	case SectionExport:
		s.Exports, err = vec(r, "export", 4, (*reader).export)
	case SectionValue:
		s.Values, err = vec(r, "value", 2, (*reader).value)
	}
	return err
}

// vec reads a vector of items of at least minSize bytes each. The slice is
// pre-allocated only as far as the remaining bytes can justify.
func vec[T any](r *reader, what string, minSize int, item func(*reader) (T, error)) ([]T, error) {
	n, err := r.count(what, minSize)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, n)
	for i := 0; i < n; i++ {
		v, err := item(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (r *reader) coreSort() (Sort, error) {
	off := r.off
	b, err := r.byte("core sort")
	if err != nil {
		return 0, err
	}
	switch b {
	case 0x00, 0x01, 0x02, 0x03, 0x04:
		return Sort(b), nil // SortCoreFunc..SortCoreTag
	case 0x10:
		return SortCoreType, nil
	case 0x11:
		return SortCoreModule, nil
	case 0x12:
		return SortCoreInstance, nil
	}
	return 0, r.bad(off, "core sort", b)
}

func (r *reader) sort() (Sort, error) {
	off := r.off
	b, err := r.byte("sort")
	if err != nil {
		return 0, err
	}
	switch b {
	case 0x00:
		return r.coreSort()
	case 0x01:
		return SortFunc, nil
	case 0x02:
		return SortValue, nil
	case 0x03:
		return SortType, nil
	case 0x04:
		return SortComponent, nil
	case 0x05:
		return SortInstance, nil
	}
	return 0, r.bad(off, "sort", b)
}

func (r *reader) coreInstance() (CoreInstance, error) {
	off := r.off
	b, err := r.byte("core instance")
	if err != nil {
		return CoreInstance{}, err
	}
	switch b {
	case 0x00:
		m, err := r.u32("module index")
		if err != nil {
			return CoreInstance{}, err
		}
		args, err := vec(r, "core instantiate argument", 3, func(r *reader) (CoreInstantiateArg, error) {
			name, err := r.name("instantiate argument name")
			if err != nil {
				return CoreInstantiateArg{}, err
			}
			off := r.off
			b, err := r.byte("instance sort")
			if err != nil {
				return CoreInstantiateArg{}, err
			}
			if b != 0x12 {
				return CoreInstantiateArg{}, r.bad(off, "core instance sort 0x12", b)
			}
			i, err := r.u32("core instance index")
			return CoreInstantiateArg{Name: name, Instance: i}, err
		})
		return CoreInstance{Module: m, Args: args}, err
	case 0x01:
		exports, err := vec(r, "core inline export", 3, func(r *reader) (CoreInlineExport, error) {
			name, err := r.name("export name")
			if err != nil {
				return CoreInlineExport{}, err
			}
			s, err := r.coreSort()
			if err != nil {
				return CoreInlineExport{}, err
			}
			i, err := r.u32("index")
			return CoreInlineExport{Name: name, Item: SortIndex{s, i}}, err
		})
		return CoreInstance{Inline: true, Exports: exports}, err
	}
	return CoreInstance{}, r.bad(off, "core instance expression (0x00 or 0x01)", b)
}

func (r *reader) sortIndex() (SortIndex, error) {
	s, err := r.sort()
	if err != nil {
		return SortIndex{}, err
	}
	i, err := r.u32("index")
	return SortIndex{s, i}, err
}

func (r *reader) instance() (Instance, error) {
	off := r.off
	b, err := r.byte("instance")
	if err != nil {
		return Instance{}, err
	}
	switch b {
	case 0x00:
		c, err := r.u32("component index")
		if err != nil {
			return Instance{}, err
		}
		args, err := vec(r, "instantiate argument", 3, func(r *reader) (InstantiateArg, error) {
			name, err := r.name("instantiate argument name")
			if err != nil {
				return InstantiateArg{}, err
			}
			si, err := r.sortIndex()
			return InstantiateArg{Name: name, Item: si}, err
		})
		return Instance{Component: c, Args: args}, err
	case 0x01:
		exports, err := vec(r, "inline export", 4, func(r *reader) (InlineExport, error) {
			name, err := r.externName()
			if err != nil {
				return InlineExport{}, err
			}
			si, err := r.sortIndex()
			return InlineExport{Name: name, Item: si}, err
		})
		return Instance{Inline: true, Exports: exports}, err
	}
	return Instance{}, r.bad(off, "instance expression (0x00 or 0x01)", b)
}

func (r *reader) alias() (Alias, error) {
	s, err := r.sort()
	if err != nil {
		return Alias{}, err
	}
	off := r.off
	b, err := r.byte("alias target")
	if err != nil {
		return Alias{}, err
	}
	a := Alias{Sort: s, Kind: AliasKind(b)}
	switch b {
	case 0x00, 0x01:
		if b == 0x01 && !s.IsCore() {
			return Alias{}, r.errorf(off, "core export alias of non-core sort")
		}
		if a.Instance, err = r.u32("instance index"); err != nil {
			return Alias{}, err
		}
		a.Name, err = r.name("export name")
		return a, err
	case 0x02:
		if a.Count, err = r.u32("outer alias count"); err != nil {
			return Alias{}, err
		}
		a.Index, err = r.u32("outer alias index")
		return a, err
	}
	return Alias{}, r.bad(off, "alias target (0x00, 0x01 or 0x02)", b)
}

// externName reads nameattributes: a form byte, the name, and (form 0x02)
// attributes.
func (r *reader) externName() (ExternName, error) {
	off := r.off
	form, err := r.byte("name")
	if err != nil {
		return ExternName{}, err
	}
	if form > 2 {
		return ExternName{}, r.bad(off, "name attributes form (0x00, 0x01 or 0x02)", form)
	}
	n := ExternName{Form: form}
	if n.Name, err = r.name("name"); err != nil {
		return ExternName{}, err
	}
	if form != 2 {
		return n, nil
	}
	count, err := r.count("name attribute", 2)
	if err != nil {
		return ExternName{}, err
	}
	var order [3]byte
	nattrs := 0
	for i := 0; i < count; i++ {
		off := r.off
		kind, err := r.byte("name attribute")
		if err != nil {
			return ExternName{}, err
		}
		var dst *string
		switch kind {
		case attrImplements:
			dst = &n.Implements
		case attrVersionSuffix:
			dst = &n.VersionSuffix
		case attrExternalID:
			dst = &n.ExternalID
		default:
			return ExternName{}, r.bad(off, "name attribute (0x00, 0x01 or 0x02)", kind)
		}
		for _, k := range order[:nattrs] {
			if k == kind {
				return ExternName{}, r.errorf(off, "duplicate name attribute 0x%02x", kind)
			}
		}
		if *dst, err = r.name("name attribute value"); err != nil {
			return ExternName{}, err
		}
		order[nattrs] = kind
		nattrs++
	}
	n.attrs = string(order[:nattrs])
	return n, nil
}

func (r *reader) externType() (ExternType, error) {
	off := r.off
	b, err := r.byte("extern type")
	if err != nil {
		return ExternType{}, err
	}
	t := ExternType{Kind: ExternKind(b)}
	switch ExternKind(b) {
	case ExternModule:
		off := r.off
		b2, err := r.byte("core module sort")
		if err != nil {
			return ExternType{}, err
		}
		if b2 != 0x11 {
			return ExternType{}, r.bad(off, "core module sort 0x11", b2)
		}
		t.Index, err = r.u32("core type index")
		return t, err
	case ExternFunc, ExternComponent, ExternInstance:
		t.Index, err = r.u32("type index")
		return t, err
	case ExternValue:
		// Binary.md has a valuebound (0x00 eq i | 0x01 t) here, but
		// wasm-tools, which makes the binaries that exist, writes a bare
		// valtype; the two cannot be told apart, so we follow wasm-tools.
		vt, err := r.valType()
		t.ValueType = &vt
		return t, err
	case ExternTypeKind:
		off := r.off
		bound, err := r.byte("type bound")
		if err != nil {
			return ExternType{}, err
		}
		switch bound {
		case 0x00:
			t.Index, err = r.u32("type index")
			return t, err
		case 0x01:
			t.SubResource = true
			return t, nil
		}
		return ExternType{}, r.bad(off, "type bound (0x00 or 0x01)", bound)
	}
	return ExternType{}, r.bad(off, "extern type", b)
}

func (r *reader) importDecl() (Import, error) {
	n, err := r.externName()
	if err != nil {
		return Import{}, err
	}
	t, err := r.externType()
	return Import{Name: n, Type: t}, err
}

func (r *reader) export() (Export, error) {
	n, err := r.externName()
	if err != nil {
		return Export{}, err
	}
	si, err := r.sortIndex()
	if err != nil {
		return Export{}, err
	}
	e := Export{Name: n, Item: si}
	has, err := r.optional("optional export type")
	if err != nil || !has {
		return e, err
	}
	t, err := r.externType()
	e.Type = &t
	return e, err
}

// maxStartResults is the implementation limit wasm-tools also applies to a
// start function's result count.
const maxStartResults = 1000

func (r *reader) start() (Start, error) {
	f, err := r.u32("function index")
	if err != nil {
		return Start{}, err
	}
	args, err := vec(r, "start argument", 1, func(r *reader) (uint32, error) { return r.u32("value index") })
	if err != nil {
		return Start{}, err
	}
	off := r.off
	n, err := r.u32("result count")
	if err == nil && n > maxStartResults {
		err = r.errorf(off, "start function result count %d exceeds the limit of %d", n, maxStartResults)
	}
	return Start{Func: f, Args: args, Results: n}, err
}

func (r *reader) value() (Value, error) {
	t, err := r.valType()
	if err != nil {
		return Value{}, err
	}
	n, err := r.u32("value length")
	if err != nil {
		return Value{}, err
	}
	b, err := r.bytes(int(n), "value")
	return Value{Type: t, Data: b}, err
}
