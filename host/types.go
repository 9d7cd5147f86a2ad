package host

// #include <wasmtime.h>
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/wcomp/wcomp/host/wave"
)

// unionPtr reads the C valtype union. The union is an opaque byte array to
// Go; every member is a single pointer to an opaque type.
func unionPtr(t *C.wasmtime_component_valtype_t) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&t.of))
}

// convertType copies a C value type into a wave.Type. It does not free t.
func convertType(t *C.wasmtime_component_valtype_t) (*wave.Type, error) {
	switch t.kind {
	case C.WASMTIME_COMPONENT_VALTYPE_BOOL:
		return &wave.Type{Kind: wave.Bool}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_S8:
		return &wave.Type{Kind: wave.S8}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_S16:
		return &wave.Type{Kind: wave.S16}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_S32:
		return &wave.Type{Kind: wave.S32}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_S64:
		return &wave.Type{Kind: wave.S64}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_U8:
		return &wave.Type{Kind: wave.U8}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_U16:
		return &wave.Type{Kind: wave.U16}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_U32:
		return &wave.Type{Kind: wave.U32}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_U64:
		return &wave.Type{Kind: wave.U64}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_F32:
		return &wave.Type{Kind: wave.F32}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_F64:
		return &wave.Type{Kind: wave.F64}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_CHAR:
		return &wave.Type{Kind: wave.Char}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_STRING:
		return &wave.Type{Kind: wave.String}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_LIST:
		var elem C.wasmtime_component_valtype_t
		C.wasmtime_component_list_type_element((*C.wasmtime_component_list_type_t)(unionPtr(t)), &elem)
		e, err := takeType(&elem)
		return &wave.Type{Kind: wave.List, Elem: e}, err
	case C.WASMTIME_COMPONENT_VALTYPE_RECORD:
		rt := (*C.wasmtime_component_record_type_t)(unionPtr(t))
		out := &wave.Type{Kind: wave.Record}
		for i := C.size_t(0); i < C.wasmtime_component_record_type_field_count(rt); i++ {
			var name *C.char
			var n C.size_t
			var ft C.wasmtime_component_valtype_t
			if !C.wasmtime_component_record_type_field_nth(rt, i, &name, &n, &ft) {
				return nil, fmt.Errorf("record field %d missing", i)
			}
			fname := nameString(name, n)
			f, err := takeType(&ft)
			if err != nil {
				return nil, err
			}
			out.Fields = append(out.Fields, wave.Field{Name: fname, Type: f})
		}
		return out, nil
	case C.WASMTIME_COMPONENT_VALTYPE_TUPLE:
		tt := (*C.wasmtime_component_tuple_type_t)(unionPtr(t))
		out := &wave.Type{Kind: wave.Tuple}
		for i := C.size_t(0); i < C.wasmtime_component_tuple_type_types_count(tt); i++ {
			var et C.wasmtime_component_valtype_t
			if !C.wasmtime_component_tuple_type_types_nth(tt, i, &et) {
				return nil, fmt.Errorf("tuple element %d missing", i)
			}
			e, err := takeType(&et)
			if err != nil {
				return nil, err
			}
			out.Tuple = append(out.Tuple, e)
		}
		return out, nil
	case C.WASMTIME_COMPONENT_VALTYPE_VARIANT:
		vt := (*C.wasmtime_component_variant_type_t)(unionPtr(t))
		out := &wave.Type{Kind: wave.Variant}
		for i := C.size_t(0); i < C.wasmtime_component_variant_type_case_count(vt); i++ {
			var name *C.char
			var n C.size_t
			var has C.bool
			var pt C.wasmtime_component_valtype_t
			if !C.wasmtime_component_variant_type_case_nth(vt, i, &name, &n, &has, &pt) {
				return nil, fmt.Errorf("variant case %d missing", i)
			}
			c := wave.Case{Name: nameString(name, n)}
			if has {
				p, err := takeType(&pt)
				if err != nil {
					return nil, err
				}
				c.Payload = p
			}
			out.Cases = append(out.Cases, c)
		}
		return out, nil
	case C.WASMTIME_COMPONENT_VALTYPE_ENUM:
		et := (*C.wasmtime_component_enum_type_t)(unionPtr(t))
		names, err := listNames("enum case", C.wasmtime_component_enum_type_names_count(et),
			func(i C.size_t, name **C.char, n *C.size_t) bool {
				return bool(C.wasmtime_component_enum_type_names_nth(et, i, name, n))
			})
		return &wave.Type{Kind: wave.Enum, Names: names}, err
	case C.WASMTIME_COMPONENT_VALTYPE_FLAGS:
		ft := (*C.wasmtime_component_flags_type_t)(unionPtr(t))
		names, err := listNames("flag", C.wasmtime_component_flags_type_names_count(ft),
			func(i C.size_t, name **C.char, n *C.size_t) bool {
				return bool(C.wasmtime_component_flags_type_names_nth(ft, i, name, n))
			})
		return &wave.Type{Kind: wave.Flags, Names: names}, err
	case C.WASMTIME_COMPONENT_VALTYPE_OPTION:
		var pt C.wasmtime_component_valtype_t
		C.wasmtime_component_option_type_ty((*C.wasmtime_component_option_type_t)(unionPtr(t)), &pt)
		p, err := takeType(&pt)
		return &wave.Type{Kind: wave.Option, Elem: p}, err
	case C.WASMTIME_COMPONENT_VALTYPE_RESULT:
		rt := (*C.wasmtime_component_result_type_t)(unionPtr(t))
		out := &wave.Type{Kind: wave.Result}
		var ok, er C.wasmtime_component_valtype_t
		if C.wasmtime_component_result_type_ok(rt, &ok) {
			p, err := takeType(&ok)
			if err != nil {
				return nil, err
			}
			out.Ok = p
		}
		if C.wasmtime_component_result_type_err(rt, &er) {
			p, err := takeType(&er)
			if err != nil {
				return nil, err
			}
			out.Err = p
		}
		return out, nil
	case C.WASMTIME_COMPONENT_VALTYPE_MAP:
		mt := (*C.wasmtime_component_map_type_t)(unionPtr(t))
		var kt, vt C.wasmtime_component_valtype_t
		C.wasmtime_component_map_type_key(mt, &kt)
		k, err := takeType(&kt)
		if err != nil {
			C.wasmtime_component_map_type_value(mt, &vt)
			C.wasmtime_component_valtype_delete(&vt)
			return nil, err
		}
		C.wasmtime_component_map_type_value(mt, &vt)
		v, err := takeType(&vt)
		return &wave.Type{Kind: wave.Map, Key: k, Elem: v}, err
	case C.WASMTIME_COMPONENT_VALTYPE_OWN:
		return &wave.Type{Kind: wave.Own}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_BORROW:
		return &wave.Type{Kind: wave.Borrow}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_FUTURE:
		return &wave.Type{Kind: wave.Future}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_STREAM:
		return &wave.Type{Kind: wave.Stream}, nil
	case C.WASMTIME_COMPONENT_VALTYPE_ERROR_CONTEXT:
		return &wave.Type{Kind: wave.ErrorContext}, nil
	}
	return nil, fmt.Errorf("unknown component value type kind %d", int(t.kind))
}

