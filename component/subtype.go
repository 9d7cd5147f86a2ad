package component

import (
	"bytes"
	"fmt"
	"strings"
)

// Subtyping follows Explainer.md "Type Checking": value types and function
// types must be equal; instance, component and module types are relaxed by
// width (a subtype exports more and imports less, order ignored, matched by
// name, name attributes ignored). Resources are compared by identity, except
// that an abstract resource of the expected type ((type (sub resource)),
// universally quantified by the importer) stands for whatever resource the
// actual type supplies at the same place: CheckSubtype binds it in a
// ResourceMap on first encounter, and uses that binding from then on.

// SubtypeError says why a type is not a subtype of another: where (Path,
// outermost first, e.g. "export `process`", "param `req`", "field
// `payload`") and what differed (Reason, e.g. "expected list<u8>, found
// string").
type SubtypeError struct {
	Path   []string
	Reason string
	// Resource is set when what differed is which resource two handles
	// or type bounds name: the types agree in shape. A composer may then
	// take the item from elsewhere rather than give up.
	Resource bool
}

func (e *SubtypeError) Error() string {
	if len(e.Path) == 0 {
		return e.Reason
	}
	return strings.Join(e.Path, ": ") + ": " + e.Reason
}

func (m *mismatch) toError() *SubtypeError {
	path := make([]string, len(m.path))
	for i, p := range m.path {
		path[len(m.path)-1-i] = p
	}
	return &SubtypeError{Path: path, Reason: m.msg, Resource: m.resource}
}

// CheckSubtype reports whether actual (what a provider has) can be used
// where expected (what an importer declares) is required. It returns nil or
// a *SubtypeError. Given WithResourceMap, the bindings of expected's
// abstract resources to actual's resources are read from and added to the
// map, so that a sequence of checks for one instantiation agrees on them.
func CheckSubtype(actual, expected Extern, opts ...CompareOption) error {
	c := newTypeCompare(opts)
	if m := c.extern(expected, actual); m != nil {
		return m.toError()
	}
	return nil
}

// extern checks that actual is a subtype of expected. Abstract resources of
// the expected side are bound to the actual side's.
func (c *typeCompare) extern(expected, actual Extern) *mismatch {
	kindDiffers := func() *mismatch {
		return &mismatch{msg: fmt.Sprintf("expected %s, found %s", KindName(expected), KindName(actual))}
	}
	switch e := expected.(type) {
	case *Func:
		a, ok := actual.(*Func)
		if !ok {
			return kindDiffers()
		}
		return c.funcType(e, a)
	case *InstanceType:
		a, ok := actual.(*InstanceType)
		if !ok {
			return kindDiffers()
		}
		return c.instanceType(e, a)
	case *ComponentType:
		a, ok := actual.(*ComponentType)
		if !ok {
			return kindDiffers()
		}
		return c.componentType(e, a)
	case *ModuleType:
		a, ok := actual.(*ModuleType)
		if !ok {
			return kindDiffers()
		}
		return moduleSubtype(e, a)
	case *TypeBound:
		a, ok := actual.(*TypeBound)
		if !ok {
			return kindDiffers()
		}
		return c.typeBound(e, a)
	case *ValueBound:
		a, ok := actual.(*ValueBound)
		if !ok {
			return kindDiffers()
		}
		return c.valType(e.Type, a.Type, true)
	}
	return &mismatch{msg: fmt.Sprintf("cannot compare %s with %s", KindName(expected), KindName(actual))}
}

// funcType requires equal function types: same async-ness, same parameter
// names and types in order, same result.
func (c *typeCompare) funcType(e, a *Func) *mismatch {
	if e.Async != a.Async {
		return &mismatch{msg: fmt.Sprintf("expected %s, found %s", describeExtern(e), describeExtern(a))}
	}
	en, an := make([]string, len(e.Params)), make([]string, len(a.Params))
	for i, p := range e.Params {
		en[i] = p.Name
	}
	for i, p := range a.Params {
		an[i] = p.Name
	}
	if m := labelsDiffer("param", en, an); m != nil {
		return m
	}
	for i := range e.Params {
		if m := c.valType(e.Params[i].Type, a.Params[i].Type, true); m != nil {
			return m.under(fmt.Sprintf("param `%s`", e.Params[i].Name))
		}
	}
	if m := c.valType(e.Result, a.Result, true); m != nil {
		return m.under("result")
	}
	return nil
}

// instanceType: actual must export everything expected does (it may export
// more), each a subtype. Expected's order is followed, so a resource is
// bound at its (sub resource) export before functions use it.
func (c *typeCompare) instanceType(e, a *InstanceType) *mismatch {
	for _, ei := range e.Exports {
		ai := a.Export(ei.Name)
		if ai == nil {
			return &mismatch{msg: fmt.Sprintf("missing export `%s` (expected %s)", ei.Name, describeExtern(ei.Type))}
		}
		if m := c.extern(ei.Type, ai.Type); m != nil {
			return m.under(fmt.Sprintf("export `%s`", ei.Name))
		}
	}
	return nil
}

