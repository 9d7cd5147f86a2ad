package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// denyApp writes a dummy component of policy/testdata/wit/deny.wit (four
// interfaces shaped like WASI's) to app.wasm.
func denyAppFile(t *testing.T) string {
	t.Helper()
	wasm := wasmtools.DummyComponent(t, filepath.Join("..", "..", "policy", "testdata", "wit", "deny.wit"), "app")
	path := filepath.Join(t.TempDir(), "app.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuditCommand(t *testing.T) {
	app := denyAppFile(t)
	code, stdout, stderr := runWcomp("audit", app)
	if code != 0 || stderr != "" {
		t.Fatalf("no policy: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"Capabilities of app: 4 imports (no policy given: every import would reach the host)",
		"example:deny/streams  0.1.0    app      allowed",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, stderr = runWcomp("audit", app, "--allow", "example:deny/*", "--stub", "example:deny/net", "--stub", "example:deny/client", "--deny", "example:deny/streams")
	if code != 1 {
		t.Errorf("a violation: exit %d, want 1", code)
	}
	if want := "error: app: capability denied: app imports example:deny/streams@0.1.0 (deny example:deny/streams)\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	for _, want := range []string{
		"(1 allowed, 2 stubbed, 1 denied)",
		"example:deny/client   0.1.0    app      stubbed  stub example:deny/client",
		"example:deny/streams  0.1.0    app      denied   deny example:deny/streams",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the table is printed before the error; it lacks %q:\n%s", want, stdout)
		}
	}
}

func TestAuditJSON(t *testing.T) {
	app := denyAppFile(t)
	code, stdout, _ := runWcomp("audit", app, "--json", "--name", "svc", "--allow", "example:*", "--grant", "svc=example:deny/files,example:deny/streams")
	if code != 1 {
		t.Errorf("exit %d, want 1: the grant leaves net and client denied", code)
	}
	var report struct {
		Component string
		Imports   []struct {
			Name, Status string
			Members      []struct {
				Member string
				Path   []string
				Use    string
				Reason string
			}
		}
		Violations []struct{ Member, Import, Reason string }
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if report.Component != "svc" || len(report.Imports) != 4 || len(report.Violations) != 2 {
		t.Fatalf("report %+v", report)
	}
	for _, v := range report.Violations {
		if v.Member != "svc" || v.Reason != "not granted to svc" {
			t.Errorf("violation %+v", v)
		}
	}
}

func TestAuditErrors(t *testing.T) {
	app := denyAppFile(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad pattern", []string{"audit", app, "--deny", "wasi:*/types"},
			`error: --deny "wasi:*/types" (at offset 5): '*' in place of a package matches every package, so nothing may follow it: write wasi:*`},
		{"contradiction", []string{"audit", app, "--allow", "wasi:http/*", "--deny", "wasi:http/*"},
			`error: --deny "wasi:http/*": both allowed and denied: an import it matches cannot be both (the allow is by --allow)`},
		{"unknown member", []string{"audit", app, "--grant", "enricher=wasi:cli/*"},
			`error: --grant "enricher": capabilities granted to a member that does not exist (members: app)`},
		{"bad grant", []string{"audit", app, "--grant", "wasi:cli/*"},
			`error: --grant "wasi:cli/*": expected MEMBER=PATTERN[,PATTERN...], e.g. enricher=wasi:cli/*,wasi:io/*`},
		{"bad virtual variable", []string{"audit", app, "--virtual-env", "NOVALUE"},
			`error: --virtual-env "NOVALUE": expected KEY=VALUE`},
		{"missing file", []string{"audit", filepath.Join(t.TempDir(), "none.wasm")}, "none.wasm: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runWcomp(tt.args...)
			if code != 1 || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and one line containing %q", code, stdout, stderr, tt.want)
			}
		})
	}
}
