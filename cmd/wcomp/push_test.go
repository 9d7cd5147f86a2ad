package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// registryEnv points every user-level configuration the registry commands
// read at fresh directories: the cache, Docker's config, wkg's config.
func registryEnv(t *testing.T) (home string) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("DOCKER_CONFIG", filepath.Join(home, "docker"))
	t.Setenv("WKG_CONFIG_FILE", "")
	t.Setenv("WCOMP_REGISTRY_USER", "")
	t.Setenv("WCOMP_REGISTRY_PASSWORD", "")
	t.Setenv("SOURCE_DATE_EPOCH", "1764547200")
	return home
}

// putFile writes data to dir/name and returns the path.
func putFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	writeFile(t, path, data)
	return path
}

func TestPushPullCommands(t *testing.T) {
	home := registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	wasm := wasmtools.DummyComponent(t, "../../fixtures/wit/service.wit", "validator")
	file := putFile(t, home, "validator.wasm", wasm)
	ref := reg.Host + "/example/validator:0.1.0"

	code, stdout, stderr := runWcomp("push", file, ref, "--json", "--annotation", "com.example.team=payments")
	if code != 0 {
		t.Fatalf("push: exit %d: %s", code, stderr)
	}
	var pushed struct {
		Reference, Digest, Kind, LayerDigest, Created, CreatedFrom string
		Unchanged                                                  bool
	}
	if err := json.Unmarshal([]byte(stdout), &pushed); err != nil {
		t.Fatalf("push --json: %v\n%s", err, stdout)
	}
	if pushed.Reference != ref || !strings.HasPrefix(pushed.Digest, "sha256:") || pushed.Kind != "component" ||
		pushed.Created != "2025-12-01T00:00:00Z" || pushed.CreatedFrom != "SOURCE_DATE_EPOCH" || pushed.Unchanged {
		t.Errorf("push --json: %+v", pushed)
	}

	// Again: same digest, nothing changes.
	code, stdout, _ = runWcomp("push", file, ref, "--annotation", "com.example.team=payments")
	if code != 0 || !strings.Contains(stdout, "Unchanged "+ref) || !strings.Contains(stdout, "Digest: "+pushed.Digest) {
		t.Errorf("second push: exit %d\n%s", code, stdout)
	}
	// Different content, same version: refused, then forced.
	other := putFile(t, home, "enricher.wasm", wasmtools.DummyComponent(t, "../../fixtures/wit/service.wit", "enricher"))
	code, _, stderr = runWcomp("push", other, ref)
	if code != 1 || !strings.Contains(stderr, "tag 0.1.0 is already published as manifest "+pushed.Digest) {
		t.Errorf("push over a taken tag: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr = runWcomp("push", other, ref, "--force")
	if code != 0 || !strings.Contains(stdout, "replacing "+pushed.Digest) {
		t.Errorf("forced push: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = runWcomp("push", file, ref, "--force", "--annotation", "com.example.team=payments")
	if code != 0 {
		t.Fatalf("forced push back: %s", stderr)
	}

	// Pull to a named file, then to the default name (the layer's title).
	out := filepath.Join(home, "out.wasm")
	code, stdout, stderr = runWcomp("pull", ref, "-o", out)
	if code != 0 || !strings.Contains(stdout, "Digest: "+pushed.Digest) {
		t.Fatalf("pull: exit %d\n%s%s", code, stdout, stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, wasm) {
		t.Error("pulled file differs from the pushed one")
	}
	work := t.TempDir()
	t.Chdir(work)
	code, stdout, stderr = runWcomp("pull", ref, "--json")
	if code != 0 {
		t.Fatalf("pull --json: exit %d: %s", code, stderr)
	}
	var pulled struct {
		File        string
		Digest      string
		Annotations map[string]string
		Component   struct{ Exports []string }
	}
	if err := json.Unmarshal([]byte(stdout), &pulled); err != nil {
		t.Fatal(err)
	}
	if pulled.File != "validator.wasm" || pulled.Digest != pushed.Digest || pulled.Annotations["com.example.team"] != "payments" ||
		strings.Join(pulled.Component.Exports, ",") != "example:service/processing@0.1.0" {
		t.Errorf("pull --json: %+v", pulled)
	}
	if got, _ := os.ReadFile(filepath.Join(work, "validator.wasm")); !bytes.Equal(got, wasm) {
		t.Error("pulled file differs")
	}
	// The layer is now in the cache.
	if entries, _ := filepath.Glob(filepath.Join(home, "cache", "wcomp", "blobs", "sha256", "*")); len(entries) != 1 {
		t.Errorf("cache holds %q, want the one layer", entries)
	}
}

// TestPushPullPackageNames: ns:name@version goes through wkg's
// namespace_registries to the local registry.
func TestPushPullPackageNames(t *testing.T) {
	home := registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	config := "[namespace_registries]\nexample = { registry = \"local\", metadata = { preferredProtocol = \"oci\", oci = { registry = \"" + reg.Host + "\", namespacePrefix = \"wasm/\" } } }\n"
	putFile(t, filepath.Join(home, "config", "wasm-pkg"), "config.toml", []byte(config))
	var wit []byte // the last one pushed, 0.2.3
	for _, v := range []string{"0.1.0", "0.2.0", "0.2.3"} {
		witFile := putFile(t, t.TempDir(), "service.wit", []byte("package example:service@"+v+";\ninterface api {\n  f: func();\n}\n"))
		wit = wasmtools.EncodeWIT(t, witFile)
		file := putFile(t, home, "service-"+v+".wasm", wit)
		if code, _, stderr := runWcomp("push", file, "example:service@"+v); code != 0 {
			t.Fatalf("push @%s: %s", v, stderr)
		}
	}
	code, stdout, stderr := runWcomp("pull", "example:service@^0.2", "-o", filepath.Join(home, "got.wasm"))
	if code != 0 || !strings.Contains(stdout, "Pulled "+reg.Host+"/wasm/example/service:0.2.3") {
		t.Fatalf("pull by requirement: exit %d\n%s%s", code, stdout, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(home, "got.wasm")); !bytes.Equal(got, wit) {
		t.Error("pulled bytes differ")
	}
	code, _, stderr = runWcomp("pull", "example:service@^3")
	if code != 1 || !strings.Contains(stderr, "no published version matches ^3 (published: 0.2.3, 0.2.0, 0.1.0)") {
		t.Errorf("no match: exit %d: %s", code, stderr)
	}
	code, _, stderr = runWcomp("push", filepath.Join(home, "service-0.1.0.wasm"), "nowhere:service@0.1.0")
	if code != 1 || !strings.Contains(stderr, `no registry for namespace "nowhere"`) {
		t.Errorf("unmapped namespace: exit %d: %s", code, stderr)
	}
}

func TestRegistryCommandErrors(t *testing.T) {
	home := registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	module := putFile(t, home, "core.wasm", wasmtools.Parse(t, "(module)"))
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"push", module, reg.Host + "/x/y:1.0.0"}, 1, "core.wasm: not a component: this is a core WebAssembly module"},
		{[]string{"push", filepath.Join(home, "absent.wasm"), reg.Host + "/x/y:1.0.0"}, 1, "absent.wasm: no such file or directory"},
		{[]string{"push", module}, 2, "takes a file and a reference"},
		{[]string{"push", module, reg.Host + "/x/y"}, 1, "push needs a version tag"},
		{[]string{"push", module, "acme:y"}, 1, "acme:y: push needs an exact version, e.g. acme:y@1.0.0"},
		{[]string{"push", module, "acme:y@^1.2"}, 1, "acme:y@^1.2: push needs an exact version, e.g. acme:y@1.0.0"},
		{[]string{"push", module, "not a ref"}, 1, `reference "not a ref"`},
		{[]string{"pull", reg.Host + "/x/absent:1.0.0"}, 1, "not found"},
		{[]string{"pull", reg.Host + "/x/y"}, 1, "pull needs a tag or a digest"},
		{[]string{"push", module, reg.Host + "/x/y:1.0.0", "--annotation", "novalue"}, 1, `--annotation "novalue": want KEY=VALUE`},
		{[]string{"login", "ghcr.io/acme"}, 2, "takes a registry host such as ghcr.io"},
	}
	for _, tt := range tests {
		code, _, stderr := runWcomp(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.contains) || strings.Count(strings.TrimSpace(stderr), "\n") > 2 {
			t.Errorf("wcomp %s: exit %d, stderr:\n%s\nwant exit %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.contains)
		}
	}
}

// TestLoginCommand logs in to a registry with basic auth, pushes with the
// saved login, and logs out.
func TestLoginCommand(t *testing.T) {
	home := registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{Users: map[string]string{"dev": "pa55"}})
	file := putFile(t, home, "v.wasm", wasmtools.DummyComponent(t, "../../fixtures/wit/service.wit", "validator"))
	ref := reg.Host + "/team/v:1.0.0"

	code, _, stderr := runWcomp("push", file, ref)
	if code != 1 || !strings.Contains(stderr, "wcomp login "+reg.Host) {
		t.Fatalf("push without a login: exit %d: %s", code, stderr)
	}
	code, _, stderr = runWithStdin("wrong\n", "login", reg.Host, "-u", "dev", "--password-stdin")
	if code != 1 || !strings.Contains(stderr, "authentication failed") {
		t.Errorf("login with a wrong password: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runWithStdin("pa55\n", "login", reg.Host, "-u", "dev", "--password-stdin")
	if code != 0 || !strings.Contains(stdout, "Login succeeded") {
		t.Fatalf("login: exit %d: %s%s", code, stdout, stderr)
	}
	if data, err := os.ReadFile(filepath.Join(home, "docker", "config.json")); err != nil || !strings.Contains(string(data), reg.Host) {
		t.Errorf("Docker's config.json after login: %s, %v", data, err)
	}
	if code, _, stderr := runWcomp("push", file, ref); code != 0 {
		t.Fatalf("push with the saved login: %s", stderr)
	}
	if code, _, _ := runWcomp("logout", reg.Host); code != 0 {
		t.Fatal("logout failed")
	}
	if code, _, _ := runWcomp("pull", ref); code != 1 {
		t.Error("pull after logout succeeded")
	}
	// The environment's credentials need no login.
	t.Setenv("WCOMP_REGISTRY_USER", "dev")
	t.Setenv("WCOMP_REGISTRY_PASSWORD", "pa55")
	if code, _, stderr := runWcomp("pull", ref, "-o", filepath.Join(home, "x.wasm")); code != 0 {
		t.Errorf("pull with WCOMP_REGISTRY_USER/PASSWORD: %s", stderr)
	}
	code, _, stderr = runWithStdin("", "login", reg.Host)
	if code != 1 || !strings.Contains(stderr, "no terminal to ask for credentials on") {
		t.Errorf("login without a terminal: exit %d: %s", code, stderr)
	}
}

// runWithStdin runs wcomp as Run does, with stdin.
func runWithStdin(stdin string, args ...string) (int, string, string) {
	var o, e bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&o)
	root.SetErr(&e)
	err := root.Execute()
	if err == nil {
		return 0, o.String(), e.String()
	}
	e.WriteString("error: " + err.Error() + "\n")
	if _, ok := err.(*commandError); ok {
		return 1, o.String(), e.String()
	}
	return 2, o.String(), e.String()
}
