package compose

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
)

// TestGenerateGraphs composes random graphs over a pool of real and
// WIT-only components: a random root and plugs, auto-plugging on or off,
// random wires between names that match, random exports (some renamed),
// explicit imports and kept members. A graph may be refused (its types
// may not fit), but never with a panic or a *BugError, and every output
// must validate with wasm-tools and Wasmtime.
//
// Seeds are 1..N (N: 40 under -short, 400 otherwise, or
// $WCOMP_GENERATE_RUNS), plus every seed in testdata/generate/seeds.txt:
// a failing seed is appended there, as the fuzzer keeps its failures, so
// it stays a regression case.
func TestGenerateGraphs(t *testing.T) {
	pool := generatorPool(t)
	runs := 400
	if testing.Short() {
		runs = 40
	}
	if s := os.Getenv("WCOMP_GENERATE_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("$WCOMP_GENERATE_RUNS: %v", err)
		}
		runs = n
	}
	seedsFile := filepath.Join("testdata", "generate", "seeds.txt")
	seeds := readSeeds(t, seedsFile)
	for i := 1; i <= runs; i++ {
		seeds = append(seeds, uint64(i))
	}
	var composed, refused int
	for _, seed := range seeds {
		ok, err := runGenerated(t, pool, seed)
		switch {
		case err != nil:
			t.Errorf("seed %d: %v", seed, err)
			keepSeed(t, seedsFile, seed, err)
		case ok:
			composed++
		default:
			refused++
		}
	}
	t.Logf("%d random graphs: %d composed and validated, %d refused with an error", len(seeds), composed, refused)
	if composed < len(seeds)/4 {
		t.Errorf("only %d of %d graphs composed: the generator makes too few valid graphs to test much", composed, len(seeds))
	}
}

// poolMember is a component the generator may use.
type poolMember struct {
	name string
	data []byte
	ct   *component.ComponentType
}

