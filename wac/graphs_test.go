package wac

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// wac's graph suite (crates/wac-graph/tests/graphs) builds graphs through
// wac-graph's API from a graph.json. Each is written here as the WAC
// document that says the same (every instantiation ends with `...`, since
// wac's graph imports what no argument gives), then composed. A graph the
// language cannot say (an argument to an import, one package registered
// twice, an import typed by something WAC has no syntax for) is counted
// apart.

type graphFile struct {
	Packages []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Path    string `json:"path"`
	} `json:"packages"`
	Nodes []struct {
		Type    string `json:"type"`
		Name    string `json:"name"`
		Package int    `json:"package"`
		Export  string `json:"export"`
		Source  int    `json:"source"`
	} `json:"nodes"`
	Arguments []struct {
		Source int    `json:"source"`
		Target int    `json:"target"`
		Name   string `json:"name"`
	} `json:"arguments"`
	Exports []struct {
		Node int    `json:"node"`
		Name string `json:"name"`
	} `json:"exports"`
}

// refusedOnPurpose are success cases of wac's that wcomp refuses, and why.
var refusedOnPurpose = map[string]string{
	// wac's test imports the packages instead of embedding them. Embedded,
	// baz's `x` is its types' x, which comes from bar, while my-func (from
	// the import) returns the import's x: two resources where baz needs
	// one. The graph names the wire that cannot stand (issue #10, item 1e).
	"implicit-resource-import": "an argument from inside whose resource an import of the result uses",
}

// errInexpressible marks a graph WAC has no words for.
var errInexpressible = errors.New("not expressible in WAC")

func runGraphSuite(t *testing.T, root string) {
	dirs, _ := filepath.Glob(filepath.Join(root, "crates", "wac-graph", "tests", "graphs", "*", "graph.json"))
	sort.Strings(dirs)
	var c suiteCounts
	var inexpressible []string
	refused := 0
	for _, g := range dirs {
		dir := filepath.Dir(g)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			_, err := os.Stat(filepath.Join(dir, "error.txt"))
			fail := err == nil
			why, refuse := refusedOnPurpose[name]
			if refuse {
				fail = true
				refused++
				t.Logf("wac's success case, refused on purpose: %s", why)
			}
			src, pkgs, err := graphToWAC(t, dir)
			if errors.Is(err, errInexpressible) {
				inexpressible = append(inexpressible, name)
				t.Logf("%v", err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(NewFile("graph.wac", []byte(src)))
			var out []byte
			if err == nil {
				out, err = composeDoc(doc, pkgs)
			}
			if !fail {
				c.ok++
				if err != nil {
					t.Fatalf("expected success:\n%s\n%s", src, Format(err))
				}
				if err := checkGraphOutput(dir, out, pkgs, &c); err != nil {
					t.Fatalf("%s\n%v", src, err)
				}
				c.okPass++
				return
			}
			c.fail++
			if err == nil {
				t.Fatalf("expected a failure:\n%s", src)
			}
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("expected a positioned error, got %v", err)
			}
			c.failPass++
			if testing.Verbose() {
				t.Logf("%s\n%s", src, Format(err))
			}
		})
	}
	t.Logf("graphs: %d ok cases passed of %d (%d checked by wasm-tools only); %d fail cases failed with a positioned error of %d (%d of them wac's success cases refused on purpose); %d not expressible in WAC (%s)",
		c.okPass, c.ok, c.wasmtimeNA, c.failPass, c.fail, refused, len(inexpressible), strings.Join(inexpressible, ", "))
}