// componentType: actual may import less (each of its imports must be
// satisfiable by what expected imports: contravariant) and export more.
func (c *typeCompare) componentType(e, a *ComponentType) *mismatch {
	// Expected's imports are universally quantified: its abstract resources
	// are fixed types for the whole check and may not be bound, even those
	// that the actual side never mentions.
	for _, it := range e.Imports {
		markIntroduced(it.Type, c.rigid)
	}
	for _, ai := range a.Imports {
		ei := e.Import(ai.Name)
		if ei == nil {
			return &mismatch{msg: fmt.Sprintf("unexpected import `%s` (%s): the expected type does not import it", ai.Name, describeExtern(ai.Type))}
		}
		// Reversed: what expected imports must be usable where actual's
		// import is declared; actual's abstract resources bind to expected's.
		if m := c.extern(ai.Type, ei.Type); m != nil {
			return m.under(fmt.Sprintf("import `%s`", ai.Name))
		}
	}
	// A resource that expected's exports declare is existential: from
	// outside, any resource the actual component exports in its place will
	// do, even when expected was taken from a component that defines it.
	for _, it := range e.Exports {
		markExported(it.Type, c.bindable, c.rigid)
	}
	for _, ei := range e.Exports {
		ai := a.Export(ei.Name)
		if ai == nil {
			return &mismatch{msg: fmt.Sprintf("missing export `%s` (expected %s)", ei.Name, describeExtern(ei.Type))}
		}
		if m := c.extern(ei.Type, ai.Type); m != nil {
			return m.under(fmt.Sprintf("export `%s`", ei.Name))
		}
	}
	return nil
}

// markExported adds to set the resources that type exports of x declare
// (at any depth of instance types), except those in except.
func markExported(x Extern, set, except map[*Resource]bool) {
	switch t := x.(type) {
	case *TypeBound:
		if r := ResourceOf(t.Type); r != nil && !except[r] {
			set[r] = true
		}
	case *InstanceType:
		for _, it := range t.Exports {
			markExported(it.Type, set, except)
		}
	}
}

// markIntroduced adds to set every abstract resource that the extern
// introduces with a (sub resource) bound, at any depth of instance types.
func markIntroduced(x Extern, set map[*Resource]bool) {
	switch t := x.(type) {
	case *TypeBound:
		if r, ok := t.Type.(*Resource); ok && r.Abstract {
			set[r] = true
		}
	case *InstanceType:
		for _, it := range t.Exports {
			markIntroduced(it.Type, set)
		}
	}
}

// typeBound compares type imports/exports. A resource bound (sub resource)
// on the expected side accepts any resource, binding it; an eq bound to a
// resource requires the same (or bound) resource; an eq bound to a value
// type requires an equal value type.
func (c *typeCompare) typeBound(e, a *TypeBound) *mismatch {
	er, ar := ResourceOf(e.Type), ResourceOf(a.Type)
	switch {
	case er != nil && ar != nil:
		if c.sameResource(er, ar, true) {
			return nil
		}
		return resourceDiffer(e.Type, a.Type)
	case er != nil || ar != nil:
		return &mismatch{msg: fmt.Sprintf("expected %s, found %s", describeExtern(e), describeExtern(a))}
	}
	// A bound on a function, instance or component type (a WIT package's
	// interface, a WAC document's `type f = func()`) is an equality too:
	// each type must be a subtype of the other.
	if ex, ok := Underlying(e.Type).(Extern); ok {
		ax, ok := Underlying(a.Type).(Extern)
		if !ok || KindName(ex) != KindName(ax) {
			return &mismatch{msg: fmt.Sprintf("expected %s, found %s", describeExtern(e), describeExtern(a))}
		}
		if m := c.extern(ex, ax); m != nil {
			return m
		}
		return c.reversed().extern(ax, ex)
	}
	ev, eok := Underlying(e.Type).(ValType)
	av, aok := Underlying(a.Type).(ValType)
	if !eok || !aok {
		return &mismatch{msg: fmt.Sprintf("expected %s, found %s", describeExtern(e), describeExtern(a))}
	}
	return c.valType(ev, av, true)
}

// moduleSubtype compares core module types by width: actual exports at least
// expected's exports and imports at most expected's imports. Core extern
// types are compared by their encoding, which is exact for the types
// toolchains emit (functions refer to types by index in a module type's own
// index space, so two equal module types laid out differently would be
// reported as different; composition never needs more).
func moduleSubtype(e, a *ModuleType) *mismatch {
	find := func(list []CoreExternItem, mod, name string) *CoreExternItem {
		for i := range list {
			if list[i].Module == mod && list[i].Name == name {
				return &list[i]
			}
		}
		return nil
	}
	for _, ai := range a.Imports {
		ei := find(e.Imports, ai.Module, ai.Name)
		if ei == nil {
			return &mismatch{msg: fmt.Sprintf("unexpected core import `%s` `%s`", ai.Module, ai.Name)}
		}
		if !bytes.Equal(ei.Extern, ai.Extern) {
			return &mismatch{msg: fmt.Sprintf("core import `%s` `%s` has a different type", ai.Module, ai.Name)}
		}
	}
	for _, ei := range e.Exports {
		ai := find(a.Exports, "", ei.Name)
		if ai == nil {
			return &mismatch{msg: fmt.Sprintf("missing core export `%s`", ei.Name)}
		}
		if !bytes.Equal(ei.Extern, ai.Extern) {
			return &mismatch{msg: fmt.Sprintf("core export `%s` has a different type", ei.Name)}
		}
	}
	return nil
}
