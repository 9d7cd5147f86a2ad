package wave

import "fmt"

// Kind names a component-model value type. The order follows the
// component-model spec's primitive and defined value types.
type Kind uint8

// The kinds of component-model values.
const (
	Bool Kind = iota
	S8
	S16
	S32
	S64
	U8
	U16
	U32
	U64
	F32
	F64
	Char
	String
	List
	Record
	Tuple
	Variant
	Enum
	Option
	Result
	Flags
	Own
	Borrow
	Future
	Stream
	ErrorContext
	Map
)

var kindNames = [...]string{
	Bool: "bool", S8: "s8", S16: "s16", S32: "s32", S64: "s64",
	U8: "u8", U16: "u16", U32: "u32", U64: "u64", F32: "f32", F64: "f64",
	Char: "char", String: "string", List: "list", Record: "record",
	Tuple: "tuple", Variant: "variant", Enum: "enum", Option: "option",
	Result: "result", Flags: "flags", Own: "own", Borrow: "borrow",
	Future: "future", Stream: "stream", ErrorContext: "error-context", Map: "map",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Type describes a component-model value type, as far as WAVE needs it to
// parse and print values. Only the fields that belong to Kind are set.
type Type struct {
	Kind   Kind
	Elem   *Type   // list element, option payload, map value
	Key    *Type   // map key
	Fields []Field // record fields
	Tuple  []*Type // tuple elements
	Cases  []Case  // variant cases
	Names  []string
	// Ok and Err are a result's payload types; nil means no payload.
	Ok, Err *Type
}

// Field is a named record field.
type Field struct {
	Name string
	Type *Type
}

// Case is a variant case; Payload is nil for a case without one.
type Case struct {
	Name    string
	Payload *Type
}

// String renders the type in WIT-like syntax, for error messages.
func (t *Type) String() string {
	if t == nil {
		return "_"
	}
	switch t.Kind {
	case List:
		return "list<" + t.Elem.String() + ">"
	case Option:
		return "option<" + t.Elem.String() + ">"
	case Tuple:
		s := "tuple<"
		for i, e := range t.Tuple {
			if i > 0 {
				s += ", "
			}
			s += e.String()
		}
		return s + ">"
	case Result:
		switch {
		case t.Ok == nil && t.Err == nil:
			return "result"
		case t.Err == nil:
			return "result<" + t.Ok.String() + ">"
		default:
			return "result<" + t.Ok.String() + ", " + t.Err.String() + ">"
		}
	case Record:
		s := "record { "
		for i, f := range t.Fields {
			if i > 0 {
				s += ", "
			}
			s += f.Name + ": " + f.Type.String()
		}
		return s + " }"
	case Variant:
		s := "variant { "
		for i, c := range t.Cases {
			if i > 0 {
				s += ", "
			}
			s += c.Name
			if c.Payload != nil {
				s += "(" + c.Payload.String() + ")"
			}
		}
		return s + " }"
	case Enum, Flags:
		s := t.Kind.String() + " { "
		for i, n := range t.Names {
			if i > 0 {
				s += ", "
			}
			s += n
		}
		return s + " }"
	case Map:
		return "map<" + t.Key.String() + ", " + t.Elem.String() + ">"
	}
	return t.Kind.String()
}

// Value is one component-model value. Only the fields that belong to Kind
// are meaningful:
//
//   - Bool: Bool
//   - S8..S64: Int; U8..U64: Uint; F32, F64: Float; Char: Char
//   - String: Str; Enum: Str (the case); Variant: Str (the case) and Payload
//   - List, Tuple: Elems; Record: Fields; Flags: Names (the set flags)
//   - Option: Payload (nil for none)
//   - Result: IsErr and Payload (nil when the case has no payload)
//   - Map: Elems holds key, value, key, value, ...
//   - Own, Borrow, Future, Stream, ErrorContext: Str describes the value;
//     WAVE has no syntax for them, so they print opaquely.
type Value struct {
	Kind    Kind
	Bool    bool
	Int     int64
	Uint    uint64
	Float   float64
	Char    rune
	Str     string
	Elems   []Value
	Fields  []FieldValue
	Names   []string
	Payload *Value
	IsErr   bool
}

// FieldValue is one field of a record value.
type FieldValue struct {
	Name  string
	Value Value
}
