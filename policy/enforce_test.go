package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// apply composes a component (as member root) with what Enforce added.
func apply(t *testing.T, root string, wasm []byte, o *Outcome) []byte {
	t.Helper()
	opts := compose.Options{Root: compose.Input{Name: root, Bytes: wasm}}
	for _, m := range o.Members {
		opts.Plugs = append(opts.Plugs, compose.Input{Name: m.Name, Bytes: m.Bytes})
	}
	for _, w := range o.Wires {
		opts.Wires = append(opts.Wires, compose.Wire{Consumer: w.Consumer, Import: w.Import, Provider: w.Provider, Export: w.Export})
	}
	res, err := compose.Compose(opts)
	if err != nil {
		t.Fatalf("composing the outcome: %v", err)
	}
	return res.Bytes()
}

func mustPolicy(t *testing.T, text string) *Policy {
	t.Helper()
	p, err := New(specFrom(t, text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnforceStubs(t *testing.T) {
	app, _ := denyApp(t)
	c, _, err := FromComponent(app, "app", "app")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, mustPolicy(t, "allow example:*\nstub example:deny/net example:deny/client"))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Members) != 1 || o.Members[0].Name != "deny-stubs" || len(o.Wires) != 2 {
		t.Fatalf("outcome: %d members, wires %v", len(o.Members), o.Wires)
	}
	out := apply(t, "app", app, o)
	validate.Component(t, out)
	if got := importNames(t, out); !sameSet(got, []string{denyStreams, denyFiles}) {
		t.Errorf("imports after stubbing: %v", got)
	}
}

func TestEnforceVirtual(t *testing.T) {
	app, _ := envApp(t)
	c, _, err := FromComponent(app, "app", "app")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, mustPolicy(t, "env A=1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Members) != 1 || o.Members[0].Name != "virtual-env" {
		t.Fatalf("members %+v", o.Members)
	}
	out := apply(t, "app", app, o)
	validate.Component(t, out)
	if got := importNames(t, out); len(got) != 0 {
		t.Errorf("imports: %v, want none", got)
	}
}

func TestEnforceViolation(t *testing.T) {
	app, _ := denyApp(t)
	c, _, err := FromComponent(app, "app", "app")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, mustPolicy(t, "allow example:deny/files example:deny/streams\ndeny example:deny/net"))
	var ve *ViolationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ViolationError", err)
	}
	want := "app: 2 capabilities denied: app imports example:deny/net@0.1.0 (deny example:deny/net); app imports example:deny/client@0.1.0 (not in the allow list)"
	if err.Error() != want {
		t.Errorf("error:\n %s\nwant:\n %s", err, want)
	}
	if o == nil || len(o.Members) != 0 || len(o.Report.Violations()) != 2 {
		t.Errorf("outcome on violation: %+v", o)
	}
}

// Replacing one interface while keeping one that uses its types would
// leave the kept one pointing at a resource nobody provides.
func TestEnforceStubClosure(t *testing.T) {
	app, _ := denyApp(t)
	c, _, err := FromComponent(app, "app", "app")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Enforce(c, mustPolicy(t, "stub example:deny/streams"))
	want := "app: cannot replace example:deny/streams@0.1.0: example:deny/files@0.1.0, which app keeps, uses its types; stub example:deny/files@0.1.0 too, or allow example:deny/streams@0.1.0"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// A composed file's import is one import: it cannot be stubbed for one
// member it serves and kept for another.
func TestEnforceSharedImport(t *testing.T) {
	c := &Composition{Name: "svc", Members: []string{"a", "b"}, Imports: []Import{{
		Name:      "wasi:http/types@0.2.10",
		Users:     []User{{Path: []string{"a"}, Import: "wasi:http/types@0.2.10"}, {Path: []string{"b"}, Import: "wasi:http/types@0.2.10"}},
		Consumers: []Consumer{{Member: "svc", Import: "wasi:http/types@0.2.10", Users: []int{0, 1}}},
	}}}
	_, err := Enforce(c, mustPolicy(t, "allow wasi:* wasi:http/types\nstub wasi:http/*\ngrant b wasi:cli/*"))
	if err == nil || !strings.Contains(err.Error(), "is stubbed for some of the members that share it and not for others (a: allowed, b: stubbed)") {
		t.Errorf("err = %v", err)
	}
}

func TestCheckUnknownMember(t *testing.T) {
	app, _ := denyApp(t)
	c, _, err := FromComponent(app, "app", "app")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(c, mustPolicy(t, "grant enricher wasi:*")); err == nil || !strings.Contains(err.Error(), `"enricher": capabilities granted to a member that does not exist (members: app)`) {
		t.Errorf("err = %v", err)
	}
}

// The audit table and JSON of a nested composition under a policy.
func TestReportGolden(t *testing.T) {
	text := wasmtools.Parse(t, readFile(t, "testdata/trace/nested.wat"))
	c, tr, err := FromComponent(text, "nested", "nested")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPolicy(t, "allow wasi:* log\ndeny wasi:io/error\nstub example:*\ngrant mid wasi:*")
	r, err := Check(c, p)
	if err != nil {
		t.Fatal(err)
	}
	r.AddProvided(tr)
	golden.Check(t, "testdata/report/nested.txt", r.Table(TableOptions{}))
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/report/nested.json", string(js))
	// Without a policy, no WHY column and no counts.
	r, _ = Check(c, nil)
	golden.Check(t, "testdata/report/nested-nopolicy.txt", r.Table(TableOptions{}))
}

// A composition wcomp builds itself: each member is a consumer of its own
// imports, so a member denied what another is granted gets a stub of its
// own, wired to its import alone.
func TestFromMembersPerMemberStubs(t *testing.T) {
	files, _ := denyApp(t)
	env, _ := envApp(t)
	c, err := FromMembers("svc", []MemberSource{{Name: "files", Bytes: files}, {Name: "env", Bytes: env}}, []MemberImport{
		{Outer: denyStreams, Member: "files", Import: denyStreams},
		{Outer: denyFiles, Member: "files", Import: denyFiles},
		{Outer: denyNet, Member: "files", Import: denyNet},
		{Outer: denyClient, Member: "files", Import: denyClient},
		{Outer: environment020, Member: "env", Import: environment020},
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, mustPolicy(t, "stub example:deny/net example:deny/client\nenv A=1\ngrant env wasi:cli/*"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range o.Wires {
		got = append(got, w.String())
	}
	want := []string{
		"files:" + denyNet + "=deny-stubs:" + denyNet,
		"files:" + denyClient + "=deny-stubs:" + denyClient,
		"env:" + environment020 + "=virtual-env:" + environment020,
	}
	if !sameSet(got, want) {
		t.Errorf("wires %v, want %v", got, want)
	}
	if _, err := FromMembers("svc", []MemberSource{{Name: "files", Bytes: files}}, []MemberImport{{Outer: "x", Member: "files", Import: "x"}}); err == nil ||
		!strings.Contains(err.Error(), `member files has no import "x"`) {
		t.Errorf("unknown import: %v", err)
	}
}
