package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/validate"
)

// pairGraph is two instances, a (the root) and b (kept), of one
// component: they import the same interfaces, which the result merges.
func pairGraph(t *testing.T, wasm []byte) *graph.Graph {
	t.Helper()
	g, _, err := compose.Graph(compose.Options{
		Root:  compose.Input{Name: "a", Bytes: wasm},
		Plugs: []compose.Input{{Name: "b", Bytes: wasm}},
		Keep:  []string{"b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// encodePlan encodes a plan and checks the result with wasm-tools and
// Wasmtime.
func encodePlan(t *testing.T, plan *graph.Plan) []byte {
	t.Helper()
	res, err := compose.Encode(plan, compose.EncodeOptions{Name: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	out := res.Bytes()
	validate.Component(t, out)
	return out
}

func planImports(p *graph.Plan) []string {
	var out []string
	for _, im := range p.Imports() {
		out = append(out, im.Name)
	}
	return out
}

func wireStrings(ws []Wire) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

// Each member gets a stub of its own; the result loses exactly the
// stubbed interfaces.
func TestEnforceGraphStubs(t *testing.T) {
	app, _ := denyApp(t)
	g := pairGraph(t, app)
	e, err := EnforceGraph(g, "svc", mustPolicy(t, "stub example:deny/net example:deny/client"))
	if err != nil {
		t.Fatal(err)
	}
	wantWires := []string{
		"a:" + denyNet + "=deny-stubs-a:" + denyNet, "a:" + denyClient + "=deny-stubs-a:" + denyClient,
		"b:" + denyNet + "=deny-stubs-b:" + denyNet, "b:" + denyClient + "=deny-stubs-b:" + denyClient,
	}
	if got := wireStrings(e.Wires); !sameSet(got, wantWires) {
		t.Errorf("wires %v, want %v", got, wantWires)
	}
	if got, want := planImports(e.Initial), []string{denyStreams, denyFiles, denyNet, denyClient}; !sameSet(got, want) {
		t.Errorf("initial imports %v, want %v", got, want)
	}
	if got, want := e.Replaced(), []string{denyNet, denyClient}; !sameSet(got, want) {
		t.Errorf("replaced %v, want %v", got, want)
	}
	out := encodePlan(t, e.Plan)
	if got, want := importNames(t, out), []string{denyStreams, denyFiles}; !sameSet(got, want) {
		t.Errorf("the result imports %v, want %v", got, want)
	}
	for _, in := range e.Plan.Instances() {
		if strings.HasPrefix(in.Name, "deny-stubs") != in.WiredOnly {
			t.Errorf("instance %s: wired only = %v", in.Name, in.WiredOnly)
		}
	}
}

// A member brings in only what it is granted, even when another member
// is granted more: b's net and client are stubbed, a keeps the real ones,
// and the stub generated for b is not plugged into a by name. The stub
// of b's files takes b's streams from the import a and b share, so the
// stream resource is one.
func TestEnforceGraphGrants(t *testing.T) {
	app, _ := denyApp(t)
	allowAll := "allow " + strings.Join([]string{"example:deny/streams", "example:deny/files", "example:deny/net", "example:deny/client"}, " ")
	for _, tc := range []struct {
		name, policy string
		wires        []string
		imports      []string
	}{
		{
			name:    "net and client",
			policy:  allowAll + "\nstub example:*\ngrant b example:deny/files example:deny/streams",
			wires:   []string{"b:" + denyNet + "=deny-stubs:" + denyNet, "b:" + denyClient + "=deny-stubs:" + denyClient},
			imports: []string{denyStreams, denyFiles, denyNet, denyClient},
		},
		{
			name:    "files, streams kept",
			policy:  allowAll + "\nstub example:*\ngrant b example:deny/streams example:deny/net example:deny/client",
			wires:   []string{"b:" + denyFiles + "=deny-stubs:" + denyFiles},
			imports: []string{denyStreams, denyFiles, denyNet, denyClient},
		},
		{
			name:    "both members, the same stub rule",
			policy:  allowAll + "\nstub example:*\ngrant a example:deny/streams example:deny/files\ngrant b example:deny/streams example:deny/files",
			wires:   []string{"a:" + denyNet + "=deny-stubs-a:" + denyNet, "a:" + denyClient + "=deny-stubs-a:" + denyClient, "b:" + denyNet + "=deny-stubs-b:" + denyNet, "b:" + denyClient + "=deny-stubs-b:" + denyClient},
			imports: []string{denyStreams, denyFiles},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := pairGraph(t, app)
			e, err := EnforceGraph(g, "svc", mustPolicy(t, tc.policy))
			if err != nil {
				t.Fatal(err)
			}
			if got := wireStrings(e.Wires); !sameSet(got, tc.wires) {
				t.Errorf("wires %v, want %v", got, tc.wires)
			}
			out := encodePlan(t, e.Plan)
			if got := importNames(t, out); !sameSet(got, tc.imports) {
				t.Errorf("the result imports %v, want %v", got, tc.imports)
			}
			// Each member's import is served by its wire, or by the
			// result's import: never by a stub generated for another.
			wired := map[string]string{}
			for _, w := range tc.wires {
				lhs, rhs, _ := strings.Cut(w, "=")
				wired[strings.Replace(lhs, ":", ".", 1)] = strings.Replace(rhs, ":", ".", 1)
			}
			for _, in := range e.Plan.Instances() {
				if in.WiredOnly {
					continue
				}
				for _, a := range in.Args {
					got := e.Plan.DescribeSource(a.From)
					want, ok := wired[in.Name+"."+a.Import]
					if !ok {
						want = "import " + a.Import
					}
					if got != want {
						t.Errorf("%s.%s ← %s, want %s", in.Name, a.Import, got, want)
					}
				}
			}
		})
	}
}

// One virtual environment serves every member that imports
// wasi:cli/environment.
func TestEnforceGraphVirtual(t *testing.T) {
	app, _ := envApp(t)
	g := pairGraph(t, app)
	e, err := EnforceGraph(g, "svc", mustPolicy(t, "env A=1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Members) != 1 || e.Members[0].Name != "virtual-env" || len(e.Wires) != 2 {
		t.Fatalf("members %v, wires %v", e.Members, e.Wires)
	}
	if got := importNames(t, encodePlan(t, e.Plan)); len(got) != 0 {
		t.Errorf("the result imports %v, want nothing", got)
	}
}

// A violation returns the report and leaves the graph as it was: nothing
// is generated, and resolving it again gives the initial plan.
func TestEnforceGraphViolation(t *testing.T) {
	app, _ := denyApp(t)
	g := pairGraph(t, app)
	e, err := EnforceGraph(g, "svc", mustPolicy(t, "deny example:deny/net\ngrant b example:deny/files example:deny/streams"))
	var ve *ViolationError
	if !errors.As(err, &ve) || !IsViolation(err) {
		t.Fatalf("err = %v, want a *ViolationError", err)
	}
	want := "svc: 3 capabilities denied: a imports example:deny/net@0.1.0 (deny example:deny/net); b imports example:deny/net@0.1.0 (deny example:deny/net); b imports example:deny/client@0.1.0 (not granted to b)"
	if err.Error() != want {
		t.Errorf("error:\n %s\nwant:\n %s", err, want)
	}
	if e == nil || e.Report == nil || e.Plan != nil || len(e.Members) != 0 {
		t.Fatalf("enforced on violation: %+v", e)
	}
	table := e.Report.Table(TableOptions{})
	for _, want := range []string{"example:deny/net", "denied", "a, b"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if names := g.InstanceNames(); len(names) != 2 {
		t.Errorf("graph changed on violation: instances %v", names)
	}
}

// Errors that are not violations: a grant to a member the graph lacks,
// an explicit import the policy stubs, and the graph's own errors,
// unwrapped.
func TestEnforceGraphErrors(t *testing.T) {
	app, _ := denyApp(t)
	if _, err := EnforceGraph(pairGraph(t, app), "svc", mustPolicy(t, "grant c example:*")); err == nil || !strings.Contains(err.Error(), "capabilities granted to a member that does not exist (members: a, b)") {
		t.Errorf("unknown member: %v", err)
	}

	g := pairGraph(t, app)
	ct, _ := component.DecodeType(app)
	if _, err := g.Import(denyNet, ct.Import(denyNet).Type); err != nil {
		t.Fatal(err)
	}
	_, err := EnforceGraph(g, "svc", mustPolicy(t, "stub example:deny/net example:deny/client"))
	var ue *UnservedError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "example:deny/net@0.1.0 is an explicit import of the result, which the policy says is stubbed") {
		t.Errorf("explicit import stubbed: %v", err)
	}

	// An import given explicitly cannot be rewired to a stub.
	g = pairGraph(t, app)
	id, err := g.Import(denyNet, ct.Import(denyNet).Type)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := g.InstanceByName("a")
	if err := g.SetArg(a, denyNet, graph.ImportOf(id)); err != nil {
		t.Fatal(err)
	}
	_, err = EnforceGraph(g, "svc", mustPolicy(t, "stub example:deny/net example:deny/client"))
	if want := "cannot serve a." + denyNet + " from deny-stubs-a: a." + denyNet + " is given import " + denyNet + " explicitly; drop that argument or do not stub it"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("explicit argument stubbed: %v\nwant %s", err, want)
	}

	// The graph's own errors come back as Resolve gives them.
	g, _, err = compose.Graph(compose.Options{Root: compose.Input{Name: "a", Bytes: app}, Plugs: []compose.Input{{Name: "b", Bytes: app}}})
	if err != nil {
		t.Fatal(err)
	}
	var unused *graph.UnusedError
	if e, err := EnforceGraph(g, "svc", mustPolicy(t, "deny example:*")); e != nil || !errors.As(err, &unused) || unused.Instance != "b" {
		t.Errorf("unused member: %v, %v", e, err)
	}
}

// Without a policy the plan is the graph's, and the report says so.
func TestEnforceGraphNoPolicy(t *testing.T) {
	app, _ := denyApp(t)
	e, err := EnforceGraph(pairGraph(t, app), "svc", nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Plan != e.Initial || e.Report.Policy || len(e.Report.Rows) != 4 {
		t.Errorf("enforced without a policy: plan %p initial %p, report %+v", e.Plan, e.Initial, e.Report)
	}
	r, err := AuditPlan("svc", e.Plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Table(TableOptions{}), e.Report.Table(TableOptions{}); got != want {
		t.Errorf("AuditPlan:\n%s\nEnforceGraph's report:\n%s", got, want)
	}
}

// Members importing one interface at two patch levels share one import,
// at the higher version. Stubbing it for the member with the higher one
// leaves the other's: the result imports it at the lower version, and it
// is not replaced.
func TestEnforceGraphMergedVersions(t *testing.T) {
	env020, _ := envApp(t)
	env023, _ := dummyApp(t, "testdata/wit/environment-023.wit")
	g, _, err := compose.Graph(compose.Options{
		Root:  compose.Input{Name: "a", Bytes: env020},
		Plugs: []compose.Input{{Name: "b", Bytes: env023}},
		Keep:  []string{"b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := EnforceGraph(g, "svc", mustPolicy(t, "allow wasi:*\nstub *\ngrant b"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := planImports(e.Initial), []string{"wasi:cli/environment@0.2.3"}; !sameSet(got, want) {
		t.Errorf("initial imports %v, want %v", got, want)
	}
	if got, want := wireStrings(e.Wires), []string{"b:wasi:cli/environment@0.2.3=deny-stubs:wasi:cli/environment@0.2.3"}; !sameSet(got, want) {
		t.Errorf("wires %v, want %v", got, want)
	}
	if got := e.Replaced(); len(got) != 0 {
		t.Errorf("replaced %v, want none: a still imports it", got)
	}
	if got, want := importNames(t, encodePlan(t, e.Plan)), []string{environment020}; !sameSet(got, want) {
		t.Errorf("the result imports %v, want %v", got, want)
	}
}

// A member given an export of an explicit instance import (WAC's
// `new app { log: sink.log }`) brings in that import: the policy judges
// it for that member, so a grant applies, and it cannot be stubbed
// piecemeal.
func TestAuditPlanImportExport(t *testing.T) {
	app, ct := dummyApp(t, "testdata/wit/log.wit")
	g := graph.New()
	comp, err := g.AddComponent("app", ct, app)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := g.Instantiate(comp, "app")
	if err := g.SetRoot(a); err != nil {
		t.Fatal(err)
	}
	const sink = "example:log/sink@0.1.0"
	id, err := g.Import(sink, &component.InstanceType{Exports: []component.Item{{Name: "log", Type: ct.Import("log").Type}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.SetArg(a, "log", graph.ImportExportOf(id, "log")); err != nil {
		t.Fatal(err)
	}
	plan, err := g.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	r, err := AuditPlan("svc", plan, mustPolicy(t, "allow example:* wasi:*\ngrant app wasi:*"))
	if err != nil {
		t.Fatal(err)
	}
	want := "svc: capability denied: app imports " + sink + " (not granted to app)"
	if err := r.Err(); err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if _, err := EnforceGraph(g, "svc", mustPolicy(t, "stub example:log/*")); !IsViolation(err) || !strings.Contains(err.Error(), sink+" is an explicit import of the result, which the policy says is stubbed") {
		t.Errorf("stubbed: %v", err)
	}
}
