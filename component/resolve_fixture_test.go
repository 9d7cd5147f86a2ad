package component

import (
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestResolveFixtures resolves every built fixture (real toolchain output)
// and checks that the top-level import and export names of its function and
// instance items are those wasm-tools shows for its world.
func TestResolveFixtures(t *testing.T) {
	eachFixture(t, func(t *testing.T, _ string, data []byte) {
		ct, err := DecodeType(data)
		if err != nil {
			t.Fatalf("DecodeType: %v", err)
		}
		dump := FormatComponentType(ct)
		if dump == "" && (len(ct.Imports) > 0 || len(ct.Exports) > 0) {
			t.Fatal("empty dump")
		}
		// wit-component wraps exports in shims whose imports are named
		// import-type-*; after substitution none of them may be left.
		if strings.Contains(dump, "import-type-") {
			t.Errorf("a shim's type import was not substituted:\n%s", dump)
		}
		wantImports, wantExports := witWorldNames(t, data)
		gotImports, gotExports := resolvedItemNames(ct.Imports), resolvedItemNames(ct.Exports)
		if !slices.Equal(gotImports, wantImports) {
			t.Errorf("imports:\n got %q\nwant %q (wasm-tools component wit)", gotImports, wantImports)
		}
		if !slices.Equal(gotExports, wantExports) {
			t.Errorf("exports:\n got %q\nwant %q (wasm-tools component wit)", gotExports, wantExports)
		}
	})
}

// resolvedItemNames lists the names of the func and instance items, sorted (WIT
// prints the world in its own order). Type items are left out: WIT shows
// them as `use` or `type` lines, not as imports.
func resolvedItemNames(items []Item) []string {
	var names []string
	for _, it := range items {
		switch it.Type.(type) {
		case *Func, *InstanceType:
			names = append(names, it.Name)
		}
	}
	slices.Sort(names)
	return names
}

// witWorldNames reads the import and export names of the world that
// `wasm-tools component wit` prints for the component.
func witWorldNames(t *testing.T, data []byte) (imports, exports []string) {
	t.Helper()
	wit := wasmtools.ComponentWIT(t, data)
	inWorld := false
	for _, line := range strings.Split(wit, "\n") {
		switch {
		case strings.HasPrefix(line, "world "):
			inWorld = true
			continue
		case inWorld && line == "}":
			inWorld = false
		}
		if !inWorld || !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
			continue
		}
		l := strings.TrimSpace(line)
		for _, kw := range []string{"import ", "export "} {
			if !strings.HasPrefix(l, kw) {
				continue
			}
			rest := strings.TrimPrefix(l, kw)
			// `import wasi:io/error@0.2.0;` names an interface;
			// `import name: func(...);` and `import name: interface {` a
			// named item.
			n := strings.TrimSuffix(rest, ";")
			if i := strings.Index(rest, ": "); i >= 0 {
				n = rest[:i]
			}
			n = strings.TrimPrefix(n, "%")
			if kw == "import " {
				imports = append(imports, n)
			} else {
				exports = append(exports, n)
			}
		}
	}
	slices.Sort(imports)
	slices.Sort(exports)
	return imports, exports
}
