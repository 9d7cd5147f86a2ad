package component

// This file is the syntax layer: a faithful model of the component binary
// format (design/mvp/Binary.md). Every index here is an index into one of the
// component's index spaces exactly as written in the binary; nothing is
// resolved. The semantic layer (types.go) is built from it by Resolve.

// Component is one decoded component binary. Nested core modules and nested
// components are kept as sub-slices of Data and decoded only on request, so
// decoding a 35 MB component touches only its component-level sections.
type Component struct {
	// Data is the whole input. Every byte range in the model points into it.
	Data []byte
	// Sections in binary order. Sections may repeat and interleave; index
	// spaces grow in this order.
	Sections []Section
}

// SectionID is the one-byte id that starts every section.
type SectionID uint8

// Section ids, in the order Binary.md numbers them.
const (
	SectionCustom       SectionID = 0
	SectionCoreModule   SectionID = 1
	SectionCoreInstance SectionID = 2
	SectionCoreType     SectionID = 3
	SectionComponent    SectionID = 4
	SectionInstance     SectionID = 5
	SectionAlias        SectionID = 6
	SectionType         SectionID = 7
	SectionCanon        SectionID = 8
	SectionStart        SectionID = 9
	SectionImport       SectionID = 10
	SectionExport       SectionID = 11
	SectionValue        SectionID = 12
)

// Section is one section of a component. Exactly one of the payload fields is
// set, chosen by ID; the others are nil.
type Section struct {
	ID SectionID
	// Offset is the byte offset of the section's payload (after id and size)
	// in Component.Data; Size is the payload's length. Errors and tools that
	// copy sections unchanged use them.
	Offset, Size int

	Custom        *CustomSection
	CoreModule    *Nested // SectionCoreModule: one core module
	Component     *Nested // SectionComponent: one nested component
	CoreInstances []CoreInstance
	CoreTypes     []CoreType
	Instances     []Instance
	Aliases       []Alias
	Types         []TypeDef
	Canons        []Canon
	Start         *Start
	Imports       []Import
	Exports       []Export
	Values        []Value
}

// CustomSection is a custom section: a name and uninterpreted bytes.
type CustomSection struct {
	Name string
	Data []byte // sub-slice of Component.Data
}

// Nested is a nested core module or component, kept as a sub-slice of the
// parent's bytes. Offset is where Bytes starts in the parent's Data.
type Nested struct {
	Offset int
	Bytes  []byte
	// Parts, set by DecodeParts instead of Bytes, holds a nested
	// component given as several consecutive parts (a member rewritten
	// with outer aliases, component.ReplaceNested); nil otherwise.
	Parts [][]byte
}

// Data returns the nested item's bytes, joining Parts if it has them.
func (n *Nested) Data() []byte {
	if n.Bytes != nil || len(n.Parts) == 0 {
		return n.Bytes
	}
	var out []byte
	for _, p := range n.Parts {
		out = append(out, p...)
	}
	return out
}

// Sort names an index space. Core sorts come first, in the order of their
// binary opcodes; component sorts follow.
type Sort uint8

const (
	SortCoreFunc Sort = iota
	SortCoreTable
	SortCoreMemory
	SortCoreGlobal
	SortCoreTag
	SortCoreType
	SortCoreModule
	SortCoreInstance
	SortFunc
	SortValue
	SortType
	SortComponent
	SortInstance
)

// IsCore reports whether s is one of the core sorts.
func (s Sort) IsCore() bool { return s <= SortCoreInstance }

// SortIndex is a reference to item Index of the Sort index space.
type SortIndex struct {
	Sort  Sort
	Index uint32
}

// CoreInstance is a core instance definition: either the instantiation of a
// core module, or a bundle of inline exports (when Inline is set).
type CoreInstance struct {
	Inline  bool
	Module  uint32
	Args    []CoreInstantiateArg
	Exports []CoreInlineExport
}

// CoreInstantiateArg supplies a core instance for a module's import module name.
type CoreInstantiateArg struct {
	Name     string
	Instance uint32 // core instance index
}

// CoreInlineExport names a core item in an inline core instance.
type CoreInlineExport struct {
	Name string
	Item SortIndex // a core sort
}

// Instance is a component instance definition: either the instantiation of
// a component, or a bundle of inline exports (when Inline is set).
type Instance struct {
	Inline    bool
	Component uint32
	Args      []InstantiateArg
	Exports   []InlineExport
}

// InstantiateArg supplies an item for one of a component's imports.
type InstantiateArg struct {
	Name string
	Item SortIndex
}

// InlineExport is one export of an inline instance.
type InlineExport struct {
	Name ExternName
	Item SortIndex
}

