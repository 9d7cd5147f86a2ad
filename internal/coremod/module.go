package coremod

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// ValType is a core value type, by its binary opcode.
type ValType byte

// The four numeric core value types.
const (
	I32 ValType = 0x7f
	I64 ValType = 0x7e
	F32 ValType = 0x7d
	F64 ValType = 0x7c
)

func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return fmt.Sprintf("valtype(0x%02x)", byte(t))
}

// FuncType is a core function type.
type FuncType struct {
	Params, Results []ValType
}

func (f FuncType) key() string { return string(valBytes(f.Params)) + "|" + string(valBytes(f.Results)) }

func valBytes(ts []ValType) []byte {
	b := make([]byte, len(ts))
	for i, t := range ts {
		b[i] = byte(t)
	}
	return b
}

// ExportKind is the kind of an exported item.
type ExportKind byte

// Export kinds, by their binary opcode.
const (
	ExportFunc   ExportKind = 0x00
	ExportMemory ExportKind = 0x02
	ExportGlobal ExportKind = 0x03
)

// Module is a core module under construction. The zero value is an empty
// module; Encode writes it.
type Module struct {
	// Name is the module's name in the name section ("" for none).
	Name string

	types     []FuncType
	typeIndex map[string]uint32
	funcs     []function
	memory    *memory
	globals   []global
	exports   []export
	data      []segment
	names     map[string]bool // export names, to refuse duplicates
	err       error
}

type function struct {
	name   string
	typ    uint32
	locals []ValType
	body   []byte
}

type memory struct{ min uint32 }

type global struct {
	typ     ValType
	mutable bool
	init    int64
}

type export struct {
	name  string
	kind  ExportKind
	index uint32
}

type segment struct {
	offset uint32
	bytes  []byte
}

// PageSize is the size of a WebAssembly memory page.
const PageSize = 65536

func (m *Module) fail(format string, args ...any) {
	if m.err == nil {
		m.err = fmt.Errorf("core module %s: "+format, append([]any{m.Name}, args...)...)
	}
}

// typeOf returns the index of t in the type section, adding it once.
func (m *Module) typeOf(t FuncType) uint32 {
	if m.typeIndex == nil {
		m.typeIndex = map[string]uint32{}
	}
	k := t.key()
	if i, ok := m.typeIndex[k]; ok {
		return i
	}
	i := uint32(len(m.types))
	m.types = append(m.types, t)
	m.typeIndex[k] = i
	return i
}

// AddFunc adds a function and returns its index. name is its name in the
// name section (what a trap backtrace shows); locals are the locals past
// the parameters. body must be complete: Code.Bytes ends it with `end`.
func (m *Module) AddFunc(name string, t FuncType, locals []ValType, body *Code) uint32 {
	if body == nil {
		m.fail("function %q has no body", name)
		return 0
	}
	if err := body.check(); err != nil {
		m.fail("function %q: %v", name, err)
	}
	m.funcs = append(m.funcs, function{name: name, typ: m.typeOf(t), locals: locals, body: body.Bytes()})
	return uint32(len(m.funcs) - 1)
}

// SetMemory gives the module its one memory, of at least min pages, and
// returns its index (0).
func (m *Module) SetMemory(min uint32) uint32 {
	m.memory = &memory{min: min}
	return 0
}

// AddGlobal adds a global of type t, initialised to init (an integer
// constant), and returns its index.
func (m *Module) AddGlobal(t ValType, mutable bool, init int64) uint32 {
	if t != I32 && t != I64 {
		m.fail("global of type %s: only integer globals are supported", t)
	}
	m.globals = append(m.globals, global{typ: t, mutable: mutable, init: init})
	return uint32(len(m.globals) - 1)
}

// Export exports item index of kind under name.
func (m *Module) Export(name string, kind ExportKind, index uint32) {
	if m.names == nil {
		m.names = map[string]bool{}
	}
	if m.names[name] {
		m.fail("export %q defined twice", name)
	}
	m.names[name] = true
	m.exports = append(m.exports, export{name: name, kind: kind, index: index})
}

// AddData adds an active data segment for memory 0 at offset.
func (m *Module) AddData(offset uint32, bytes []byte) {
	m.data = append(m.data, segment{offset: offset, bytes: bytes})
}

