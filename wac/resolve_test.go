package wac

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestResolveErrors composes testdata/resolve-errors/*.txtar: an app.wac,
// the packages it uses (see testPackages), and the expected error, from
// resolving, planning or encoding.
func TestResolveErrors(t *testing.T) {
	txtarCases(t, "testdata/resolve-errors/*.txtar", func(c *txtarCase) {
		_, err := c.compose()
		if err == nil {
			c.t.Fatal("composed, but an error was expected")
		}
		c.check("error", Format(err))
	})
}

// FuzzResolve: no document makes resolving or planning panic against a
// fixed set of packages (a WIT package and two components), and every
// error it gives is positioned in the document.
func FuzzResolve(f *testing.F) {
	dir := f.TempDir()
	wit := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			f.Fatal(err)
		}
		return p
	}
	types := wit("types.wit", "package acme:types@1.0.0;\ninterface kv {\n  resource bucket { get: func(k: string) -> option<string>; }\n  open: func() -> bucket;\n}\ninterface log { use kv.{bucket}; dump: func(b: borrow<bucket>); }\nworld app { import kv; export log; }\n")
	pkgs := Packages{
		"acme:types": wasmtools.EncodeWIT(f, types),
		"acme:app":   wasmtools.DummyComponent(f, types, "app"),
	}
	for _, s := range []string{
		"package acme:doc;\nlet a = new acme:app { ... };\nexport a...;\n",
		"package acme:doc;\nimport kv: acme:types/kv@1.0.0;\nlet a = new acme:app { kv };\nexport a[\"acme:types/log@1.0.0\"];\n",
		"package acme:doc targets acme:types/app@1.0.0;\nimport kv: acme:types/kv@1.0.0;\nexport (new acme:app { kv }).log;\n",
		"package acme:doc;\ninterface i { use acme:types/kv@1.0.0.{bucket}; f: func(b: bucket); }\nworld w { import i; include acme:types/app@1.0.0; }\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		comp, err := Load(context.Background(), "f.wac", []byte(src), pkgs)
		if err == nil {
			_, err = comp.Plan()
		}
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("not positioned: %v", err)
		}
		if e.Span.Start < 0 || e.Span.End > len(src) || e.Span.Start > e.Span.End {
			t.Fatalf("span %v outside the input of %d bytes", e.Span, len(src))
		}
	})
}