// AliasKind says where an alias points.
type AliasKind uint8

const (
	AliasInstanceExport     AliasKind = 0 // (alias export i "n" (sort))
	AliasCoreInstanceExport AliasKind = 1 // (alias core export i "n" (sort))
	AliasOuter              AliasKind = 2 // (alias outer count index (sort))
)

// Alias adds an item to the Sort index space that refers to an item defined
// elsewhere.
type Alias struct {
	Sort Sort
	Kind AliasKind
	// Instance and Name are set for the two export kinds.
	Instance uint32
	Name     string
	// Count (enclosing scopes outward, 0 = this one) and Index are set for
	// outer aliases.
	Count uint32
	Index uint32
}

// ExternName is an import or export name with its optional attributes
// (nameattributes in Binary.md). Name is what matching and uniqueness use.
type ExternName struct {
	Name string
	// Form is the nameattributes opcode: 0x00 or 0x01 (plain), or 0x02
	// (with attributes). It is kept so re-encoding gives the same bytes.
	Form uint8
	// Attributes, present only with Form 0x02.
	Implements    string
	VersionSuffix string
	ExternalID    string
	// attrs holds the attribute opcodes in the order decoded, so that
	// re-encoding reproduces the input. It is empty for a name built in Go:
	// the encoder then writes the non-empty attributes in opcode order. A
	// string keeps ExternName comparable with ==.
	attrs string
}

// Name attribute opcodes (attribute in Binary.md).
const (
	attrImplements    = 0x00
	attrVersionSuffix = 0x01
	attrExternalID    = 0x02
)

// Import is a component import.
type Import struct {
	Name ExternName
	Type ExternType
}

// Export is a component export of an item, optionally ascribed a type.
type Export struct {
	Name ExternName
	Item SortIndex
	Type *ExternType
}

// ExternKind is the kind of an import, export or declared extern.
type ExternKind uint8

const (
	ExternModule    ExternKind = 0 // (core module (type i)), i a core type index
	ExternFunc      ExternKind = 1 // (func (type i))
	ExternValue     ExternKind = 2 // (value bound)
	ExternTypeKind  ExternKind = 3 // (type bound); not ExternType, which is the struct
	ExternComponent ExternKind = 4 // (component (type i))
	ExternInstance  ExternKind = 5 // (instance (type i))
)

// ExternType is the type of an import or export (externtype in Binary.md).
type ExternType struct {
	Kind ExternKind
	// Index is the type index for module/func/component/instance, or the
	// eq-bound type index for types.
	Index uint32
	// SubResource marks a (type (sub resource)) bound.
	SubResource bool
	// ValueType is the type of a value (🪙) import or export. wasm-tools
	// encodes only this form (a bare valtype), not Binary.md's (eq i)
	// valuebound, so it is always set for ExternValue.
	ValueType *ValTypeRef
}

// PrimType is a primitive value type, numbered by its binary opcode.
type PrimType uint8

const (
	PrimBool         PrimType = 0x7f
	PrimS8           PrimType = 0x7e
	PrimU8           PrimType = 0x7d
	PrimS16          PrimType = 0x7c
	PrimU16          PrimType = 0x7b
	PrimS32          PrimType = 0x7a
	PrimU32          PrimType = 0x79
	PrimS64          PrimType = 0x78
	PrimU64          PrimType = 0x77
	PrimF32          PrimType = 0x76
	PrimF64          PrimType = 0x75
	PrimChar         PrimType = 0x74
	PrimString       PrimType = 0x73
	PrimErrorContext PrimType = 0x64
)

// ValTypeRef is a valtype as written in the binary: a primitive, or
// (Prim == 0) a type index. (ValType is the resolved, semantic value type
// in types.go.)
type ValTypeRef struct {
	Prim  PrimType
	Index uint32
}

// TypeDef is one entry of a type section (deftype). Exactly one field is
// set.
type TypeDef struct {
	Value     *DefValType
	Func      *FuncType
	Component *ComponentTypeDef
	Instance  *InstanceTypeDef
	Resource  *ResourceTypeDef
}

// DefValKind is the constructor of a defined value type, numbered by its
// binary opcode.
type DefValKind uint8

const (
	DefPrim      DefValKind = 0 // a primitive, in DefValType.Prim
	DefRecord    DefValKind = 0x72
	DefVariant   DefValKind = 0x71
	DefList      DefValKind = 0x70
	DefFixedList DefValKind = 0x67
	DefTuple     DefValKind = 0x6f
	DefFlags     DefValKind = 0x6e
	DefEnum      DefValKind = 0x6d
	DefOption    DefValKind = 0x6b
	DefResult    DefValKind = 0x6a
	DefOwn       DefValKind = 0x69
	DefBorrow    DefValKind = 0x68
	DefStream    DefValKind = 0x66
	DefFuture    DefValKind = 0x65
	DefMap       DefValKind = 0x63
)

