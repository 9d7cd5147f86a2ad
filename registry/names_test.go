package registry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wcomp/wcomp/registry"
)

func TestParsePackage(t *testing.T) {
	tests := []struct {
		in, ns, name, version, wantErr string
	}{
		{in: "wasi:http", ns: "wasi", name: "http"},
		{in: "wasi:http@0.2.1", ns: "wasi", name: "http", version: "0.2.1"},
		{in: "acme:my-types@^1.2", ns: "acme", name: "my-types", version: "^1.2"},
		{in: "wasi", wantErr: "want namespace:name"},
		{in: "a:b:c", wantErr: "want namespace:name"},
		{in: "ghcr.io/a:1", wantErr: "want namespace:name"},
		{in: "Wasi:Http", wantErr: "kebab-case"},
		{in: "wasi:http@", wantErr: "nothing after @"},
		{in: "wasi:", wantErr: "kebab-case"},
	}
	for _, tt := range tests {
		pkg, version, err := registry.ParsePackage(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePackage(%q) = %v, %q, %v; want an error containing %q", tt.in, pkg, version, err, tt.wantErr)
			}
			continue
		}
		if err != nil || pkg.Namespace != tt.ns || pkg.Name != tt.name || version != tt.version {
			t.Errorf("ParsePackage(%q) = %v, %q, %v", tt.in, pkg, version, err)
		}
	}
}

func TestLocationReference(t *testing.T) {
	pkg, _, _ := registry.ParsePackage("wasi:http")
	ref := registry.Location{Registry: "ghcr.io", Prefix: "webassembly/"}.Reference(pkg, "0.2.1")
	if ref.String() != "ghcr.io/webassembly/wasi/http:0.2.1" {
		t.Errorf("wasi:http@0.2.1 → %s, want wkg's ghcr.io/webassembly/wasi/http:0.2.1", ref)
	}
}

const wkgConfigText = `
default_registry = "127.0.0.1:1"

[namespace_registries]
wasi = "wasi.dev"
plain = "plain.example"
inline = { registry = "inline", metadata = { preferredProtocol = "oci", "oci" = { registry = "ghcr.io", namespacePrefix = "webassembly/" } } }
legacy = { registry = "legacy", metadata = { ociRegistry = "legacy.example:5000", ociNamespacePrefix = "pkgs/" } }
warg = { registry = "warg.example", metadata = { preferredProtocol = "warg" } }
known = "%s"

[package_registry_overrides]
"wasi:special" = { registry = "special", metadata = { oci = { registry = "special.example" } } }

[registry."plain.example".oci]
auth = { username = "open", password = "sesame" }
protocol = "http"
`

