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
	w := component.TypeWalk{Visit: func(node any) bool {
		switch t := node.(type) {
		case *component.Named:
			return visit(t)
		case *component.Resource:
			visit(t)
		}
		return true
	}}
	w.Extern(x)
}
