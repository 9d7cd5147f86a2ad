package wit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Canonical renders ct's world as one line per import and export, sorted,
// for diffing two views of the same component (ours and a reference
// tool's). Each interface line lists its members sorted by name, with full
// function names (`[method]r.m`), every parameter including self, and
// owned handles spelled own<r>:
//
//	import wasi:io/error@0.2.0: interface { [method]error.to-debug-string: func(self: borrow<error>) -> string; resource error }
//	import log: func(msg: string)
//
// Interfaces imported and exported under the same name show the merged
// interface on both lines, as WIT does.
func Canonical(ct *component.ComponentType) (string, error) {
	v, err := newView(ct)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, dir := range []struct {
		keyword string
		items   []worldItem
	}{{"import", v.world.imports}, {"export", v.world.exports}} {
		for _, it := range dir.items {
			line, err := v.canonicalItem(dir.keyword, it)
			if err != nil {
				return "", fmt.Errorf("%s %q: %w", dir.keyword, it.name, err)
			}
			lines = append(lines, line)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n", nil
}

func (v *view) canonicalItem(keyword string, it worldItem) (string, error) {
	switch {
	case it.fn != nil:
		sig, err := v.signature(v.world.own, it.fn, true)
		return keyword + " " + it.name + ": " + sig, err
	case it.typ != nil:
		def, err := v.canonicalType(it.typ)
		return keyword + " " + it.name + ": " + def, err
	}
	head := keyword + " " + it.name + ": interface"
	if it.implements {
		head += " " + it.iface.path()
	}
	var members []string
	for _, td := range it.iface.types {
		def, err := v.canonicalType(td)
		if err != nil {
			return "", fmt.Errorf("type %s: %w", td.name, err)
		}
		members = append(members, def)
	}
	for _, fn := range it.iface.funcs {
		sig, err := v.signature(it.iface, fn, true)
		if err != nil {
			return "", fmt.Errorf("function %s: %w", fn.name, err)
		}
		members = append(members, fn.name+": "+sig)
	}
	return head + " { " + strings.Join(sortMembers(members), "; ") + " }", nil
}

// sortMembers sorts interface member lines by the name they define, so
// that any rendering of a world (ours, or a reference tool's in tests)
// lists members in the same order.
func sortMembers(members []string) []string {
	out := append([]string(nil), members...)
	sort.Slice(out, func(i, j int) bool { return memberKey(out[i]) < memberKey(out[j]) })
	return out
}

// memberKey is the name a canonical member line defines.
func memberKey(m string) string {
	for _, kw := range []string{"use ", "resource ", "record ", "variant ", "enum ", "flags ", "type "} {
		if rest, ok := strings.CutPrefix(m, kw); ok {
			if kw == "use " {
				// `use path.{target as name}`: sort by name.
				inner := rest[strings.Index(rest, "{")+1 : len(rest)-1]
				if _, name, ok := strings.Cut(inner, " as "); ok {
					return name
				}
				return inner
			}
			name, _, _ := strings.Cut(rest, " ")
			return name
		}
	}
	name, _, _ := strings.Cut(m, ":")
	return name
}

// canonicalType renders one named type definition on one line.
func (v *view) canonicalType(td *typeDef) (string, error) {
	name := escape(td.name)
	switch {
	case td.isUse():
		return "use " + td.alias.owner.path() + ".{" + escape(td.alias.name) + " as " + name + "}", nil
	case td.alias != nil:
		return "type " + name + " = " + escape(td.alias.name), nil
	case td.resource != nil:
		return "resource " + name, nil
	}
	scope := td.owner
	switch d := td.def.(type) {
	case *component.Record:
		fields := make([]string, len(d.Fields))
		for i, f := range d.Fields {
			t, err := v.typeRef(scope, f.Type, true)
			if err != nil {
				return "", err
			}
			fields[i] = escape(f.Name) + ": " + t
		}
		return "record " + name + " { " + strings.Join(fields, ", ") + " }", nil
	case *component.Variant:
		cases := make([]string, len(d.Cases))
		for i, c := range d.Cases {
			cases[i] = escape(c.Name)
			if c.Type != nil {
				t, err := v.typeRef(scope, c.Type, true)
				if err != nil {
					return "", err
				}
				cases[i] += "(" + t + ")"
			}
		}
		return "variant " + name + " { " + strings.Join(cases, ", ") + " }", nil
	case *component.Enum:
		return "enum " + name + " { " + escapeAll(d.Names) + " }", nil
	case *component.Flags:
		return "flags " + name + " { " + escapeAll(d.Names) + " }", nil
	}
	t, err := v.typeRef(scope, td.def, true)
	if err != nil {
		return "", err
	}
	return "type " + name + " = " + t, nil
}

func escapeAll(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = escape(n)
	}
	return strings.Join(out, ", ")
}
