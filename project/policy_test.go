package project

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/policy"
)

// capsBuild is the caps project (testdata/caps.txtar) with policy
// appended to its component.toml.
func capsBuild(t *testing.T, policy string) *testBuild {
	t.Helper()
	b := newTestBuild(t, "caps")
	b.setPolicy(policy)
	return b
}

// setPolicy replaces what follows the members in component.toml.
func (b *testBuild) setPolicy(policy string) {
	b.t.Helper()
	path := b.path("component.toml")
	text := read(b.t, path)
	if i := strings.Index(text, "\n# policy\n"); i >= 0 {
		text = text[:i]
	}
	write(b.t, path, text+"\n# policy\n"+policy)
}

// grant sets a member's capabilities in component.toml.
func (b *testBuild) grant(member, patterns string) {
	b.t.Helper()
	path := b.path("component.toml")
	header := "[components." + member + "]\n"
	text := read(b.t, path)
	if !strings.Contains(text, header) {
		b.t.Fatalf("no member %s", member)
	}
	write(b.t, path, strings.Replace(text, header, header+"capabilities = "+patterns+"\n", 1))
}

// importedInterfaces are the interfaces a component imports, as
// wasm-tools reads them.
func importedInterfaces(t *testing.T, wasm []byte) []string {
	t.Helper()
	var out []string
	for _, imp := range wasmtools.WorldImports(t, wasm) {
		out = append(out, imp.Name)
	}
	slices.Sort(out)
	return out
}