// generatorPool is every world of the WIT test package and, without
// -short, the small built fixtures that need no proposal (the 12 and
// 18 MB ones would make each validation slow without covering more of
// the graph).
func generatorPool(t *testing.T) []poolMember {
	t.Helper()
	var pool []poolMember
	add := func(name string, data []byte) {
		ct, err := component.DecodeType(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pool = append(pool, poolMember{name: name, data: data, ct: ct})
	}
	text, err := os.ReadFile(filepath.Join("testdata", "wit", "graph", "graph.wit"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^world ([a-z0-9-]+)`).FindAllStringSubmatch(string(text), -1) {
		add(m[1], build(t, member{m[1], "graph", m[1]}))
	}
	if !testing.Short() {
		for _, p := range fixture.All(t) {
			name := fixture.Name(p)
			// Fixtures that need a proposal (async, error-context, …)
			// cannot be checked by the embedded Wasmtime.
			if st, err := os.Stat(p); err == nil && st.Size() < 1<<20 && fixture.WasmToolsFeatures(name) == "" {
				if data := fixture.Read(t, name); validate.Wasmtime(data) == nil {
					add(name, data)
				}
			}
		}
	}
	return pool
}

// runGenerated builds and composes the graph of one seed. It reports
// whether an output was made, and an error only for a failure of wcomp:
// a panic, a *BugError, or an output that does not validate.
func runGenerated(t *testing.T, pool []poolMember, seed uint64) (composed bool, failure error) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	opts := generateOptions(rng, pool)
	defer func() {
		if r := recover(); r != nil {
			failure = fmt.Errorf("panic: %v (graph: %s)", r, describeOptions(opts))
		}
	}()
	res, err := Compose(opts)
	var bug *BugError
	switch {
	case errors.As(err, &bug):
		return false, fmt.Errorf("%v (graph: %s)", err, describeOptions(opts))
	case err != nil:
		if testing.Verbose() {
			t.Logf("seed %d refused: %s", seed, strings.ReplaceAll(err.Error(), "\n", "; "))
		}
		return false, nil
	}
	if err := validate.WasmTools(res.Bytes()); err != nil {
		return false, fmt.Errorf("output does not validate: %v (graph: %s)", err, describeOptions(opts))
	}
	if err := validate.Wasmtime(res.Bytes()); err != nil {
		return false, fmt.Errorf("Wasmtime rejects the output: %v (graph: %s)", err, describeOptions(opts))
	}
	return true, nil
}

// generateOptions draws one graph: 1 to 5 members, then wires, exports,
// imports and kept members among them.
func generateOptions(rng *rand.Rand, pool []poolMember) Options {
	n := 1 + rng.IntN(5)
	members := make([]poolMember, n)
	var opts Options
	for i := range members {
		members[i] = pool[rng.IntN(len(pool))]
		in := Input{Name: fmt.Sprintf("m%d", i), Bytes: members[i].data}
		if i == 0 {
			opts.Root = in
		} else {
			opts.Plugs = append(opts.Plugs, in)
		}
	}
	name := func(i int) string { return fmt.Sprintf("m%d", i) }
	opts.NoAutoPlug = rng.IntN(10) == 0
	// Wires: an import of one member to a matching export of another.
	for w := rng.IntN(3); w > 0 && n > 1; w-- {
		c := rng.IntN(n)
		if len(members[c].ct.Imports) == 0 {
			continue
		}
		imp := members[c].ct.Imports[rng.IntN(len(members[c].ct.Imports))].Name
		p := rng.IntN(n)
		if p == c {
			continue
		}
		for _, e := range members[p].ct.Exports {
			if graph.Compatible(imp, e.Name) || rng.IntN(8) == 0 {
				opts.Wires = append(opts.Wires, graph.Wire{Consumer: name(c), Import: imp, Provider: name(p), Export: e.Name})
				break
			}
		}
	}
	// Exports: a few members' exports, some renamed; now and then a whole
	// member.
	if rng.IntN(3) == 0 {
		for e := 1 + rng.IntN(3); e > 0; e-- {
			i := rng.IntN(n)
			exports := members[i].ct.Exports
			if rng.IntN(6) == 0 {
				opts.Exports = append(opts.Exports, graph.ExportSpec{Instance: name(i), As: fmt.Sprintf("whole-%d", e)})
				continue
			}
			if len(exports) == 0 {
				continue
			}
			spec := graph.ExportSpec{Instance: name(i), Export: exports[rng.IntN(len(exports))].Name}
			if rng.IntN(3) == 0 {
				spec.As = fmt.Sprintf("renamed-%d", e)
			}
			opts.Exports = append(opts.Exports, spec)
		}
	}
	// Explicit imports: a name some member imports, untyped or typed as
	// that member's import.
	if rng.IntN(4) == 0 {
		i := rng.IntN(n)
		if imps := members[i].ct.Imports; len(imps) > 0 {
			imp := imps[rng.IntN(len(imps))].Name
			spec := graph.ImportSpec{Name: imp}
			if rng.IntN(2) == 0 {
				spec.Instance, spec.Import = name(i), imp
			}
			opts.Imports = append(opts.Imports, spec)
		}
	}
	for i := 1; i < n; i++ {
		if rng.IntN(2) == 0 {
			opts.Keep = append(opts.Keep, name(i))
		}
	}
	return opts
}

// describeOptions says what graph a seed drew, for failure messages.
func describeOptions(o Options) string {
	var parts []string
	parts = append(parts, "root "+o.Root.Name)
	for _, p := range o.Plugs {
		parts = append(parts, "plug "+p.Name)
	}
	for _, w := range o.Wires {
		parts = append(parts, "--wire "+w.String())
	}
	for _, i := range o.Imports {
		parts = append(parts, "--import "+i.String())
	}
	for _, e := range o.Exports {
		parts = append(parts, "--export "+e.String())
	}
	for _, k := range o.Keep {
		parts = append(parts, "--keep "+k)
	}
	if o.NoAutoPlug {
		parts = append(parts, "--no-auto-plug")
	}
	return strings.Join(parts, " ")
}

// readSeeds reads the kept seeds: one per line, `#` comments.
func readSeeds(t *testing.T, path string) []uint64 {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var seeds []uint64
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		if text = strings.TrimSpace(text); text == "" {
			continue
		}
		n, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		seeds = append(seeds, n)
	}
	return seeds
}

// keepSeed appends a failing seed to the seeds file, unless it is there.
func keepSeed(t *testing.T, path string, seed uint64, why error) {
	t.Helper()
	for _, s := range readSeeds(t, path) {
		if s == seed {
			return
		}
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Errorf("keeping seed %d: %v", seed, err)
		return
	}
	defer f.Close()
	msg := strings.ReplaceAll(why.Error(), "\n", " ")
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	fmt.Fprintf(f, "%d # %s\n", seed, msg)
	t.Logf("seed %d added to %s", seed, path)
}
