package compose

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtimecli"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// runEngine runs composed services in tests (its compilation cache makes
// the second run of one output cheap).
var runEngine = sync.OnceValues(func() (*host.Engine, error) { return host.NewEngine(host.Options{}) })

// runStdout runs wasm's wasi:cli/run in the embedded Wasmtime and returns
// what it printed.
func runStdout(t *testing.T, wasm []byte) string {
	t.Helper()
	e, err := runEngine()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code, err := e.Run(context.Background(), wasm, host.RunOptions{Stdout: &out, Stderr: &errOut, HTTP: true})
	if err != nil || code != 0 {
		t.Fatalf("run: exit %d, %v\nstderr: %s", code, err, errOut.String())
	}
	return out.String()
}

// objdumpItem is a core module or component as `wasm-tools objdump` lists
// it: its nesting level and its bytes.
type objdumpItem struct {
	module bool
	level  int
	data   []byte
}

// nestedByObjdump lists what wasm nests, as wasm-tools (not wcomp) reads
// it, so the tests' expectations do not come from wcomp's own scanner.
func nestedByObjdump(t *testing.T, wasm []byte) []objdumpItem {
	t.Helper()
	var items []objdumpItem
	for _, it := range wasmtools.NestedItems(t, wasm) {
		items = append(items, objdumpItem{module: it.Module, level: it.Level, data: it.Bytes(wasm)})
	}
	return items
}

// moduleCounts counts the core modules of components by content, and
// says what storing each distinct one once saves.
func moduleCounts(t *testing.T, wasms ...[]byte) (counts map[[32]byte]int, saved int) {
	counts = map[[32]byte]int{}
	for _, w := range wasms {
		for _, it := range nestedByObjdump(t, w) {
			if it.module {
				sum := sha256.Sum256(it.data)
				if counts[sum] > 0 {
					saved += len(it.data)
				}
				counts[sum]++
			}
		}
	}
	return counts, saved
}

// identicalComponents counts the distinct nested components that appear
// more than once in the components, as wasm-tools lists them, leaving out
// those nested in another that does.
func identicalComponents(t *testing.T, wasms ...[]byte) int {
	counts := map[[32]byte]int{}
	var order [][32]byte
	var items []objdumpItem
	for _, w := range wasms {
		for _, it := range nestedByObjdump(t, w) {
			if !it.module {
				sum := sha256.Sum256(it.data)
				if counts[sum] == 0 {
					order = append(order, sum)
					items = append(items, it)
				}
				counts[sum]++
			}
		}
	}
	n := 0
	for i, sum := range order {
		if counts[sum] < 2 {
			continue
		}
		inner := false
		for j, other := range order {
			if j != i && counts[other] >= 2 && len(items[j].data) > len(items[i].data) && bytes.Contains(items[j].data, items[i].data) {
				inner = true
			}
		}
		if !inner {
			n++
		}
	}
	return n
}

// TestShareRealServices composes real services of componentize-py and
// other members with and without sharing. Each output validates and runs,
// printing what the unshared one prints. Where members embed identical
// modules (CPython, libc, the adapter), wasm-tools objdump of the shared
// output finds each distinct module of the inputs once, and no other, and
// as many nested components stored once as it finds identical; where no
// module is identical (JS, Rust and Python), none is shared.
func TestShareRealServices(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles three Python services in Wasmtime (a minute); run without -short")
	}
	cases := []struct {
		name    string
		members []string // root first, then a chain through processing
		shares  bool     // members hold identical core modules
	}{
		{"two-python", []string{"business", "py-validator"}, true},
		{"three-python", []string{"business", "py-enricher", "py-validator"}, true},
		{"js-and-python", []string{"business", "enricher", "validator"}, false},
	}
	const processing = "example:service/processing@0.1.0"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var inputs []Input
			var raw [][]byte
			for _, name := range tc.members {
				data := fixture.Read(t, name)
				inputs = append(inputs, Input{Name: name, Bytes: data})
				raw = append(raw, data)
			}
			compose := func(noShare bool) *Result {
				var wires []graph.Wire
				for i := 0; i+1 < len(inputs); i++ {
					wires = append(wires, graph.Wire{Consumer: inputs[i].Name, Import: processing, Provider: inputs[i+1].Name, Export: processing})
				}
				r, err := Compose(Options{Root: inputs[0], Plugs: inputs[1:], Wires: wires, NoShareModules: noShare})
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			unshared, shared := compose(true), compose(false)
			if unshared.Shared != (Sharing{}) {
				t.Errorf("--no-share-modules shared %+v", unshared.Shared)
			}
			validate.Component(t, shared.Bytes())
			want := runStdout(t, unshared.Bytes())
			if got := runStdout(t, shared.Bytes()); got != want {
				t.Errorf("shared output prints\n%s\nunshared prints\n%s", got, want)
			}
			if !tc.shares {
				// No core module is identical across these members, so
				// none is shared; a nested component may still be (the
				// JS and Rust members nest the same 319-byte shim that
				// wit-component writes for an exported interface).
				if in, saved := moduleCounts(t, raw...); saved != 0 || shared.Shared.Modules != 0 {
					t.Errorf("%d bytes of identical modules in %d distinct; shared %+v", saved, len(in), shared.Shared)
				}
			}
			if want := identicalComponents(t, raw...); shared.Shared.Components != want {
				t.Errorf("%d nested components stored once; wasm-tools finds %d identical", shared.Shared.Components, want)
			}
			in, saved := moduleCounts(t, raw...)
			out, _ := moduleCounts(t, shared.Bytes())
			for sum, n := range in {
				if out[sum] != 1 {
					t.Errorf("module %x: %d in the inputs, %d in the shared output (want 1)", sum[:6], n, out[sum])
				}
			}
			for sum := range out {
				if in[sum] == 0 {
					t.Errorf("module %x is in the output but in no input", sum[:6])
				}
			}
			if shared.Size() > unshared.Size()-saved {
				t.Errorf("shared output is %d bytes, unshared %d: expected at least %d bytes saved", shared.Size(), unshared.Size(), saved)
			}
			t.Logf("%d members: %d bytes unshared, %d shared (%+v)", len(inputs), unshared.Size(), shared.Size(), shared.Shared)
		})
	}
}

