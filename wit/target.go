package wit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/component"
	"golang.org/x/mod/semver"
)

// ViolationKind says how a component fails a target world.
type ViolationKind int

const (
	// ExtraImport: the component imports something the world does not
	// provide.
	ExtraImport ViolationKind = iota + 1
	// ImportMismatch: the world provides the import, but what it provides
	// is not usable where the component imports it.
	ImportMismatch
	// MissingExport: the world requires an export the component lacks.
	MissingExport
	// ExportMismatch: the component's export is not a subtype of what the
	// world requires.
	ExportMismatch
)

// Violation is one way a component does not conform to a world.
type Violation struct {
	Kind ViolationKind
	// Name is the component's import or export name (for MissingExport,
	// the world's export name). It is the name the driver maps back to the
	// member that brought the import in or should provide the export.
	Name string
	// WorldName is the world's import or export that Name was matched
	// with, when it differs (a semver-compatible version); "" otherwise.
	WorldName string
	// Path locates a type mismatch inside the item, outermost first (e.g.
	// "export `process`", "param `req`"); Reason says what differed.
	Path   []string
	Reason string
}

func (v Violation) String() string {
	var b strings.Builder
	switch v.Kind {
	case ExtraImport, ImportMismatch:
		b.WriteString("import `" + v.Name + "`")
	default:
		b.WriteString("export `" + v.Name + "`")
	}
	if v.WorldName != "" {
		b.WriteString(" (as the world's `" + v.WorldName + "`)")
	}
	for _, p := range v.Path {
		b.WriteString(": " + p)
	}
	b.WriteString(": " + v.Reason)
	return b.String()
}

// TargetError lists every violation of a target world, in the order of the
// component's imports, then the world's exports.
type TargetError struct {
	World      string
	Violations []Violation
}

func (e *TargetError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the component does not conform to world %s (%d problem", e.World, len(e.Violations))
	if len(e.Violations) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, v := range e.Violations {
		b.WriteString("\n  " + v.String())
	}
	return b.String()
}

// TargetOptions tunes CheckTarget.
type TargetOptions struct {
	// Compatible reports whether two interface names denote
	// semver-compatible versions of one interface (graph.Compatible is the
	// rule composition uses; it is passed in because wit/ comes before
	// graph/ in the pipeline). Nil matches names exactly.
	Compatible func(a, b string) bool
}

// CheckTarget checks that a component of type actual conforms to the world
// whose type is world (WorldType gives it): every import of the component
// is provided by the world, and is a supertype of what the world provides;
// every export of the world is exported by the component, as a subtype. A
// name matches exactly, or else the semver-compatible name of the highest
// version. It returns nil or a *TargetError with every violation.
func CheckTarget(worldName string, world, actual *component.ComponentType, opts TargetOptions) error {
	compatible := opts.Compatible
	if compatible == nil {
		compatible = func(a, b string) bool { return a == b }
	}
	// One map for the whole check: a resource of wasi:io/error bound while
	// checking that import is the same resource when wasi:io/streams, or an
	// export, uses it.
	resources := component.ResourceMap{}
	var out []Violation
	for _, imp := range actual.Imports {
		have := match(imp.Name, world.Imports, compatible)
		if have == nil {
			out = append(out, Violation{Kind: ExtraImport, Name: imp.Name, Reason: "the world does not provide it" + nearby(imp.Name, world.Imports, "imports")})
			continue
		}
		if err := component.CheckSubtype(have.Type, imp.Type, component.WithResourceMap(resources)); err != nil {
			out = append(out, mismatch(ImportMismatch, imp.Name, have.Name, err))
		}
	}
	for _, want := range world.Exports {
		got := match(want.Name, actual.Exports, compatible)
		if got == nil {
			out = append(out, Violation{Kind: MissingExport, Name: want.Name, Reason: fmt.Sprintf("missing: the world exports %s", describeItem(want.Type))})
			continue
		}
		if err := component.CheckSubtype(got.Type, want.Type, component.WithResourceMap(resources)); err != nil {
			out = append(out, mismatch(ExportMismatch, got.Name, want.Name, err))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &TargetError{World: worldName, Violations: out}
}

func mismatch(kind ViolationKind, name, other string, err error) Violation {
	v := Violation{Kind: kind, Name: name, Reason: err.Error()}
	if other != name {
		v.WorldName = other
	}
	if se, ok := err.(*component.SubtypeError); ok {
		v.Path, v.Reason = se.Path, se.Reason
	}
	return v
}

// match finds name among items: exactly, else the compatible name with the
// highest version.
func match(name string, items []component.Item, compatible func(a, b string) bool) *component.Item {
	var best *component.Item
	for i := range items {
		it := &items[i]
		if it.Name == name {
			return it
		}
		if !compatible(name, it.Name) {
			continue
		}
		if best == nil || semver.Compare("v"+versionOf(it.Name), "v"+versionOf(best.Name)) > 0 {
			best = it
		}
	}
	return best
}

func versionOf(name string) string {
	n, ok := component.InterfaceName(name)
	if !ok {
		return ""
	}
	return n.Version
}

// nearby points at world items of the same interface at another version,
// the likely fix for an import the world lacks.
func nearby(name string, items []component.Item, what string) string {
	n, ok := component.InterfaceName(name)
	if !ok {
		return ""
	}
	var same []string
	for _, it := range items {
		if m, ok := component.InterfaceName(it.Name); ok && m.WithoutVersion() == n.WithoutVersion() {
			same = append(same, it.Name)
		}
	}
	if len(same) == 0 {
		return ""
	}
	sort.Strings(same)
	return fmt.Sprintf(" (it %s %s)", what, strings.Join(same, ", "))
}

func describeItem(x component.Extern) string {
	switch f := x.(type) {
	case *component.InstanceType:
		return "an instance"
	case *component.Func:
		return "a function " + component.FormatType(f)
	}
	return "a " + component.KindName(x)
}
