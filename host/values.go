package host

// #include <stdlib.h>
// #include <wasmtime.h>
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/wcomp/wcomp/host/wave"
)

// The C value union is an opaque byte array to Go; of returns a typed
// pointer into it.
func of[T any](v *C.wasmtime_component_val_t) *T {
	return (*T)(unsafe.Pointer(&v.of))
}

// setName fills a wasm_name_t with a Wasmtime-allocated copy of s, so
// wasmtime_component_val_delete can free it.
func setName(dst *C.wasm_name_t, s string) {
	if len(s) == 0 {
		C.wasm_byte_vec_new_empty(dst)
		return
	}
	cs := C.CString(s)
	C.wasm_byte_vec_new(dst, C.size_t(len(s)), cs)
	C.free(unsafe.Pointer(cs))
}

// boxed moves a value onto a Wasmtime heap allocation, as option, result
// and variant payloads need; nil stays NULL.
func boxed(v *wave.Value) (*C.wasmtime_component_val_t, error) {
	if v == nil {
		return nil, nil
	}
	var tmp C.wasmtime_component_val_t
	if err := toC(&tmp, *v); err != nil {
		return nil, err
	}
	return C.wasmtime_component_val_new(&tmp), nil
}

// toC writes v into dst. Every nested allocation is made by Wasmtime, so a
// single wasmtime_component_val_delete(dst) frees the whole tree. Values
// come from wave's typed parser, so kinds and shapes already match the
// function's types; resources cannot be written in WAVE and are refused.
func toC(dst *C.wasmtime_component_val_t, v wave.Value) error {
	switch v.Kind {
	case wave.Bool:
		dst.kind = C.WASMTIME_COMPONENT_BOOL
		*of[C.bool](dst) = C.bool(v.Bool)
	case wave.S8:
		dst.kind = C.WASMTIME_COMPONENT_S8
		*of[C.int8_t](dst) = C.int8_t(v.Int)
	case wave.S16:
		dst.kind = C.WASMTIME_COMPONENT_S16
		*of[C.int16_t](dst) = C.int16_t(v.Int)
	case wave.S32:
		dst.kind = C.WASMTIME_COMPONENT_S32
		*of[C.int32_t](dst) = C.int32_t(v.Int)
	case wave.S64:
		dst.kind = C.WASMTIME_COMPONENT_S64
		*of[C.int64_t](dst) = C.int64_t(v.Int)
	case wave.U8:
		dst.kind = C.WASMTIME_COMPONENT_U8
		*of[C.uint8_t](dst) = C.uint8_t(v.Uint)
	case wave.U16:
		dst.kind = C.WASMTIME_COMPONENT_U16
		*of[C.uint16_t](dst) = C.uint16_t(v.Uint)
	case wave.U32:
		dst.kind = C.WASMTIME_COMPONENT_U32
		*of[C.uint32_t](dst) = C.uint32_t(v.Uint)
	case wave.U64:
		dst.kind = C.WASMTIME_COMPONENT_U64
		*of[C.uint64_t](dst) = C.uint64_t(v.Uint)
	case wave.F32:
		dst.kind = C.WASMTIME_COMPONENT_F32
		*of[C.float](dst) = C.float(v.Float)
	case wave.F64:
		dst.kind = C.WASMTIME_COMPONENT_F64
		*of[C.double](dst) = C.double(v.Float)
	case wave.Char:
		dst.kind = C.WASMTIME_COMPONENT_CHAR
		*of[C.uint32_t](dst) = C.uint32_t(v.Char)
	case wave.String:
		dst.kind = C.WASMTIME_COMPONENT_STRING
		setName(of[C.wasm_name_t](dst), v.Str)
	case wave.Enum:
		dst.kind = C.WASMTIME_COMPONENT_ENUM
		setName(of[C.wasm_name_t](dst), v.Str)
	case wave.List, wave.Tuple:
		var data *C.wasmtime_component_val_t
		if v.Kind == wave.List {
			dst.kind = C.WASMTIME_COMPONENT_LIST
			l := of[C.wasmtime_component_vallist_t](dst)
			C.wasmtime_component_vallist_new_uninit(l, C.size_t(len(v.Elems)))
			data = l.data
		} else {
			dst.kind = C.WASMTIME_COMPONENT_TUPLE
			t := of[C.wasmtime_component_valtuple_t](dst)
			C.wasmtime_component_valtuple_new_uninit(t, C.size_t(len(v.Elems)))
			data = t.data
		}
		if len(v.Elems) > 0 {
			for i, e := range v.Elems {
				if err := toC(&unsafe.Slice(data, len(v.Elems))[i], e); err != nil {
					return err
				}
			}
		}
	case wave.Record:
		dst.kind = C.WASMTIME_COMPONENT_RECORD
		r := of[C.wasmtime_component_valrecord_t](dst)
		C.wasmtime_component_valrecord_new_uninit(r, C.size_t(len(v.Fields)))
		if len(v.Fields) > 0 {
			entries := unsafe.Slice(r.data, len(v.Fields))
			for i, f := range v.Fields {
				setName(&entries[i].name, f.Name)
				if err := toC(&entries[i].val, f.Value); err != nil {
					return err
				}
			}
		}
	case wave.Variant:
		dst.kind = C.WASMTIME_COMPONENT_VARIANT
		vv := of[C.wasmtime_component_valvariant_t](dst)
		setName(&vv.discriminant, v.Str)
		p, err := boxed(v.Payload)
		if err != nil {
			return err
		}
		vv.val = p
	case wave.Option:
		dst.kind = C.WASMTIME_COMPONENT_OPTION
		p, err := boxed(v.Payload)
		if err != nil {
			return err
		}
		*of[*C.wasmtime_component_val_t](dst) = p
	case wave.Result:
		dst.kind = C.WASMTIME_COMPONENT_RESULT
		rv := of[C.wasmtime_component_valresult_t](dst)
		rv.is_ok = C.bool(!v.IsErr)
		p, err := boxed(v.Payload)
		if err != nil {
			return err
		}
		rv.val = p
	case wave.Flags:
		dst.kind = C.WASMTIME_COMPONENT_FLAGS
		f := of[C.wasmtime_component_valflags_t](dst)
		C.wasmtime_component_valflags_new_uninit(f, C.size_t(len(v.Names)))
		if len(v.Names) > 0 {
			names := unsafe.Slice(f.data, len(v.Names))
			for i, n := range v.Names {
				setName(&names[i], n)
			}
		}
	default:
		return fmt.Errorf("cannot pass a %s value from the command line", v.Kind)
	}
	return nil
}

