package policy

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// The property through composition, as `wcomp compose` and `wcomp build`
// enforce a policy: random policies (with grants to any of the members)
// over the seed service's JS, Python and Rust members, each composed by
// EnforceGraph and encoded. In every result, read back from its bytes:
//   - no import reaches the host that the policy does not allow, for the
//     member that brings it in (a generated member's by the global rules);
//   - every member import the policy allows is still an import of the
//     result, brought in by that member under its own name;
//   - every member import the policy stubs or virtualises is served
//     inside: no import of the result is that member's.
//
// A policy that is violated is refused with violations Decide agrees
// with; one the generators cannot serve (a kept import that uses a
// stubbed one's types) is refused with that reason.
func TestPolicyPropertyCompose(t *testing.T) {
	if testing.Short() {
		t.Skip("composes the 29 MB service once per policy (cheap: members are copied, not parsed)")
	}
	inputs := []compose.Input{
		{Name: "business", Bytes: fixture.Read(t, "business")},
		{Name: "enricher", Bytes: fixture.Read(t, "enricher")},
		{Name: "validator", Bytes: fixture.Read(t, "validator")},
	}
	newGraph := func() *graph.Graph {
		g, _, err := compose.Graph(compose.Options{
			Root: inputs[0], Plugs: inputs[1:],
			Wires: []graph.Wire{
				{Consumer: "business", Import: processing, Provider: "enricher", Export: processing},
				{Consumer: "enricher", Import: processing, Provider: "validator", Export: processing},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	plan, err := newGraph().Resolve()
	if err != nil {
		t.Fatal(err)
	}
	c, err := FromPlan("svc", plan)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, imp := range c.Imports {
		for _, u := range imp.Users {
			if !slices.Contains(names, u.Import) {
				names = append(names, u.Import)
			}
		}
	}
	pool := patternPool(names)
	r := rand.New(rand.NewPCG(20, 12))
	const runs, checkEvery = 500, 10
	counts := map[string]int{}
	for i := 0; i < runs; i++ {
		spec := randomGrants(r, randomSpec(r, pool, c.Members), pool, c.Members)
		p, err := New(spec)
		if err != nil {
			counts["contradictory policy"]++
			continue
		}
		e, err := EnforceGraph(newGraph(), "svc", p)
		if refused(t, i, spec, p, err, counts) {
			continue
		}
		counts["composed"]++
		res, err := compose.Encode(e.Plan, compose.EncodeOptions{Name: "svc"})
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		out := res.Bytes()
		checkComposedProperty(t, i, spec, p, e, out)
		if counts["composed"]%checkEvery == 1 {
			// The outside tools agree: wasm-tools validates it and reads
			// the import list the trace reads.
			if err := validate.WasmTools(out); err != nil {
				t.Fatalf("run %d: %v\npolicy %s", i, err, describeSpec(spec))
			}
			if got, want := wasmtools.WorldImportNames(t, out), importNames(t, out); !sameSet(got, want) {
				t.Fatalf("run %d: wasm-tools reads imports %v, wcomp %v", i, got, want)
			}
			counts["checked by wasm-tools"]++
		}
	}
	t.Logf("%d runs: %v", runs, counts)
	if counts["composed"] < runs/10 || counts["violation"] < runs/10 || counts["checked by wasm-tools"] < 5 {
		t.Errorf("the property is barely exercised: %v", counts)
	}
}

// randomGrants adds grants to randomSpec's: to each member, sometimes, a
// few patterns, each kept only if the policy stays valid (a grant of
// what the policy denies for everyone is refused). With grants, a stub
// of everything often serves what a grant leaves out, as `--stub '*'`
// does.
func randomGrants(r *rand.Rand, spec Spec, pool, members []string) Spec {
	for _, m := range members {
		if r.IntN(3) != 0 || slices.ContainsFunc(spec.Grants, func(g Grant) bool { return g.Member == m }) {
			continue
		}
		spec.Grants = append(spec.Grants, Grant{Member: m})
		g := &spec.Grants[len(spec.Grants)-1]
		for range r.IntN(5) {
			g.Patterns = append(g.Patterns, Entry{Pattern: pool[r.IntN(len(pool))]})
			if _, err := New(spec); err != nil {
				g.Patterns = g.Patterns[:len(g.Patterns)-1]
			}
		}
	}
	if len(spec.Grants) > 0 && r.IntN(3) != 0 {
		spec.Stub = append(spec.Stub, Entry{Pattern: "*"})
		if _, err := New(spec); err != nil {
			spec.Stub = spec.Stub[:len(spec.Stub)-1]
		}
	}
	return spec
}

// checkComposedProperty checks one composed result against the policy,
// from the result's own bytes (TraceComponent) rather than the plan.
func checkComposedProperty(t *testing.T, run int, spec Spec, p *Policy, e *Enforced, out []byte) {
	t.Helper()
	tr, err := TraceComponent(out, "svc")
	if err != nil {
		t.Fatalf("run %d: %v", run, err)
	}
	generated := map[string]bool{}
	for _, m := range e.Members {
		generated[m.Name] = true
	}
	type use struct{ member, imp string }
	outside := map[use]bool{}
	for _, imp := range tr.Imports {
		if v := p.Decide(imp.Name, ""); v.Status != StatusAllowed {
			t.Fatalf("run %d: the result imports %s, which the policy says is %s (%s)\npolicy %s", run, imp.Name, v.Status, v.Reason, describeSpec(spec))
		}
		for _, u := range imp.Users {
			if len(u.Path) == 0 {
				t.Fatalf("run %d: %s has a user outside any member", run, imp.Name)
			}
			member := u.Path[0]
			outside[use{member, u.Import}] = true
			who := member
			if generated[member] {
				who = ""
			}
			if v := p.Decide(u.Import, who); v.Status != StatusAllowed {
				t.Fatalf("run %d: %s brings in %s, which the policy says is %s for it (%s)\npolicy %s", run, member, u.Import, v.Status, v.Reason, describeSpec(spec))
			}
		}
	}
	for _, row := range e.Report.Rows {
		for _, m := range row.Members {
			got := outside[use{m.Member, m.Import}]
			switch want := m.Status == StatusAllowed; {
			case want && !got:
				t.Fatalf("run %d: %s may have %s, but the result does not import it for it\npolicy %s", run, m.Member, m.Import, describeSpec(spec))
			case !want && got:
				t.Fatalf("run %d: %s's %s is %s, but the result still imports it for it\npolicy %s", run, m.Member, m.Import, m.Status, describeSpec(spec))
			}
		}
	}
}
