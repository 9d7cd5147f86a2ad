package component

import "fmt"

// This file is the semantic layer: types with every index resolved. Value
// types are compared structurally; resources by identity (the *Resource
// pointer), never by name. Names that WIT shows (a type exported from an
// interface) are kept as *Named wrappers so printers can say `use a.{t}`.
//
// Resolve builds these from the syntax layer (ast.go). Compose, subtyping,
// WIT printing and the type encoder consume them.

// Type is anything that can stand behind a type import or export: a value
// type or a resource (and, rarely, a *Func, *InstanceType or *ComponentType
// exported as a type).
type Type interface{ isType() }

// ValType is a resolved value type: a Prim, one of the constructors below,
// a *Named that wraps one, or an Own/Borrow handle.
type ValType interface {
	Type
	isValType()
}

// Prim is a primitive value type.
type Prim PrimType

// Record is a record type.
type Record struct{ Fields []Field }

// Field is a record field.
type Field struct {
	Name string
	Type ValType
}

// Variant is a variant type.
type Variant struct{ Cases []Case }

// Case is a variant case; Type is nil for a case without payload.
type Case struct {
	Name string
	Type ValType
}

// List is list<T>, or list<T, Len> when Len > 0 (a fixed-size list).
type List struct {
	Elem ValType
	Len  uint32
}

// Tuple is tuple<T...>.
type Tuple struct{ Types []ValType }

// Flags is a flags type.
type Flags struct{ Names []string }

// Enum is an enum type.
type Enum struct{ Names []string }

// Option is option<T>.
type Option struct{ Elem ValType }

// Result is result<Ok, Err>; either may be nil.
type Result struct{ Ok, Err ValType }

// Own is own<R>. Resource is a *Resource, or a *Named whose underlying type
// is one.
type Own struct{ Resource Type }

// Borrow is borrow<R>, with Resource as in Own.
type Borrow struct{ Resource Type }

// Stream is stream<T>; Elem may be nil.
type Stream struct{ Elem ValType }

// Future is future<T>; Elem may be nil.
type Future struct{ Elem ValType }

// Map is map<K, V>.
type Map struct{ Key, Value ValType }

// Named is a type given a name by a type export, e.g. `error` exported from
// wasi:io/error. Type is what it names: a value type, a resource, or another
// *Named (an alias, which is how WIT `use` appears in a binary). Owner is
// the instance type or component type whose export gave the name; it is nil
// for names given at the top level of a component.
type Named struct {
	Name  string
	Type  Type
	Owner *InstanceType
}

// Resource is a resource type. Two resources are the same type only if they
// are the same *Resource. Name is the name it was first exported or
// imported under, for messages and printing.
type Resource struct {
	Name string
	// Abstract marks a resource introduced by (sub resource) in an import or
	// in a type: it stands for whatever resource the provider supplies.
	Abstract bool
}

func (Prim) isType()      {}
func (*Record) isType()   {}
func (*Variant) isType()  {}
func (*List) isType()     {}
func (*Tuple) isType()    {}
func (*Flags) isType()    {}
func (*Enum) isType()     {}
func (*Option) isType()   {}
func (*Result) isType()   {}
func (*Own) isType()      {}
func (*Borrow) isType()   {}
func (*Stream) isType()   {}
func (*Future) isType()   {}
func (*Map) isType()      {}
func (*Named) isType()    {}
func (*Resource) isType() {}

func (Prim) isValType()     {}
func (*Record) isValType()  {}
func (*Variant) isValType() {}
func (*List) isValType()    {}
func (*Tuple) isValType()   {}
func (*Flags) isValType()   {}
func (*Enum) isValType()    {}
func (*Option) isValType()  {}
func (*Result) isValType()  {}
func (*Own) isValType()     {}
func (*Borrow) isValType()  {}
func (*Stream) isValType()  {}
func (*Future) isValType()  {}
func (*Map) isValType()     {}

