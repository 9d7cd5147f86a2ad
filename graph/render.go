package graph

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss/tree"
)

// Render writes the plan as a tree for people: each instance in
// instantiation order with the source of every import, then the imports
// left for the result, its exports, and unused instances. It uses no
// colour, so the output is the same on every terminal.
func (p *Plan) Render(w io.Writer) error {
	t := tree.Root("composition (root: " + p.InstanceName(p.Root) + ")")

	insts := tree.Root("instances")
	for _, in := range p.Instances {
		label := fmt.Sprintf("%s: component %s", in.Name, p.componentName(in.Component))
		if in.ID == p.Root {
			label += " (root)"
		}
		node := tree.Root(label)
		for _, a := range in.Args {
			node.Child(a.Import + " ← " + p.argSource(a))
		}
		insts.Child(node)
	}
	t.Child(insts)

	if len(p.Imports) > 0 {
		imps := tree.Root("imports")
		for _, g := range p.Imports {
			label := g.Name
			if len(g.Names) > 1 {
				label += " (merges " + strings.Join(g.Names, ", ") + ")"
			}
			node := tree.Root(label)
			for _, m := range g.Members {
				node.Child(p.InstanceName(m.Instance) + "." + m.Import)
			}
			imps.Child(node)
		}
		t.Child(imps)
	}

	exps := tree.Root("exports")
	for _, e := range p.Exports {
		exps.Child(e.Name + " ← " + p.InstanceName(e.Instance) + "." + e.Name)
	}
	t.Child(exps)

	if len(p.Unused) > 0 {
		unused := tree.Root("unused")
		for _, id := range p.Unused {
			unused.Child(p.InstanceName(id))
		}
		t.Child(unused)
	}
	_, err := io.WriteString(w, t.String()+"\n")
	return err
}

// argSource says where an argument comes from, for Render.
func (p *Plan) argSource(a Arg) string {
	if a.Kind == ArgImport {
		return "import " + p.Imports[a.Group].Name
	}
	return fmt.Sprintf("%s.%s (%s)", p.InstanceName(a.Provider), a.Export, a.Kind)
}

func (p *Plan) componentName(id ComponentID) string {
	for _, c := range p.Components {
		if c.ID == id {
			return c.Name
		}
	}
	return "?"
}

// DOT returns the plan as a Graphviz digraph: instances are boxes (the
// root bold), result imports are ellipses, and each edge runs from a
// consumer to what satisfies it, labelled with the import name.
func (p *Plan) DOT() string {
	var b strings.Builder
	b.WriteString("digraph composition {\n\trankdir=LR;\n\tnode [shape=box];\n")
	for _, in := range p.Instances {
		attrs := ""
		if in.ID == p.Root {
			attrs = " [style=bold]"
		}
		fmt.Fprintf(&b, "\t%s%s;\n", strconv.Quote(in.Name), attrs)
	}
	for _, g := range p.Imports {
		fmt.Fprintf(&b, "\t%s [shape=ellipse, label=%s];\n", strconv.Quote("import "+g.Name), strconv.Quote(g.Name))
	}
	for _, in := range p.Instances {
		for _, a := range in.Args {
			to, label := "", a.Import
			if a.Kind == ArgImport {
				to = "import " + p.Imports[a.Group].Name
			} else {
				to = p.InstanceName(a.Provider)
				if a.Export != a.Import {
					label += " ← " + a.Export
				}
			}
			fmt.Fprintf(&b, "\t%s -> %s [label=%s];\n", strconv.Quote(in.Name), strconv.Quote(to), strconv.Quote(label))
		}
	}
	b.WriteString("}\n")
	return b.String()
}
