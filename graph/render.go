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
	title := "composition"
	if root, ok := p.Root(); ok {
		title += " (root: " + p.InstanceName(root) + ")"
	}
	t := tree.Root(title)

	insts := tree.Root("instances")
	for _, in := range p.instances {
		label := fmt.Sprintf("%s: component %s", in.Name, p.componentName(in.Component))
		if in.ID == p.root {
			label += " (root)"
		}
		if in.WiredOnly {
			label += " (wired only)"
		}
		node := tree.Root(label)
		for _, a := range in.Args {
			node.Child(a.Import + " ← " + p.argSource(a))
		}
		insts.Child(node)
	}
	t.Child(insts)

	if len(p.imports) > 0 {
		imps := tree.Root("imports")
		for _, g := range p.imports {
			label := g.Name
			if g.Explicit {
				label += " (explicit)"
			}
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
	for _, e := range p.exports {
		from := "type defined by the composition"
		if e.Defined == nil {
			from = p.DescribeSource(e.From)
		}
		exps.Child(e.Name + " ← " + from)
	}
	t.Child(exps)

	if len(p.notes) > 0 {
		notes := tree.Root("notes")
		for _, n := range p.notes {
			notes.Child(n.Text)
		}
		t.Child(notes)
	}
	_, err := io.WriteString(w, t.String()+"\n")
	return err
}

// argSource says where an argument comes from, for Render.
func (p *Plan) argSource(a Arg) string {
	if a.Kind == ArgImport {
		return p.DescribeSource(a.From)
	}
	return fmt.Sprintf("%s (%s)", p.DescribeSource(a.From), a.Kind)
}

// DescribeSource names a source in messages and renderings: `p.x`,
// `instance p`, `import x`, `import x's f`.
func (p *Plan) DescribeSource(s Source) string {
	switch s.Kind {
	case SourceExport:
		return p.InstanceName(s.Instance) + "." + s.Export
	case SourceInstance:
		return "instance " + p.InstanceName(s.Instance)
	case SourceImport, SourceImportExport:
		name := "?"
		if im, ok := p.Import(s.Import); ok {
			name = im.Name
		}
		if s.Kind == SourceImportExport {
			return "import " + name + "'s " + s.Export
		}
		return "import " + name
	}
	return "?"
}

func (p *Plan) componentName(id ComponentID) string {
	for _, c := range p.components {
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
	for _, in := range p.instances {
		attrs := ""
		if in.ID == p.root {
			attrs = " [style=bold]"
		}
		fmt.Fprintf(&b, "\t%s%s;\n", strconv.Quote(in.Name), attrs)
	}
	for _, g := range p.imports {
		fmt.Fprintf(&b, "\t%s [shape=ellipse, label=%s];\n", strconv.Quote("import "+g.Name), strconv.Quote(g.Name))
	}
	for _, in := range p.instances {
		for _, a := range in.Args {
			to, label := "", a.Import
			switch a.From.Kind {
			case SourceImport, SourceImportExport:
				im, _ := p.Import(a.From.Import)
				to = "import " + im.Name
				if a.From.Kind == SourceImportExport {
					label += " ← " + a.From.Export
				}
			case SourceExport:
				to = p.InstanceName(a.From.Instance)
				if a.From.Export != a.Import {
					label += " ← " + a.From.Export
				}
			case SourceInstance:
				to = p.InstanceName(a.From.Instance)
				label += " ← (instance)"
			}
			fmt.Fprintf(&b, "\t%s -> %s [label=%s];\n", strconv.Quote(in.Name), strconv.Quote(to), strconv.Quote(label))
		}
	}
	b.WriteString("}\n")
	return b.String()
}
