package wac

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// PackageResolver supplies the packages a document refers to: the bytes of
// a component, or of a WIT package encoded as a component
// (`wasm-tools component wit DIR --wasm`). version is "" for a reference
// without one. A package it does not know is an error wrapping
// ErrUnknownPackage; any other error is reported as the package failing
// to load.
type PackageResolver interface {
	ResolvePackage(ctx context.Context, name, version string) ([]byte, error)
}

// PackageFunc adapts a function to a PackageResolver.
type PackageFunc func(ctx context.Context, name, version string) ([]byte, error)

// ResolvePackage calls f.
func (f PackageFunc) ResolvePackage(ctx context.Context, name, version string) ([]byte, error) {
	return f(ctx, name, version)
}

// ErrUnknownPackage is what a PackageResolver returns, wrapped, for a
// package it does not have. Text after it (`fmt.Errorf("%w: where I
// looked", ErrUnknownPackage)`) is shown to the user.
var ErrUnknownPackage = errors.New("unknown package")

// Packages is a PackageResolver over packages already in memory, keyed by
// `ns:name` or `ns:name@version`. A versioned reference falls back to the
// unversioned key, so one member serves `new a:b {…}` and
// `new a:b@1.0.0 {…}` alike.
type Packages map[string][]byte

// ResolvePackage looks name (and version) up.
func (m Packages) ResolvePackage(_ context.Context, name, version string) ([]byte, error) {
	if version != "" {
		if b, ok := m[name+"@"+version]; ok {
			return b, nil
		}
	}
	if b, ok := m[name]; ok {
		return b, nil
	}
	known := make([]string, 0, len(m))
	for k := range m {
		known = append(known, k)
	}
	if len(known) == 0 {
		return nil, ErrUnknownPackage
	}
	sort.Strings(known)
	return nil, fmt.Errorf("%w: the packages are %s", ErrUnknownPackage, strings.Join(known, ", "))
}

// PackageRef is a package a document refers to, at its first reference.
type PackageRef struct {
	Name    string
	Version string // "" if none
	Span    Span
}

func (r PackageRef) String() string { return packageKey(r.Name, r.Version) }

func packageKey(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@" + version
}

// Package is a package loaded for a document.
type Package struct {
	Name    string
	Version string
	Data    []byte
	Type    *component.ComponentType
	// defs are the interfaces and worlds a WIT package defines, by the
	// name of the type export that holds each, in export order. A
	// component that is not a WIT package defines none.
	defs []definition
}

// definition is an interface (*component.InstanceType) or world
// (*component.ComponentType) a WIT package defines, with its full name
// (`ns:pkg/name@version`).
type definition struct {
	name string
	id   string
	typ  component.Type
	// wrapper is the component type that holds the definition and
	// imports the interfaces it uses.
	wrapper *component.ComponentType
}

func (p *Package) key() string { return packageKey(p.Name, p.Version) }

func (p *Package) def(name string) *definition {
	for i := range p.defs {
		if p.defs[i].name == name {
			return &p.defs[i]
		}
	}
	return nil
}

// loadPackage decodes a package's bytes and finds its definitions. In a WIT
// package each interface or world is a type export of a component type
// that exports just that interface (an instance) or world (a component)
// under its full name.
func loadPackage(name, version string, data []byte) (*Package, error) {
	ct, err := component.DecodeType(data)
	if err != nil {
		return nil, err
	}
	p := &Package{Name: name, Version: version, Data: data, Type: ct}
	for _, e := range ct.Exports {
		tb, ok := e.Type.(*component.TypeBound)
		if !ok {
			continue
		}
		wrapper, ok := component.Underlying(tb.Type).(*component.ComponentType)
		if !ok || len(wrapper.Exports) != 1 {
			continue
		}
		inner := wrapper.Exports[0]
		if _, ok := component.InterfaceName(inner.Name); !ok {
			continue
		}
		switch t := inner.Type.(type) {
		case *component.InstanceType:
			p.defs = append(p.defs, definition{name: e.Name, id: inner.Name, typ: t, wrapper: wrapper})
		case *component.ComponentType:
			p.defs = append(p.defs, definition{name: e.Name, id: inner.Name, typ: t, wrapper: wrapper})
		}
	}
	return p, nil
}

// ParsePackageKey parses `ns:name` or `ns:name@version`, the keys of a
// --dep flag and of Files.Deps, with the document's own rules.
func ParsePackageKey(s string) (name, version string, err error) {
	f := NewFile("", []byte(s))
	toks, err := tokenize(f)
	if err != nil || len(toks) != 2 || toks[0].kind != tokPackageName || toks[0].span != (Span{0, len(s)}) {
		return "", "", fmt.Errorf("%q is not a package name: expected ns:name or ns:name@version", s)
	}
	p := &parser{file: f, toks: toks}
	n, err := p.packageName()
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return "", "", fmt.Errorf("%q: %s: %w", s, e.Msg, e.Err)
		}
		return "", "", err
	}
	return n.Name, n.Version, nil
}
