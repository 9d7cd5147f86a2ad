package component

// This file substitutes types: instantiating a component replaces its type
// imports by the supplied arguments throughout its exports, and a second use
// of an instance type as an import gets fresh abstract resources.

// instantiateType returns the type of an instance of ct whose type imports
// are bound by subst (imported *Resource or *Named, or imported
// *InstanceType, to the supplied type). Resources ct defines itself are
// generative: each instantiation gets fresh ones. Names ct gives at its top
// level become names owned by the new instance type.
func instantiateType(ct *ComponentType, subst map[Type]Type) *InstanceType {
	it := &InstanceType{}
	c := &copier{subst: subst, memo: map[any]any{}, freshen: true, topOwner: it, topNamed: map[*Named]bool{}}
	for _, e := range ct.Exports {
		if tb, ok := e.Type.(*TypeBound); ok {
			if n, ok := tb.Type.(*Named); ok && n.Owner == nil {
				c.topNamed[n] = true
			}
		}
	}
	it.Exports = c.items(ct.Exports)
	return it
}

// Fresh returns a deep copy of ct in which every resource, abstract or
// defined, is a new *Resource with the same name, and every instance and
// component type is a new value whose names (*Named) are owned by the copy.
// Names, order and structure are kept; only identities change. Types that
// hold no resource may be shared with ct, which is safe because resolved
// types are never mutated.
//
// Resource identity is pointer identity, so two uses of one resolved type
// share their resources. A composition that instantiates a component twice
// gives each instance a Fresh copy: the two instances' resources are then
// distinct types, as the component model makes them, and binding one
// instance's imported resource does not bind the other's.
func Fresh(ct *ComponentType) *ComponentType {
	if ct == nil {
		return nil
	}
	c := &copier{memo: map[any]any{}, freshen: true, ownersFirst: true}
	return c.comp(ct)
}

// FreshImport returns a copy of x in which every resource x declares with
// (sub resource), at any depth, is a new abstract *Resource; resources x
// only uses (a wasi:io/streams type naming wasi:io/error's `error`) stay
// the same. An explicit import of a composition takes its type this way
// from a member's import, so the resources it declares are its own.
func FreshImport(x Extern) Extern { return FreshImportWith(x, nil) }

// FreshImportWith is FreshImport with some types already bound: every key
// of bound (a resource, an instance type, a name) is replaced by its value
// throughout the copy instead of being freshened. An import that uses the
// types of another import already declared elsewhere refers to that one's
// types this way.
func FreshImportWith(x Extern, bound map[Type]Type) Extern {
	subst := map[Type]Type{}
	for k, v := range bound {
		subst[k] = v
	}
	var collect func(x Extern)
	collect = func(x Extern) {
		switch t := x.(type) {
		case *TypeBound:
			if r, ok := t.Type.(*Resource); ok {
				if _, done := subst[r]; !done {
					subst[r] = &Resource{Name: r.Name, Abstract: true}
				}
			}
		case *InstanceType:
			if _, done := subst[t]; done {
				return
			}
			for _, e := range t.Exports {
				collect(e.Type)
			}
		case *ComponentType:
			for _, e := range t.Imports {
				collect(e.Type)
			}
			for _, e := range t.Exports {
				collect(e.Type)
			}
		}
	}
	collect(x)
	if len(subst) == 0 {
		return x
	}
	c := &copier{subst: subst, memo: map[any]any{}}
	return c.extern(x)
}

// freshInstanceType returns it for its first use by an import or export
// declaration and, after that, a copy whose abstract resources are fresh:
// every (sub resource) declaration stands for a type of its own.
func (r *resolver) freshInstanceType(it *InstanceType) *InstanceType {
	if !r.usedInstanceTypes[it] {
		r.usedInstanceTypes[it] = true
		return it
	}
	subst := map[Type]Type{}
	collectDeclaredResources(it, subst)
	if len(subst) == 0 {
		return it
	}
	c := &copier{subst: subst, memo: map[any]any{}}
	n := c.inst(it)
	r.usedInstanceTypes[n] = true
	return n
}

// collectDeclaredResources maps each abstract resource that it (or an
// instance it exports) declares to a fresh copy.
func collectDeclaredResources(it *InstanceType, subst map[Type]Type) {
	for _, e := range it.Exports {
		switch t := e.Type.(type) {
		case *TypeBound:
			if r, ok := t.Type.(*Resource); ok && r.Abstract {
				subst[r] = &Resource{Name: r.Name, Abstract: true}
			}
		case *InstanceType:
			collectDeclaredResources(t, subst)
		}
	}
}

