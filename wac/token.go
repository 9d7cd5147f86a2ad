package wac

import "fmt"

// tokenKind is the kind of a lexical token.
type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString
	tokPackageName // ns:name or ns:name@1.2.3
	tokPackagePath // ns:name/path or ns:name/path@1.2.3

	// Keywords.
	kwAs
	kwBool
	kwBorrow
	kwChar
	kwConstructor
	kwEnum
	kwExport
	kwF32
	kwF64
	kwFlags
	kwFunc
	kwImport
	kwInclude
	kwInterface
	kwLet
	kwList
	kwNew
	kwOption
	kwPackage
	kwRecord
	kwResource
	kwResult
	kwS16
	kwS32
	kwS64
	kwS8
	kwStatic
	kwString
	kwTargets
	kwTuple
	kwType
	kwU16
	kwU32
	kwU64
	kwU8
	kwUse
	kwVariant
	kwWith
	kwWorld

	// Punctuation.
	tokSemicolon
	tokLBrace
	tokRBrace
	tokColon
	tokEquals
	tokLParen
	tokRParen
	tokArrow
	tokLAngle
	tokRAngle
	tokUnderscore
	tokLBracket
	tokRBracket
	tokDot
	tokEllipsis
	tokComma
	tokSlash
	tokAt
)

var keywords = map[string]tokenKind{
	"as": kwAs, "bool": kwBool, "borrow": kwBorrow, "char": kwChar,
	"constructor": kwConstructor, "enum": kwEnum, "export": kwExport,
	"f32": kwF32, "f64": kwF64, "flags": kwFlags, "func": kwFunc,
	"import": kwImport, "include": kwInclude, "interface": kwInterface,
	"let": kwLet, "list": kwList, "new": kwNew, "option": kwOption,
	"package": kwPackage, "record": kwRecord, "resource": kwResource,
	"result": kwResult, "s16": kwS16, "s32": kwS32, "s64": kwS64, "s8": kwS8,
	"static": kwStatic, "string": kwString, "targets": kwTargets,
	"tuple": kwTuple, "type": kwType, "u16": kwU16, "u32": kwU32,
	"u64": kwU64, "u8": kwU8, "use": kwUse, "variant": kwVariant,
	"with": kwWith, "world": kwWorld,
}

var punctuation = map[tokenKind]string{
	tokSemicolon: ";", tokLBrace: "{", tokRBrace: "}", tokColon: ":",
	tokEquals: "=", tokLParen: "(", tokRParen: ")", tokArrow: "->",
	tokLAngle: "<", tokRAngle: ">", tokUnderscore: "_", tokLBracket: "[",
	tokRBracket: "]", tokDot: ".", tokEllipsis: "...", tokComma: ",",
	tokSlash: "/", tokAt: "@",
}

// String describes the kind in "expected …" messages.
func (k tokenKind) String() string {
	switch k {
	case tokEOF:
		return "end of file"
	case tokIdent:
		return "identifier"
	case tokString:
		return "string"
	case tokPackageName:
		return "package name"
	case tokPackagePath:
		return "package path"
	}
	if p, ok := punctuation[k]; ok {
		return "`" + p + "`"
	}
	for s, kw := range keywords {
		if kw == k {
			return "`" + s + "`"
		}
	}
	return fmt.Sprintf("token(%d)", uint8(k))
}

func (k tokenKind) isKeyword() bool { return k >= kwAs && k <= kwWorld }

// token is one lexical token and where it is.
type token struct {
	kind tokenKind
	span Span
}
