package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/charmbracelet/lipgloss/tree"
	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/project"
)

func newGraphCmd() *cobra.Command {
	var f projectFlags
	var format string
	cmd := &cobra.Command{
		Use:   "graph [--format tree|dot|json]",
		Short: "Show how the project's members are composed",
		Long: `Show the project's composition: its members, the instance of each, which
member (or import) plugs every import, what stays imported by the result, and
what the result exports.

Members are built first if they need it, since a member's imports and exports
are read from its component. Nothing is composed or written.

  --format tree   a tree, for people (the default)
  --format dot    a Graphviz digraph: wcomp graph --format dot | dot -Tsvg
  --format json   the same as JSON, for tools`,
		Example: `  wcomp graph
  wcomp graph --format dot | dot -Tsvg -o graph.svg
  wcomp graph --format json | jq '.imports[].name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "tree", "dot", "json":
			default:
				return fmt.Errorf("--format %q: expected tree, dot or json", format)
			}
			var g *project.Graph
			p, err := f.runWith(cmd, func(ctx context.Context, p *project.Project, opts project.Options) (err error) {
				g, err = p.Graph(ctx, opts)
				return err
			})
			if err != nil {
				return err
			}
			defer g.Close()
			return printGraph(cmd.OutOrStdout(), p, g, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "tree", "tree, dot or json")
	f.add(cmd.Flags())
	return cmd
}

func printGraph(w io.Writer, p *project.Project, g *project.Graph, format string) error {
	switch format {
	case "dot":
		_, err := io.WriteString(w, g.Plan.DOT())
		return err
	case "json":
		data, err := json.MarshalIndent(graphJSON(g), "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	}
	// The members first (what component.toml lists), then the plan as
	// graph renders it: instances with the source of each import, the
	// imports left to the result, and its exports.
	t := tree.Root(p.Manifest.Package.Name.Value + "@" + p.Manifest.Package.Version.Value + " → " + p.Rel(p.OutputPath()))
	members := tree.Root("members")
	for _, m := range g.Members {
		label := m.Name + " (" + m.Language + ")"
		if m.Name == g.Root {
			label += " root"
		}
		members.Child(label + ": " + p.Rel(m.Path))
	}
	t.Child(members)
	if _, err := io.WriteString(w, t.String()+"\n"); err != nil {
		return err
	}
	return g.Plan.Render(w)
}

// graphJSONDoc is `wcomp graph --format json`.
type graphJSONDoc struct {
	Members   []graphMember   `json:"members"`
	Instances []graphInstance `json:"instances"`
	Imports   []graphImport   `json:"imports"`
	Exports   []graphExport   `json:"exports"`
	Notes     []string        `json:"notes,omitempty"`
}

type graphMember struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Path     string `json:"path"`
	Digest   string `json:"digest"`
	Root     bool   `json:"root,omitempty"`
}

type graphInstance struct {
	Name string     `json:"name"`
	Args []graphArg `json:"args"`
}

type graphArg struct {
	Import string `json:"import"`
	From   string `json:"from"`
	Kind   string `json:"kind"`
}

type graphImport struct {
	Name     string   `json:"name"`
	Explicit bool     `json:"explicit,omitempty"`
	Merges   []string `json:"merges,omitempty"`
	Members  []string `json:"members"`
}

type graphExport struct {
	Name string `json:"name"`
	From string `json:"from"`
}

func graphJSON(g *project.Graph) graphJSONDoc {
	plan := g.Plan
	doc := graphJSONDoc{Members: []graphMember{}, Instances: []graphInstance{}, Imports: []graphImport{}, Exports: []graphExport{}}
	for _, m := range g.Members {
		doc.Members = append(doc.Members, graphMember{Name: m.Name, Language: m.Language, Path: m.Path, Digest: m.Digest, Root: m.Name == g.Root})
	}
	for _, in := range plan.Instances() {
		gi := graphInstance{Name: in.Name, Args: []graphArg{}}
		for _, a := range in.Args {
			gi.Args = append(gi.Args, graphArg{Import: a.Import, From: plan.DescribeSource(a.From), Kind: a.Kind.String()})
		}
		doc.Instances = append(doc.Instances, gi)
	}
	for _, im := range plan.Imports() {
		gi := graphImport{Name: im.Name, Explicit: im.Explicit, Members: []string{}}
		if len(im.Names) > 1 {
			gi.Merges = im.Names
		}
		for _, u := range im.Members {
			gi.Members = append(gi.Members, plan.InstanceName(u.Instance)+"."+u.Import)
		}
		doc.Imports = append(doc.Imports, gi)
	}
	for _, e := range plan.Exports() {
		from := "type defined by the composition"
		if e.Defined == nil {
			from = plan.DescribeSource(e.From)
		}
		doc.Exports = append(doc.Exports, graphExport{Name: e.Name, From: from})
	}
	for _, n := range plan.Notes() {
		doc.Notes = append(doc.Notes, n.Text)
	}
	return doc
}
