package builder

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStaleness builds a Python member with a fake componentize-py, makes
// one change, and checks whether the member is stale, why, and that Build
// then runs the toolchain exactly when it is stale.
func TestStaleness(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *project, spec *Spec)
		reason string // "" means fresh
	}{
		{"nothing changed", func(p *project, spec *Spec) {}, ""},
		{"watched file edited", func(p *project, spec *Spec) {
			p.write("app/app.py", "def f(): return 8\n")
		}, "app.py changed"},
		{"watched file touched only", func(p *project, spec *Spec) {
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(filepath.Join(p.root, "app/app.py"), later, later); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"watched file added", func(p *project, spec *Spec) {
			p.write("app/pkg/util.py", "X = 1\n")
		}, "pkg/util.py (new) changed"},
		{"watched file removed", func(p *project, spec *Spec) {
			os.Remove(filepath.Join(p.root, "app/helper.py"))
		}, "helper.py (removed) changed"},
		{"unwatched file edited", func(p *project, spec *Spec) {
			p.write("app/README.md", "changed\n")
		}, ""},
		{"file in a skipped directory", func(p *project, spec *Spec) {
			p.write("app/__pycache__/app.py", "cached\n")
			p.write("app/.venv/lib/x.py", "venv\n")
		}, ""},
		{"WIT edited", func(p *project, spec *Spec) {
			p.write("wit/app.wit", "package example:app;\n\nworld app {\n  export f: func() -> u64;\n}\n")
		}, "WIT app.wit changed"},
		{"WIT dependency added", func(p *project, spec *Spec) {
			p.write("wit/deps/x/x.wit", "package example:x;\n")
		}, "WIT deps/x/x.wit (new) changed"},
		{"toolchain version changed", func(p *project, spec *Spec) {
			p.fakeComponentizePy("0.0.2")
		}, "the toolchain changed (componentize-py 0.0.1 → componentize-py 0.0.2)"},
		{"build.env changed", func(p *project, spec *Spec) {
			spec.Env = map[string]string{"MODE": "release"}
		}, "build.env changed"},
		{"world changed", func(p *project, spec *Spec) {
			spec.World = "other"
		}, "the world changed (app → other)"},
		{"module changed", func(p *project, spec *Spec) {
			spec.Module = "main"
		}, "the build command changed"},
		{"custom watch list", func(p *project, spec *Spec) {
			spec.Watch = []string{"README.md"}
		}, "README.md (new), app.py (removed), helper.py (removed) changed"},
		{"output removed", func(p *project, spec *Spec) {
			os.Remove(filepath.Join(p.root, "target/wcomp/members/app.wasm"))
		}, "the output was removed or replaced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			p.fakeComponentizePy("0.0.1")
			p.write("app/app.py", "def f(): return 7\n")
			p.write("app/helper.py", "H = 1\n")
			p.write("app/README.md", "readme\n")
			b := p.builder(nil)
			spec := p.pythonSpec()
			first := mustBuild(t, b, spec)
			if first.Fresh || p.runs() != 1 {
				t.Fatalf("first build: fresh=%v, toolchain runs %d; want a build", first.Fresh, p.runs())
			}

			tt.change(p, &spec)
			b = p.builder(nil) // a new wcomp process: nothing remembered in memory
			reason, err := b.Stale(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			if reason != tt.reason {
				t.Errorf("Stale = %q, want %q", reason, tt.reason)
			}
			res := mustBuild(t, b, spec)
			wantRuns := 1
			if tt.reason != "" {
				wantRuns = 2
			}
			if res.Fresh != (tt.reason == "") || p.runs() != wantRuns {
				t.Errorf("Build: fresh=%v, toolchain runs %d; want fresh=%v, %d runs", res.Fresh, p.runs(), tt.reason == "", wantRuns)
			}
			if res.Digest != first.Digest || res.Path != first.Path {
				t.Errorf("Build: %s at %s, want %s at %s", res.Digest, res.Path, first.Digest, first.Path)
			}
		})
	}
}

// TestFingerprintIsPortable checks that the inputs digest depends on
// content only: the same member in another directory has the same one, so
// wcomp.lock can record it.
func TestFingerprintIsPortable(t *testing.T) {
	var digests []string
	for range 2 {
		p := newProject(t)
		p.fakeComponentizePy("0.0.1")
		p.write("app/app.py", "def f(): return 7\n")
		fp, err := p.builder(nil).Fingerprint(context.Background(), p.pythonSpec())
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, fp.Inputs)
	}
	if digests[0] != digests[1] {
		t.Errorf("the same member in two directories: inputs %s and %s", digests[0], digests[1])
	}
}

// TestProbeCache checks that a version probe is remembered across
// builders and asked again when the tool changes.
func TestProbeCache(t *testing.T) {
	p := newProject(t)
	counter := filepath.Join(p.root, "probes.log")
	p.tool("componentize-py", `echo probe >> `+counter+`; echo "componentize-py 1.0"`)
	p.write("app/app.py", "")
	for range 3 {
		if _, err := p.builder(nil).Fingerprint(context.Background(), p.pythonSpec()); err != nil {
			t.Fatal(err)
		}
	}
	if n := countLines(t, counter); n != 1 {
		t.Fatalf("three fingerprints probed the version %d times, want 1", n)
	}
	p.tool("componentize-py", `echo probe >> `+counter+`; echo "componentize-py 2.0"`)
	fp, err := p.builder(nil).Fingerprint(context.Background(), p.pythonSpec())
	if err != nil {
		t.Fatal(err)
	}
	if n := countLines(t, counter); n != 2 || fp.Toolchain != "componentize-py 2.0" {
		t.Fatalf("after replacing the tool: %d probes, toolchain %q; want 2 and componentize-py 2.0", n, fp.Toolchain)
	}
}

func countLines(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range data {
		if c == '\n' {
			n++
		}
	}
	return n
}

// TestToolchainWritesAbsorbed: a lockfile the toolchain creates or
// rewrites during the build is part of the recorded inputs, so the next
// build is fresh; a source edited during the build is not.
func TestToolchainWritesAbsorbed(t *testing.T) {
	tests := []struct {
		name  string
		write string // what the fake toolchain writes while building
		fresh bool
	}{
		{"lockfile created", "echo locked > Cargo.lock", true},
		{"lockfile rewritten", "echo relocked > Cargo.lock", true},
		{"new source file created", "echo 'x = 1' > generated.py", true},
		{"source edited during the build", "echo 'def f(): return 9' > app.py", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			p.write("app/app.py", "def f(): return 7\n")
			if tt.name != "lockfile created" {
				p.write("app/Cargo.lock", "old\n")
			}
			p.write("small.wasm", string(smallComponent(t)))
			spec := Spec{Name: "app", Language: Shell, Dir: filepath.Join(p.root, "app"),
				Command:  Command{Script: tt.write + " && cp ../small.wasm out.wasm"},
				Artifact: "out.wasm", Watch: []string{"**/*.py", "Cargo.lock"}}
			b := p.builder(nil)
			mustBuild(t, b, spec)
			reason, err := b.Stale(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			if (reason == "") != tt.fresh {
				t.Errorf("after the build: stale reason %q, want fresh=%v", reason, tt.fresh)
			}
		})
	}
}
