package wit

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/component"
	bcwit "go.bytecodealliance.org/wit"
)

// ReadPackageBinary reads a WIT package in its binary encoding (what
// `wasm-tools component wit --wasm` writes and registries hold): the
// package's name and version, and the other packages its interfaces and
// worlds refer to. Such a binary carries the definitions of what it uses
// from those packages, so they are references, not requirements. Refs
// carry no position.
func ReadPackageBinary(data []byte) (*PackageInfo, error) {
	ct, err := component.DecodeType(data)
	if err != nil {
		return nil, fmt.Errorf("not a WIT package binary: %w", err)
	}
	id, ok := encodedPackage(ct)
	if !ok {
		return nil, fmt.Errorf("a component, not a WIT package binary (it has %d imports and %d exports of its own)", len(ct.Imports), len(ct.Exports))
	}
	name, version, _ := strings.Cut(id, "@")
	info := &PackageInfo{Name: name, Version: version}
	refs := map[string]Ref{}
	add := func(items []component.Item) {
		for _, it := range items {
			in, ok := component.InterfaceName(it.Name)
			if !ok {
				continue
			}
			r := Ref{Name: in.PackageName(), Version: in.Version}
			if r.ID() != info.ID() {
				refs[r.ID()] = r
			}
		}
	}
	for _, ex := range ct.Exports {
		wrapper := component.Underlying(ex.Type.(*component.TypeBound).Type).(*component.ComponentType)
		add(wrapper.Imports)
		if world, ok := wrapper.Exports[0].Type.(*component.ComponentType); ok {
			add(world.Imports)
			add(world.Exports)
		}
	}
	for _, r := range refs {
		info.Refs = append(info.Refs, r)
	}
	sort.Slice(info.Refs, func(i, j int) bool { return info.Refs[i].ID() < info.Refs[j].ID() })
	return info, nil
}

// PackageText returns a WIT package binary's own package as WIT text, one
// file, package.wit, the way wkg vendors registry packages. The packages
// it refers to are not included (the binary's copies of them may be
// partial, and vendoring two copies of a package breaks every WIT
// parser); they are dependencies like any other. It decodes with
// go.bytecodealliance.org/wit and prints with its printer, which is
// faithful for everything but what that model lacks: async functions and
// the newer type constructors are refused rather than printed wrong.
func PackageText(data []byte) ([]File, error) {
	info, err := ReadPackageBinary(data)
	if err != nil {
		return nil, err
	}
	res, err := bcwit.DecodeWIT(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decoding package %s: %s (go.bytecodealliance.org/wit decodes with wasm-tools 1.230, which predates newer encodings such as async functions; take the package from WIT text, a path or url dependency)", info.ID(), tidyWasmToolsError(err.Error()))
	}
	for _, pkg := range res.Packages {
		if pkg.Name.String() != info.ID() {
			continue
		}
		if err := printable(pkg); err != nil {
			return nil, fmt.Errorf("package %s: %w", info.ID(), err)
		}
		return []File{{Name: "package.wit", Data: []byte(pkg.WIT(nil, ""))}}, nil
	}
	return nil, fmt.Errorf("package %s is missing from its own binary", info.ID())
}

// printable refuses what go.bytecodealliance.org/wit v0.7.0 would print
// wrong: async functions and type constructors it does not model.
func printable(pkg *bcwit.Package) error {
	var err error
	check := func(f *bcwit.Function) bool {
		if _, async := splitAsync(f.Name); async || f.Kind == nil {
			err = fmt.Errorf("function `%s` is async, which wcomp cannot write as WIT yet (go.bytecodealliance.org/wit v0.7.0); take the package from WIT text (a path or url dependency)", f.Name)
		}
		return err == nil
	}
	pkg.Interfaces.All()(func(_ string, i *bcwit.Interface) bool {
		i.Functions.All()(func(_ string, f *bcwit.Function) bool { return check(f) })
		i.TypeDefs.All()(func(name string, td *bcwit.TypeDef) bool {
			if td.Kind == nil {
				err = fmt.Errorf("type `%s` uses a constructor go.bytecodealliance.org/wit v0.7.0 does not model (a fixed-size list or a map); take the package from WIT text (a path or url dependency)", name)
			}
			return err == nil
		})
		return err == nil
	})
	if err != nil {
		return err
	}
	pkg.Worlds.All()(func(_ string, w *bcwit.World) bool {
		w.AllFunctions()(check)
		return err == nil
	})
	return err
}
