package registry_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// witJSON is the part of `wasm-tools component wit --json` the tests read.
type witJSON struct {
	Packages []struct {
		Name       string
		Worlds     orderedMap
		Interfaces orderedMap
	}
	Interfaces []struct {
		Name    string
		Package int
	}
	Worlds []struct {
		Name    string
		Package int
		Imports orderedMap
		Exports orderedMap
	}
}

// orderedMap keeps the keys of a JSON object in document order.
type orderedMap struct {
	keys   []string
	values map[string]json.RawMessage
}

func (m *orderedMap) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return err
	}
	m.values = map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		m.keys = append(m.keys, key)
		m.values[key] = v
	}
	return nil
}

// interfaceID is the full name of interface i: ns:pkg/name@version.
func (w *witJSON) interfaceID(i int) string {
	iface := w.Interfaces[i]
	pkg, version, _ := strings.Cut(w.Packages[iface.Package].Name, "@")
	id := pkg + "/" + iface.Name
	if version != "" {
		id += "@" + version
	}
	return id
}

// itemNames spells world item keys as the component model names them:
// interface-N keys become the interface's full name.
func (w *witJSON) itemNames(m orderedMap) []string {
	names := []string{}
	for _, k := range m.keys {
		var item struct{ Interface *struct{ ID int } }
		json.Unmarshal(m.values[k], &item)
		if item.Interface != nil && strings.HasPrefix(k, "interface-") {
			names = append(names, w.interfaceID(item.Interface.ID))
		} else {
			names = append(names, k)
		}
	}
	return names
}

// wasmToolsWorld is the oracle for a component's config: the imports and
// exports of its world as wasm-tools decodes it (the root world of package
// root:component).
func wasmToolsWorld(t *testing.T, wasm []byte) (imports, exports []string) {
	t.Helper()
	var w witJSON
	if err := json.Unmarshal(wasmtools.ComponentWITJSON(t, wasm), &w); err != nil {
		t.Fatal(err)
	}
	for _, world := range w.Worlds {
		if world.Name == "root" && w.Packages[world.Package].Name == "root:component" {
			return w.itemNames(world.Imports), w.itemNames(world.Exports)
		}
	}
	t.Fatal("wasm-tools gave no root:component/root world")
	return nil, nil
}

// wasmToolsPackageExports is the oracle for a WIT package's config
// exports: every world's exports and full name, and every interface, of
// the package named pkg.
func wasmToolsPackageExports(t *testing.T, wasm []byte, pkg string) []string {
	t.Helper()
	var w witJSON
	if err := json.Unmarshal(wasmtools.ComponentWITJSON(t, wasm), &w); err != nil {
		t.Fatal(err)
	}
	for pi, p := range w.Packages {
		if p.Name != pkg {
			continue
		}
		var out []string
		name, version, _ := strings.Cut(p.Name, "@")
		for _, wn := range p.Worlds.keys {
			var idx int
			json.Unmarshal(p.Worlds.values[wn], &idx)
			out = append(out, w.itemNames(w.Worlds[idx].Exports)...)
			full := name + "/" + wn
			if version != "" {
				full += "@" + version
			}
			out = append(out, full)
		}
		for i, iface := range w.Interfaces {
			if iface.Package == pi {
				out = append(out, w.interfaceID(i))
			}
		}
		return out
	}
	t.Fatalf("wasm-tools found no package %s", pkg)
	return nil
}

func sortedSet(xs []string) string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}