// DefValType is a defvaltype. Which fields are used depends on Kind:
//   - DefPrim: Prim
//   - DefRecord: Fields
//   - DefVariant: Cases
//   - DefList, DefOption: Elem; DefFixedList: Elem and Len
//   - DefTuple: Types
//   - DefFlags, DefEnum: Labels
//   - DefResult: Ok and Err, each optional
//   - DefOwn, DefBorrow: Resource (a type index)
//   - DefStream, DefFuture: Elem, optional
//   - DefMap: Key and Elem
type DefValType struct {
	Kind     DefValKind
	Prim     PrimType
	Fields   []LabeledType
	Cases    []VariantCase
	Elem     *ValTypeRef
	Key      *ValTypeRef
	Len      uint32
	Types    []ValTypeRef
	Labels   []string
	Ok, Err  *ValTypeRef
	Resource uint32
}

// LabeledType is a named record field or function parameter.
type LabeledType struct {
	Name string
	Type ValTypeRef
}

// VariantCase is one case of a variant; Type is nil for a case with no payload.
type VariantCase struct {
	Name string
	Type *ValTypeRef
	// Refines is the legacy refines index; wasm-tools rejects non-empty
	// refines today, so it is only decoded and re-encoded.
	Refines *uint32
}

// FuncType is a component function type.
type FuncType struct {
	Async  bool
	Params []LabeledType
	Result *ValTypeRef // nil: no result
}

// ResourceTypeDef is (resource (rep i32) (dtor f)?). The binary has only
// this one form (0x3f): async destructors are not encoded in the type.
type ResourceTypeDef struct {
	Rep  byte    // core value type opcode; 0x7f (i32) today
	Dtor *uint32 // core func index
}

// DeclKind says what a declarator inside a component or instance type is.
type DeclKind uint8

const (
	DeclCoreType DeclKind = 0x00
	DeclType     DeclKind = 0x01
	DeclAlias    DeclKind = 0x02
	DeclImport   DeclKind = 0x03 // component types only
	DeclExport   DeclKind = 0x04
)

// Decl is one declarator of a component or instance type.
type Decl struct {
	Kind     DeclKind
	CoreType *CoreType
	Type     *TypeDef
	Alias    *Alias
	Name     ExternName // import or export
	Extern   ExternType // import or export
}

// ComponentTypeDef is (component decl*).
type ComponentTypeDef struct{ Decls []Decl }

// InstanceTypeDef is (instance decl*).
type InstanceTypeDef struct{ Decls []Decl }

// CoreType is an entry of a core type section or a core type declarator:
// a core module type, or a core (rec/sub/func/struct/array) type, which is
// kept as its raw encoding plus, for the common plain function type, its
// parameters and results.
type CoreType struct {
	Module *CoreModuleType
	// Raw is the exact encoding of a non-module core type (a rec group,
	// including the 0x00 prefix a non-final sub type carries at the top of
	// a component), a sub-slice of the input. The encoder writes it as is.
	Raw  []byte
	Func *CoreFuncType // set when Raw is a plain 0x60 function type
}

// CoreValType is a core value type as its encoding (one opcode, or a
// reference type with its heap type bytes).
type CoreValType []byte

// CoreFuncType is a core function type.
type CoreFuncType struct {
	Params, Results []CoreValType
}

// CoreModuleType is (module decl*).
type CoreModuleType struct{ Decls []CoreModuleDecl }

// CoreModuleDecl is one declarator of a core module type. Import, Type,
// Alias or Export is set, by Kind (0x00..0x03).
type CoreModuleDecl struct {
	Kind byte
	// Import: module and field name, and its extern type encoding.
	ImportModule, ImportName string
	// Export: its name.
	ExportName string
	// Extern is the raw core externtype encoding of an import or export.
	Extern []byte
	Type   *CoreType
	// Alias is an outer type alias (count, index).
	AliasCount, AliasIndex uint32
}

// CanonOp is the opcode of a canonical definition (the first byte; lift and
// lower also carry a 0x00 sort byte).
type CanonOp uint8

