package component

import (
	"fmt"
	"strings"
)

// UnionError says why two instance types cannot be merged into one: the
// item (Path, outermost first), the two conflicting types as text, and the
// first difference found between them.
type UnionError struct {
	Path   []string
	A, B   string
	Reason string
}

func (e *UnionError) Error() string {
	var b strings.Builder
	if len(e.Path) > 0 {
		b.WriteString(strings.Join(e.Path, ": "))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "conflicting types: %s and %s", e.A, e.B)
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	return b.String()
}

// UnionInstanceTypes returns the narrowest instance type that is a subtype
// of both a and b: the type of one import that satisfies two components that
// each import the interface (for example wasi:io/streams at 0.2.0 and at
// 0.2.6). It has a's exports in a's order, then b's other exports in b's
// order. An export present in both must have equal types (functions and
// values exactly, nested instances merged recursively, resources unified);
// otherwise the result is a *UnionError naming it.
//
// Resources of b are unified with a's: the result refers to a's resource
// wherever b's did. Names a or b own are copied to be owned by the result;
// types that contain neither keep their identity. Given WithResourceMap, the unification b→a is read from
// and recorded in the map, so merging wasi:io/error first lets the merge of
// wasi:io/streams see that both `error` resources are one. Neither input is
// modified.
func UnionInstanceTypes(a, b *InstanceType, opts ...CompareOption) (*InstanceType, error) {
	u := &typeUnion{c: newTypeCompare(opts), memo: map[Type]Type{}, owners: map[*InstanceType]*InstanceType{}}
	out, err := u.instance(a, b, nil)
	if err != nil {
		return nil, err
	}
	return out, nil
}

type typeUnion struct {
	c *typeCompare
	// memo maps a type of b to its copy in the result, so that one named
	// type stays one *Named (identity is what keeps names and resources).
	memo map[Type]Type
	// owners maps b's instance types to the merged ones, for Named.Owner.
	owners map[*InstanceType]*InstanceType
}

func (u *typeUnion) instance(a, b *InstanceType, path []string) (*InstanceType, error) {
	out := &InstanceType{Exports: make([]Item, 0, len(a.Exports)+len(b.Exports))}
	// Names that a or b own are owned by the result: their items are
	// copied with Owner pointing at out.
	u.owners[a] = out
	u.owners[b] = out
	merged := map[string]Extern{}
	// b's order: its resources are declared before functions use them, so
	// unification happens before it is needed.
	for _, bi := range b.Exports {
		ai := a.Export(bi.Name)
		if ai == nil {
			continue
		}
		here := append(append([]string(nil), path...), fmt.Sprintf("export `%s`", bi.Name))
		at, aok := ai.Type.(*InstanceType)
		bt, bok := bi.Type.(*InstanceType)
		if aok && bok {
			nested, err := u.instance(at, bt, here)
			if err != nil {
				return nil, err
			}
			merged[bi.Name] = nested
			continue
		}
		// b is the side whose abstract resources bind: they become a's.
		m := u.c.extern(bi.Type, ai.Type)
		if m == nil {
			if _, ok := ai.Type.(*ComponentType); ok {
				// Component types are relaxed by width: require both
				// directions, so neither side's requirement is lost.
				m = u.c.extern(ai.Type, bi.Type)
			}
		}
		if m == nil {
			// b's name for a shared type is a's name from now on, so b's
			// other items that use it keep referring to one named type.
			if bn, ok := boundNamed(bi.Type); ok {
				if an, ok := boundNamed(ai.Type); ok {
					u.memo[bn] = u.typ(an)
				}
			}
		}
		if m != nil {
			// Explain with a as the expected side, so the reason reads in
			// the order the two types are named; a throwaway comparison
			// keeps the real bindings untouched.
			if r := u.c.scratch().extern(ai.Type, bi.Type); r != nil {
				m = r
			}
			return nil, &UnionError{
				Path:   here,
				A:      describeExtern(ai.Type),
				B:      describeExtern(bi.Type),
				Reason: m.toError().Error(),
			}
		}
	}
	for _, ai := range a.Exports {
		if t, ok := merged[ai.Name]; ok {
			ai.Type = t
		} else {
			ai.Type = u.extern(ai.Type)
		}
		out.Exports = append(out.Exports, ai)
	}
	for _, bi := range b.Exports {
		if a.Export(bi.Name) != nil {
			continue
		}
		bi.Type = u.extern(bi.Type)
		out.Exports = append(out.Exports, bi)
	}
	return out, nil
}

// extern copies an extern of b into the result, replacing b's resources by
// the ones they were unified with.
func (u *typeUnion) extern(x Extern) Extern {
	switch t := x.(type) {
	case *Func:
		f := &Func{Async: t.Async, Params: make([]Param, len(t.Params))}
		for i, p := range t.Params {
			f.Params[i] = Param{Name: p.Name, Type: u.val(p.Type)}
		}
		if t.Result != nil {
			f.Result = u.val(t.Result)
		}
		return f
	case *InstanceType:
		out := &InstanceType{Exports: make([]Item, len(t.Exports))}
		u.owners[t] = out
		for i, it := range t.Exports {
			it.Type = u.extern(it.Type)
			out.Exports[i] = it
		}
		return out
	case *TypeBound:
		return &TypeBound{Type: u.typ(t.Type)}
	case *ValueBound:
		return &ValueBound{Type: u.val(t.Type)}
	}
	// Component and module types keep their own scopes; they are taken as
	// they are.
	return x
}

func (u *typeUnion) val(t ValType) ValType {
	if t == nil {
		return nil
	}
	r, _ := u.typ(t).(ValType)
	return r
}

// typ copies t, substituting unified resources. Types that contain nothing
// to substitute are returned as they are, keeping their identity.
func (u *typeUnion) typ(t Type) Type {
	if t == nil {
		return nil
	}
	if done, ok := u.memo[t]; ok {
		return done
	}
	out := u.copyType(t)
	switch t.(type) {
	case Prim:
	default:
		u.memo[t] = out
	}
	return out
}

func (u *typeUnion) copyType(t Type) Type {
	switch x := t.(type) {
	case *Resource:
		return u.c.resources.find(x)
	case *Named:
		inner := u.typ(x.Type)
		owner := x.Owner
		if o, ok := u.owners[owner]; ok {
			owner = o
		}
		if inner == x.Type && owner == x.Owner {
			return x
		}
		return &Named{Name: x.Name, Type: inner, Owner: owner}
	}
	return mapValType(t, u.val, u.typ)
}

// boundNamed returns the *Named an eq type bound carries, if any.
func boundNamed(x Extern) (*Named, bool) {
	tb, ok := x.(*TypeBound)
	if !ok {
		return nil, false
	}
	n, ok := tb.Type.(*Named)
	return n, ok
}