// fromC copies a C value into Go memory. It does not free v.
func fromC(v *C.wasmtime_component_val_t) (wave.Value, error) {
	switch v.kind {
	case C.WASMTIME_COMPONENT_BOOL:
		return wave.Value{Kind: wave.Bool, Bool: bool(*of[C.bool](v))}, nil
	case C.WASMTIME_COMPONENT_S8:
		return wave.Value{Kind: wave.S8, Int: int64(*of[C.int8_t](v))}, nil
	case C.WASMTIME_COMPONENT_S16:
		return wave.Value{Kind: wave.S16, Int: int64(*of[C.int16_t](v))}, nil
	case C.WASMTIME_COMPONENT_S32:
		return wave.Value{Kind: wave.S32, Int: int64(*of[C.int32_t](v))}, nil
	case C.WASMTIME_COMPONENT_S64:
		return wave.Value{Kind: wave.S64, Int: int64(*of[C.int64_t](v))}, nil
	case C.WASMTIME_COMPONENT_U8:
		return wave.Value{Kind: wave.U8, Uint: uint64(*of[C.uint8_t](v))}, nil
	case C.WASMTIME_COMPONENT_U16:
		return wave.Value{Kind: wave.U16, Uint: uint64(*of[C.uint16_t](v))}, nil
	case C.WASMTIME_COMPONENT_U32:
		return wave.Value{Kind: wave.U32, Uint: uint64(*of[C.uint32_t](v))}, nil
	case C.WASMTIME_COMPONENT_U64:
		return wave.Value{Kind: wave.U64, Uint: uint64(*of[C.uint64_t](v))}, nil
	case C.WASMTIME_COMPONENT_F32:
		return wave.Value{Kind: wave.F32, Float: float64(*of[C.float](v))}, nil
	case C.WASMTIME_COMPONENT_F64:
		return wave.Value{Kind: wave.F64, Float: float64(*of[C.double](v))}, nil
	case C.WASMTIME_COMPONENT_CHAR:
		return wave.Value{Kind: wave.Char, Char: rune(*of[C.uint32_t](v))}, nil
	case C.WASMTIME_COMPONENT_STRING:
		return wave.Value{Kind: wave.String, Str: byteVecString(of[C.wasm_name_t](v))}, nil
	case C.WASMTIME_COMPONENT_ENUM:
		return wave.Value{Kind: wave.Enum, Str: byteVecString(of[C.wasm_name_t](v))}, nil
	case C.WASMTIME_COMPONENT_LIST:
		l := of[C.wasmtime_component_vallist_t](v)
		elems, err := fromCSlice(l.data, l.size)
		return wave.Value{Kind: wave.List, Elems: elems}, err
	case C.WASMTIME_COMPONENT_TUPLE:
		t := of[C.wasmtime_component_valtuple_t](v)
		elems, err := fromCSlice(t.data, t.size)
		return wave.Value{Kind: wave.Tuple, Elems: elems}, err
	case C.WASMTIME_COMPONENT_RECORD:
		r := of[C.wasmtime_component_valrecord_t](v)
		out := wave.Value{Kind: wave.Record}
		if r.size > 0 {
			for i := range unsafe.Slice(r.data, r.size) {
				e := &unsafe.Slice(r.data, r.size)[i]
				fv, err := fromC(&e.val)
				if err != nil {
					return out, err
				}
				out.Fields = append(out.Fields, wave.FieldValue{Name: byteVecString(&e.name), Value: fv})
			}
		}
		return out, nil
	case C.WASMTIME_COMPONENT_VARIANT:
		vv := of[C.wasmtime_component_valvariant_t](v)
		p, err := fromCPtr(vv.val)
		return wave.Value{Kind: wave.Variant, Str: byteVecString(&vv.discriminant), Payload: p}, err
	case C.WASMTIME_COMPONENT_OPTION:
		p, err := fromCPtr(*of[*C.wasmtime_component_val_t](v))
		return wave.Value{Kind: wave.Option, Payload: p}, err
	case C.WASMTIME_COMPONENT_RESULT:
		rv := of[C.wasmtime_component_valresult_t](v)
		p, err := fromCPtr(rv.val)
		return wave.Value{Kind: wave.Result, IsErr: !bool(rv.is_ok), Payload: p}, err
	case C.WASMTIME_COMPONENT_FLAGS:
		f := of[C.wasmtime_component_valflags_t](v)
		out := wave.Value{Kind: wave.Flags}
		if f.size > 0 {
			for i := range unsafe.Slice(f.data, f.size) {
				out.Names = append(out.Names, byteVecString(&unsafe.Slice(f.data, f.size)[i]))
			}
		}
		return out, nil
	case C.WASMTIME_COMPONENT_MAP:
		m := of[C.wasmtime_component_valmap_t](v)
		out := wave.Value{Kind: wave.Map}
		if m.size > 0 {
			for i := range unsafe.Slice(m.data, m.size) {
				e := &unsafe.Slice(m.data, m.size)[i]
				k, err := fromC(&e.key)
				if err != nil {
					return out, err
				}
				val, err := fromC(&e.value)
				if err != nil {
					return out, err
				}
				out.Elems = append(out.Elems, k, val)
			}
		}
		return out, nil
	case C.WASMTIME_COMPONENT_RESOURCE:
		r := *of[*C.wasmtime_component_resource_any_t](v)
		kind := wave.Borrow
		if r != nil && C.wasmtime_component_resource_any_owned(r) {
			kind = wave.Own
		}
		return wave.Value{Kind: kind, Str: "resource"}, nil
	}
	return wave.Value{}, fmt.Errorf("unknown component value kind %d", int(v.kind))
}

func fromCPtr(p *C.wasmtime_component_val_t) (*wave.Value, error) {
	if p == nil {
		return nil, nil
	}
	v, err := fromC(p)
	return &v, err
}

func fromCSlice(data *C.wasmtime_component_val_t, n C.size_t) ([]wave.Value, error) {
	if n == 0 {
		return []wave.Value{}, nil
	}
	out := make([]wave.Value, 0, int(n))
	for i := range unsafe.Slice(data, n) {
		e, err := fromC(&unsafe.Slice(data, n)[i])
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
