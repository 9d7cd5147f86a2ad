package wit

import "github.com/wcomp/wcomp/component"

// EncodedPackage describes a WIT package encoded as a component binary
// (what `wasm-tools component wit --wasm` writes and registries carry):
// its name and, in binary order, its interfaces and worlds.
type EncodedPackage struct {
	// Name is ns:pkg, with @version when the package has one.
	Name string
	// Interfaces are the full names of the package's interfaces,
	// ns:pkg/name@version.
	Interfaces []string
	Worlds     []EncodedWorld
}

// EncodedWorld is one world of an encoded package.
type EncodedWorld struct {
	// Name is the world's full name, ns:pkg/name@version.
	Name string
	// Imports and Exports are the world's item names as the binary spells
	// them: interface names (ns:pkg/iface@version) or plain names.
	Imports []string
	Exports []string
}

// DecodeEncodedPackage reports whether ct has the shape of an encoded WIT
// package and, if so, describes it. In that encoding the component imports
// nothing and exports only types, one per interface or world, each a
// component type that exports the interface (an instance) or the world (a
// component) under its full name.
func DecodeEncodedPackage(ct *component.ComponentType) (*EncodedPackage, bool) {
	if len(ct.Imports) > 0 || len(ct.Exports) == 0 {
		return nil, false
	}
	p := &EncodedPackage{}
	for _, ex := range ct.Exports {
		bound, ok := ex.Type.(*component.TypeBound)
		if !ok {
			return nil, false
		}
		wrapper, ok := component.Underlying(bound.Type).(*component.ComponentType)
		if !ok || len(wrapper.Exports) != 1 {
			return nil, false
		}
		inner := wrapper.Exports[0]
		n, ok := component.InterfaceName(inner.Name)
		if !ok {
			return nil, false
		}
		switch t := inner.Type.(type) {
		case *component.InstanceType:
			p.Interfaces = append(p.Interfaces, inner.Name)
		case *component.ComponentType:
			p.Worlds = append(p.Worlds, EncodedWorld{Name: inner.Name, Imports: itemNames(t.Imports), Exports: itemNames(t.Exports)})
		default:
			return nil, false
		}
		p.Name = n.PackageName()
		if n.Version != "" {
			p.Name += "@" + n.Version
		}
	}
	return p, true
}

func itemNames(items []component.Item) []string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	return names
}