// Encode returns the module's binary encoding, or the first error met
// while building it.
func (m *Module) Encode() ([]byte, error) {
	if m.err != nil {
		return nil, m.err
	}
	if len(m.data) > 0 && m.memory == nil {
		return nil, fmt.Errorf("core module %s: data segments need a memory", m.Name)
	}
	for _, e := range m.exports {
		var n int
		switch e.kind {
		case ExportFunc:
			n = len(m.funcs)
		case ExportMemory:
			if m.memory != nil {
				n = 1
			}
		case ExportGlobal:
			n = len(m.globals)
		}
		if int64(e.index) >= int64(n) {
			return nil, fmt.Errorf("core module %s: export %q: index %d out of range", m.Name, e.name, e.index)
		}
	}
	var out component.Writer
	out.Raw([]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00})
	section := func(id byte, n int, body func(w *component.Writer)) {
		if n == 0 {
			return
		}
		var w component.Writer
		body(&w)
		out.Byte(id)
		out.Len32(w.Len())
		out.Raw(w.Bytes())
	}
	section(1, len(m.types), func(w *component.Writer) {
		w.Len32(len(m.types))
		for _, t := range m.types {
			w.Byte(0x60)
			w.Len32(len(t.Params))
			w.Raw(valBytes(t.Params))
			w.Len32(len(t.Results))
			w.Raw(valBytes(t.Results))
		}
	})
	section(3, len(m.funcs), func(w *component.Writer) {
		w.Len32(len(m.funcs))
		for _, f := range m.funcs {
			w.U32(f.typ)
		}
	})
	if m.memory != nil {
		section(5, 1, func(w *component.Writer) {
			w.U32(1)
			w.Byte(0x00) // no maximum
			w.U32(m.memory.min)
		})
	}
	section(6, len(m.globals), func(w *component.Writer) {
		w.Len32(len(m.globals))
		for _, g := range m.globals {
			w.Byte(byte(g.typ))
			w.Flag(g.mutable)
			if g.typ == I64 {
				w.Byte(0x42)
			} else {
				w.Byte(0x41)
			}
			w.S64(g.init)
			w.Byte(0x0b)
		}
	})
	section(7, len(m.exports), func(w *component.Writer) {
		w.Len32(len(m.exports))
		for _, e := range m.exports {
			w.Name(e.name)
			w.Byte(byte(e.kind))
			w.U32(e.index)
		}
	})
	section(10, len(m.funcs), func(w *component.Writer) {
		w.Len32(len(m.funcs))
		for _, f := range m.funcs {
			var fw component.Writer
			groups := localGroups(f.locals)
			fw.Len32(len(groups))
			for _, g := range groups {
				fw.U32(g.n)
				fw.Byte(byte(g.t))
			}
			fw.Raw(f.body)
			w.Len32(fw.Len())
			w.Raw(fw.Bytes())
		}
	})
	section(11, len(m.data), func(w *component.Writer) {
		w.Len32(len(m.data))
		for _, d := range m.data {
			w.Byte(0x00) // active, memory 0
			w.Byte(0x41)
			w.S64(int64(int32(d.offset)))
			w.Byte(0x0b)
			w.Len32(len(d.bytes))
			w.Raw(d.bytes)
		}
	})
	m.nameSection(&out)
	if err := out.Err(); err != nil {
		return nil, fmt.Errorf("core module %s: %w", m.Name, err)
	}
	return out.Bytes(), nil
}

type localGroup struct {
	n uint32
	t ValType
}

// localGroups run-length encodes locals, as the code section does.
func localGroups(locals []ValType) []localGroup {
	var gs []localGroup
	for _, t := range locals {
		if len(gs) > 0 && gs[len(gs)-1].t == t {
			gs[len(gs)-1].n++
			continue
		}
		gs = append(gs, localGroup{n: 1, t: t})
	}
	return gs
}

// nameSection writes the "name" custom section: the module name
// (subsection 0) and the function names (subsection 1).
func (m *Module) nameSection(out *component.Writer) {
	var named []int
	for i, f := range m.funcs {
		if f.name != "" {
			named = append(named, i)
		}
	}
	if m.Name == "" && len(named) == 0 {
		return
	}
	var w component.Writer
	w.Name("name")
	sub := func(id byte, body func(s *component.Writer)) {
		var s component.Writer
		body(&s)
		w.Byte(id)
		w.Len32(s.Len())
		w.Raw(s.Bytes())
	}
	if m.Name != "" {
		sub(0, func(s *component.Writer) { s.Name(m.Name) })
	}
	if len(named) > 0 {
		sub(1, func(s *component.Writer) {
			s.Len32(len(named))
			for _, i := range named {
				s.U32(uint32(i))
				s.Name(m.funcs[i].name)
			}
		})
	}
	out.Byte(0)
	out.Len32(w.Len())
	out.Raw(w.Bytes())
}
