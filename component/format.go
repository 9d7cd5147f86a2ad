package component

import (
	"fmt"
	"strconv"
	"strings"
)

// This file renders resolved types as WIT-like text, for error messages
// (FormatValType, String methods) and for a canonical dump of a whole
// component type (FormatComponentType) that tests and `wcomp inspect` can
// compare. Named types print as their name; handles as own<r>/borrow<r>.

// FormatValType renders a value type the way WIT writes it, e.g.
// `list<u8>`, `record { a: u32 }`, `own<r>`. Named types print by name.
func FormatValType(t ValType) string { return FormatType(t) }

// FormatType renders any resolved type: a value type, a resource (by name),
// or a func, instance or component type.
func FormatType(t Type) string {
	f := formatter{}
	f.typ(t)
	return f.b.String()
}

// FormatComponentType renders ct as an indented, canonical listing of its
// imports and exports. Resources are numbered in order of first appearance
// (name#N), so identity is visible: two handles print the same number only
// if they refer to the same *Resource. A type import or export prints its
// chain of names down to the type, each name qualified by the item that
// owns it (`"wasi:io/error".error = abstract resource error#1`).
func FormatComponentType(ct *ComponentType) string {
	f := formatter{res: map[*Resource]int{}, labels: map[*InstanceType]string{}}
	f.label("", ct)
	f.items("import", ct.Imports, 0)
	f.items("export", ct.Exports, 0)
	return f.b.String()
}

func (v Prim) String() string     { return FormatType(v) }
func (v *Record) String() string  { return FormatType(v) }
func (v *Variant) String() string { return FormatType(v) }
func (v *List) String() string    { return FormatType(v) }
func (v *Tuple) String() string   { return FormatType(v) }
func (v *Flags) String() string   { return FormatType(v) }
func (v *Enum) String() string    { return FormatType(v) }
func (v *Option) String() string  { return FormatType(v) }
func (v *Result) String() string  { return FormatType(v) }
func (v *Own) String() string     { return FormatType(v) }
func (v *Borrow) String() string  { return FormatType(v) }
func (v *Stream) String() string  { return FormatType(v) }
func (v *Future) String() string  { return FormatType(v) }
func (v *Map) String() string     { return FormatType(v) }
func (v *Named) String() string   { return FormatType(v) }
func (v *Resource) String() string {
	return FormatType(v)
}
func (v *Func) String() string { return FormatType(v) }

// String renders the instance type as one line listing its exports.
func (v *InstanceType) String() string { return FormatType(v) }

// String renders the component type as the canonical listing of
// FormatComponentType.
func (v *ComponentType) String() string { return FormatComponentType(v) }

// formatter writes types. With res set (dumps) it numbers resources and
// qualifies names by their owner's label.
type formatter struct {
	b      strings.Builder
	res    map[*Resource]int
	labels map[*InstanceType]string
	// cur is the instance type whose exports are being written: names it
	// owns print unqualified.
	cur *InstanceType
}

func fmtPrim(p Prim) string {
	switch PrimType(p) {
	case PrimBool:
		return "bool"
	case PrimS8:
		return "s8"
	case PrimU8:
		return "u8"
	case PrimS16:
		return "s16"
	case PrimU16:
		return "u16"
	case PrimS32:
		return "s32"
	case PrimU32:
		return "u32"
	case PrimS64:
		return "s64"
	case PrimU64:
		return "u64"
	case PrimF32:
		return "f32"
	case PrimF64:
		return "f64"
	case PrimChar:
		return "char"
	case PrimString:
		return "string"
	case PrimErrorContext:
		return "error-context"
	}
	return fmt.Sprintf("prim(0x%02x)", uint8(p))
}

func (f *formatter) w(s ...string) {
	for _, x := range s {
		f.b.WriteString(x)
	}
}

func (f *formatter) resource(r *Resource) {
	name := r.Name
	if name == "" {
		name = "resource"
	}
	f.w(name)
	if f.res != nil {
		id, ok := f.res[r]
		if !ok {
			id = len(f.res) + 1
			f.res[r] = id
		}
		f.w("#", strconv.Itoa(id))
	}
}

// qualified writes a name, prefixed by its owner's label in dumps when the
// owner is not the instance being written.
func (f *formatter) qualified(n *Named) {
	if f.labels != nil && n.Owner != nil && n.Owner != f.cur {
		l, ok := f.labels[n.Owner]
		if !ok {
			l = "?"
		}
		f.w(l, ".")
	}
	f.w(n.Name)
}

func (f *formatter) opt(open string, t ValType, close string) {
	if t == nil {
		return
	}
	f.w(open)
	f.typ(t)
	f.w(close)
}

