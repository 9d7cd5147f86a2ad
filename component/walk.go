package component

// mapValType is the one place that knows which types each value type
// constructor holds: it returns t with every value type it holds replaced
// by val and every handle's resource by res, or t itself when nothing
// changed, so that types with nothing to replace keep their identity. It
// covers the constructors only: resources, names and functions, instance
// and component types are the caller's (t itself is returned for them).
// Walking (TypeWalk), substituting (Fresh, instantiation) and merging
// (UnionInstanceTypes) all go through it, so a new constructor is one
// case here for all of them.
func mapValType(t Type, val func(ValType) ValType, res func(Type) Type) Type {
	switch x := t.(type) {
	case *Record:
		var fields []Field
		for i, f := range x.Fields {
			if nt := val(f.Type); nt != f.Type {
				if fields == nil {
					fields = append([]Field(nil), x.Fields...)
				}
				fields[i].Type = nt
			}
		}
		if fields != nil {
			return &Record{Fields: fields}
		}
	case *Variant:
		var cases []Case
		for i, cs := range x.Cases {
			if nt := val(cs.Type); nt != cs.Type {
				if cases == nil {
					cases = append([]Case(nil), x.Cases...)
				}
				cases[i].Type = nt
			}
		}
		if cases != nil {
			return &Variant{Cases: cases}
		}
	case *List:
		if e := val(x.Elem); e != x.Elem {
			return &List{Elem: e, Len: x.Len}
		}
	case *Tuple:
		var types []ValType
		for i, e := range x.Types {
			if nt := val(e); nt != e {
				if types == nil {
					types = append([]ValType(nil), x.Types...)
				}
				types[i] = nt
			}
		}
		if types != nil {
			return &Tuple{Types: types}
		}
	case *Option:
		if e := val(x.Elem); e != x.Elem {
			return &Option{Elem: e}
		}
	case *Result:
		ok, er := val(x.Ok), val(x.Err)
		if ok != x.Ok || er != x.Err {
			return &Result{Ok: ok, Err: er}
		}
	case *Own:
		if r := res(x.Resource); r != x.Resource {
			return &Own{Resource: r}
		}
	case *Borrow:
		if r := res(x.Resource); r != x.Resource {
			return &Borrow{Resource: r}
		}
	case *Stream:
		if e := val(x.Elem); e != x.Elem {
			return &Stream{Elem: e}
		}
	case *Future:
		if e := val(x.Elem); e != x.Elem {
			return &Future{Elem: e}
		}
	case *Map:
		k, v := val(x.Key), val(x.Value)
		if k != x.Key || v != x.Value {
			return &Map{Key: k, Value: v}
		}
	}
	return t
}

// TypeWalk visits every extern and type reachable from where it starts,
// each once (a primitive once per kind), a node before what it is made of.
// It does not follow a *Named's Owner; a Visit that wants the owner walks
// it with the same TypeWalk, which still visits each node once.
//
// Questions about a whole type (which names, resources or gated features
// it uses) are this walk plus a Visit, so the walk is written once here
// rather than in each package that asks.
type TypeWalk struct {
	// Visit is called with each node (an Extern or a Type) when it is
	// first met. Returning false skips what the node is made of: a caller
	// that has found where a type comes from does not need its parts.
	Visit func(node any) bool
	seen  map[any]bool
}

// Extern walks e and everything it refers to.
func (w *TypeWalk) Extern(e Extern) {
	if e == nil || !w.enter(e) {
		return
	}
	switch x := e.(type) {
	case *Func:
		for _, p := range x.Params {
			w.Type(p.Type)
		}
		w.Type(x.Result)
	case *InstanceType:
		w.items(x.Exports)
	case *ComponentType:
		w.items(x.Imports)
		w.items(x.Exports)
	case *TypeBound:
		w.Type(x.Type)
	case *ValueBound:
		w.Type(x.Type)
	}
}

func (w *TypeWalk) items(items []Item) {
	for _, it := range items {
		w.Extern(it.Type)
	}
}

// Type walks t and everything it refers to.
func (w *TypeWalk) Type(t Type) {
	if t == nil {
		return
	}
	if e, ok := t.(Extern); ok { // *Func, *InstanceType, *ComponentType
		w.Extern(e)
		return
	}
	if !w.enter(t) {
		return
	}
	if n, ok := t.(*Named); ok {
		w.Type(n.Type)
		return
	}
	// The parts of a value type constructor, as mapValType knows them.
	mapValType(t, func(v ValType) ValType {
		if v != nil {
			w.Type(v)
		}
		return v
	}, func(r Type) Type {
		w.Type(r)
		return r
	})
}

// enter reports whether node is met for the first time and Visit wants
// its parts.
func (w *TypeWalk) enter(node any) bool {
	if w.seen[node] {
		return false
	}
	if w.seen == nil {
		w.seen = map[any]bool{}
	}
	w.seen[node] = true
	return w.Visit(node)
}
