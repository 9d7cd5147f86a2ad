package compose

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
)

// This file writes resolved (semantic) types back into binary type
// definitions for the imports of a composed component.
//
// PRIVATE STAND-IN: the brief plans a component.TypeEncoder; it had not
// landed when compose was written, so this one does exactly what compose
// needs: an instance type (or function type) whose types used from other
// interfaces are reached through `alias outer`, so that a resource stays
// the same resource across imports.

// foreignFunc tells the type writer whether t belongs to another import of
// the composition, and if so returns the outer type index that names it
// (creating the outer alias if needed).
type foreignFunc func(t component.Type) (outer uint32, ok bool, err error)

// instanceTypeWriter writes one instancetype: a vec of declarators with its
// own type index space.
type instanceTypeWriter struct {
	decls   buf
	ndecls  uint32
	ntypes  uint32
	local   map[component.Type]uint32 // type (by identity) → local type index
	outer   map[uint32]uint32         // outer type index → local alias of it
	foreign foreignFunc
	canon   func(r *component.Resource) *component.Resource
	path    string // for messages: the import being written
}

func newInstanceTypeWriter(path string, foreign foreignFunc, canon func(*component.Resource) *component.Resource) *instanceTypeWriter {
	return &instanceTypeWriter{
		local:   map[component.Type]uint32{},
		outer:   map[uint32]uint32{},
		foreign: foreign,
		canon:   canon,
		path:    path,
	}
}

// instanceType encodes it as a complete deftype (0x42 vec(decl)).
func (w *instanceTypeWriter) instanceType(it *component.InstanceType) ([]byte, error) {
	for _, e := range it.Exports {
		if err := w.export(e); err != nil {
			return nil, fmt.Errorf("%s: export %q: %w", w.path, e.Name, err)
		}
	}
	out := []byte{0x42}
	out = appendU32(out, w.ndecls)
	return append(out, w.decls.b...), nil
}

// funcTypeDecl encodes a function type as the body of a deftype in a scope
// whose definitions are written by w; used for world-level function imports.
func (w *instanceTypeWriter) export(e component.Item) error {
	switch t := e.Type.(type) {
	case *component.TypeBound:
		return w.exportType(e.Name, t.Type)
	case *component.Func:
		idx, err := w.funcType(t)
		if err != nil {
			return err
		}
		w.declExport(e.Name, []byte{0x01}, idx)
		return nil
	case *component.InstanceType:
		sub := newInstanceTypeWriter(w.path+": "+e.Name, nil, w.canon)
		// A nested instance type cannot see this scope's locals except
		// through outer aliases; nested interfaces are rare in WIT worlds
		// and not produced by any toolchain we target.
		sub.foreign = func(t component.Type) (uint32, bool, error) {
			return 0, false, fmt.Errorf("nested instance types that use outer types are not supported")
		}
		body, err := sub.instanceType(t)
		if err != nil {
			return err
		}
		idx := w.defType(body)
		w.declExport(e.Name, []byte{0x05}, idx)
		return nil
	}
	return fmt.Errorf("cannot re-encode an export of kind %T", e.Type)
}

// exportType writes `(export "name" (type …))` for a type export.
func (w *instanceTypeWriter) exportType(name string, t component.Type) error {
	if r, ok := t.(*component.Resource); ok {
		// (type (sub resource)): a fresh resource owned by this interface.
		w.declExportBound(name, []byte{0x01})
		w.local[w.canon(r)] = w.ntypes - 1
		return nil
	}
	n, ok := t.(*component.Named)
	if !ok {
		idx, err := w.typeIndex(t)
		if err != nil {
			return err
		}
		w.declExportBound(name, append([]byte{0x00}, appendU32(nil, idx)...))
		return nil
	}
	idx, err := w.typeIndex(n.Type)
	if err != nil {
		return err
	}
	w.declExportBound(name, append([]byte{0x00}, appendU32(nil, idx)...))
	exported := w.ntypes - 1
	w.local[n] = exported
	if r := component.ResourceOf(n.Type); r != nil {
		// Later handles to a resource used from another interface refer to
		// the exported name. A local alias (`type trailers = fields`) must
		// not take over: handles keep naming the resource's own export,
		// which is what [constructor]fields must return.
		if _, ok := w.local[w.canon(r)]; !ok || w.outerAliased(w.canon(r)) {
			w.local[w.canon(r)] = exported
		}
	}
	return nil
}