func (f *formatter) typ(t Type) {
	switch x := t.(type) {
	case nil:
		f.w("_")
	case Prim:
		f.w(fmtPrim(x))
	case *Named:
		f.qualified(x)
	case *Resource:
		f.resource(x)
	case *Record:
		f.w("record {")
		for i, fl := range x.Fields {
			if i > 0 {
				f.w(",")
			}
			f.w(" ", fl.Name, ": ")
			f.typ(fl.Type)
		}
		f.w(" }")
	case *Variant:
		f.w("variant {")
		for i, c := range x.Cases {
			if i > 0 {
				f.w(",")
			}
			f.w(" ", c.Name)
			f.opt("(", c.Type, ")")
		}
		f.w(" }")
	case *List:
		f.w("list<")
		f.typ(x.Elem)
		if x.Len > 0 {
			f.w(", ", strconv.FormatUint(uint64(x.Len), 10))
		}
		f.w(">")
	case *Tuple:
		f.w("tuple<")
		for i, e := range x.Types {
			if i > 0 {
				f.w(", ")
			}
			f.typ(e)
		}
		f.w(">")
	case *Flags:
		f.w("flags { ", strings.Join(x.Names, ", "), " }")
	case *Enum:
		f.w("enum { ", strings.Join(x.Names, ", "), " }")
	case *Option:
		f.w("option<")
		f.typ(x.Elem)
		f.w(">")
	case *Result:
		f.w("result")
		switch {
		case x.Ok != nil && x.Err != nil:
			f.w("<")
			f.typ(x.Ok)
			f.w(", ")
			f.typ(x.Err)
			f.w(">")
		case x.Ok != nil:
			f.opt("<", x.Ok, ">")
		case x.Err != nil:
			f.opt("<_, ", x.Err, ">")
		}
	case *Own:
		f.w("own<")
		f.typ(x.Resource)
		f.w(">")
	case *Borrow:
		f.w("borrow<")
		f.typ(x.Resource)
		f.w(">")
	case *Stream:
		f.w("stream")
		f.opt("<", x.Elem, ">")
	case *Future:
		f.w("future")
		f.opt("<", x.Elem, ">")
	case *Map:
		f.w("map<")
		f.typ(x.Key)
		f.w(", ")
		f.typ(x.Value)
		f.w(">")
	case *Func:
		f.fn(x)
	case *InstanceType:
		f.w("instance {")
		for i, e := range x.Exports {
			if i > 0 {
				f.w(",")
			}
			f.w(" ", strconv.Quote(e.Name), ": ", KindName(e.Type))
		}
		f.w(" }")
	case *ComponentType:
		f.w("component { ", strconv.Itoa(len(x.Imports)), " imports, ", strconv.Itoa(len(x.Exports)), " exports }")
	default:
		f.w(fmt.Sprintf("%T", t))
	}
}

func (f *formatter) fn(x *Func) {
	if x.Async {
		f.w("async ")
	}
	f.w("func(")
	for i, p := range x.Params {
		if i > 0 {
			f.w(", ")
		}
		f.w(p.Name, ": ")
		f.typ(p.Type)
	}
	f.w(")")
	f.opt(" -> ", x.Result, "")
}

// label walks ct and names every instance type by the path of the first
// item that has it, so that names can be qualified by their owner.
func (f *formatter) label(prefix string, ct *ComponentType) {
	for _, e := range ct.Imports {
		f.labelItem(prefix+"import "+strconv.Quote(e.Name), e.Type)
	}
	for _, e := range ct.Exports {
		f.labelItem(prefix+"export "+strconv.Quote(e.Name), e.Type)
	}
}

func (f *formatter) labelItem(path string, e Extern) {
	switch x := e.(type) {
	case *InstanceType:
		if _, ok := f.labels[x]; ok {
			return
		}
		f.labels[x] = "[" + path + "]"
		for _, ie := range x.Exports {
			f.labelItem(path+" "+strconv.Quote(ie.Name), ie.Type)
		}
	case *ComponentType:
		f.label(path+" ", x)
	}
}

func (f *formatter) indent(depth int) {
	for i := 0; i < depth; i++ {
		f.w("  ")
	}
}

func (f *formatter) items(kind string, items []Item, depth int) {
	for _, e := range items {
		f.indent(depth)
		f.w(kind, " ", strconv.Quote(e.Name), ": ")
		f.extern(e.Type, depth)
	}
}

func (f *formatter) extern(e Extern, depth int) {
	switch x := e.(type) {
	case *Func:
		f.fn(x)
		f.w("\n")
	case *TypeBound:
		f.w("type ")
		f.chain(x.Type)
		f.w("\n")
	case *ValueBound:
		f.w("value ")
		f.typ(x.Type)
		f.w("\n")
	case *ModuleType:
		f.w("core module (", strconv.Itoa(len(x.Imports)), " imports, ", strconv.Itoa(len(x.Exports)), " exports)\n")
	case *InstanceType:
		f.w("instance ", f.labels[x], "\n")
		saved := f.cur
		f.cur = x
		f.items("export", x.Exports, depth+1)
		f.cur = saved
	case *ComponentType:
		f.w("component\n")
		saved := f.cur
		f.cur = nil
		f.items("import", x.Imports, depth+1)
		f.items("export", x.Exports, depth+1)
		f.cur = saved
	default:
		f.w(fmt.Sprintf("%T\n", e))
	}
}

// chain writes the names t goes through, then what it finally is.
func (f *formatter) chain(t Type) {
	for {
		n, ok := t.(*Named)
		if !ok {
			break
		}
		saved := f.cur
		f.cur = nil // always qualify in chains
		f.qualified(n)
		f.cur = saved
		f.w(" = ")
		t = n.Type
	}
	if r, ok := t.(*Resource); ok {
		if r.Abstract {
			f.w("abstract ")
		}
		f.w("resource ")
	}
	f.typ(t)
}
