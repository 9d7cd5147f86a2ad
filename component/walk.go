package component

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
	switch x := t.(type) {
	case *Named:
		w.Type(x.Type)
	case *Record:
		for _, f := range x.Fields {
			w.Type(f.Type)
		}
	case *Variant:
		for _, c := range x.Cases {
			w.Type(c.Type)
		}
	case *List:
		w.Type(x.Elem)
	case *Tuple:
		for _, e := range x.Types {
			w.Type(e)
		}
	case *Option:
		w.Type(x.Elem)
	case *Result:
		w.Type(x.Ok)
		w.Type(x.Err)
	case *Own:
		w.Type(x.Resource)
	case *Borrow:
		w.Type(x.Resource)
	case *Stream:
		w.Type(x.Elem)
	case *Future:
		w.Type(x.Elem)
	case *Map:
		w.Type(x.Key)
		w.Type(x.Value)
	}
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
