package registry_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/registry"
	"github.com/wcomp/wcomp/resolve"
)

// TestResolveThroughRegistry publishes a WIT package and a component to a
// real registry, resolves a project that depends on both with the real
// resolver, then resolves it again --offline, with the registry gone,
// from the lock and the cache alone.
func TestResolveThroughRegistry(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	ctx := context.Background()
	c := newClient(t)
	names := &registry.Names{Project: map[string]registry.Location{"example": {Registry: reg.Host, Prefix: "pkgs/"}}}
	validator := wasmtools.DummyComponent(t, serviceWIT, "validator")
	published := map[string]string{} // name@version → layer digest
	for _, p := range []registry.Publication{
		{Wasm: serviceAt(t, "0.1.0"), Metadata: registry.Metadata{Name: "example:service", Version: "0.1.0"}},
		{Wasm: serviceAt(t, "0.1.3"), Metadata: registry.Metadata{Name: "example:service", Version: "0.1.3", Description: "newer"}},
		{Wasm: serviceAt(t, "0.2.0"), Metadata: registry.Metadata{Name: "example:service", Version: "0.2.0"}},
		{Wasm: validator, Metadata: registry.Metadata{Name: "example:validator", Version: "1.4.0"}},
	} {
		res, ref, err := c.Publish(ctx, names, p)
		if err != nil {
			t.Fatal(err)
		}
		if want := reg.Host + "/pkgs/example/" + strings.TrimPrefix(p.Metadata.Name, "example:") + ":" + p.Metadata.Version; ref.String() != want {
			t.Errorf("published to %s, want %s", ref, want)
		}
		published[p.Metadata.Name+"@"+p.Metadata.Version] = res.Layer.Digest.String()
	}

	cache := blobcache.New(t.TempDir())
	source := &registry.Source{Client: c, Names: names, Cache: cache}
	in := resolve.Inputs{
		Project: "example:app",
		Dir:     t.TempDir(),
		WIT:     []resolve.WITDependency{{Name: "example:service", Version: "0.1", Where: "component.toml:8:1"}},
		Components: []resolve.ComponentSource{
			{Name: "validator", Package: "example:validator", Version: "^1", Where: "component.toml:12:1"},
			{Name: "pinned", OCI: reg.Host + "/pkgs/example/validator:1.4.0", Where: "component.toml:15:1"},
		},
	}
	res, err := resolve.Resolve(ctx, in, resolve.Options{}, resolve.Env{Registry: source, Store: cache})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Packages) != 1 || res.Packages[0].ID() != "example:service@0.1.3" || res.Packages[0].Source != "registry+"+reg.Host+"/pkgs/example/service" {
		t.Fatalf("packages %+v, want example:service@0.1.3 from the registry", res.Packages)
	}
	for _, comp := range res.Components {
		if comp.Digest != published["example:validator@1.4.0"] {
			t.Errorf("component %s: digest %s, want the published layer's %s", comp.Name, comp.Digest, published["example:validator@1.4.0"])
		}
	}

	reg.Kill()
	again, err := resolve.Resolve(ctx, in, resolve.Options{Lock: res.Lock, Offline: true}, resolve.Env{Registry: source, Store: cache})
	if err != nil {
		t.Fatalf("offline resolution with the registry gone: %v", err)
	}
	if again.Packages[0].ID() != "example:service@0.1.3" || len(again.Changes) != 0 {
		t.Errorf("offline: %+v, changes %v", again.Packages, again.Changes)
	}
}

// serviceAt is a small self-contained WIT package, example:service at
// version, encoded.
func serviceAt(t *testing.T, version string) []byte {
	t.Helper()
	text := "package example:service@" + version + ";\n\ninterface processing {\n  process: func(input: string) -> string;\n}\n\nworld validator {\n  export processing;\n}\n"
	path := filepath.Join(t.TempDir(), "service.wit")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return wasmtools.EncodeWIT(t, path)
}

func TestSourceLocateIsOffline(t *testing.T) {
	cfg, err := registry.ParseWKGConfig("config.toml", []byte(`[namespace_registries]
wasi = "wasi.dev"
acme = { registry = "acme", metadata = { oci = { registry = "ghcr.io", namespacePrefix = "acme-corp/" } } }`))
	if err != nil {
		t.Fatal(err)
	}
	// No client: Locate must not need the network.
	s := &registry.Source{Names: &registry.Names{WKG: cfg, Project: map[string]registry.Location{"local": {Registry: "localhost:5000"}}}}
	for pkg, want := range map[string]string{
		"wasi:cli":    "wasi.dev/wasi/cli",
		"acme:logger": "ghcr.io/acme-corp/acme/logger",
		"local:x":     "localhost:5000/local/x",
	} {
		if got, err := s.Locate(pkg); err != nil || got != want {
			t.Errorf("Locate(%q) = %q, %v; want %q", pkg, got, err, want)
		}
	}
	if _, err := s.Locate("nowhere:x"); err == nil || !strings.Contains(err.Error(), `no registry for namespace "nowhere"`) {
		t.Errorf("unmapped: %v", err)
	}
}
