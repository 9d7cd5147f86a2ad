package cabi

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/wcomp/wcomp/component"
)

// Value is a constant component value to store in a memory image. The
// concrete types are Bool, Int, Char, String, List, Fields and Case; which
// one a value type takes is said on each.
type Value interface{ isValue() }

// Bool is a bool.
type Bool bool

// Int is any integer type, as its two's-complement bits (only the type's
// width is stored).
type Int uint64

// Char is a char.
type Char rune

// String is a string, stored as UTF-8.
type String string

// List is a list<T> (not fixed-length).
type List []Value

// Fields is a record's fields or a tuple's elements, in order.
type Fields []Value

// Case is a value of a variant, enum, option (none = 0, some = 1) or
// result (ok = 0, error = 1): the case's index and its payload (nil for a
// case without one).
type Case struct {
	Index   int
	Payload Value
}

func (Bool) isValue()   {}
func (Int) isValue()    {}
func (Char) isValue()   {}
func (String) isValue() {}
func (List) isValue()   {}
func (Fields) isValue() {}
func (Case) isValue()   {}

// Image is the initial contents of a region of linear memory starting at
// Base, built by storing constant values: the data segment a generated
// module starts with. Lists and strings are allocated inside it.
type Image struct {
	base uint32
	buf  []byte
}

// NewImage starts an empty image at base.
func NewImage(base uint32) *Image { return &Image{base: base} }

// Base is the image's first address.
func (im *Image) Base() uint32 { return im.base }

// End is the first address past the image.
func (im *Image) End() uint32 { return im.base + uint32(len(im.buf)) }

// Bytes is the image's contents, from Base to End.
func (im *Image) Bytes() []byte { return im.buf }

// Alloc reserves size zeroed bytes aligned to align and returns their
// address.
func (im *Image) Alloc(size, align uint32) uint32 {
	if align == 0 {
		align = 1
	}
	addr := AlignTo(im.End(), align)
	need := int(addr-im.base) + int(size)
	for len(im.buf) < need {
		im.buf = append(im.buf, 0)
	}
	return addr
}

// StoreNew allocates room for a value of type t, stores v there and
// returns its address.
func (im *Image) StoreNew(t component.ValType, v Value) (uint32, error) {
	size, align, err := SizeAlign(t)
	if err != nil {
		return 0, err
	}
	addr := im.Alloc(size, align)
	return addr, im.Store(addr, t, v)
}

// Store is the spec's store(cx, v, t, ptr) into the image; addr must have
// been allocated.
func (im *Image) Store(addr uint32, t component.ValType, v Value) error {
	mismatch := func() error {
		return fmt.Errorf("cannot store %T as %s", v, component.FormatType(t))
	}
	switch x := component.Underlying(t).(type) {
	case component.Prim:
		switch component.PrimType(x) {
		case component.PrimBool:
			b, ok := v.(Bool)
			if !ok {
				return mismatch()
			}
			n := Int(0)
			if b {
				n = 1
			}
			return im.int(addr, 1, n)
		case component.PrimChar:
			c, ok := v.(Char)
			if !ok || !utf8.ValidRune(rune(c)) {
				return mismatch()
			}
			return im.int(addr, 4, Int(c))
		case component.PrimString:
			s, ok := v.(String)
			if !ok {
				return mismatch()
			}
			ptr := im.Alloc(uint32(len(s)), 1)
			copy(im.buf[ptr-im.base:], s)
			if err := im.int(addr, 4, Int(ptr)); err != nil {
				return err
			}
			return im.int(addr+4, 4, Int(len(s)))
		case component.PrimF32, component.PrimF64, component.PrimErrorContext:
			return fmt.Errorf("constants of type %s are not supported", component.FormatType(t))
		}
		n, ok := v.(Int)
		if !ok {
			return mismatch()
		}
		size, _, _ := SizeAlign(x)
		return im.int(addr, size, n)
	case *component.List:
		l, ok := v.(List)
		if !ok || x.Len != 0 {
			return mismatch()
		}
		size, align, err := SizeAlign(x.Elem)
		if err != nil {
			return err
		}
		begin := im.Alloc(size*uint32(len(l)), align)
		for i, e := range l {
			if err := im.Store(begin+uint32(i)*size, x.Elem, e); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
		if err := im.int(addr, 4, Int(begin)); err != nil {
			return err
		}
		return im.int(addr+4, 4, Int(len(l)))
	case *component.Record:
		types := make([]component.ValType, len(x.Fields))
		for i, f := range x.Fields {
			types[i] = f.Type
		}
		return im.fields(addr, types, v, mismatch)
	case *component.Tuple:
		return im.fields(addr, x.Types, v, mismatch)
	case *component.Variant, *component.Option, *component.Result, *component.Enum:
		c, ok := v.(Case)
		cases := variantCases(x)
		if !ok || c.Index < 0 || c.Index >= len(cases) {
			return mismatch()
		}
		shape, err := variantLayout(cases)
		if err != nil {
			return err
		}
		if err := im.int(addr, shape.disc, Int(c.Index)); err != nil {
			return err
		}
		payload := cases[c.Index]
		switch {
		case payload == nil && c.Payload == nil:
			return nil
		case payload == nil || c.Payload == nil:
			return mismatch()
		}
		return im.Store(addr+shape.payload, payload, c.Payload)
	}
	return fmt.Errorf("constants of type %s are not supported", component.FormatType(t))
}

func (im *Image) fields(addr uint32, types []component.ValType, v Value, mismatch func() error) error {
	fs, ok := v.(Fields)
	if !ok || len(fs) != len(types) {
		return mismatch()
	}
	ptr := addr
	for i, t := range types {
		size, align, err := SizeAlign(t)
		if err != nil {
			return err
		}
		ptr = AlignTo(ptr, align)
		if err := im.Store(ptr, t, fs[i]); err != nil {
			return fmt.Errorf("field %d: %w", i, err)
		}
		ptr += size
	}
	return nil
}

// int stores the low size bytes of n, little-endian.
func (im *Image) int(addr, size uint32, n Int) error {
	if addr < im.base || int(addr-im.base)+int(size) > len(im.buf) {
		return fmt.Errorf("store at %d+%d outside the image [%d, %d)", addr, size, im.base, im.End())
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	copy(im.buf[addr-im.base:], b[:size])
	return nil
}

// FlatConstant returns the one core value that carries v when t flattens
// to a single value (the function returns it directly rather than through
// memory): an integer, a bool, a char, or a variant-like value whose case
// has no payload values.
func FlatConstant(t component.ValType, v Value) (int64, error) {
	flat, err := Flatten(t)
	if err != nil {
		return 0, err
	}
	if len(flat) != 1 {
		return 0, fmt.Errorf("%s does not flatten to one value", component.FormatType(t))
	}
	switch x := v.(type) {
	case Int:
		return int64(x), nil
	case Bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case Char:
		return int64(x), nil
	case Case:
		if x.Payload != nil {
			return 0, fmt.Errorf("a case with a payload does not flatten to one value")
		}
		return int64(x.Index), nil
	}
	return 0, fmt.Errorf("cannot flatten %T as %s", v, component.FormatType(t))
}
