package policy

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
)

// patternPool is every pattern worth drawing for a set of import names:
// each name exactly, without its version, with a caret and an exact
// requirement, its package and namespace wildcards, and *.
func patternPool(names []string) []string {
	seen := map[string]bool{}
	var pool []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			pool = append(pool, p)
		}
	}
	add("*")
	for _, name := range names {
		n, ok := component.InterfaceName(name)
		if !ok {
			add(name)
			continue
		}
		add(n.WithoutVersion())
		add(n.Namespace + ":*")
		add(n.PackageName() + "/*")
		if n.Version != "" {
			add(n.WithoutVersion() + "@" + n.Version)
			add(n.WithoutVersion() + "@=" + n.Version)
			add(n.PackageName() + "/*@" + n.Version)
		}
	}
	return pool
}

// randomSpec draws a policy: a few patterns in each list, sometimes a
// grant to a member, sometimes a virtual environment.
func randomSpec(r *rand.Rand, pool, members []string) Spec {
	var s Spec
	// Patterns are drawn without replacement: the same pattern in two
	// lists is a contradiction New refuses, which tests nothing here.
	order := r.Perm(len(pool))
	pick := func(max int) []Entry {
		var out []Entry
		for range r.IntN(max + 1) {
			if len(order) == 0 {
				break
			}
			out = append(out, Entry{Pattern: pool[order[0]]})
			order = order[1:]
		}
		return out
	}
	// Half the policies have no allow list (everything not denied is
	// allowed): with one, a few random patterns rarely cover every
	// import, and the policy only says "violation".
	if r.IntN(2) == 0 {
		s.Allow = pick(3)
	}
	if r.IntN(3) == 0 {
		s.Deny = pick(1)
	}
	s.Stub = pick(3)
	if r.IntN(4) == 0 && len(members) > 0 {
		s.Grants = []Grant{{Member: members[r.IntN(len(members))], Patterns: pick(3)}}
	}
	if r.IntN(4) == 0 {
		s.Virtual = &Virtual{Env: []EnvVar{{Key: "K", Value: "v"}}}
	}
	return s
}

// checkPolicyProperty enforces random policies on the component in wasm
// and checks every outcome: a composition that violates the policy is
// refused; otherwise the result never imports what the policy denies,
// stubs or virtualises, and keeps every import it allows, under the same
// name. Refusals to stub are checked to be justified.
func checkPolicyProperty(t *testing.T, wasm []byte, runs, validateEvery int) {
	t.Helper()
	c, _, err := FromComponent(wasm, "app", "app")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, imp := range c.Imports {
		names = append(names, imp.Name)
	}
	pool := patternPool(names)
	r := rand.New(rand.NewPCG(12, 7))
	counts := map[string]int{}
	for i := 0; i < runs; i++ {
		spec := randomSpec(r, pool, c.Members)
		p, err := New(spec)
		if err != nil {
			counts["contradictory policy"]++
			continue
		}
		o, err := Enforce(c, p)
		if refused(t, i, spec, p, err, counts) {
			continue
		}
		counts["composed"]++
		out := apply(t, "app", wasm, o)
		if validateEvery > 0 && counts["composed"]%validateEvery == 1 {
			validate.Component(t, out)
		}
		got := importNames(t, out)
		var want []string
		for _, row := range o.Report.Rows {
			if row.Status == StatusAllowed {
				want = append(want, row.Import)
			}
		}
		for _, name := range got {
			if v := p.Decide(name, ""); v.Status != StatusAllowed {
				t.Fatalf("run %d: the result imports %s, which the policy says is %s (%s)\npolicy %+v", i, name, v.Status, v.Reason, describeSpec(spec))
			}
		}
		if !sameSet(got, want) {
			t.Fatalf("run %d: the result imports %v, want exactly the allowed %v\npolicy %s", i, got, want, describeSpec(spec))
		}
	}
	t.Logf("%d runs: %v", runs, counts)
	if counts["composed"] < runs/10 {
		t.Errorf("only %d of %d random policies were composed: the property is barely exercised", counts["composed"], runs)
	}
}

// refused checks and counts how run i of a property test ended when
// enforcing returned err: a violation must be one Decide agrees with, a
// refusal to stub must say why (a kept import uses a stubbed one's
// types, or members of a composed file share the import). It reports
// whether the run ended there; any other error fails the test.
func refused(t *testing.T, run int, spec Spec, p *Policy, err error, counts map[string]int) bool {
	t.Helper()
	var ve *ViolationError
	switch {
	case err == nil:
		return false
	case errors.As(err, &ve):
		counts["violation"]++
		for _, v := range ve.Violations {
			if got := p.Decide(v.MemberVerdict.Import, v.Member); got.Status != StatusDenied {
				t.Fatalf("run %d: violation %s, but Decide says %s", run, v, got.Status)
			}
		}
	case strings.Contains(err.Error(), "uses its types"):
		counts["refused: a kept import uses a stubbed one"]++
	case strings.Contains(err.Error(), "for some of the members that share it"):
		counts["refused: shared import"]++
	default:
		t.Fatalf("run %d: %v\npolicy %s", run, err, describeSpec(spec))
	}
	return true
}

func describeSpec(s Spec) string {
	var b strings.Builder
	list := func(what string, es []Entry) {
		for _, e := range es {
			fmt.Fprintf(&b, "%s %s; ", what, e.Pattern)
		}
	}
	list("allow", s.Allow)
	list("deny", s.Deny)
	list("stub", s.Stub)
	for _, g := range s.Grants {
		list("grant "+g.Member, g.Patterns)
	}
	if s.Virtual != nil {
		b.WriteString("virtual env")
	}
	return b.String()
}

func TestPolicyPropertyWIT(t *testing.T) {
	app, _ := denyApp(t)
	checkPolicyProperty(t, app, 300, 20)
}

// The same property over a real service: the JS, Python and Rust members
// composed, 27 WASI imports at two patch levels.
func TestPolicyPropertyService(t *testing.T) {
	if testing.Short() {
		t.Skip("composes the 30 MB service once per policy (cheap: members are copied, not parsed)")
	}
	checkPolicyProperty(t, composedService(t), 200, 0)
}

// composedService composes the seed service from the fixtures: business
// → enricher → validator, as wcomp compose does.
func composedService(t *testing.T) []byte {
	t.Helper()
	return composeService(t, fixture.Read(t, "business"), fixture.Read(t, "enricher"), fixture.Read(t, "validator"))
}
