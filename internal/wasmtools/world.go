package wasmtools

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// WorldImport is one import of a component's world as wasm-tools reads
// it: an interface by its full name (ns:pkg/iface@version), or a
// world-level item by its plain name.
type WorldImport struct {
	Name string
	// Functions counts the interface's functions (0 for an interface a
	// component imports only for its types); 1 for a function import.
	Functions int
}

// WorldImports returns the imports of a component's world, from
// `wasm-tools component wit --json`, in name order: the outside tool's
// reading of what a component asks its host for.
func WorldImports(t testing.TB, wasm []byte) []WorldImport {
	t.Helper()
	var doc struct {
		Worlds []struct {
			Imports map[string]struct {
				Interface *struct {
					ID int `json:"id"`
				} `json:"interface"`
				Function any `json:"function"`
			} `json:"imports"`
		} `json:"worlds"`
		Interfaces []struct {
			Name      string         `json:"name"`
			Package   int            `json:"package"`
			Functions map[string]any `json:"functions"`
		} `json:"interfaces"`
		Packages []struct {
			Name string `json:"name"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(ComponentWITJSON(t, wasm), &doc); err != nil {
		t.Fatalf("wasm-tools component wit --json: %v", err)
	}
	if len(doc.Worlds) == 0 {
		t.Fatal("wasm-tools component wit --json: no world")
	}
	var out []WorldImport
	// The component's own world is the last one wasm-tools prints.
	for key, imp := range doc.Worlds[len(doc.Worlds)-1].Imports {
		switch {
		case imp.Interface != nil:
			iface := doc.Interfaces[imp.Interface.ID]
			pkg, version, _ := strings.Cut(doc.Packages[iface.Package].Name, "@")
			name := pkg + "/" + iface.Name
			if version != "" {
				name += "@" + version
			}
			out = append(out, WorldImport{Name: name, Functions: len(iface.Functions)})
		case imp.Function != nil:
			out = append(out, WorldImport{Name: key, Functions: 1})
		default:
			out = append(out, WorldImport{Name: key})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// WorldImportNames is WorldImports' names.
func WorldImportNames(t testing.TB, wasm []byte) []string {
	t.Helper()
	imps := WorldImports(t, wasm)
	out := make([]string, len(imps))
	for i, imp := range imps {
		out[i] = imp.Name
	}
	return out
}