// declExport writes an export declarator of a func or instance.
func (w *instanceTypeWriter) declExport(name string, kind []byte, idx uint32) {
	w.decls.byte1(0x04)
	writeName(&w.decls, name)
	w.decls.bytes(kind)
	w.decls.u32(idx)
	w.ndecls++
}

// declExportBound writes `(export "name" (type bound))`; it adds a type index.
func (w *instanceTypeWriter) declExportBound(name string, bound []byte) {
	w.decls.byte1(0x04)
	writeName(&w.decls, name)
	w.decls.byte1(0x03)
	w.decls.bytes(bound)
	w.ndecls++
	w.ntypes++
}

// defType writes a type declarator with the given deftype body and returns
// its local index.
func (w *instanceTypeWriter) defType(body []byte) uint32 {
	w.decls.byte1(0x01)
	w.decls.bytes(body)
	w.ndecls++
	w.ntypes++
	return w.ntypes - 1
}

// outerAliased reports whether t's local index is a bare outer alias (so
// the exported name that follows is the better one to refer to).
func (w *instanceTypeWriter) outerAliased(t component.Type) bool {
	idx := w.local[t]
	for _, l := range w.outer {
		if l == idx {
			return true
		}
	}
	return false
}

// aliasOuter writes `(alias outer 1 idx (type))` once per outer index.
func (w *instanceTypeWriter) aliasOuter(outer uint32) uint32 {
	if l, ok := w.outer[outer]; ok {
		return l
	}
	w.decls.byte1(0x02)
	w.decls.byte1(sortType)
	w.decls.byte1(0x02)
	w.decls.u32(1)
	w.decls.u32(outer)
	w.ndecls++
	w.ntypes++
	w.outer[outer] = w.ntypes - 1
	return w.ntypes - 1
}

// typeIndex returns the local type index of t, defining (or aliasing) it on
// first use. Only types that need an index come here: never a primitive.
func (w *instanceTypeWriter) typeIndex(t component.Type) (uint32, error) {
	key := t
	if r, ok := t.(*component.Resource); ok {
		key = w.canon(r)
	}
	if idx, ok := w.local[key]; ok {
		return idx, nil
	}
	if w.foreign != nil {
		outer, ok, err := w.foreign(t)
		if err != nil {
			return 0, err
		}
		if ok {
			idx := w.aliasOuter(outer)
			w.local[key] = idx
			return idx, nil
		}
	}
	switch x := t.(type) {
	case *component.Named:
		idx, err := w.typeIndex(x.Type)
		if err != nil {
			return 0, err
		}
		w.local[key] = idx
		return idx, nil
	case *component.Resource:
		return 0, fmt.Errorf("resource %s is neither declared by this interface nor imported before it", x.Name)
	case component.Prim:
		idx := w.defType([]byte{byte(x)})
		w.local[key] = idx
		return idx, nil
	}
	body, err := w.defValType(t)
	if err != nil {
		return 0, err
	}
	idx := w.defType(body)
	w.local[key] = idx
	return idx, nil
}

// valType appends the encoding of a valtype: a primitive opcode or an s33
// type index.
func (w *instanceTypeWriter) valType(b []byte, t component.ValType) ([]byte, error) {
	if p, ok := component.Underlying(t).(component.Prim); ok {
		if _, named := t.(*component.Named); !named {
			return append(b, byte(p)), nil
		}
	}
	idx, err := w.typeIndex(t)
	if err != nil {
		return nil, err
	}
	return appendS33(b, int64(idx)), nil
}

func (w *instanceTypeWriter) optValType(b []byte, t component.ValType) ([]byte, error) {
	if t == nil {
		return append(b, 0x00), nil
	}
	return w.valType(append(b, 0x01), t)
}