// copier deep-copies types, replacing the keys of subst by their values
// (which are used as they are, not copied). Shared subtrees stay shared
// (memo), and subtrees with nothing to replace are not copied at all,
// except instance and component types, which are always copied so that
// the names they own can point at the copy.
type copier struct {
	subst map[Type]Type
	memo  map[any]any
	// freshen replaces every resource not in subst by a fresh copy.
	freshen bool
	// topNamed are names with no owner that become owned by topOwner.
	topNamed map[*Named]bool
	topOwner *InstanceType
	// ownersFirst copies the owner of a *Named met before its owner (a
	// function exported ahead of the instance whose type it uses), so that
	// every name of the copy is owned by a copied scope.
	ownersFirst bool
}

func (c *copier) items(in []Item) []Item {
	out := make([]Item, len(in))
	for i, e := range in {
		out[i] = Item{Name: e.Name, Attr: e.Attr, Type: c.extern(e.Type)}
	}
	return out
}

func (c *copier) extern(e Extern) Extern {
	switch x := e.(type) {
	case *Func:
		return c.fn(x)
	case *InstanceType:
		return c.inst(x)
	case *ComponentType:
		return c.comp(x)
	case *TypeBound:
		if t := c.typ(x.Type); t != x.Type {
			return &TypeBound{Type: t}
		}
	case *ValueBound:
		if t := c.val(x.Type); t != x.Type {
			return &ValueBound{Type: t}
		}
	}
	return e
}

func (c *copier) inst(x *InstanceType) *InstanceType {
	if s, ok := c.subst[x]; ok {
		if it, ok := s.(*InstanceType); ok {
			return it
		}
	}
	if m, ok := c.memo[x]; ok {
		return m.(*InstanceType)
	}
	n := &InstanceType{}
	c.memo[x] = n
	n.Exports = c.items(x.Exports)
	return n
}

func (c *copier) comp(x *ComponentType) *ComponentType {
	if m, ok := c.memo[x]; ok {
		return m.(*ComponentType)
	}
	n := &ComponentType{}
	c.memo[x] = n
	n.Imports = c.items(x.Imports)
	n.Exports = c.items(x.Exports)
	return n
}

func (c *copier) fn(x *Func) *Func {
	if m, ok := c.memo[x]; ok {
		return m.(*Func)
	}
	changed := false
	params := make([]Param, len(x.Params))
	for i, p := range x.Params {
		params[i] = Param{Name: p.Name, Type: c.val(p.Type)}
		changed = changed || params[i].Type != p.Type
	}
	res := c.val(x.Result)
	n := x
	if changed || res != x.Result {
		n = &Func{Async: x.Async, Params: params, Result: res}
	}
	c.memo[x] = n
	return n
}

// val copies a value type. A substituted value type is always a value type,
// since the substitution binds imports to types of their own kind.
func (c *copier) val(v ValType) ValType {
	if v == nil {
		return nil
	}
	t := c.typ(v)
	if vt, ok := t.(ValType); ok {
		return vt
	}
	return v
}

func (c *copier) typ(t Type) Type {
	if t == nil {
		return nil
	}
	if _, ok := t.(Prim); ok {
		return t
	}
	if s, ok := c.subst[t]; ok {
		return s
	}
	if m, ok := c.memo[t]; ok {
		return m.(Type)
	}
	n := c.typeUncached(t)
	c.memo[t] = n
	return n
}

func (c *copier) typeUncached(t Type) Type {
	switch x := t.(type) {
	case *Resource:
		if c.freshen {
			return &Resource{Name: x.Name, Abstract: x.Abstract}
		}
		return x
	case *Named:
		if c.ownersFirst && x.Owner != nil {
			if _, done := c.memo[x.Owner]; !done {
				c.inst(x.Owner) // copies x too, on its way
				if m, ok := c.memo[x]; ok {
					return m.(Type)
				}
			}
		}
		inner := c.typ(x.Type)
		owner := x.Owner
		if owner == nil {
			if c.topNamed[x] {
				owner = c.topOwner
			}
		} else if s, ok := c.subst[owner]; ok {
			if it, ok := s.(*InstanceType); ok {
				owner = it
			}
		} else if m, ok := c.memo[owner]; ok {
			owner = m.(*InstanceType)
		}
		if inner == x.Type && owner == x.Owner {
			return x
		}
		if r := ResourceOf(inner); r != nil && r.Name == "" {
			r.Name = x.Name
		}
		return &Named{Name: x.Name, Type: inner, Owner: owner}
	case *Func:
		return c.fn(x)
	case *InstanceType:
		return c.inst(x)
	case *ComponentType:
		return c.comp(x)
	}
	return mapValType(t, c.val, c.typ)
}