// TestShareEdgeCases composes testcomponent's ShareApp and ShareLib,
// which hold (see share-app.wat) a module twice in one member, a module lib holds too, a
// pair of modules equal but for a custom section, a self-contained nested
// component both hold, and one both hold that aliases its member's type.
// wasm-tools reads the result: every distinct module of the inputs is in
// it once (the custom-section pair counts as two: both are kept), and its
// outer aliases are the ones sharing implies. It validates and computes
// what the unshared result computes.
func TestShareEdgeCases(t *testing.T) {
	app, lib := testcomponent.ShareApp(t), testcomponent.ShareLib(t)
	compose := func(noShare bool) *Result {
		r, err := Compose(Options{Root: Input{Name: "app", Bytes: app}, Plugs: []Input{{Name: "lib", Bytes: lib}}, NoShareModules: noShare})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	unshared, shared := compose(true), compose(false)
	validate.Component(t, unshared.Bytes())
	validate.Component(t, shared.Bytes())

	in, _ := moduleCounts(t, app, lib)
	out, _ := moduleCounts(t, shared.Bytes())
	for sum, n := range in {
		if out[sum] != 1 {
			t.Errorf("module %x: %d in the inputs, %d in the output (want 1)", sum[:6], n, out[sum])
		}
	}
	if len(out) != len(in) {
		t.Errorf("%d distinct modules in the output, %d in the inputs", len(out), len(in))
	}
	// The pair equal but for a custom section: two distinct contents
	// whose code sections are the same.
	var notes [][]byte
	for _, it := range nestedByObjdump(t, app) {
		if it.module && bytes.Contains(it.data, []byte("note")) {
			notes = append(notes, it.data)
		}
	}
	for _, it := range nestedByObjdump(t, lib) {
		if it.module && bytes.Contains(it.data, []byte("note")) {
			notes = append(notes, it.data)
		}
	}
	if len(notes) != 2 || bytes.Equal(notes[0], notes[1]) || !bytes.Equal(notes[0][:len(notes[0])-4], notes[1][:len(notes[1])-4]) {
		t.Fatalf("testdata: expected two modules that differ only in their custom section's last bytes, found %d", len(notes))
	}

	printed := wasmtools.Print(t, shared.Bytes())
	for _, w := range []struct {
		pattern string
		n       int
	}{
		// wasm-tools names the outer component and the shared items, and
		// indents by depth: members' sections by 4, $adder's by 6.
		{`(?m)^    \(alias outer \$app \$shared-[0-9a-f]+ \(core module`, 3},   // inc: app twice, lib once
		{`(?m)^      \(alias outer \$app \$shared-[0-9a-f]+ \(core module`, 2}, // the module inside each $adder
		{`(?m)^    \(alias outer \$app \$shared-[0-9a-f]+ \(component`, 2},     // $twice, in app and lib
	} {
		if got := len(regexp.MustCompile(w.pattern).FindAllString(printed, -1)); got != w.n {
			t.Errorf("%d × %s in the output, want %d", got, w.pattern, w.n)
		}
	}
	if shared.Shared.Modules != 2 || shared.Shared.Components != 1 {
		t.Errorf("summary %+v, want 2 modules and 1 component", shared.Shared)
	}

	// The wasmtime CLI runs it: the embedded Wasmtime 44 traps ("cannot
	// enter component instance") when app's code calls its own nested
	// instances, shared or not, which the newer CLI allows.
	for what, r := range map[string]*Result{"shared": shared, "unshared": unshared} {
		path := filepath.Join(t.TempDir(), what+".wasm")
		if err := os.WriteFile(path, r.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(wasmtimecli.Path(t), "run", "--invoke", "compute()", path).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != "30" {
			t.Errorf("%s: compute() = %q, %v; want 30", what, got, err)
		}
	}
}

// TestShareDeterministic composes three Python members with the plugs in
// either order, twice: the bytes are the same every time.
func TestShareDeterministic(t *testing.T) {
	business := Input{Name: "business", Bytes: fixture.Read(t, "business")}
	enricher := Input{Name: "py-enricher", Bytes: fixture.Read(t, "py-enricher")}
	validator := Input{Name: "py-validator", Bytes: fixture.Read(t, "py-validator")}
	const processing = "example:service/processing@0.1.0"
	wires := []graph.Wire{
		{Consumer: "business", Import: processing, Provider: "py-enricher", Export: processing},
		{Consumer: "py-enricher", Import: processing, Provider: "py-validator", Export: processing},
	}
	var first []byte
	for i, plugs := range [][]Input{{enricher, validator}, {validator, enricher}, {enricher, validator}} {
		r, err := Compose(Options{Root: business, Plugs: plugs, Wires: wires})
		if err != nil {
			t.Fatal(err)
		}
		if r.Shared.Modules == 0 {
			t.Fatalf("nothing shared: %+v", r.Shared)
		}
		if i == 0 {
			first = r.Bytes()
		} else if !bytes.Equal(r.Bytes(), first) {
			t.Errorf("plugs %s, %s: %d bytes differ from the first composition's %d", plugs[0].Name, plugs[1].Name, r.Size(), len(first))
		}
	}
}