// graphToWAC writes the graph of dir as a WAC document, and returns the
// packages it needs.
func graphToWAC(t *testing.T, dir string) (string, Packages, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "graph.json"))
	if err != nil {
		return "", nil, err
	}
	var g graphFile
	if err := json.Unmarshal(raw, &g); err != nil {
		return "", nil, err
	}
	pkgs := Packages{}
	keys := make([]string, len(g.Packages))
	paths := make([]string, len(g.Packages))
	for i, p := range g.Packages {
		path := filepath.Join(dir, p.Path)
		var data []byte
		switch {
		case strings.HasSuffix(path, ".wat"):
			data, err = suiteTool("parse", path)
			if err != nil {
				return "", nil, err
			}
		default: // a WIT file or directory: a component of its world
			data = wasmtools.DummyComponent(t, path, "")
		}
		key := packageKey(p.Name, p.Version)
		if _, dup := pkgs[key]; dup {
			return "", nil, fmt.Errorf("%w: package %s is registered twice", errInexpressible, key)
		}
		pkgs[key], keys[i], paths[i] = data, key, path
	}
	// WAC names a value after defining it, so the nodes are written in an
	// order where each follows what it takes (the graph's own order when it
	// allows): an alias after its instance, an instance after its arguments.
	deps := make([][]int, len(g.Nodes))
	for i, n := range g.Nodes {
		if n.Type == "alias" {
			deps[i] = append(deps[i], n.Source)
		}
	}
	for _, a := range g.Arguments {
		if a.Target < len(deps) {
			deps[a.Target] = append(deps[a.Target], a.Source)
		}
	}
	order, ok := topoSort(deps)
	if !ok {
		return "", nil, fmt.Errorf("%w: the nodes depend on each other in a cycle", errInexpressible)
	}
	var b strings.Builder
	b.WriteString("package test:graph;\n\n")
	kinds := make([]string, len(g.Nodes))
	for _, i := range order {
		n := g.Nodes[i]
		switch n.Type {
		case "import":
			typ, err := importTypeText(t, pkgs, keys[n.Package], paths[n.Package], n.Export)
			if err != nil {
				return "", nil, err
			}
			fmt.Fprintf(&b, "import n%d as %q: %s;\n", i, n.Name, typ)
		case "instantiation":
			var args []string
			for _, a := range g.Arguments {
				if a.Target == i {
					args = append(args, fmt.Sprintf("%q: n%d", a.Name, a.Source))
				}
			}
			args = append(args, "...")
			fmt.Fprintf(&b, "let n%d = new %s { %s };\n", i, keys[n.Package], strings.Join(args, ", "))
		case "alias":
			fmt.Fprintf(&b, "let n%d = n%d[%q];\n", i, n.Source, n.Export)
		default:
			return "", nil, fmt.Errorf("node %d: unknown type %q", i, n.Type)
		}
		kinds[i] = n.Type
	}
	for _, a := range g.Arguments {
		if a.Target < len(kinds) && kinds[a.Target] != "instantiation" {
			return "", nil, fmt.Errorf("%w: an argument to node %d, a %s", errInexpressible, a.Target, kinds[a.Target])
		}
	}
	for _, e := range g.Exports {
		fmt.Fprintf(&b, "export n%d as %q;\n", e.Node, e.Name)
	}
	return b.String(), pkgs, nil
}

// topoSort orders nodes so that each comes after its deps, keeping index
// order where it can; ok is false for a cycle.
func topoSort(deps [][]int) ([]int, bool) {
	state := make([]int, len(deps)) // 0 new, 1 on the stack, 2 done
	var order []int
	var visit func(i int) bool
	visit = func(i int) bool {
		switch state[i] {
		case 1:
			return false
		case 2:
			return true
		}
		state[i] = 1
		for _, d := range deps[i] {
			if d < 0 || d >= len(deps) || !visit(d) {
				return false
			}
		}
		state[i] = 2
		order = append(order, i)
		return true
	}
	for i := range deps {
		if !visit(i) {
			return nil, false
		}
	}
	return order, true
}

// importTypeText writes the type of package key's export as WAC: a path
// into the WIT package of the same WIT source for an interface, or a
// function type.
func importTypeText(t *testing.T, pkgs Packages, key, path, export string) (string, error) {
	ct, err := component.DecodeType(pkgs[key])
	if err != nil {
		return "", err
	}
	e := ct.Export(export)
	if e == nil {
		return "", fmt.Errorf("%w: package %s has no export %q to type an import by", errInexpressible, key, export)
	}
	if n, ok := component.InterfaceName(export); ok && !strings.HasSuffix(path, ".wat") {
		witKey := packageKey(n.PackageName(), n.Version)
		if _, ok := pkgs[witKey]; !ok {
			pkgs[witKey] = wasmtools.EncodeWIT(t, path)
		}
		return export, nil
	}
	x := e.Type
	if tb, ok := x.(*component.TypeBound); ok {
		if f, ok := component.Underlying(tb.Type).(*component.Func); ok {
			x = f
		}
	}
	if f, ok := x.(*component.Func); ok {
		if s, ok := funcText(f); ok {
			return s, nil
		}
	}
	return "", fmt.Errorf("%w: an import typed as %s's %s", errInexpressible, key, component.KindName(x))
}

// funcText writes a function type of primitive types as WAC.
func funcText(f *component.Func) (string, bool) {
	var params []string
	for _, p := range f.Params {
		prim, ok := p.Type.(component.Prim)
		if !ok {
			return "", false
		}
		params = append(params, p.Name+": "+component.FormatType(prim))
	}
	s := "func(" + strings.Join(params, ", ") + ")"
	if f.Result != nil {
		prim, ok := f.Result.(component.Prim)
		if !ok {
			return "", false
		}
		s += " -> " + component.FormatType(prim)
	}
	return s, true
}

// checkGraphOutput checks an output against wac's encoded.wat, leaving
// out the components wac imports instead of embedding (`unlocked-dep=<…>`).
func checkGraphOutput(dir string, out []byte, pkgs Packages, c *suiteCounts) error {
	ref, err := suiteTool("parse", filepath.Join(dir, "encoded.wat"))
	if err != nil {
		return err
	}
	return compareComposed(out, ref, pkgs, func(l string) bool { return strings.Contains(l, "unlocked-dep=") }, c)
}
