package component

import "fmt"

// Value types are compared structurally (Explainer.md, "Type Checking"):
// indices and names given by type exports do not matter, only the tree of
// type constructors. The one exception is resources, which are generative:
// two resources are the same only if they are the same *Resource, or if a
// ResourceMap says one stands for the other.

// ResourceMap records which resource an abstract resource stands for. A
// subtype check fills it in: when the expected side declares
// (type (sub resource)) and the actual side supplies a resource, the
// expected one is mapped to the actual one. Callers that check several
// externs of one instantiation share one map, so that a resource bound while
// checking wasi:io/error is the same resource when wasi:io/streams uses it.
type ResourceMap map[*Resource]*Resource

// find follows m from r to the resource r finally stands for.
func (m ResourceMap) find(r *Resource) *Resource {
	// A well-formed map has no cycles; the bound guards against a caller
	// that built one by hand.
	for i := 0; i <= len(m); i++ {
		next, ok := m[r]
		if !ok || next == r {
			return r
		}
		r = next
	}
	return r
}

// CompareOption tunes EqualValTypes, CheckSubtype and UnionInstanceTypes.
type CompareOption func(*typeCompare)

// WithResourceMap makes a comparison see resources through m, and lets a
// subtype check or a union record the bindings it makes in m. The caller
// reads them back after the call.
func WithResourceMap(m ResourceMap) CompareOption {
	return func(c *typeCompare) { c.resources = m }
}

// WithAnyResources lets a comparison bind any resource of the expected
// side to one of the actual side, not only abstract ones, each once: the
// types then agree up to a consistent renaming of resources. A composer
// checks with it that what it wrote has the types it planned, whose
// resources are copies of its own.
func WithAnyResources() CompareOption {
	return func(c *typeCompare) { c.anyResource = true }
}

// EqualValTypes reports whether a and b are the same value type: equal
// structure, seen through *Named wrappers, with resources by identity (or
// through a ResourceMap given WithResourceMap; equality never adds
// bindings).
func EqualValTypes(a, b ValType, opts ...CompareOption) bool {
	c := newTypeCompare(opts)
	return c.valType(b, a, false) == nil
}

// typeCompare holds the state of one comparison: the resource bindings and
// which resources may still be bound.
type typeCompare struct {
	resources ResourceMap
	// rigid resources may never be bound to another: they are universally
	// quantified in the expected type (its component imports), or already the
	// target of a binding.
	rigid map[*Resource]bool
	// bindable resources may be bound although they are not abstract:
	// resources a component type exports (defined inside the component,
	// opaque to everyone outside it).
	bindable map[*Resource]bool
	// anyResource makes every resource of the expected side bindable.
	anyResource bool
}

func newTypeCompare(opts []CompareOption) *typeCompare {
	c := &typeCompare{rigid: map[*Resource]bool{}, bindable: map[*Resource]bool{}}
	for _, o := range opts {
		o(c)
	}
	if c.resources == nil {
		c.resources = ResourceMap{}
	}
	// What a resource was bound to in an earlier check is a real resource
	// of a provider; it must not be rebound now.
	for _, to := range c.resources {
		c.rigid[to] = true
	}
	return c
}

// scratch returns a copy of c whose bindings can be changed without
// touching c's.
func (c *typeCompare) scratch() *typeCompare {
	d := &typeCompare{resources: ResourceMap{}, rigid: map[*Resource]bool{}, bindable: map[*Resource]bool{}, anyResource: c.anyResource}
	for k, v := range c.resources {
		d.resources[k] = v
	}
	for k, v := range c.rigid {
		d.rigid[k] = v
	}
	for k, v := range c.bindable {
		d.bindable[k] = v
	}
	return d
}

// reversed returns a comparator for the other direction of an equality:
// what c bound (expected to actual) is bound the other way round, and
// nothing else, so each side's own resources may bind to the other's.
func (c *typeCompare) reversed() *typeCompare {
	d := &typeCompare{resources: ResourceMap{}, rigid: map[*Resource]bool{}, bindable: map[*Resource]bool{}, anyResource: c.anyResource}
	for k, v := range c.resources {
		d.resources[v] = k
		d.rigid[k] = true
	}
	return d
}