func TestNamesLocate(t *testing.T) {
	var fetches atomic.Int32
	wellKnown := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		if r.URL.Path != "/.well-known/wasm-pkg/registry.json" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"preferredProtocol": "oci", "oci": {"registry": "oci.example", "namespacePrefix": "known/"}}`))
	}))
	defer wellKnown.Close()
	knownHost := strings.TrimPrefix(wellKnown.URL, "http://")
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	missingHost := strings.TrimPrefix(missing.URL, "http://")

	path := filepath.Join(t.TempDir(), "config.toml")
	cfg, err := registry.ParseWKGConfig(path, []byte(strings.Replace(wkgConfigText, "%s", knownHost, 1)))
	if err != nil {
		t.Fatal(err)
	}
	cfg.NamespaceRegistries["nometa"] = registry.WKGMapping{Registry: missingHost}
	names := &registry.Names{
		Project: map[string]registry.Location{"acme": {Registry: "ghcr.io", Prefix: "acme-corp/"}, "wasi": {Registry: "mirror.example", Prefix: "w/"}},
		WKG:     cfg,
		HTTP:    http.DefaultClient,
	}
	tests := []struct {
		pkg     string
		want    string
		by      registry.MappedBy
		wantErr string
	}{
		{pkg: "acme:logger", want: "ghcr.io/acme-corp/acme/logger", by: registry.MappedByProject},
		{pkg: "wasi:http", want: "mirror.example/w/wasi/http", by: registry.MappedByProject},
		{pkg: "inline:x", want: "ghcr.io/webassembly/inline/x", by: registry.MappedByWKG},
		{pkg: "legacy:x", want: "legacy.example:5000/pkgs/legacy/x", by: registry.MappedByWKG},
		{pkg: "known:x", want: "oci.example/known/known/x", by: registry.MappedByWKG},
		{pkg: "nometa:x", want: missingHost + "/nometa/x", by: registry.MappedByWKG},
		{pkg: "other:x", wantErr: "fetching the registry's metadata"},
		{pkg: "warg:x", wantErr: `serves packages over "warg"; wcomp speaks only OCI`},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			pkg, _, err := registry.ParsePackage(tt.pkg)
			if err != nil {
				t.Fatal(err)
			}
			loc, by, err := names.Locate(context.Background(), pkg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, %v; want an error containing %q", loc, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ref := loc.Reference(pkg, ""); ref.String() != tt.want || by != tt.by {
				t.Errorf("got %s by %s, want %s by %s", ref, by, tt.want, tt.by)
			}
		})
	}
	// The well-known document is fetched once however often it is needed.
	before := fetches.Load()
	pkg, _, _ := registry.ParsePackage("known:y")
	if _, _, err := names.Locate(context.Background(), pkg); err != nil {
		t.Fatal(err)
	}
	if fetches.Load() != before {
		t.Errorf("the registry metadata was fetched again")
	}
}

// TestNamesWithoutWKG: with no wkg config, only the project and wkg's
// built-in namespaces place packages, and an unplaced one says how to fix it.
func TestNamesWithoutWKG(t *testing.T) {
	names := &registry.Names{}
	pkg, _, _ := registry.ParsePackage("wasi:io")
	loc, by, err := names.Locate(context.Background(), pkg)
	if err != nil || loc.String() != "wasi.dev" || by != registry.MappedByFallback {
		t.Errorf("wasi:io → %s by %s, %v; want wasi.dev by the fallback", loc, by, err)
	}
	pkg, _, _ = registry.ParsePackage("acme:x")
	_, _, err = names.Locate(context.Background(), pkg)
	if err == nil || !strings.Contains(err.Error(), `add e.g. acme = "ghcr.io/your-org/" to [registries]`) {
		t.Errorf("got %v, want advice on [registries]", err)
	}
}

func TestWKGConfigErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text, want string
	}{
		{"syntax", "[namespace_registries\nx = 1", "config.toml:2:22: expected"},
		{"bad mapping", "[namespace_registries]\nx = 1", "want a registry name or a table"},
		{"table without registry", "[namespace_registries]\nx = { metadata = {} }", "needs registry ="},
		{"bad auth", "[registry.\"r\".oci]\nauth = \"!!!\"", `[registry."r".oci] auth: want base64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.ParseWKGConfig(filepath.Join(dir, "config.toml"), []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if c, err := registry.LoadWKGConfig(filepath.Join(dir, "absent.toml")); c != nil || err != nil {
		t.Errorf("a missing config: %v, %v; want none and no error", c, err)
	}
	path := filepath.Join(dir, "unknown.toml")
	os.WriteFile(path, []byte("future_key = 1\n[namespace_registries]\nx = \"r.example\"\n"), 0o644)
	if c, err := registry.LoadWKGConfig(path); err != nil || c.NamespaceRegistries["x"].Registry != "r.example" {
		t.Errorf("a config with keys wcomp does not know: %v, %v", c, err)
	}
}

func TestWKGConfigPath(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tt := range []struct {
		getenv func(string) string
		want   string
	}{
		{env("WKG_CONFIG_FILE", "/a/b.toml", "XDG_CONFIG_HOME", "/x"), "/a/b.toml"},
		{env("XDG_CONFIG_HOME", "/x", "HOME", "/h"), "/x/wasm-pkg/config.toml"},
		{env("HOME", "/h"), "/h/.config/wasm-pkg/config.toml"},
	} {
		if got := registry.WKGConfigPath(tt.getenv); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
