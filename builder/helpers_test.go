package builder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	wasmtime "github.com/bytecodealliance/wasmtime-go/v44"
)

// smallComponent is a valid component exporting f: func() -> u32 = 7.
func smallComponent(t *testing.T) []byte {
	t.Helper()
	wasm, err := wasmtime.Wat2Wasm(`(component
		(core module $m (func (export "f") (result i32) (i32.const 7)))
		(core instance $i (instantiate $m))
		(func (export "f") (result u32) (canon lift (core func $i "f"))))`)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// project is a scratch project for builder tests: a member directory, a
// WIT directory, a bin directory that is the whole PATH besides the
// system's, and a builder over them with its own cache.
type project struct {
	t     *testing.T
	root  string
	bin   string
	cache string
}

func newProject(t *testing.T) *project {
	t.Helper()
	root := t.TempDir()
	p := &project{t: t, root: root, bin: filepath.Join(root, "bin"), cache: filepath.Join(root, "cache")}
	for _, d := range []string{p.bin, filepath.Join(root, "app"), filepath.Join(root, "wit")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p.write("wit/app.wit", "package example:app;\n\nworld app {\n  export f: func() -> u32;\n}\n")
	return p
}

// path is a PATH with the project's bin first, then the system's basics
// (sh, cp, sleep), and none of the user's toolchains.
func (p *project) path() string { return p.bin + ":/usr/bin:/bin" }

func (p *project) builder(mod func(*Options)) *Builder {
	p.t.Helper()
	opts := Options{
		TargetDir: filepath.Join(p.root, "target", "wcomp"),
		CacheDir:  p.cache,
		Env:       []string{"PATH=" + p.path(), "HOME=" + p.root},
	}
	if mod != nil {
		mod(&opts)
	}
	b, err := New(opts)
	if err != nil {
		p.t.Fatal(err)
	}
	b.systemRust = rustPair{} // only what PATH has
	return b
}

func (p *project) write(rel, content string) string {
	p.t.Helper()
	path := filepath.Join(p.root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// tool installs an executable script into the project's bin.
func (p *project) tool(name, script string) {
	p.t.Helper()
	path := filepath.Join(p.bin, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		p.t.Fatal(err)
	}
}

// fakeComponentizePy installs a componentize-py that reports version and
// writes the small component to its -o argument, logging each build to
// runs.log.
func (p *project) fakeComponentizePy(version string) {
	p.t.Helper()
	comp := filepath.Join(p.root, "small.wasm")
	if _, err := os.Stat(comp); err != nil {
		if err := os.WriteFile(comp, smallComponent(p.t), 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	p.tool("componentize-py", `if [ "$1" = --version ]; then echo "componentize-py `+version+`"; exit 0; fi
echo build >> "`+filepath.Join(p.root, "runs.log")+`"
while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out=$2; fi; shift; done
cp "`+comp+`" "$out"
`)
}

// runs counts the fake toolchain's builds.
func (p *project) runs() int {
	data, _ := os.ReadFile(filepath.Join(p.root, "runs.log"))
	return strings.Count(string(data), "build\n")
}

func (p *project) pythonSpec() Spec {
	return Spec{Name: "app", Language: Python, Dir: filepath.Join(p.root, "app"), WIT: filepath.Join(p.root, "wit"), World: "app"}
}

func mustBuild(t *testing.T, b *Builder, spec Spec) *Result {
	t.Helper()
	res, err := b.Build(context.Background(), spec)
	if err != nil {
		var be *BuildError
		if errors.As(err, &be) {
			t.Fatalf("%v\n%s", err, be.Output)
		}
		t.Fatal(err)
	}
	return res
}
