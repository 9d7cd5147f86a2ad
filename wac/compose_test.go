package wac

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestCompose composes testdata/compose/*.txtar: an app.wac and its
// packages (see testPackages), and checks the output with outside tools:
// wasm-tools and Wasmtime must accept it, and `wasm-tools component wit`
// must print the `wit` section (or, for a document that exports types,
// which `component wit` does not print, `wasm-tools print` the `print`
// section).
func TestCompose(t *testing.T) {
	txtarCases(t, "testdata/compose/*.txtar", func(c *txtarCase) {
		out, err := c.compose()
		if err != nil {
			c.t.Fatal(Format(err))
		}
		validate.Component(c.t, out)
		if _, ok := c.file("print"); ok {
			c.check("print", wasmPrint(c.t, out))
			return
		}
		c.check("wit", wasmtools.ComponentWIT(c.t, out))
	})
}

// compose writes a case's packages (deps/ and components/) to a
// temporary directory and composes its app.wac with them.
func (c *txtarCase) compose() ([]byte, error) {
	dir := c.t.TempDir()
	c.writeFiles(dir, "deps/")
	c.writeFiles(dir, "components/")
	src, _ := c.file("app.wac")
	doc, err := Parse(NewFile("app.wac", []byte(src)))
	if err != nil {
		return nil, err
	}
	return composeDoc(doc, testPackages{t: c.t, dir: dir})
}

// testPackages finds a test's packages: components/ns/name.wit (or
// components/ns/name/VERSION.wit) is the world of a component built with
// a dummy core module (wasmtools.DummyComponent); anything else is found
// under deps/ as dirDeps finds it.
type testPackages struct {
	t   testing.TB
	dir string
}

func (p testPackages) ResolvePackage(ctx context.Context, name, version string) ([]byte, error) {
	parts := append([]string{p.dir, "components"}, strings.Split(name, ":")...)
	wit := filepath.Join(parts...)
	if version != "" {
		wit = filepath.Join(wit, version)
	}
	if _, err := os.Stat(wit + ".wit"); err == nil {
		return wasmtools.DummyComponent(p.t, wit+".wit", ""), nil
	}
	data, err := dirDeps(filepath.Join(p.dir, "deps")).ResolvePackage(ctx, name, version)
	if err != nil {
		return nil, fmt.Errorf("%w (nor components/%s.wit)", err, strings.ReplaceAll(name, ":", "/"))
	}
	return data, nil
}

// wasmPrint is `wasm-tools print` of a component.
func wasmPrint(t testing.TB, wasm []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.wasm")
	if err := os.WriteFile(p, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runTool(wasmtools.Path(t), "print", p)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