// listNames copies the count names that nth reads out of an enum or flags
// type (the C API has one such pair of functions for each).
func listNames(what string, count C.size_t, nth func(i C.size_t, name **C.char, n *C.size_t) bool) ([]string, error) {
	names := make([]string, 0, int(count))
	for i := C.size_t(0); i < count; i++ {
		var name *C.char
		var n C.size_t
		if !nth(i, &name, &n) {
			return nil, fmt.Errorf("%s %d missing", what, i)
		}
		names = append(names, nameString(name, n))
	}
	return names, nil
}

// takeType converts t and then frees it; the C API hands out owned
// valtypes for every nested type it is asked about.
func takeType(t *C.wasmtime_component_valtype_t) (*wave.Type, error) {
	defer C.wasmtime_component_valtype_delete(t)
	return convertType(t)
}

// funcSignature is a component function's parameter and result types.
type funcSignature struct {
	ParamNames []string
	Params     []*wave.Type
	Result     *wave.Type // nil when the function returns nothing
}

func convertFuncType(ft *C.wasmtime_component_func_type_t) (*funcSignature, error) {
	sig := &funcSignature{}
	for i := C.size_t(0); i < C.wasmtime_component_func_type_param_count(ft); i++ {
		var name *C.char
		var n C.size_t
		var pt C.wasmtime_component_valtype_t
		if !C.wasmtime_component_func_type_param_nth(ft, i, &name, &n, &pt) {
			return nil, fmt.Errorf("parameter %d missing", i)
		}
		pname := nameString(name, n)
		p, err := takeType(&pt)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", pname, err)
		}
		sig.ParamNames = append(sig.ParamNames, pname)
		sig.Params = append(sig.Params, p)
	}
	var rt C.wasmtime_component_valtype_t
	if C.wasmtime_component_func_type_result(ft, &rt) {
		r, err := takeType(&rt)
		if err != nil {
			return nil, fmt.Errorf("result: %w", err)
		}
		sig.Result = r
	}
	return sig, nil
}
