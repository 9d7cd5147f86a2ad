package wit

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
	bcwit "go.bytecodealliance.org/wit"
)

// EncodePackage encodes the project's own WIT package as a component, the
// binary form `wasm-tools component wit --wasm` writes and registries
// carry (what DecodeEncodedPackage and ReadPackageBinary read). The
// component imports nothing and exports one type per interface and per
// world, in the package's order, under its short name:
//
//   - an interface `iface` is a component type that imports the
//     interfaces whose types it uses, transitively (each as an instance
//     of their types only, dependencies first), and exports the interface
//     as an instance under its full name, ns:pkg/iface@version;
//   - a world `w` is a component type that exports, under its full name,
//     the world's own component type (its imports and exports, as
//     WorldType makes it).
//
// The types go through component's type encoder, so resources keep their
// identity and a `use` becomes an alias of the used interface's type.
func (p *Project) EncodePackage() ([]byte, error) {
	pkg := p.Package
	b := &packageBuilder{}
	types := component.NewTypeEncoder(b)
	var err error
	pkg.Interfaces.All()(func(name string, iface *bcwit.Interface) bool {
		var wrapper *component.ComponentType
		if wrapper, err = WorldType(interfaceWorld(iface), WorldOptions{}); err != nil {
			err = fmt.Errorf("interface %s: %w", name, err)
			return false
		}
		err = b.export(types, name, typesOnlyImports(wrapper))
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	pkg.Worlds.All()(func(name string, w *bcwit.World) bool {
		var ct *component.ComponentType
		if ct, err = WorldType(w, WorldOptions{}); err != nil {
			err = fmt.Errorf("world %s: %w", name, err)
			return false
		}
		id := WorldID(w)
		wrapper := &component.ComponentType{Exports: []component.Item{{Name: id, Attr: component.ExternName{Name: id}, Type: ct}}}
		err = b.export(types, name, wrapper)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	b.flush()
	b.enc.Custom("package-docs", packageDocs(pkg))
	return b.enc.Bytes()
}

// interfaceWorld is the world whose component type is iface's wrapper in
// the package encoding: it exports iface and imports what iface uses,
// transitively, dependencies first.
func interfaceWorld(iface *bcwit.Interface) *bcwit.World {
	w := &bcwit.World{Package: iface.Package}
	seen := map[*bcwit.Interface]bool{iface: true}
	var visit func(i *bcwit.Interface)
	visit = func(i *bcwit.Interface) {
		i.TypeDefs.All()(func(_ string, td *bcwit.TypeDef) bool {
			used, ok := td.Kind.(*bcwit.TypeDef)
			if !ok {
				return true
			}
			owner, ok := used.Owner.(*bcwit.Interface)
			if !ok || seen[owner] {
				return true
			}
			seen[owner] = true
			visit(owner)
			id, _ := interfaceID(owner)
			w.Imports.Set(id, &bcwit.InterfaceRef{Interface: owner})
			return true
		})
	}
	visit(iface)
	id, _ := interfaceID(iface)
	w.Exports.Set(id, &bcwit.InterfaceRef{Interface: iface})
	return w
}

// typesOnlyImports trims an interface's wrapper to what the encoding
// keeps of the interfaces it uses: their types, not their functions.
func typesOnlyImports(wrapper *component.ComponentType) *component.ComponentType {
	out := &component.ComponentType{Exports: wrapper.Exports}
	for _, im := range wrapper.Imports {
		if inst, ok := im.Type.(*component.InstanceType); ok {
			kept := &component.InstanceType{}
			for _, ex := range inst.Exports {
				if _, ok := ex.Type.(*component.TypeBound); ok {
					kept.Exports = append(kept.Exports, ex)
				}
			}
			im.Type = kept
		}
		out.Imports = append(out.Imports, im)
	}
	return out
}

// packageBuilder is the encoded package's component as it is written: the
// type encoder's definitions are queued and written before the export
// that needs them.
type packageBuilder struct {
	enc     component.Encoder
	pending []component.TypeDef
	ntypes  uint32
	err     error
}

// AddType implements component.TypeSink.
func (b *packageBuilder) AddType(def component.TypeDef) uint32 {
	b.pending = append(b.pending, def)
	b.ntypes++
	return b.ntypes - 1
}

// AddAlias implements component.TypeSink. A package's top level has no
// instances to alias from.
func (b *packageBuilder) AddAlias(a component.Alias) uint32 {
	b.err = fmt.Errorf("an alias of %q at the top level of an encoded package, which has no instances (a bug in wcomp)", a.Name)
	return 0
}

func (b *packageBuilder) flush() {
	if len(b.pending) > 0 {
		b.enc.Types(b.pending)
		b.pending = nil
	}
}

// export writes wrapper and exports it under name.
func (b *packageBuilder) export(types *component.TypeEncoder, name string, wrapper *component.ComponentType) error {
	idx, err := types.EncodeComponentType(wrapper)
	if err == nil {
		err = b.err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	b.flush()
	b.enc.Exports([]component.Export{{Name: component.ExternName{Name: name}, Item: component.SortIndex{Sort: component.SortType, Index: idx}}})
	b.ntypes++ // a type export adds a type index
	return nil
}
