package wac

// The AST of a WAC document. Every node records its Span, byte offsets
// into the source; sums of node types are interfaces whose members are
// listed in their doc comments. Identifiers are stored without a leading
// '%' (which only lets a keyword be used as a name).

// Document is a parsed WAC document.
type Document struct {
	File    *File
	Package PackageName
	// Targets is the world named by `targets`, or nil.
	Targets *PackagePath
	Stmts   []Stmt
}

// Ident is an identifier.
type Ident struct {
	Name string
	Span Span
}

// StringLit is a string literal; Value is without the quotes.
type StringLit struct {
	Value string
	Span  Span
}

// ExternName is a name given after `as` or before ':' in a named argument:
// an identifier or a string.
type ExternName struct {
	Value string
	Span  Span
	// Quoted is true for a string, which is used exactly as written; an
	// identifier may be matched against interface names.
	Quoted bool
}

// PackageName is `ns:name` with an optional `@version`.
type PackageName struct {
	Name    string // without the version
	Version string // "" if none
	Span    Span
}

// String returns the name as written, with its version.
func (p PackageName) String() string {
	if p.Version == "" {
		return p.Name
	}
	return p.Name + "@" + p.Version
}

// PackagePath is `ns:name/a/b` with an optional `@version`: a path into a
// package's definitions.
type PackagePath struct {
	Package  string  // ns:name
	Segments []Ident // a, b
	Version  string  // "" if none
	Span     Span    // the whole path
	NameSpan Span    // ns:name
}

// String returns the path as written.
func (p *PackagePath) String() string {
	s := p.Package
	for _, seg := range p.Segments {
		s += "/" + seg.Name
	}
	if p.Version != "" {
		s += "@" + p.Version
	}
	return s
}

// Stmt is a statement: *ImportStmt, *LetStmt, *ExportStmt, or a type
// statement (*InterfaceDecl, *WorldDecl, or a TypeDecl other than
// *ResourceDecl).
type Stmt interface{ stmtNode() }

// ImportStmt is `import id [as name]: type;`.
type ImportStmt struct {
	ID Ident
	As *ExternName
	// Type is *PackagePath, *FuncType, *InlineInterface or *Ident.
	Type Node
	Span Span
}

// LetStmt is `let id = expr;`.
type LetStmt struct {
	ID   Ident
	Expr *Expr
	Span Span
}

// ExportStmt is `export expr [as name | ...];`.
type ExportStmt struct {
	Expr *Expr
	As   *ExternName
	// Spread is the span of a trailing `...`, nil without one.
	Spread *Span
	Span   Span
}

func (*ImportStmt) stmtNode()    {}
func (*LetStmt) stmtNode()       {}
func (*ExportStmt) stmtNode()    {}
func (*InterfaceDecl) stmtNode() {}
func (*WorldDecl) stmtNode()     {}
func (*VariantDecl) stmtNode()   {}
func (*RecordDecl) stmtNode()    {}
func (*FlagsDecl) stmtNode()     {}
func (*EnumDecl) stmtNode()      {}
func (*TypeAlias) stmtNode()     {}

// Node is any AST node that has a span.
type Node interface{ NodeSpan() Span }

// Expr is a primary expression followed by accesses.
type Expr struct {
	// Primary is *NewExpr, *NestedExpr or *Ident.
	Primary Node
	// Postfix are *AccessExpr and *NamedAccessExpr, in order.
	Postfix []Node
	Span    Span
}

// NewExpr is `new pkg:name { args }`.
type NewExpr struct {
	Package PackageName
	// Args are *InferredArg, *SpreadArg, *NamedArg and *FillArg.
	Args []Node
	Span Span
}

// NestedExpr is `( expr )`.
type NestedExpr struct {
	Inner *Expr
	Span  Span
}

// InferredArg passes a local name, the argument's name inferred from it.
type InferredArg struct{ ID Ident }

// SpreadArg is `...id`: the instance's exports fill unsatisfied arguments.
type SpreadArg struct {
	ID   Ident
	Span Span
}

// NamedArg is `name: expr`.
type NamedArg struct {
	Name ExternName
	Expr *Expr
}

