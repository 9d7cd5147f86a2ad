package project

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// newProject writes testdata/NAME.txtar into a fresh directory and returns
// the directory.
func newProject(t testing.TB, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		write(t, filepath.Join(dir, f.Name), string(f.Data))
	}
	return dir
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// recorder is a Reporter that keeps every event.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Report(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// members returns "kind member" for the events of kind k, in order.
func (r *recorder) of(kinds ...Kind) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		for _, k := range kinds {
			if e.Kind == k {
				out = append(out, strings.TrimSpace(k.String()+" "+e.Member))
			}
		}
	}
	return out
}

func (r *recorder) has(k Kind) bool { return len(r.of(k)) > 0 }

// toolEnv is the environment the test projects' commands run in: the
// process's, with the native wasm-tools first on PATH (CI's wasm-tools on
// PATH is a slow Python wrapper), and a cache of the test's own.
func toolEnv(t testing.TB) (env []string, cache string) {
	t.Helper()
	bin := t.TempDir()
	if err := os.Symlink(wasmtools.Path(t), filepath.Join(bin, "wasm-tools")); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return env, t.TempDir()
}

// builder runs builds of one project directory with one environment and
// cache, as repeated `wcomp build` runs in one shell would.
type testBuild struct {
	t     *testing.T
	dir   string
	env   []string
	cache string
}

func newTestBuild(t *testing.T, project string) *testBuild {
	t.Helper()
	env, cache := toolEnv(t)
	return &testBuild{t: t, dir: newProject(t, project), env: env, cache: cache}
}

func (b *testBuild) path(rel string) string { return filepath.Join(b.dir, rel) }

// run builds with opts (Env, CacheDir and Reporter filled in) and returns
// the result, the error and what was reported.
func (b *testBuild) run(opts Options) (*Result, *recorder, error) {
	b.t.Helper()
	p, err := Load(b.dir)
	if err != nil {
		return nil, &recorder{}, err
	}
	rec := &recorder{}
	opts.Env, opts.CacheDir, opts.Reporter = b.env, b.cache, rec
	if opts.Version == "" {
		opts.Version = "test"
	}
	res, err := p.Build(context.Background(), opts)
	return res, rec, err
}

// mustRun is run that fails the test on an error.
func (b *testBuild) mustRun(opts Options) (*Result, *recorder) {
	b.t.Helper()
	res, rec, err := b.run(opts)
	if err != nil {
		b.t.Fatalf("build: %v", err)
	}
	return res, rec
}
