package component

import (
	"fmt"
	"strings"
)

// Import and export names (Explainer.md, "Import and Export Definitions").
// An externname is either a plainname (a kebab-case label, possibly
// annotated as a resource constructor, method or static function) or an
// interfacename such as wasi:http/types@0.2.0.
//
// ParseName accepts what the spec's grammar and wasm-tools' validator (1.262)
// both accept: the legacy url=, integrity=, locked-dep= and unlocked-dep=
// forms, the [async] prefixes and the 🔗 canonical versions (@1, @0.2) are
// rejected there, so they are rejected here too. Nested namespaces and
// packages (🪺, a:b:c/d/e) are accepted.

// NameKind classifies an extern name.
type NameKind uint8

const (
	NameLabel       NameKind = iota + 1 // plain kebab-case label: "run"
	NameConstructor                     // "[constructor]r"
	NameMethod                          // "[method]r.m"
	NameStatic                          // "[static]r.m"
	NameInterface                       // "ns:pkg/iface@1.2.3"
)

func (k NameKind) String() string {
	switch k {
	case NameLabel:
		return "label"
	case NameConstructor:
		return "constructor"
	case NameMethod:
		return "method"
	case NameStatic:
		return "static"
	case NameInterface:
		return "interface"
	}
	return fmt.Sprintf("NameKind(%d)", uint8(k))
}

// Name is a parsed extern name. Which fields are set depends on Kind:
//   - NameLabel: Label.
//   - NameConstructor: Resource.
//   - NameMethod, NameStatic: Resource and Func.
//   - NameInterface: Namespace, Package, Interface and optionally Version.
//     With nested namespaces (🪺) Namespace holds them joined by ':'; with
//     nested interfaces Interface holds the projections joined by '/'.
type Name struct {
	Kind      NameKind
	Label     string
	Resource  string
	Func      string
	Namespace string
	Package   string
	Interface string
	// Version is the semver after '@', without the '@'; empty if none.
	Version string
}

// String returns the name in its binary/text form; ParseName(n.String())
// gives n back.
func (n Name) String() string {
	switch n.Kind {
	case NameLabel:
		return n.Label
	case NameConstructor:
		return "[constructor]" + n.Resource
	case NameMethod:
		return "[method]" + n.Resource + "." + n.Func
	case NameStatic:
		return "[static]" + n.Resource + "." + n.Func
	case NameInterface:
		s := n.PackageName() + "/" + n.Interface
		if n.Version != "" {
			s += "@" + n.Version
		}
		return s
	}
	return ""
}

// PackageName returns "namespace:package" of an interface name.
func (n Name) PackageName() string { return n.Namespace + ":" + n.Package }

// WithoutVersion returns the interface name without its version, e.g.
// "wasi:io/streams"; for other kinds it returns String().
func (n Name) WithoutVersion() string {
	n.Version = ""
	return n.String()
}

// InterfaceName parses s when it is an interface name
// (namespace:package/interface[@version]); plain names such as `run` or
// `[method]r.m`, and invalid names, give ok false. It is the question most
// callers ask of an import or export name.
func InterfaceName(s string) (n Name, ok bool) {
	n, err := ParseName(s)
	if err != nil || n.Kind != NameInterface {
		return Name{}, false
	}
	return n, true
}

// NameError says why a string is not a valid extern name.
type NameError struct {
	Name string
	Msg  string
}

func (e *NameError) Error() string { return fmt.Sprintf("invalid name %q: %s", e.Name, e.Msg) }

// ParseName parses and classifies an import or export name.
func ParseName(s string) (Name, error) {
	fail := func(format string, args ...any) (Name, error) {
		return Name{}, &NameError{Name: s, Msg: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return fail("empty name")
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return fail("missing ']' after annotation")
		}
		ann, rest := s[1:end], s[end+1:]
		switch ann {
		case "constructor":
			if err := checkLabel(rest); err != nil {
				return fail("resource %v", err)
			}
			return Name{Kind: NameConstructor, Resource: rest}, nil
		case "method", "static":
			res, fn, ok := strings.Cut(rest, ".")
			if !ok {
				return fail("[%s] needs resource.function", ann)
			}
			if err := checkLabel(res); err != nil {
				return fail("resource %v", err)
			}
			if err := checkLabel(fn); err != nil {
				return fail("function %v", err)
			}
			k := NameMethod
			if ann == "static" {
				k = NameStatic
			}
			return Name{Kind: k, Resource: res, Func: fn}, nil
		}
		return fail("unknown annotation [%s] (expected [constructor], [method] or [static])", ann)
	}
	if !strings.ContainsAny(s, ":/@") {
		if err := checkLabel(s); err != nil {
			return fail("%v", err)
		}
		return Name{Kind: NameLabel, Label: s}, nil
	}
	return parseInterfaceName(s, fail)
}

func parseInterfaceName(s string, fail func(string, ...any) (Name, error)) (Name, error) {
	rest, version, hasVersion := strings.Cut(s, "@")
	if hasVersion {
		if err := CheckVersion(version); err != nil {
			return fail("version %q: %v", version, err)
		}
	}
	pkgPart, ifacePart, ok := strings.Cut(rest, "/")
	if !ok {
		return fail("interface name needs namespace:package/interface")
	}
	words := strings.Split(pkgPart, ":")
	if len(words) < 2 {
		return fail("missing ':' between namespace and package")
	}
	for _, w := range words {
		if err := checkWords(w); err != nil {
			return fail("namespace or package %v", err)
		}
	}
	projections := strings.Split(ifacePart, "/")
	for _, p := range projections {
		if err := checkLabel(p); err != nil {
			return fail("interface %v", err)
		}
	}
	return Name{
		Kind:      NameInterface,
		Namespace: strings.Join(words[:len(words)-1], ":"),
		Package:   words[len(words)-1],
		Interface: ifacePart,
		Version:   version,
	}, nil
}

// checkLabel checks the kebab-case label rule: fragments separated by
// single '-', each all-lowercase (a word) or all-uppercase (an acronym)
// letters and digits, the first starting with a letter.
func checkLabel(l string) error {
	return checkFragments(l, true)
}

// checkWords checks a namespace or package name: like a label, but every
// fragment is a lowercase word.
func checkWords(w string) error {
	return checkFragments(w, false)
}

func checkFragments(s string, acronyms bool) error {
	if s == "" {
		return fmt.Errorf("is empty")
	}
	for i, frag := range strings.Split(s, "-") {
		if frag == "" {
			return fmt.Errorf("%q is not kebab case: empty fragment", s)
		}
		lower, upper := false, false
		for j := 0; j < len(frag); j++ {
			c := frag[j]
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= '0' && c <= '9':
				if i == 0 && j == 0 {
					return fmt.Errorf("%q is not kebab case: must start with a letter", s)
				}
			default:
				return fmt.Errorf("%q is not kebab case: character %q", s, c)
			}
		}
		if lower && upper {
			return fmt.Errorf("%q is not kebab case: fragment %q mixes upper and lower case", s, frag)
		}
		if upper && !acronyms {
			return fmt.Errorf("%q must be lowercase", s)
		}
	}
	return nil
}