func TestBuildPolicyViolation(t *testing.T) {
	tests := []struct {
		name, policy string
		// grants are the members' capabilities, as written.
		grants map[string]string
		// errs are the positioned errors, one per violation.
		errs []string
	}{
		{
			name:   "deny",
			policy: "[capabilities]\ndeny = [\"test:cap/net\"]\n",
			errs:   []string{`component.toml:19:10: capabilities.deny[0]: member helper imports test:cap/net@0.1.0, which is denied (deny test:cap/net)`},
		},
		{
			name:   "allow list",
			policy: "[capabilities]\nallow = [\"test:cap/files\"]\n",
			errs:   []string{`component.toml:19:9: capabilities.allow: member helper imports test:cap/net@0.1.0, which is denied (not in the allow list): allow it here, or stub it ([capabilities] stub)`},
		},
		{
			// app may have everything of test:cap; helper only files: its
			// net is refused though app's grant covers it.
			name:   "grants",
			policy: "[capabilities]\nallow = [\"test:*\"]\n",
			grants: map[string]string{"app": `["test:cap/*"]`, "helper": `["test:cap/files"]`},
			errs:   []string{`component.toml:6:16: components.helper.capabilities: member helper imports test:cap/net@0.1.0, which is denied (not granted to helper): grant it there, or stub it ([capabilities] stub)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := capsBuild(t, tt.policy)
			for member, patterns := range tt.grants {
				b.grant(member, patterns)
			}
			_, rec, err := b.run(Options{})
			var pe *PolicyError
			if !errors.As(err, &pe) || pe.Report == nil {
				t.Fatalf("build: %v, want a *PolicyError with its report", err)
			}
			var got []string
			for _, e := range pe.Errs {
				got = append(got, strings.TrimPrefix(e.Error(), b.dir+"/"))
			}
			if !slices.Equal(got, tt.errs) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.errs, "\n"))
			}
			table := pe.Report.Table(policyTableOptions)
			for _, want := range []string{"test:cap/net", "helper", "denied"} {
				if !strings.Contains(table, want) {
					t.Errorf("table lacks %q:\n%s", want, table)
				}
			}
			if _, err := os.Stat(b.path("target/caps.wasm")); !os.IsNotExist(err) {
				t.Errorf("target/caps.wasm was written (%v)", err)
			}
			if rec.has(Composing) || rec.has(Finished) {
				t.Errorf("events %v: composed though refused", rec.of(Composing, Finished))
			}
		})
	}
}

// Stubbing net removes exactly it from the result's imports, as
// wasm-tools reads them; the fingerprint holds the policy, so changing it
// recomposes and an unchanged one composes nothing.
func TestBuildPolicyStubs(t *testing.T) {
	b := capsBuild(t, "")
	res, _ := b.mustRun(Options{})
	before := importedInterfaces(t, []byte(read(t, res.Path)))
	if want := []string{"test:cap/files@0.1.0", "test:cap/net@0.1.0"}; !slices.Equal(before, want) {
		t.Fatalf("imports without a policy %v, want %v", before, want)
	}

	b.setPolicy("[capabilities]\nallow = [\"test:cap/files\"]\nstub = [\"test:cap/net\"]\n")
	res, rec := b.mustRun(Options{})
	if res.Fresh || !rec.has(Composing) {
		t.Fatalf("a new policy did not recompose: %v", rec.of(Composing, Finished))
	}
	wasm := []byte(read(t, res.Path))
	validate.Component(t, wasm)
	after := importedInterfaces(t, wasm)
	if want := []string{"test:cap/files@0.1.0"}; !slices.Equal(after, want) {
		t.Errorf("imports with net stubbed %v, want %v", after, want)
	}
	var summary []string
	for _, e := range rec.events {
		if e.Kind == Capabilities {
			summary = append(summary, e.Message)
			if e.Counts["allowed"] != 1 || e.Counts["stubbed"] != 1 {
				t.Errorf("counts %v", e.Counts)
			}
		}
	}
	if !slices.Equal(summary, []string{"1 allowed, 1 stubbed"}) {
		t.Errorf("capabilities events %q", summary)
	}

	res, rec = b.mustRun(Options{})
	if !res.Fresh || rec.has(Composing) || rec.has(Capabilities) {
		t.Errorf("a no-op build composed: %v", rec.of(Composing, Capabilities))
	}
	// Moving the policy's lines changes no rule: still nothing to do.
	b.setPolicy("[capabilities]\nstub = [\"test:cap/net\"]\nallow = [\"test:cap/files\"]\n")
	if res, rec = b.mustRun(Options{}); !res.Fresh {
		t.Errorf("reordered keys recomposed: %v", rec.of(Composing))
	}
	b.setPolicy("")
	if res, _ = b.mustRun(Options{}); res.Fresh {
		t.Error("dropping the policy did not recompose")
	}
	if got := importedInterfaces(t, []byte(read(t, res.Path))); !slices.Equal(got, before) {
		t.Errorf("imports after dropping the policy %v, want %v", got, before)
	}
}

// A policy error is the manifest's, reported by Load before anything is
// built.
func TestLoadPolicyErrors(t *testing.T) {
	tests := []struct{ policy, want string }{
		{"[capabilities]\ndeny = [\"wasi:*/types\"]\n", "component.toml:19:15: capabilities.deny[0]: invalid capability pattern"},
		{"[capabilities]\nallow = [\"test:cap/net\"]\ndeny = [\"test:cap/net\"]\n", "component.toml:20:"},
	}
	for _, tt := range tests {
		b := capsBuild(t, tt.policy)
		_, err := Load(b.dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: Load = %v, want an error containing %q", tt.policy, err, tt.want)
		}
	}
}

func TestAuditProject(t *testing.T) {
	b := capsBuild(t, "[capabilities]\nallow = [\"test:cap/files\"]\nstub = [\"test:cap/net\"]\n")
	p, err := Load(b.dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // built, then fresh
		a, err := p.Audit(t.Context(), Options{Env: b.env, CacheDir: b.cache, Version: "test"})
		if err != nil || a.Violation != nil {
			t.Fatalf("audit %d: %v %v", i, err, a.Violation)
		}
		table := a.Report.Table(policyTableOptions)
		for _, want := range []string{"Capabilities of caps: 2 imports (1 allowed, 1 stubbed)", "test:cap/files", "test:cap/net"} {
			if !strings.Contains(table, want) {
				t.Errorf("audit %d lacks %q:\n%s", i, want, table)
			}
		}
	}
}

var policyTableOptions = policy.TableOptions{}
