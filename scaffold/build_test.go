package scaffold_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wcomp/wcomp/builder"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/scaffold"
)

var engine = sync.OnceValues(func() (*host.Engine, error) { return host.NewEngine(host.Options{}) })

// TestTemplatesBuildAndRun is the templates' end-to-end test: each
// language's member is written into an empty project, built by the
// builder with the real toolchain, validated by wasm-tools and Wasmtime,
// and called. A second build must be fresh, and an edit must rebuild.
// The toolchain caches are the user's ($XDG_CACHE_HOME/wcomp), as for
// any wcomp build; each project is new.
func TestTemplatesBuildAndRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds with real toolchains: skipped under -short")
	}
	for _, lang := range scaffold.Languages {
		t.Run(lang, func(t *testing.T) {
			buildTemplate(t, lang)
		})
	}
}

func buildTemplate(t *testing.T, lang string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	root := t.TempDir()
	name := "hello-" + lang
	m, err := scaffold.New(scaffold.Options{Name: name, Language: lang, Package: "example:service@0.1.0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := scaffold.Write(root, m); err != nil {
		t.Fatal(err)
	}
	b, err := builder.New(builder.Options{TargetDir: filepath.Join(root, "target", "wcomp")})
	if err != nil {
		t.Fatal(err)
	}
	spec := builder.Spec{
		Name:     m.Entry.Name,
		Language: builder.Language(m.Entry.Language),
		Dir:      filepath.Join(root, m.Entry.Dir),
		WIT:      filepath.Join(root, "wit"),
		World:    m.Entry.World,
	}
	if lang == "rust" {
		// std is built for wasm32-wasip1 in the target directory (minutes
		// of CPU on the first build). A user's crate keeps its target/
		// between builds; the test keeps one in the user's cache, found
		// by the builder through cargo metadata like any other.
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		spec.Env = map[string]string{"CARGO_TARGET_DIR": filepath.Join(cache, "wcomp-tests", "cargo-target")}
	}

	start := time.Now()
	res := build(t, ctx, b, spec)
	t.Logf("first build: %v (%d bytes, toolchain %s)", time.Since(start).Round(time.Millisecond), res.Size, res.Toolchain)
	if res.Fresh {
		t.Fatal("first build reported fresh")
	}
	wasm, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, wasm)
	eng, err := engine()
	if err != nil {
		t.Fatal(err)
	}
	// componentize-js imports wasi:http whether or not the code uses it.
	got, err := eng.Invoke(ctx, wasm, m.Call, host.RunOptions{HTTP: lang == "js"})
	if err != nil {
		t.Fatalf("%s: %v", m.Call, err)
	}
	if got != m.Result {
		t.Fatalf("%s = %s, want %s", m.Call, got, m.Result)
	}

	start = time.Now()
	again := build(t, ctx, b, spec)
	t.Logf("no-op build: %v", time.Since(start).Round(time.Microsecond))
	if !again.Fresh || again.Digest != res.Digest {
		t.Fatalf("second build: fresh=%v digest %s, want fresh with %s", again.Fresh, again.Digest, res.Digest)
	}

	// An edit to the source rebuilds, with the toolchain's caches warm.
	src := filepath.Join(root, sourceFile(m))
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	warm := build(t, ctx, b, spec)
	t.Logf("warm build after an edit: %v", time.Since(start).Round(time.Millisecond))
	if warm.Fresh {
		t.Fatal("build after editing the source reported fresh")
	}
}

func build(t *testing.T, ctx context.Context, b *builder.Builder, spec builder.Spec) *builder.Result {
	t.Helper()
	res, err := b.Build(ctx, spec)
	if err != nil {
		var be *builder.BuildError
		if ok := asBuildError(err, &be); ok {
			t.Fatalf("%v\n%s", err, be.Output)
		}
		t.Fatal(err)
	}
	return res
}

// sourceFile is the template file that implements the world.
func sourceFile(m *scaffold.Member) string {
	for _, f := range m.Files {
		switch filepath.Ext(f.Path) {
		case ".rs", ".py", ".js":
			if filepath.Base(f.Path) != "package.json" {
				return f.Path
			}
		case ".go":
			if filepath.Base(f.Path) == "greet.go" {
				return f.Path
			}
		}
	}
	return ""
}

func asBuildError(err error, target **builder.BuildError) bool { return errors.As(err, target) }