// FillArg is a final `...`: missing arguments become imports.
type FillArg struct{ Span Span }

// AccessExpr is `.id`.
type AccessExpr struct {
	ID   Ident
	Span Span
}

// NamedAccessExpr is `["name"]`.
type NamedAccessExpr struct {
	Name StringLit
	Span Span
}

// Type expressions: *PrimType, *TupleType, *ListType, *OptionType,
// *ResultType, *BorrowType, *StreamType, *FutureType, and *Ident for a
// named type.

// PrimType is a primitive type keyword.
type PrimType struct {
	Kind tokenKind
	Span Span
}

// TupleType is `tuple<T, …>`.
type TupleType struct {
	Types []Node
	Span  Span
}

// ListType is `list<T>`.
type ListType struct {
	Elem Node
	Span Span
}

// OptionType is `option<T>`.
type OptionType struct {
	Elem Node
	Span Span
}

// ResultType is `result`, `result<T>`, `result<_, E>` or `result<T, E>`;
// Ok and Err are nil where absent.
type ResultType struct {
	Ok, Err Node
	Span    Span
}

// BorrowType is `borrow<r>`.
type BorrowType struct {
	Resource Ident
	Span     Span
}

// StreamType is `stream<T>` (WIT, not in LANGUAGE.md); Elem may be nil.
type StreamType struct {
	Elem Node
	Span Span
}

// FutureType is `future<T>` (WIT, not in LANGUAGE.md); Elem may be nil.
type FutureType struct {
	Elem Node
	Span Span
}

// FuncType is `[async] func(params) [-> result]`.
type FuncType struct {
	Async  bool
	Params []NamedType
	Result Node // nil: no result
	Span   Span
}

// NamedType is `id: type`, a parameter or a record field.
type NamedType struct {
	ID   Ident
	Type Node
}

// Type declarations.

// TypeDecl is a named type declaration: *VariantDecl, *RecordDecl,
// *FlagsDecl, *EnumDecl, *TypeAlias, and inside interfaces and worlds
// *ResourceDecl.
type TypeDecl interface {
	Node
	DeclID() Ident
}

// VariantDecl is `variant id { cases }`.
type VariantDecl struct {
	ID    Ident
	Cases []VariantCase
	Span  Span
}

// VariantCase is `id` or `id(type)`.
type VariantCase struct {
	ID   Ident
	Type Node // nil without payload
}

// RecordDecl is `record id { fields }`.
type RecordDecl struct {
	ID     Ident
	Fields []NamedType
	Span   Span
}

// FlagsDecl is `flags id { names }`.
type FlagsDecl struct {
	ID    Ident
	Flags []Ident
	Span  Span
}

// EnumDecl is `enum id { names }`.
type EnumDecl struct {
	ID    Ident
	Cases []Ident
	Span  Span
}

// TypeAlias is `type id = func(…)` or `type id = type`: exactly one of
// Func and Type is set.
type TypeAlias struct {
	ID   Ident
	Func *FuncType
	Type Node
	Span Span
}

// ResourceDecl is `resource id;` or `resource id { methods }`.
type ResourceDecl struct {
	ID      Ident
	Methods []ResourceMethod
	Span    Span
}

// ResourceMethod is `constructor(params);` or `id: [static] func…;`.
type ResourceMethod struct {
	Constructor bool
	Static      bool
	ID          Ident // the method name; for a constructor, the keyword
	Func        FuncType
	Span        Span
}

// InterfaceDecl is `interface id { items }`.
type InterfaceDecl struct {
	ID    Ident
	Items []Node // *UseDecl, TypeDecl, *InterfaceExport
	Span  Span
}

// InlineInterface is `interface { items }`.
type InlineInterface struct {
	Items []Node // as InterfaceDecl.Items
	Span  Span
}

// InterfaceExport is `id: func…;` or `id: functype-name;`.
type InterfaceExport struct {
	ID Ident
	// Func is set for an inline function type, Ref for a named one.
	Func *FuncType
	Ref  *Ident
	Span Span
}