// mismatch is a failed comparison: the path from the point of failure up to
// the value type compared (innermost element last, as it is built while
// unwinding) and what differed.
type mismatch struct {
	path []string // innermost last
	msg  string
	// resource: the difference is which resource is named (see
	// SubtypeError.Resource).
	resource bool
}

func (m *mismatch) under(elem string) *mismatch {
	m.path = append(m.path, elem)
	return m
}

func differ(expected, found Type) *mismatch {
	e, f := describeType(expected), describeType(found)
	if e == f {
		// Same text, different types: say which, so the message is not
		// "expected own<error>, found own<error>".
		if re, rf := ResourceOf(handleResource(expected)), ResourceOf(handleResource(found)); re != nil && rf != nil && re != rf {
			return &mismatch{msg: fmt.Sprintf("expected %s, found %s (a different resource with the same name)", e, f)}
		}
		return &mismatch{msg: fmt.Sprintf("expected %s, found %s (same text, different types)", e, f)}
	}
	return &mismatch{msg: fmt.Sprintf("expected %s, found %s", e, f)}
}

// resourceDiffer is differ for two types that name different resources.
func resourceDiffer(expected, found Type) *mismatch {
	m := differ(expected, found)
	m.resource = true
	return m
}

// handleResource returns what an own or borrow refers to, or t itself.
func handleResource(t Type) Type {
	switch u := Underlying(t).(type) {
	case *Own:
		return u.Resource
	case *Borrow:
		return u.Resource
	}
	return t
}

// sameResource compares the resource the expected side names with the one
// the actual side names. With bind set, an unbound abstract resource of the
// expected side is bound to the actual one (the first encounter fixes what
// it stands for).
func (c *typeCompare) sameResource(expected, actual *Resource, bind bool) bool {
	e, a := c.resources.find(expected), c.resources.find(actual)
	if e == a {
		return true
	}
	if bind && e == expected && (e.Abstract || c.bindable[e] || c.anyResource) && !c.rigid[e] {
		c.resources[e] = a
		c.rigid[a] = true
		return true
	}
	return false
}

