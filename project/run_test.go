package project

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/dirgrant"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// httpWIT is a world importing both wasi:http interfaces a host links
// (their shape does not matter to the grant).
const httpWIT = `package test:web@0.1.0;

world app {
  import wasi:http/types@0.2.0;
  import wasi:http/outgoing-handler@0.2.0;
  export run: func();
}
`

const httpDeps = `package wasi:http@0.2.0;

interface types {
  ping: func();
}

interface outgoing-handler {
  handle: func();
}
`

// What wcomp run grants a project's component: [run]'s values, the
// policy's check, and wasi:http only when the policy allows every
// wasi:http import of the component.
func TestRunGrants(t *testing.T) {
	witDir := t.TempDir()
	write(t, filepath.Join(witDir, "app.wit"), httpWIT)
	write(t, filepath.Join(witDir, "deps", "http", "http.wit"), httpDeps)
	wasm := wasmtools.DummyComponent(t, witDir, "app")

	tests := []struct {
		name, policy string
		http, check  bool
	}{
		{name: "no policy", policy: ""},
		{name: "http allowed", policy: "[capabilities]\nallow = [\"wasi:http/*\"]\n", http: true, check: true},
		{name: "one of two allowed", policy: "[capabilities]\nallow = [\"wasi:http/types\"]\n", check: true},
		{name: "http denied", policy: "[capabilities]\ndeny = [\"wasi:http/outgoing-handler\"]\n", check: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "data", "x.txt"), "x")
			write(t, filepath.Join(dir, "component.toml"), `[package]
name = "test:web"
version = "0.1.0"

[components.app]
path = "app.wasm"

[run]
args = ["--flag"]
env = { MODE = "test" }
dirs = ["data::/data:ro"]

`+tt.policy)
			p, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			g, err := p.RunGrants(wasm)
			if err != nil {
				t.Fatal(err)
			}
			if g.HTTP != tt.http || (g.CheckImport != nil) != tt.check {
				t.Errorf("HTTP %v, CheckImport set %v; want %v, %v", g.HTTP, g.CheckImport != nil, tt.http, tt.check)
			}
			wantDir := dirgrant.Grant{Host: filepath.Join(dir, "data"), Guest: "/data", ReadOnly: true}
			if strings.Join(g.Args, " ") != "--flag" || strings.Join(g.Env, " ") != "MODE=test" || len(g.Dirs) != 1 || g.Dirs[0] != wantDir {
				t.Errorf("grants %+v", g)
			}
		})
	}

	// A [run] dirs entry that is no directory is an error at it.
	dir := t.TempDir()
	write(t, filepath.Join(dir, "component.toml"), "[package]\nname = \"test:web\"\nversion = \"0.1.0\"\n\n[components.app]\npath = \"app.wasm\"\n\n[run]\ndirs = [\"missing::/data\"]\n")
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.RunGrants(wasm); err == nil || !strings.Contains(err.Error(), "component.toml:9:9: run.dirs[0]: missing::/data: missing is not a directory") {
		t.Errorf("missing dir: %v", err)
	}
}
