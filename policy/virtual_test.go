package policy

import (
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/validate"
)

const environment020 = "wasi:cli/environment@0.2.0"

func envApp(t *testing.T) ([]byte, *component.ComponentType) {
	return dummyApp(t, "testdata/wit/environment.wit")
}

func TestGenerateVirtualEnv(t *testing.T) {
	app, ct := envApp(t)
	cwd := "/srv"
	v := &Virtual{Env: []EnvVar{{Key: "LOG_LEVEL", Value: "info"}, {Key: "EMPTY", Value: ""}}, Args: []string{"app", "--quiet"}, Cwd: &cwd}
	g, err := GenerateVirtualEnv(ct, environment020, v)
	if err != nil {
		t.Fatal(err)
	}
	if g.Kind != GeneratedVirtual || len(g.Imports) != 0 || len(g.Exports) != 1 || g.Exports[0] != environment020 {
		t.Errorf("generated %+v", g)
	}
	validate.Component(t, g.Bytes)
	composed := composeWith(t, app, g)
	validate.Component(t, composed)
	if got := importNames(t, composed); len(got) != 0 {
		t.Errorf("composed imports %v, want none", got)
	}
	if testing.Short() {
		return
	}
	// The values as Wasmtime reads them out of the generated memory.
	for call, want := range map[string]string{
		"get-environment()": `[("LOG_LEVEL", "info"), ("EMPTY", "")]`,
		"get-arguments()":   `["app", "--quiet"]`,
		"initial-cwd()":     `some("/srv")`,
	} {
		out, errOut, err := wasmtimeInvoke(t, g.Bytes, call)
		if err != nil || out != want {
			t.Errorf("%s = %q (%v %s), want %q", call, out, err, errOut, want)
		}
	}
	// An empty virtual environment has nothing, not the host's.
	empty, err := GenerateVirtualEnv(ct, environment020, &Virtual{})
	if err != nil {
		t.Fatal(err)
	}
	for call, want := range map[string]string{"get-environment()": `[]`, "get-arguments()": `[]`, "initial-cwd()": `none`} {
		if out, errOut, err := wasmtimeInvoke(t, empty.Bytes, call); err != nil || out != want {
			t.Errorf("empty: %s = %q (%v %s), want %q", call, out, err, errOut, want)
		}
	}
}

func TestGenerateVirtualEnvErrors(t *testing.T) {
	_, ct := envApp(t)
	if _, err := GenerateVirtualEnv(ct, "wasi:cli/stdout@0.2.0", &Virtual{}); err == nil || !strings.Contains(err.Error(), "provides wasi:cli/environment") {
		t.Errorf("another interface: %v", err)
	}
	if _, err := GenerateVirtualEnv(ct, "wasi:cli/environment@0.2.5", &Virtual{}); err == nil || !strings.Contains(err.Error(), "no import") {
		t.Errorf("an interface the source does not import: %v", err)
	}
}