// UseDecl is `use path.{items};`.
type UseDecl struct {
	// Path is *PackagePath or *Ident.
	Path  Node
	Items []UseItem
	Span  Span
}

// UseItem is `id [as id]`.
type UseItem struct {
	ID Ident
	As *Ident
}

// Name is the name the item takes in the using scope.
func (u UseItem) Name() Ident {
	if u.As != nil {
		return *u.As
	}
	return u.ID
}

// WorldDecl is `world id { items }`.
type WorldDecl struct {
	ID    Ident
	Items []Node // *UseDecl, TypeDecl, *WorldExtern, *IncludeDecl
	Span  Span
}

// WorldExtern is `import path;` or `export path;` in a world.
type WorldExtern struct {
	Export bool
	// Path is *NamedExtern, *PackagePath or *Ident.
	Path Node
	Span Span
}

// NamedExtern is `id: type` in a world: Type is *Ident, *FuncType or
// *InlineInterface.
type NamedExtern struct {
	ID   Ident
	Type Node
}

// IncludeDecl is `include world [with { a as b, … }];`.
type IncludeDecl struct {
	// World is *PackagePath or *Ident.
	World Node
	With  []IncludeRename
	Span  Span
}

// IncludeRename is `from as to`.
type IncludeRename struct {
	From, To Ident
}

func (n *Ident) NodeSpan() Span           { return n.Span }
func (n *PackagePath) NodeSpan() Span     { return n.Span }
func (n *NewExpr) NodeSpan() Span         { return n.Span }
func (n *NestedExpr) NodeSpan() Span      { return n.Span }
func (n *InferredArg) NodeSpan() Span     { return n.ID.Span }
func (n *SpreadArg) NodeSpan() Span       { return n.Span }
func (n *NamedArg) NodeSpan() Span        { return n.Name.Span }
func (n *FillArg) NodeSpan() Span         { return n.Span }
func (n *AccessExpr) NodeSpan() Span      { return n.Span }
func (n *NamedAccessExpr) NodeSpan() Span { return n.Span }
func (n *PrimType) NodeSpan() Span        { return n.Span }
func (n *TupleType) NodeSpan() Span       { return n.Span }
func (n *ListType) NodeSpan() Span        { return n.Span }
func (n *OptionType) NodeSpan() Span      { return n.Span }
func (n *ResultType) NodeSpan() Span      { return n.Span }
func (n *BorrowType) NodeSpan() Span      { return n.Span }
func (n *StreamType) NodeSpan() Span      { return n.Span }
func (n *FutureType) NodeSpan() Span      { return n.Span }
func (n *FuncType) NodeSpan() Span        { return n.Span }
func (n *VariantDecl) NodeSpan() Span     { return n.Span }
func (n *RecordDecl) NodeSpan() Span      { return n.Span }
func (n *FlagsDecl) NodeSpan() Span       { return n.Span }
func (n *EnumDecl) NodeSpan() Span        { return n.Span }
func (n *TypeAlias) NodeSpan() Span       { return n.Span }
func (n *ResourceDecl) NodeSpan() Span    { return n.Span }
func (n *InterfaceDecl) NodeSpan() Span   { return n.Span }
func (n *InlineInterface) NodeSpan() Span { return n.Span }
func (n *InterfaceExport) NodeSpan() Span { return n.Span }
func (n *UseDecl) NodeSpan() Span         { return n.Span }
func (n *WorldDecl) NodeSpan() Span       { return n.Span }
func (n *WorldExtern) NodeSpan() Span     { return n.Span }
func (n *NamedExtern) NodeSpan() Span     { return n.ID.Span }
func (n *IncludeDecl) NodeSpan() Span     { return n.Span }

func (n *VariantDecl) DeclID() Ident  { return n.ID }
func (n *RecordDecl) DeclID() Ident   { return n.ID }
func (n *FlagsDecl) DeclID() Ident    { return n.ID }
func (n *EnumDecl) DeclID() Ident     { return n.ID }
func (n *TypeAlias) DeclID() Ident    { return n.ID }
func (n *ResourceDecl) DeclID() Ident { return n.ID }
