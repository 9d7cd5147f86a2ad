package compose

import "github.com/wcomp/wcomp/component"

// visitNamed calls visit for every *Named and *Resource the extern x refers
// to, outermost first, each once. When visit returns false the walk does
// not look inside that type: a caller that has found where a type comes
// from does not need what it is made of.
//
// Both questions compose asks of types are of this shape: which other
// interfaces an import's type uses (to order and type the imports), and
// which sibling exports an export's type uses (to export them too).
func visitNamed(x component.Extern, visit func(component.Type) bool) {
	w := typeWalk{visit: visit, seen: map[component.Type]bool{}}
	w.extern(x)
}

type typeWalk struct {
	visit func(component.Type) bool
	seen  map[component.Type]bool
}

func (w *typeWalk) extern(x component.Extern) {
	switch t := x.(type) {
	case *component.InstanceType:
		w.items(t.Exports)
	case *component.ComponentType:
		w.items(t.Imports)
		w.items(t.Exports)
	case *component.Func:
		for _, p := range t.Params {
			w.typ(p.Type)
		}
		w.typ(t.Result)
	case *component.TypeBound:
		w.typ(t.Type)
	case *component.ValueBound:
		w.typ(t.Type)
	}
}

func (w *typeWalk) items(items []component.Item) {
	for _, it := range items {
		w.extern(it.Type)
	}
}

func (w *typeWalk) typ(t component.Type) {
	if t == nil {
		return
	}
	if _, ok := t.(component.Prim); ok {
		return
	}
	if w.seen[t] {
		return
	}
	w.seen[t] = true
	switch x := t.(type) {
	case *component.Named:
		if w.visit(x) {
			w.typ(x.Type)
		}
	case *component.Resource:
		w.visit(x)
	case *component.Record:
		for _, f := range x.Fields {
			w.typ(f.Type)
		}
	case *component.Variant:
		for _, c := range x.Cases {
			w.typ(c.Type)
		}
	case *component.List:
		w.typ(x.Elem)
	case *component.Tuple:
		for _, el := range x.Types {
			w.typ(el)
		}
	case *component.Option:
		w.typ(x.Elem)
	case *component.Result:
		w.typ(x.Ok)
		w.typ(x.Err)
	case *component.Own:
		w.typ(x.Resource)
	case *component.Borrow:
		w.typ(x.Resource)
	case *component.Stream:
		w.typ(x.Elem)
	case *component.Future:
		w.typ(x.Elem)
	case *component.Map:
		w.typ(x.Key)
		w.typ(x.Value)
	case *component.Func, *component.InstanceType, *component.ComponentType:
		w.extern(x.(component.Extern))
	}
}