const (
	CanonLift                     CanonOp = 0x00
	CanonLower                    CanonOp = 0x01
	CanonResourceNew              CanonOp = 0x02
	CanonResourceDrop             CanonOp = 0x03
	CanonResourceRep              CanonOp = 0x04
	CanonTaskCancel               CanonOp = 0x05
	CanonSubtaskCancel            CanonOp = 0x06
	CanonTaskReturn               CanonOp = 0x09
	CanonContextGet               CanonOp = 0x0a
	CanonContextSet               CanonOp = 0x0b
	CanonThreadYield              CanonOp = 0x0c
	CanonSubtaskDrop              CanonOp = 0x0d
	CanonStreamNew                CanonOp = 0x0e
	CanonStreamRead               CanonOp = 0x0f
	CanonStreamWrite              CanonOp = 0x10
	CanonStreamCancelRead         CanonOp = 0x11
	CanonStreamCancelWrite        CanonOp = 0x12
	CanonStreamDropReadable       CanonOp = 0x13
	CanonStreamDropWritable       CanonOp = 0x14
	CanonFutureNew                CanonOp = 0x15
	CanonFutureRead               CanonOp = 0x16
	CanonFutureWrite              CanonOp = 0x17
	CanonFutureCancelRead         CanonOp = 0x18
	CanonFutureCancelWrite        CanonOp = 0x19
	CanonFutureDropReadable       CanonOp = 0x1a
	CanonFutureDropWritable       CanonOp = 0x1b
	CanonErrorContextNew          CanonOp = 0x1c
	CanonErrorContextDebugMessage CanonOp = 0x1d
	CanonErrorContextDrop         CanonOp = 0x1e
	CanonWaitableSetNew           CanonOp = 0x1f
	CanonWaitableSetWait          CanonOp = 0x20
	CanonWaitableSetPoll          CanonOp = 0x21
	CanonWaitableSetDrop          CanonOp = 0x22
	CanonWaitableJoin             CanonOp = 0x23
	CanonBackpressureInc          CanonOp = 0x24
	CanonBackpressureDec          CanonOp = 0x25
	CanonThreadIndex              CanonOp = 0x26
	CanonThreadNewIndirect        CanonOp = 0x27
	CanonThreadResumeLater        CanonOp = 0x28
	CanonThreadSuspend            CanonOp = 0x29
	CanonThreadSuspendThenResume  CanonOp = 0x2a
	CanonThreadYieldThenResume    CanonOp = 0x2b
	CanonThreadSuspendThenPromote CanonOp = 0x2c
	CanonThreadYieldThenPromote   CanonOp = 0x2d
	CanonStreamForward            CanonOp = 0x2e // wasm-tools 1.262; not yet in Binary.md
	CanonFutureForward            CanonOp = 0x2f // wasm-tools 1.262; not yet in Binary.md
	CanonThreadSpawnRef           CanonOp = 0x40
	CanonThreadSpawnIndirect      CanonOp = 0x41
	CanonThreadAvailParallelism   CanonOp = 0x42
)

// Canon is one canonical definition. Lift adds a component func; every
// other op adds a core func. Which fields are used depends on Op.
type Canon struct {
	Op CanonOp
	// Func is the core func (lift) or component func (lower).
	Func uint32
	// Type is the func type (lift), resource type, or stream/future type.
	Type    uint32
	Options []CanonOption
	// Flag is the async? immediate, when the op has one. (The byte that
	// was cancel? is a reserved 0x00, checked when decoding.)
	Flag bool
	// Result is task.return's result type (nil: none).
	Result *ValTypeRef
	// CoreValType and Imm are context.get/set's operands.
	CoreValType byte
	Imm         uint32
	// Memory, Table and CoreType are the remaining immediates of
	// waitable-set and thread ops.
	Memory, Table, CoreType uint32
}

// CanonOptionKind is a canonopt opcode.
type CanonOptionKind uint8

const (
	OptUTF8         CanonOptionKind = 0x00
	OptUTF16        CanonOptionKind = 0x01
	OptCompactUTF16 CanonOptionKind = 0x02
	OptMemory       CanonOptionKind = 0x03
	OptRealloc      CanonOptionKind = 0x04
	OptPostReturn   CanonOptionKind = 0x05
	OptAsync        CanonOptionKind = 0x06
	OptCallback     CanonOptionKind = 0x07
	OptCoreType     CanonOptionKind = 0x08
	OptGC           CanonOptionKind = 0x09
)

// CanonOption is one canonical option; Index is the memory/func/type index
// for the options that take one.
type CanonOption struct {
	Kind  CanonOptionKind
	Index uint32
}

// Start is a start definition (🪙, value-gated).
type Start struct {
	Func    uint32
	Args    []uint32
	Results uint32
}

// Value is a value definition (🪙): its type and encoded bytes.
type Value struct {
	Type ValTypeRef
	Data []byte // sub-slice of the input
}