// defValType encodes a compound value type (defvaltype).
func (w *instanceTypeWriter) defValType(t component.Type) ([]byte, error) {
	var b []byte
	var err error
	switch x := t.(type) {
	case *component.Record:
		b = append(b, 0x72)
		b = appendU32(b, uint32(len(x.Fields)))
		for _, f := range x.Fields {
			b = appendName(b, f.Name)
			if b, err = w.valType(b, f.Type); err != nil {
				return nil, err
			}
		}
	case *component.Variant:
		b = append(b, 0x71)
		b = appendU32(b, uint32(len(x.Cases)))
		for _, c := range x.Cases {
			b = appendName(b, c.Name)
			if b, err = w.optValType(b, c.Type); err != nil {
				return nil, err
			}
			b = append(b, 0x00)
		}
	case *component.List:
		if x.Len > 0 {
			b = append(b, 0x67)
		} else {
			b = append(b, 0x70)
		}
		if b, err = w.valType(b, x.Elem); err != nil {
			return nil, err
		}
		if x.Len > 0 {
			b = appendU32(b, x.Len)
		}
	case *component.Tuple:
		b = append(b, 0x6f)
		b = appendU32(b, uint32(len(x.Types)))
		for _, e := range x.Types {
			if b, err = w.valType(b, e); err != nil {
				return nil, err
			}
		}
	case *component.Flags:
		b = append(b, 0x6e)
		b = appendU32(b, uint32(len(x.Names)))
		for _, n := range x.Names {
			b = appendName(b, n)
		}
	case *component.Enum:
		b = append(b, 0x6d)
		b = appendU32(b, uint32(len(x.Names)))
		for _, n := range x.Names {
			b = appendName(b, n)
		}
	case *component.Option:
		b = append(b, 0x6b)
		if b, err = w.valType(b, x.Elem); err != nil {
			return nil, err
		}
	case *component.Result:
		b = append(b, 0x6a)
		if b, err = w.optValType(b, x.Ok); err != nil {
			return nil, err
		}
		if b, err = w.optValType(b, x.Err); err != nil {
			return nil, err
		}
	case *component.Own:
		idx, err := w.typeIndex(x.Resource)
		if err != nil {
			return nil, err
		}
		b = appendU32(append(b, 0x69), idx)
	case *component.Borrow:
		idx, err := w.typeIndex(x.Resource)
		if err != nil {
			return nil, err
		}
		b = appendU32(append(b, 0x68), idx)
	case *component.Stream:
		b = append(b, 0x66)
		if b, err = w.optValType(b, x.Elem); err != nil {
			return nil, err
		}
	case *component.Future:
		b = append(b, 0x65)
		if b, err = w.optValType(b, x.Elem); err != nil {
			return nil, err
		}
	case *component.Map:
		b = append(b, 0x63)
		if b, err = w.valType(b, x.Key); err != nil {
			return nil, err
		}
		if b, err = w.valType(b, x.Value); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("cannot re-encode type %T", t)
	}
	return b, nil
}

// funcType defines a function type and returns its local index.
func (w *instanceTypeWriter) funcType(f *component.Func) (uint32, error) {
	body, err := w.funcTypeBody(f)
	if err != nil {
		return 0, err
	}
	return w.defType(body), nil
}

func (w *instanceTypeWriter) funcTypeBody(f *component.Func) ([]byte, error) {
	b := []byte{0x40}
	if f.Async {
		b[0] = 0x43
	}
	b = appendU32(b, uint32(len(f.Params)))
	var err error
	for _, p := range f.Params {
		b = appendName(b, p.Name)
		if b, err = w.valType(b, p.Type); err != nil {
			return nil, fmt.Errorf("param %q: %w", p.Name, err)
		}
	}
	if f.Result == nil {
		return append(b, 0x01, 0x00), nil
	}
	if b, err = w.valType(append(b, 0x00), f.Result); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	return b, nil
}

// appendS33 appends v as signed LEB128 (valtype type indices are s33).
func appendS33(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendName(b []byte, s string) []byte {
	b = appendU32(b, uint32(len(s)))
	return append(b, s...)
}

// writeName writes a plain extern name (nameattributes 0x00).
func writeName(w *buf, s string) {
	w.byte1(0x00)
	w.str(s)
}
