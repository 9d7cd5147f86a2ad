package cabi

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/coremod"
)

// The limits of flatten_functype.
const (
	MaxFlatParams  = 16
	MaxFlatResults = 1
)

// Signature is the core signature of a synchronously lifted function
// (flatten_functype(opts, ft, 'lift')), and the canonical options it
// needs.
type Signature struct {
	Core coremod.FuncType
	// ParamsInMemory: the parameters did not fit in MaxFlatParams core
	// values, so the callee receives one pointer to them.
	ParamsInMemory bool
	// ResultInMemory: the result did not fit in MaxFlatResults values, so
	// the callee returns a pointer to it.
	ResultInMemory bool
	// NeedsMemory and NeedsRealloc say which canonical options lift
	// requires (canonopt validation: lift(param) needs realloc for lists
	// and strings, lower(result) needs memory for them).
	NeedsMemory, NeedsRealloc bool
}

// LiftSignature flattens f for `canon lift` without the async option.
func LiftSignature(f *component.Func) (Signature, error) {
	var sig Signature
	var params []coremod.ValType
	paramsHaveLists := false
	for _, p := range f.Params {
		flat, err := Flatten(p.Type)
		if err != nil {
			return sig, fmt.Errorf("param %s: %w", p.Name, err)
		}
		params = append(params, flat...)
		if containsList(p.Type) {
			paramsHaveLists = true
		}
	}
	var results []coremod.ValType
	if f.Result != nil {
		flat, err := Flatten(f.Result)
		if err != nil {
			return sig, fmt.Errorf("result: %w", err)
		}
		results = flat
		if containsList(f.Result) {
			sig.NeedsMemory = true
		}
	}
	if len(params) > MaxFlatParams {
		params = []coremod.ValType{coremod.I32}
		sig.ParamsInMemory = true
		sig.NeedsRealloc = true
	}
	if paramsHaveLists {
		sig.NeedsRealloc = true
	}
	if len(results) > MaxFlatResults {
		results = []coremod.ValType{coremod.I32}
		sig.ResultInMemory = true
		sig.NeedsMemory = true
	}
	if sig.NeedsRealloc {
		sig.NeedsMemory = true
	}
	sig.Core = coremod.FuncType{Params: params, Results: results}
	return sig, nil
}

// containsList reports whether t contains a list or a string (what makes
// lifting and lowering need memory).
func containsList(t component.ValType) bool {
	found := false
	w := component.TypeWalk{Visit: func(n any) bool {
		switch x := n.(type) {
		case component.Prim:
			if x == component.Prim(component.PrimString) {
				found = true
			}
		case *component.List:
			if x.Len == 0 {
				found = true
			}
		case *component.Map:
			found = true
		case *component.Own, *component.Borrow:
			return false // a handle's resource is no value
		}
		return !found
	}}
	w.Type(t)
	return found
}

// Flatten is flatten_type: the core values that carry t.
func Flatten(t component.ValType) ([]coremod.ValType, error) {
	switch x := component.Underlying(t).(type) {
	case component.Prim:
		switch component.PrimType(x) {
		case component.PrimS64, component.PrimU64:
			return []coremod.ValType{coremod.I64}, nil
		case component.PrimF32:
			return []coremod.ValType{coremod.F32}, nil
		case component.PrimF64:
			return []coremod.ValType{coremod.F64}, nil
		case component.PrimString:
			return []coremod.ValType{coremod.I32, coremod.I32}, nil
		}
		return []coremod.ValType{coremod.I32}, nil
	case *component.List:
		if x.Len == 0 {
			return []coremod.ValType{coremod.I32, coremod.I32}, nil
		}
		elem, err := Flatten(x.Elem)
		if err != nil {
			return nil, err
		}
		var out []coremod.ValType
		for i := uint32(0); i < x.Len; i++ {
			out = append(out, elem...)
		}
		return out, nil
	case *component.Map:
		return []coremod.ValType{coremod.I32, coremod.I32}, nil
	case *component.Record:
		var out []coremod.ValType
		for _, f := range x.Fields {
			ft, err := Flatten(f.Type)
			if err != nil {
				return nil, err
			}
			out = append(out, ft...)
		}
		return out, nil
	case *component.Tuple:
		var out []coremod.ValType
		for _, e := range x.Types {
			ft, err := Flatten(e)
			if err != nil {
				return nil, err
			}
			out = append(out, ft...)
		}
		return out, nil
	case *component.Flags, *component.Own, *component.Borrow, *component.Stream, *component.Future, *component.Enum:
		return []coremod.ValType{coremod.I32}, nil
	case *component.Variant, *component.Option, *component.Result:
		cases := variantCases(x)
		var flat []coremod.ValType
		for _, c := range cases {
			if c == nil {
				continue
			}
			ft, err := Flatten(c)
			if err != nil {
				return nil, err
			}
			for i, v := range ft {
				if i < len(flat) {
					flat[i] = join(flat[i], v)
				} else {
					flat = append(flat, v)
				}
			}
		}
		return append([]coremod.ValType{coremod.I32}, flat...), nil
	}
	return nil, fmt.Errorf("no canonical ABI for %s", component.FormatType(t))
}

