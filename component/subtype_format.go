package component

// describeType renders a type for subtype and union messages with
// FormatType (format.go); a missing optional type reads as "nothing".
func describeType(t Type) string {
	if _, ok := t.(noneType); ok {
		return "nothing"
	}
	return FormatType(t)
}

// describeExtern renders the type of an import or export for messages:
// functions in full, other kinds by what they are.
func describeExtern(e Extern) string {
	switch x := e.(type) {
	case *Func:
		return FormatType(x)
	case *TypeBound:
		if r, ok := x.Type.(*Resource); ok && r.Abstract {
			return "resource"
		}
		if ResourceOf(x.Type) != nil {
			return "resource " + describeType(x.Type)
		}
		return "type " + describeType(Underlying(x.Type))
	case *ValueBound:
		return "value " + describeType(x.Type)
	}
	return KindName(e)
}
