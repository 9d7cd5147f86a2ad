package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Summary is the JSON form of `wcomp inspect --json`.
type Summary struct {
	Imports []Entry `json:"imports"`
	Exports []Entry `json:"exports"`
	// Shared is what the component stores once for several nested
	// components (SharedOf); nil when nothing is.
	Shared *Shared `json:"shared,omitempty"`
}

// Entry is one import or export (or, nested, one export of an instance
// or one import/export of a component).
type Entry struct {
	Name string `json:"name"`
	// Kind is one of instance, func, type, component, module, value.
	Kind string `json:"kind"`

	// For interface names (ns:pkg/iface@version): the parsed parts.
	Namespace string `json:"namespace,omitempty"`
	Package   string `json:"package,omitempty"`
	Interface string `json:"interface,omitempty"`
	Version   string `json:"version,omitempty"`
	// Implements is the interface a labelled instance implements.
	Implements string `json:"implements,omitempty"`

	// Type describes the item: a function signature, a type definition,
	// a value's type, or a one-line count for instances and components.
	Type string `json:"type"`

	// Imports of a nested component or module; Exports of an instance,
	// component or module.
	Imports []Entry `json:"imports,omitempty"`
	Exports []Entry `json:"exports,omitempty"`
}

// Summarize describes every import and export of ct, in order.
func Summarize(ct *component.ComponentType) Summary {
	s := &summarizer{seen: map[*component.Resource]bool{}}
	return Summary{Imports: s.entries(ct.Imports), Exports: s.entries(ct.Exports)}
}

// summarizer remembers the resources already described, so that a
// resource an interface takes from another (WIT `use`) is counted as a
// type, not as a resource of its own.
type summarizer struct {
	seen map[*component.Resource]bool
}

func (s *summarizer) entries(items []component.Item) []Entry {
	out := make([]Entry, 0, len(items))
	for _, it := range items {
		out = append(out, s.entry(it))
	}
	return out
}

func (s *summarizer) entry(it component.Item) Entry {
	e := Entry{Name: it.Name, Implements: it.Attr.Implements}
	if n, ok := component.InterfaceName(it.Name); ok {
		e.Namespace, e.Package, e.Interface, e.Version = n.Namespace, n.Package, n.Interface, n.Version
	}
	switch t := it.Type.(type) {
	case *component.Func:
		e.Kind = "func"
		e.Type = component.FormatType(t)
	case *component.InstanceType:
		e.Kind = "instance"
		e.Type = s.countMembers(t.Exports)
		e.Exports = s.entries(t.Exports)
	case *component.ComponentType:
		e.Kind = "component"
		e.Imports = s.entries(t.Imports)
		e.Exports = s.entries(t.Exports)
		e.Type = fmt.Sprintf("component: %s, %s", plural(len(t.Imports), "import"), plural(len(t.Exports), "export"))
	case *component.ModuleType:
		e.Kind = "module"
		for _, ci := range t.Imports {
			e.Imports = append(e.Imports, Entry{Name: ci.Module + "." + ci.Name, Kind: "core", Type: coreKind(ci.Extern)})
		}
		for _, ce := range t.Exports {
			e.Exports = append(e.Exports, Entry{Name: ce.Name, Kind: "core", Type: coreKind(ce.Extern)})
		}
		e.Type = fmt.Sprintf("core module: %s, %s", plural(len(t.Imports), "import"), plural(len(t.Exports), "export"))
	case *component.TypeBound:
		e.Kind = "type"
		e.Type = typeDefinition(t.Type)
	case *component.ValueBound:
		e.Kind = "value"
		e.Type = component.FormatType(t.Type)
	default:
		e.Kind = "unknown"
		e.Type = fmt.Sprintf("%T", it.Type)
	}
	return e
}

// coreKind names a core extern type by its leading kind byte (Binary.md
// core:externtype): func, table, memory, global or tag.
func coreKind(extern []byte) string {
	if len(extern) == 0 {
		return "unknown"
	}
	switch extern[0] {
	case 0x00:
		return "func"
	case 0x01:
		return "table"
	case 0x02:
		return "memory"
	case 0x03:
		return "global"
	case 0x04:
		return "tag"
	}
	return fmt.Sprintf("kind 0x%02x", extern[0])
}

// JSON encodes s as indented JSON, as `wcomp inspect --json` prints it.
// Signatures keep their `->` (no HTML escaping).
func (s Summary) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// typeDefinition says what a type import or export stands for: a resource,
// or the structure of a value type.
func typeDefinition(t component.Type) string {
	switch u := component.Underlying(t).(type) {
	case *component.Resource:
		if u.Abstract {
			return "resource (abstract)"
		}
		return "resource"
	case *component.ComponentType:
		// A component type given a name: how WIT package binaries
		// describe each interface and world.
		return fmt.Sprintf("component type: %s, %s", plural(len(u.Imports), "import"), plural(len(u.Exports), "export"))
	case *component.InstanceType:
		return "instance type: " + plural(len(u.Exports), "export")
	case nil:
		return "unknown"
	default:
		return component.FormatType(u)
	}
}

// countMembers describes an instance by what it exports, e.g.
// "2 resources, 1 type, 5 funcs".
func (s *summarizer) countMembers(items []component.Item) string {
	var resources, types, funcs, other int
	for _, it := range items {
		switch t := it.Type.(type) {
		case *component.TypeBound:
			if r := component.ResourceOf(t.Type); r != nil && !s.seen[r] {
				s.seen[r] = true
				resources++
			} else {
				types++
			}
		case *component.Func:
			funcs++
		default:
			other++
		}
	}
	var parts []string
	if resources > 0 {
		parts = append(parts, plural(resources, "resource"))
	}
	if types > 0 {
		parts = append(parts, plural(types, "type"))
	}
	if funcs > 0 {
		parts = append(parts, plural(funcs, "func"))
	}
	if other > 0 {
		parts = append(parts, plural(other, "other export"))
	}
	if len(parts) == 0 {
		return "empty"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