func join(a, b coremod.ValType) coremod.ValType {
	switch {
	case a == b:
		return a
	case (a == coremod.I32 && b == coremod.F32) || (a == coremod.F32 && b == coremod.I32):
		return coremod.I32
	}
	return coremod.I64
}

// variantCases is despecialize for the variant-like types: the payload
// type of each case, nil for none. Enums are variants without payloads.
func variantCases(t component.Type) []component.ValType {
	switch x := t.(type) {
	case *component.Variant:
		out := make([]component.ValType, len(x.Cases))
		for i, c := range x.Cases {
			out[i] = c.Type
		}
		return out
	case *component.Option:
		return []component.ValType{nil, x.Elem}
	case *component.Result:
		return []component.ValType{x.Ok, x.Err}
	case *component.Enum:
		return make([]component.ValType, len(x.Names))
	}
	return nil
}

// discriminantSize is elem_size(discriminant_type(cases)).
func discriminantSize(n int) uint32 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

func flagsSize(n int) uint32 {
	switch {
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4
}

// AlignTo rounds ptr up to a multiple of align.
func AlignTo(ptr, align uint32) uint32 {
	return (ptr + align - 1) / align * align
}

// SizeAlign is (elem_size(t), alignment(t)) for a 32-bit memory.
func SizeAlign(t component.ValType) (size, align uint32, err error) {
	switch x := component.Underlying(t).(type) {
	case component.Prim:
		switch component.PrimType(x) {
		case component.PrimBool, component.PrimS8, component.PrimU8:
			return 1, 1, nil
		case component.PrimS16, component.PrimU16:
			return 2, 2, nil
		case component.PrimS64, component.PrimU64, component.PrimF64:
			return 8, 8, nil
		case component.PrimString:
			return 8, 4, nil
		}
		return 4, 4, nil // s32, u32, f32, char, error-context
	case *component.List:
		if x.Len == 0 {
			return 8, 4, nil
		}
		s, a, err := SizeAlign(x.Elem)
		return s * x.Len, a, err
	case *component.Map:
		return 8, 4, nil
	case *component.Record:
		types := make([]component.ValType, len(x.Fields))
		for i, f := range x.Fields {
			types[i] = f.Type
		}
		return recordLayout(types)
	case *component.Tuple:
		return recordLayout(x.Types)
	case *component.Flags:
		s := flagsSize(len(x.Names))
		return s, s, nil
	case *component.Own, *component.Borrow, *component.Stream, *component.Future:
		return 4, 4, nil
	case *component.Variant, *component.Option, *component.Result, *component.Enum:
		cases := variantCases(x)
		l, err := variantLayout(cases)
		return l.size, l.align, err
	}
	return 0, 0, fmt.Errorf("no canonical ABI for %s", component.FormatType(t))
}

func recordLayout(types []component.ValType) (size, align uint32, err error) {
	align = 1
	for _, t := range types {
		s, a, err := SizeAlign(t)
		if err != nil {
			return 0, 0, err
		}
		size = AlignTo(size, a) + s
		align = max(align, a)
	}
	return AlignTo(size, align), align, nil
}

// variantShape is the memory layout of a variant: the discriminant's size
// and where every payload starts.
type variantShape struct {
	disc, payload, size, align uint32
}

func variantLayout(cases []component.ValType) (variantShape, error) {
	var l variantShape
	l.disc = discriminantSize(len(cases))
	caseAlign, caseSize := uint32(1), uint32(0)
	for _, c := range cases {
		if c == nil {
			continue
		}
		s, a, err := SizeAlign(c)
		if err != nil {
			return l, err
		}
		caseAlign = max(caseAlign, a)
		caseSize = max(caseSize, s)
	}
	l.payload = AlignTo(l.disc, caseAlign)
	l.align = max(l.disc, caseAlign)
	l.size = AlignTo(l.payload+caseSize, l.align)
	return l, nil
}
