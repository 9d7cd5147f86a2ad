package policy

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/manifest"
)

// TestBadManifestPolicies runs the cases in testdata/manifest: each
// archive holds a component.toml that the manifest accepts and whose
// policy is wrong, optionally the members the composition has (for the
// grants' check), and the exact errors, each at its file:line:col.
// go test -update rewrites the errors sections.
func TestBadManifestPolicies(t *testing.T) {
	paths, err := filepath.Glob("testdata/manifest/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var src, members []byte
			var errorsAt = -1
			for i, f := range ar.Files {
				switch f.Name {
				case manifest.FileName:
					src = f.Data
				case "members":
					members = f.Data
				case "errors":
					errorsAt = i
				}
			}
			if src == nil || errorsAt < 0 {
				t.Fatalf("%s: want a %s and an errors section", path, manifest.FileName)
			}
			f, err := manifest.Parse(manifest.FileName, src)
			if err != nil {
				t.Fatalf("the manifest must parse, so that the case tests the policy: %v", err)
			}
			p, err := FromManifest(f)
			if err == nil && members != nil {
				err = p.CheckMembers(strings.Fields(string(members)))
			}
			if err == nil {
				t.Fatal("no error")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want an ErrorList: %v", err, err)
			}
			for _, e := range list {
				if e.At.File != manifest.FileName || e.At.Line == 0 || e.At.Col == 0 || e.At.Key == "" {
					t.Errorf("error without a file:line:col and key: %v", e)
				}
			}
			ar.Files[errorsAt].Data = []byte(err.Error() + "\n")
			golden.Check(t, path, string(txtar.Format(ar)))
		})
	}
}

// A manifest's policy decides as the same flags would, grants by member.
func TestFromManifest(t *testing.T) {
	src := `[package]
name = "example:svc"
version = "0.1.0"

[capabilities]
allow = ["wasi:*"]
deny = ["wasi:sockets/*"]
stub = ["wasi:http/*"]

[capabilities.virtual]
env = { LOG_LEVEL = "info", MODE = "prod" }
args = ["svc", "--quiet"]

[components.enricher]
language = "js"
capabilities = ["wasi:cli/*", "wasi:io/*"]

[components.business]
language = "python"
`
	f, err := manifest.Parse(manifest.FileName, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := FromManifest(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, member string
		want         Status
	}{
		{"wasi:cli/stdout@0.2.9", "business", StatusAllowed},
		{"wasi:sockets/tcp@0.2.9", "business", StatusDenied},
		{"wasi:http/types@0.2.10", "enricher", StatusStubbed},
		{"wasi:filesystem/types@0.2.12", "business", StatusAllowed},
		{"wasi:filesystem/types@0.2.12", "enricher", StatusDenied},
		{"wasi:io/streams@0.2.12", "enricher", StatusAllowed},
		{"wasi:cli/environment@0.2.12", "enricher", StatusVirtual},
		{"example:service/processing@0.1.0", "business", StatusDenied},
	} {
		if v := p.Decide(tc.name, tc.member); v.Status != tc.want {
			t.Errorf("Decide(%s, %s) = %s (%s), want %s", tc.name, tc.member, v.Status, v.Reason, tc.want)
		}
	}
	v := p.VirtualEnv()
	if v == nil || len(v.Env) != 2 || v.Env[1].Key != "MODE" || strings.Join(v.Args, " ") != "svc --quiet" {
		t.Fatalf("virtual %+v", v)
	}
	if got := v.Env[0].At.String(); got != "component.toml:11:9" {
		t.Errorf("LOG_LEVEL at %s, want component.toml:11:9", got)
	}
	if got := p.Members(); strings.Join(got, " ") != "enricher" {
		t.Errorf("members with grants %v", got)
	}

	// Without [capabilities] or grants, no policy: everything is allowed.
	f, err = manifest.Parse(manifest.FileName, []byte("[package]\nname = \"example:svc\"\nversion = \"0.1.0\"\n\n[components.app]\nlanguage = \"rust\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := FromManifest(f); p != nil || err != nil {
		t.Errorf("no policy: %v, %v", p, err)
	}
}
