package wac

import "github.com/wcomp/wcomp/component"

// Composition is a resolved document: what the composed component
// imports, which components it instantiates with which arguments, what
// it exports, and the types it defines. Every part keeps the span of the
// text it came from, so a later stage (building the graph, checking the
// target world) can still point at the document.
type Composition struct {
	Doc *Document
	// Packages are the packages the document uses, in order of first use.
	Packages  []*Package
	Imports   []*Import
	Instances []*Instance
	Exports   []*Export
	// Types are the document's top-level type declarations, which the
	// result exports, in declaration order.
	Types []*TypeExport
	// Target is the world named by `targets`, or nil.
	Target *Target
}

// Import is an import of the result that the document declares.
type Import struct {
	Name string
	Type component.Extern
	Span Span // the name's span: the `as` name, the path, or the local name
	// Uses are the interfaces whose types Type uses (wasi:io/error for
	// wasi:io/streams), dependencies first, each named by its full name:
	// the result imports them too, ahead of this one, as wac does.
	Uses []component.Item
}

// Instance is one `new` expression.
type Instance struct {
	// Name is the local name it was first bound to, for messages and the
	// name section; "" for an instance that is never bound.
	Name    string
	Package *Package
	Args    []*Arg
	// Fill is true when the arguments end with `...`: every import of the
	// package without an argument becomes an import of the result.
	Fill bool
	Span Span // the package name in `new pkg:name`
}

// Arg is one instantiation argument.
type Arg struct {
	Name  string // the package's import it satisfies
	Value *Value
	Span  Span
}

// Export is one export of the result.
type Export struct {
	Name  string
	Value *Value
	Span  Span
}

// TypeExport is a type the document declares at the top level.
type TypeExport struct {
	Name string
	// Type is the declared type for value types (a *component.Named) and
	// function types (a *component.Func), or a *component.ComponentType
	// wrapping an interface or world the way a WIT package does: importing
	// the interfaces it uses and exporting the one it defines under its
	// full name (`ns:pkg/name`).
	Type component.Type
	Span Span
}

// Target is the world a composition must conform to (`targets`).
type Target struct {
	Path  *PackagePath
	World *component.ComponentType
}

// Value is something a composition can pass or export: exactly one of
// Import, Instance, or an export of another value (Of, Export).
type Value struct {
	Import   *Import
	Instance *Instance
	Of       *Value
	Export   string
	// Type is the value's type: the import's, the instance's
	// (*component.InstanceType), or the export's.
	Type component.Extern
	// Span is where an export of another value is taken: `.name` or
	// `["name"]`.
	Span Span
}