// valType compares an expected value type with an actual one. With bind
// set, unbound abstract resources of the expected side are bound.
func (c *typeCompare) valType(expected, actual ValType, bind bool) *mismatch {
	if expected == nil || actual == nil {
		if expected == nil && actual == nil {
			return nil
		}
		return differ(orNone(expected), orNone(actual))
	}
	eu, au := Underlying(expected), Underlying(actual)
	switch e := eu.(type) {
	case Prim:
		if a, ok := au.(Prim); ok && a == e {
			return nil
		}
	case *Record:
		a, ok := au.(*Record)
		if !ok {
			break
		}
		if m := labelsDiffer("field", fieldNames(e.Fields), fieldNames(a.Fields)); m != nil {
			return m
		}
		for i := range e.Fields {
			if m := c.valType(e.Fields[i].Type, a.Fields[i].Type, bind); m != nil {
				return m.under(fmt.Sprintf("field `%s`", e.Fields[i].Name))
			}
		}
		return nil
	case *Variant:
		a, ok := au.(*Variant)
		if !ok {
			break
		}
		if m := labelsDiffer("case", caseNames(e.Cases), caseNames(a.Cases)); m != nil {
			return m
		}
		for i := range e.Cases {
			if m := c.valType(e.Cases[i].Type, a.Cases[i].Type, bind); m != nil {
				return m.under(fmt.Sprintf("case `%s`", e.Cases[i].Name))
			}
		}
		return nil
	case *List:
		a, ok := au.(*List)
		if !ok || a.Len != e.Len {
			break
		}
		if m := c.valType(e.Elem, a.Elem, bind); m != nil {
			return m.under("list element")
		}
		return nil
	case *Tuple:
		a, ok := au.(*Tuple)
		if !ok || len(a.Types) != len(e.Types) {
			break
		}
		for i := range e.Types {
			if m := c.valType(e.Types[i], a.Types[i], bind); m != nil {
				return m.under(fmt.Sprintf("tuple element %d", i))
			}
		}
		return nil
	case *Flags:
		a, ok := au.(*Flags)
		if !ok {
			break
		}
		return labelsDiffer("flag", e.Names, a.Names)
	case *Enum:
		a, ok := au.(*Enum)
		if !ok {
			break
		}
		return labelsDiffer("enum case", e.Names, a.Names)
	case *Option:
		a, ok := au.(*Option)
		if !ok {
			break
		}
		if m := c.valType(e.Elem, a.Elem, bind); m != nil {
			return m.under("option value")
		}
		return nil
	case *Result:
		a, ok := au.(*Result)
		if !ok {
			break
		}
		if m := c.valType(e.Ok, a.Ok, bind); m != nil {
			return m.under("result ok")
		}
		if m := c.valType(e.Err, a.Err, bind); m != nil {
			return m.under("result error")
		}
		return nil
	case *Own:
		a, ok := au.(*Own)
		if !ok {
			break
		}
		return c.handle(expected, actual, e.Resource, a.Resource, bind)
	case *Borrow:
		a, ok := au.(*Borrow)
		if !ok {
			break
		}
		return c.handle(expected, actual, e.Resource, a.Resource, bind)
	case *Stream:
		a, ok := au.(*Stream)
		if !ok {
			break
		}
		if m := c.valType(e.Elem, a.Elem, bind); m != nil {
			return m.under("stream element")
		}
		return nil
	case *Future:
		a, ok := au.(*Future)
		if !ok {
			break
		}
		if m := c.valType(e.Elem, a.Elem, bind); m != nil {
			return m.under("future value")
		}
		return nil
	case *Map:
		a, ok := au.(*Map)
		if !ok {
			break
		}
		if m := c.valType(e.Key, a.Key, bind); m != nil {
			return m.under("map key")
		}
		if m := c.valType(e.Value, a.Value, bind); m != nil {
			return m.under("map value")
		}
		return nil
	case *Resource:
		// A *Named that wraps a resource used where a value type is
		// expected: compare the resources.
		if a, ok := au.(*Resource); ok {
			if c.sameResource(e, a, bind) {
				return nil
			}
			return resourceDiffer(expected, actual)
		}
	}
	return differ(expected, actual)
}

// handle compares the resources of two own or two borrow handles.
func (c *typeCompare) handle(expected, actual ValType, er, ar Type, bind bool) *mismatch {
	e, a := ResourceOf(er), ResourceOf(ar)
	if e == nil || a == nil {
		return differ(expected, actual)
	}
	if c.sameResource(e, a, bind) {
		return nil
	}
	return resourceDiffer(expected, actual)
}

// noneType stands for a missing optional type (a case without payload, a
// func without result) in messages.
type noneType struct{}

func (noneType) isType()    {}
func (noneType) isValType() {}

func orNone(t ValType) ValType {
	if t == nil {
		return noneType{}
	}
	return t
}

func fieldNames(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func caseNames(cs []Case) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// labelsDiffer explains the first difference between two label lists that
// must be equal, in order.
func labelsDiffer(what string, expected, found []string) *mismatch {
	for i := 0; i < len(expected) || i < len(found); i++ {
		switch {
		case i >= len(found):
			return &mismatch{msg: fmt.Sprintf("missing %s `%s`", what, expected[i])}
		case i >= len(expected):
			return &mismatch{msg: fmt.Sprintf("unexpected %s `%s`", what, found[i])}
		case expected[i] != found[i]:
			if !containsLabel(found, expected[i]) && !containsLabel(expected, found[i]) {
				return &mismatch{msg: fmt.Sprintf("expected %s `%s`, found `%s`", what, expected[i], found[i])}
			}
			if containsLabel(found, expected[i]) && containsLabel(expected, found[i]) {
				return &mismatch{msg: fmt.Sprintf("expected %s `%s` at position %d, found `%s` (order differs)", what, expected[i], i, found[i])}
			}
			if !containsLabel(found, expected[i]) {
				return &mismatch{msg: fmt.Sprintf("missing %s `%s`", what, expected[i])}
			}
			return &mismatch{msg: fmt.Sprintf("unexpected %s `%s`", what, found[i])}
		}
	}
	return nil
}

func containsLabel(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
