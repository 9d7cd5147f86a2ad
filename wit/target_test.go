package wit

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// targetProject lays out testdata/target/wit with WASI 0.2.12 (jco's
// copy, installed by .ci/install.sh) vendored beside the example packages,
// and returns the WIT directory.
func targetProject(t testing.TB) string {
	t.Helper()
	jco := "../fixtures/js/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"
	if _, err := os.Stat(jco); err != nil {
		if testing.Short() {
			t.Skip("jco's WASI WIT is not installed (.ci/install.sh)")
		}
		t.Fatalf("jco's WASI WIT: %v: run .ci/install.sh", err)
	}
	dir := filepath.Join(t.TempDir(), "wit")
	err := filepath.WalkDir("testdata/target/wit", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("testdata/target/wit", path)
		copyFile(t, path, filepath.Join(dir, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(jco)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(t, filepath.Join(jco, e.Name(), "package.wit"), filepath.Join(dir, "deps", e.Name(), "package.wit"))
	}
	return dir
}

func targetWorld(t *testing.T, p *Project, spec string) *namedWorld {
	t.Helper()
	w, err := p.FindWorld(spec)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := WorldType(w, WorldOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &namedWorld{ID: WorldID(w), Type: ct}
}

// violations runs CheckTarget and returns its violations as strings.
func violations(t *testing.T, world *namedWorld, data []byte, compatible func(a, b string) bool) []string {
	t.Helper()
	err := CheckTarget(world.ID, world.Type, decode(t, data), TargetOptions{Compatible: compatible})
	if err == nil {
		return nil
	}
	var te *TargetError
	if !errors.As(err, &te) {
		t.Fatalf("CheckTarget error %T, want *TargetError: %v", err, err)
	}
	var out []string
	for _, v := range te.Violations {
		out = append(out, v.String())
	}
	return out
}

// TestCheckTargetFixtures checks real components against target worlds,
// with the semver rule composition uses (graph.Compatible): WASI at
// @0.2.9 or @0.2.6 satisfies a world written against @0.2.12 when the
// types agree.
func TestCheckTargetFixtures(t *testing.T) {
	p, err := Load(targetProject(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fixture, world string
		want           []string
	}{
		{"validator", "processing-service", nil},
		{"hello", "wasi:cli/command@0.2.x", nil},
		{"hello", "processing-service", []string{
			"export `example:service/processing@0.1.0`: missing: the world exports an instance",
		}},
		// Python's business imports processing, which a command does not
		// provide; its @0.2.9 WASI imports and @0.2.6 run export match
		// the world's @0.2.12 ones.
		{"business", "wasi:cli/command@0.2.x", []string{
			"import `example:service/processing@0.1.0`: the world does not provide it",
		}},
		{"business", "test:target/app", []string{
			"import `example:service/processing@0.1.0`: the world does not provide it",
		}},
		{"enricher", "processing-service", []string{
			"import `example:service/processing@0.1.0`: the world does not provide it",
			"import `wasi:http/types@0.2.10`: the world does not provide it",
			"import `wasi:http/outgoing-handler@0.2.10`: the world does not provide it",
		}},
		{"wit-mismatch-a", "geometry-service", []string{
			"export `example:shapes/geometry@0.1.0`: export `point`: field `x`: expected f64, found u32",
		}},
	} {
		t.Run(tc.fixture+"/"+tc.world, func(t *testing.T) {
			got := violations(t, targetWorld(t, p, tc.world), fixture.Read(t, tc.fixture), graph.Compatible)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("violations differ (- want, + got):\n%s", golden.Diff(strings.Join(tc.want, "\n")+"\n", strings.Join(got, "\n")+"\n"))
			}
		})
	}
}

// TestCheckTargetComposed composes the seed service (business plugged
// with validator) and checks the result against the world it is for: the
// processing import is gone, so it conforms.
func TestCheckTargetComposed(t *testing.T) {
	if testing.Short() {
		t.Skip("composes and validates an 18 MB component")
	}
	p, err := Load(targetProject(t))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compose.Compose(compose.Options{
		Root:  compose.Input{Name: "business", Bytes: fixture.Read(t, "business")},
		Plugs: []compose.Input{{Name: "validator", Bytes: fixture.Read(t, "validator")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	data := res.Bytes()
	validate.Component(t, data)
	if got := violations(t, targetWorld(t, p, "app"), data, graph.Compatible); got != nil {
		t.Errorf("the composed service does not conform to app:\n%s", strings.Join(got, "\n"))
	}
}

// TestCheckTargetAgreesWithWasmTools compares the verdict of CheckTarget,
// matching names exactly as wasm-tools does, with `wasm-tools component
// targets` for every built fixture against every world of the target
// project.
func TestCheckTargetAgreesWithWasmTools(t *testing.T) {
	if testing.Short() {
		t.Skip("runs wasm-tools component targets some 300 times")
	}
	dir := targetProject(t)
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tool := wasmtools.Path(t)
	var worlds []*namedWorld
	for _, w := range p.Resolve.Worlds {
		ct, err := WorldType(w, WorldOptions{})
		if err != nil {
			t.Fatalf("%s: %v", WorldID(w), err)
		}
		worlds = append(worlds, &namedWorld{ID: WorldID(w), Type: ct})
	}
	agreed, conforming := 0, 0
	for _, path := range fixture.All(t) {
		name := fixture.Name(path)
		if fixture.WasmToolsFeatures(name) != "" {
			continue // wasm-tools targets has no --features for the component
		}
		data := fixture.Read(t, name)
		for _, w := range worlds {
			ours := violations(t, w, data, nil)
			out, err := exec.Command(tool, "component", "targets", "--world", w.ID, dir, path).CombinedOutput()
			theirs := err == nil
			if theirs != (ours == nil) {
				t.Errorf("%s against %s: wasm-tools says conforms=%v (%s), CheckTarget says %v", name, w.ID, theirs, firstLine(strings.TrimSpace(string(out))), ours)
				continue
			}
			agreed++
			if theirs {
				conforming++
			}
		}
	}
	if conforming < 3 || agreed-conforming < 3 {
		t.Errorf("%d verdicts agreed, %d of them conforming: too few of one kind to mean much", agreed, conforming)
	}
	t.Logf("%d verdicts agreed with wasm-tools, %d conforming", agreed, conforming)
}

// namedWorld is a world's ID and its component type.
type namedWorld struct {
	ID   string
	Type *component.ComponentType
}

// BenchmarkLoad is the cost of parsing a project's WIT with WASI vendored
// (go.bytecodealliance.org/wit runs wasm-tools, compiled to WebAssembly,
// in wazero; the compilation is cached on disk after the first run).
func BenchmarkLoad(b *testing.B) {
	dir := targetProject(b)
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckTarget is the target check once WIT is loaded: the world
// converted and the Python business component checked against it.
func BenchmarkCheckTarget(b *testing.B) {
	p, err := Load(targetProject(b))
	if err != nil {
		b.Fatal(err)
	}
	w, err := p.FindWorld("app")
	if err != nil {
		b.Fatal(err)
	}
	ct, err := component.DecodeType(fixture.Read(b, "business"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		wt, err := WorldType(w, WorldOptions{})
		if err != nil {
			b.Fatal(err)
		}
		_ = CheckTarget("app", wt, ct, TargetOptions{Compatible: graph.Compatible})
	}
}