// A *Named is a ValType only when it names a value type; callers that need
// to tell use Underlying. It implements ValType so that named value types can
// appear wherever a value type can.
func (*Named) isValType() {}

// Underlying strips every *Named wrapper from t.
func Underlying(t Type) Type {
	for {
		n, ok := t.(*Named)
		if !ok {
			return t
		}
		t = n.Type
	}
}

// ResourceOf returns the resource that t names, or nil if t is not a
// resource.
func ResourceOf(t Type) *Resource {
	r, _ := Underlying(t).(*Resource)
	return r
}

// Extern is the type of an import or export: one of *Func, *InstanceType,
// *ComponentType, *ModuleType, *TypeBound or *ValueBound.
type Extern interface{ isExtern() }

// KindName names the kind of an extern in messages: "function",
// "instance", "component", "core module", "type", "value", or "nothing"
// for nil. Every package that reports on an import or export uses it, so
// they all call one kind by one name.
func KindName(e Extern) string {
	switch e.(type) {
	case *Func:
		return "function"
	case *InstanceType:
		return "instance"
	case *ComponentType:
		return "component"
	case *ModuleType:
		return "core module"
	case *TypeBound:
		return "type"
	case *ValueBound:
		return "value"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", e)
}

// Func is a component function type.
type Func struct {
	Async  bool
	Params []Param
	Result ValType // nil: no result
}

// Param is a function parameter.
type Param struct {
	Name string
	Type ValType
}

// Item is a named import or export. Name is the plain extern name (the
// attributes are in Attr).
type Item struct {
	Name string
	Attr ExternName
	Type Extern
}

// InstanceType is the type of an instance: its exports, in order.
type InstanceType struct {
	Exports []Item
}

// ComponentType is the type of a component: its imports and exports, in
// order. Resolve returns one for a whole component binary.
type ComponentType struct {
	Imports []Item
	Exports []Item
}

// ModuleType is the type of a core module. Its imports and exports are kept
// in their core encoding; component-level tooling never looks inside.
type ModuleType struct {
	Imports []CoreExternItem
	Exports []CoreExternItem
}

// CoreExternItem is a core import (Module, Name) or export (Name) and the
// raw encoding of its core extern type.
type CoreExternItem struct {
	Module string
	Name   string
	Extern []byte
}

// TypeBound is the type of a type import or export: (type (eq T)) or
// (type (sub resource)). For an eq bound, Type is usually a *Named carrying
// the export's name; for sub resource it is a fresh abstract *Resource.
type TypeBound struct {
	Type Type
}

// ValueBound is the type of a value import or export (🪙).
type ValueBound struct {
	Type ValType
}

// Func, instance and component types can also stand in a type index space
// (a (type (eq i)) bound may name any type), so they are Types too. They are
// never ValTypes.
func (*Func) isType()          {}
func (*InstanceType) isType()  {}
func (*ComponentType) isType() {}

func (*Func) isExtern()          {}
func (*InstanceType) isExtern()  {}
func (*ComponentType) isExtern() {}
func (*ModuleType) isExtern()    {}
func (*TypeBound) isExtern()     {}
func (*ValueBound) isExtern()    {}

// Export returns the export of it named name, or nil.
func (it *InstanceType) Export(name string) *Item {
	for i := range it.Exports {
		if it.Exports[i].Name == name {
			return &it.Exports[i]
		}
	}
	return nil
}

// Import returns the import of ct named name, or nil.
func (ct *ComponentType) Import(name string) *Item {
	for i := range ct.Imports {
		if ct.Imports[i].Name == name {
			return &ct.Imports[i]
		}
	}
	return nil
}

// Export returns the export of ct named name, or nil.
func (ct *ComponentType) Export(name string) *Item {
	for i := range ct.Exports {
		if ct.Exports[i].Name == name {
			return &ct.Exports[i]
		}
	}
	return nil
}
