package registry_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2"
	"oras.land/oras-go/v2/content/oci"
	orasregistry "oras.land/oras-go/v2/registry"
	"oras.land/oras-go/v2/registry/remote/credentials"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/versionreq"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/registry"
)

// testRetry keeps backoffs short; the policy is otherwise the default one.
var testRetry = registry.RetryPolicy{MaxRetries: 3, MinWait: 5 * time.Millisecond, MaxWait: 20 * time.Millisecond}

type clientOption func(*registry.Options)

func newClient(t *testing.T, opts ...clientOption) *registry.Client {
	t.Helper()
	o := registry.Options{Credentials: credentials.NewMemoryStore(), Retry: testRetry, Timeouts: registry.Timeouts{Stall: 2 * time.Second}}
	for _, f := range opts {
		f(&o)
	}
	c, err := registry.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func withEnv(kv map[string]string) clientOption {
	return func(o *registry.Options) { o.Getenv = func(k string) string { return kv[k] } }
}

func ref(t *testing.T, s string) orasregistry.Reference {
	t.Helper()
	r, err := registry.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// withCustomSection appends a custom section of n bytes to a component: a
// valid component of any size, without a toolchain.
func withCustomSection(wasm []byte, n int) []byte {
	name := "padding"
	payload := append(binary.AppendUvarint(nil, uint64(len(name))), name...)
	payload = append(payload, bytes.Repeat([]byte{0xab}, n)...)
	out := append(bytes.Clone(wasm), 0)
	out = binary.AppendUvarint(out, uint64(len(payload)))
	return append(out, payload...)
}

func build(t *testing.T, wasm []byte, meta registry.Metadata) *registry.Artifact {
	t.Helper()
	a, err := registry.Build(wasm, meta, testTime)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// pullBytes pulls r into a fresh cache and returns the layer's bytes.
func pullBytes(t *testing.T, c *registry.Client, r orasregistry.Reference) (*registry.Pulled, []byte) {
	t.Helper()
	p, err := c.Pull(context.Background(), r, registry.PullOptions{Cache: blobcache.New(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p.Path)
	if err != nil {
		t.Fatal(err)
	}
	return p, data
}

// assertNoTag checks through c (a client without faults) that tag is absent.
func assertNoTag(t *testing.T, c *registry.Client, host, repo, tag string) {
	t.Helper()
	vs, err := c.Versions(context.Background(), ref(t, host+"/"+repo))
	if err != nil {
		t.Fatalf("listing tags: %v", err)
	}
	if slices.Contains(vs, tag) {
		t.Errorf("tag %s exists after a failed push", tag)
	}
}

// TestRoundTrip pushes components and a WIT package to a real registry and
// pulls them back: the layers are byte-identical, the digests agree, and
// the config survives.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	c := newClient(t)
	ctx := context.Background()
	inputs := map[string][]byte{
		"validator": wasmtools.DummyComponent(t, serviceWIT, "validator"),
		"business":  wasmtools.DummyComponent(t, serviceWIT, "business"),
		"service":   wasmtools.EncodeWIT(t, serviceWIT),
		"big":       withCustomSection(wasmtools.DummyComponent(t, serviceWIT, "validator"), 3<<20),
	}
	if !testing.Short() {
		for _, f := range []string{"validator", "enricher", "business"} {
			inputs["fixture-"+f] = fixture.Read(t, f)
		}
	}
	for name, wasm := range inputs {
		t.Run(name, func(t *testing.T) {
			a := build(t, wasm, registry.Metadata{Name: "example:" + name, Version: "0.1.0", Description: "the " + name})
			r := ref(t, reg.Host+"/example/"+name+":0.1.0")
			res, err := c.Push(ctx, r, a, registry.PushOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Unchanged || res.Manifest.Digest != a.Manifest.Digest {
				t.Fatalf("push result %+v", res)
			}
			p, got := pullBytes(t, c, r)
			if !bytes.Equal(got, wasm) {
				t.Fatalf("pulled %d bytes differ from the %d pushed", len(got), len(wasm))
			}
			if p.Manifest.Digest != a.Manifest.Digest || p.Layer.Digest != a.Layer.Digest {
				t.Errorf("pulled manifest %s layer %s, pushed %s %s", p.Manifest.Digest, p.Layer.Digest, a.Manifest.Digest, a.Layer.Digest)
			}
			if p.Annotations[registry.AnnotationDescription] != "the "+name || p.Annotations[registry.AnnotationVersion] != "0.1.0" {
				t.Errorf("annotations %v", p.Annotations)
			}
			want := decodeConfig(t, a.ConfigBytes)
			if !slices.Equal(p.Config.Component.Exports, want.Component.Exports) || !p.Config.Created.Equal(testTime) {
				t.Errorf("pulled config %+v, pushed %+v", p.Config, want)
			}
			// By digest too.
			byDigest := ref(t, reg.Host+"/example/"+name+"@"+a.Manifest.Digest.String())
			if _, got := pullBytes(t, c, byDigest); !bytes.Equal(got, wasm) {
				t.Error("pull by digest differs")
			}
		})
	}
}

// TestTagNeverOverwritten: a version's tag keeps its content unless forced;
// pushing identical content again is a no-op.
func TestTagNeverOverwritten(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	c := newClient(t)
	ctx := context.Background()
	r := ref(t, reg.Host+"/example/app:1.0.0")
	first := build(t, wasmtools.DummyComponent(t, serviceWIT, "validator"), registry.Metadata{Name: "example:app", Version: "1.0.0"})
	second := build(t, wasmtools.DummyComponent(t, serviceWIT, "enricher"), registry.Metadata{Name: "example:app", Version: "1.0.0"})
	if _, err := c.Push(ctx, r, first, registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Push(ctx, r, first, registry.PushOptions{})
	if err != nil || !res.Unchanged {
		t.Fatalf("pushing the same artifact again: %+v, %v; want unchanged", res, err)
	}
	_, err = c.Push(ctx, r, second, registry.PushOptions{})
	if !errors.Is(err, registry.ErrVersionExists) || !strings.Contains(err.Error(), "pass --force") {
		t.Fatalf("pushing different content to a taken tag: got %v, want ErrVersionExists", err)
	}
	if p, _ := pullBytes(t, c, r); p.Manifest.Digest != first.Manifest.Digest {
		t.Fatalf("the refused push moved the tag to %s", p.Manifest.Digest)
	}
	res, err = c.Push(ctx, r, second, registry.PushOptions{Force: true})
	if err != nil || res.Replaced != first.Manifest.Digest {
		t.Fatalf("forced push: %+v, %v; want it to replace %s", res, err, first.Manifest.Digest)
	}
	if p, _ := pullBytes(t, c, r); p.Manifest.Digest != second.Manifest.Digest {
		t.Fatalf("after a forced push the tag names %s, want %s", p.Manifest.Digest, second.Manifest.Digest)
	}
}

// TestVersions lists semver tags only, resolves requirements to the
// highest match, and resolves package names through wkg's mapping.
func TestVersions(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	c := newClient(t)
	ctx := context.Background()
	a := build(t, wasmtools.DummyComponent(t, serviceWIT, "validator"), registry.Metadata{Name: "example:lib"})
	for _, tag := range []string{"0.1.0", "0.2.0", "0.2.5", "0.3.0-rc.1", "1.0.0", "latest", "v2.0.0", "1.2", "sha256-abc.sig"} {
		if _, err := c.Push(ctx, ref(t, reg.Host+"/example/lib:"+tag), a, registry.PushOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	repo := ref(t, reg.Host+"/example/lib")
	vs, err := c.Versions(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"0.1.0", "0.2.0", "0.2.5", "0.3.0-rc.1", "1.0.0"}; !slices.Equal(vs, want) {
		t.Errorf("versions %q, want %q", vs, want)
	}
	for req, want := range map[string]string{"^0.2": "0.2.5", "0.2.0": "0.2.5", "=0.2.0": "0.2.0", "*": "1.0.0", "^0.3.0-rc.1": "0.3.0-rc.1", "<0.2": "0.1.0"} {
		r, err := c.ResolveVersion(ctx, repo, mustReq(t, req))
		if err != nil || r.Reference != want {
			t.Errorf("resolve %q: %v, %v; want %s", req, r.Reference, err, want)
		}
	}
	_, err = c.ResolveVersion(ctx, repo, mustReq(t, "^2"))
	if !errors.Is(err, registry.ErrNoMatchingVersion) || !strings.Contains(err.Error(), "published: 1.0.0, 0.3.0-rc.1, 0.2.5, 0.2.0, 0.1.0") {
		t.Errorf("no match: got %v", err)
	}
	if vs, err := c.Versions(ctx, ref(t, reg.Host+"/example/never-pushed")); err != nil || len(vs) != 0 {
		t.Errorf("a repository nobody pushed: %q, %v; want no versions", vs, err)
	}

	cfg, err := registry.ParseWKGConfig("config.toml", []byte(`[namespace_registries]
example = { registry = "local", metadata = { oci = { registry = "`+reg.Host+`" } } }`))
	if err != nil {
		t.Fatal(err)
	}
	names := &registry.Names{WKG: cfg}
	for spec, want := range map[string]string{
		"example:lib@^0.2":  reg.Host + "/example/lib:0.2.5",
		"example:lib":       reg.Host + "/example/lib:1.0.0",
		"example:lib@0.1.0": reg.Host + "/example/lib:0.1.0",
	} {
		r, err := c.ResolvePackage(ctx, names, spec)
		if err != nil || r.String() != want {
			t.Errorf("ResolvePackage(%q) = %s, %v; want %s", spec, r, err, want)
		}
	}
}

func mustReq(t *testing.T, s string) versionreq.Req {
	t.Helper()
	r, err := versionreq.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestPullOtherLayouts pushes manifests that other tools write to a real
// registry, and checks that pulling each says what it is.
func TestPullOtherLayouts(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	c := newClient(t)
	ctx := context.Background()
	repo, err := c.Repository(ctx, ref(t, reg.Host+"/example/other"))
	if err != nil {
		t.Fatal(err)
	}
	blob := func(mediaType string, data []byte) ocispec.Descriptor {
		d, err := oras.PushBytes(ctx, repo, mediaType, data)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	push := func(tag string, m ocispec.Manifest) {
		m.SchemaVersion = 2
		if m.MediaType == "" {
			m.MediaType = ocispec.MediaTypeImageManifest
		}
		data, _ := json.Marshal(m)
		if _, err := oras.TagBytes(ctx, repo, m.MediaType, data, tag); err != nil {
			t.Fatal(err)
		}
	}
	imageConfig := blob(ocispec.MediaTypeImageConfig, []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`))
	tar := blob(ocispec.MediaTypeImageLayerGzip, []byte("not really a tarball"))
	push("image", ocispec.Manifest{Config: imageConfig, Layers: []ocispec.Descriptor{tar}})
	spinConfig := blob("application/vnd.fermyon.spin.application.v1+config", []byte(`{"spin_lock_version":1}`))
	spinWasm := blob("application/vnd.wasm.content.layer.v1+wasm", wasmtools.DummyComponent(t, serviceWIT, "validator"))
	push("spin", ocispec.Manifest{Config: spinConfig, Layers: []ocispec.Descriptor{spinWasm}})
	moduleConfig := blob(registry.MediaTypeWasmConfig, []byte(`{"created":"2026-01-01T00:00:00Z","architecture":"wasm","os":"wasip1","layerDigests":[]}`))
	module := blob(registry.MediaTypeWasmLayer, wasmtools.Parse(t, "(module)"))
	push("module", ocispec.Manifest{Config: moduleConfig, Layers: []ocispec.Descriptor{module}})
	// A Wasm-looking artifact whose layer is not a component at all.
	fakeLayer := blob(registry.MediaTypeWasmLayer, []byte("#!/bin/sh\necho hi\n"))
	fakeConfig := blob(registry.MediaTypeWasmConfig, []byte(`{"architecture":"wasm","os":"wasip2","layerDigests":["`+fakeLayer.Digest.String()+`"]}`))
	push("fake", ocispec.Manifest{Config: fakeConfig, Layers: []ocispec.Descriptor{fakeLayer}})
	image, err := repo.Resolve(ctx, "image")
	if err != nil {
		t.Fatal(err)
	}
	image.Platform = &ocispec.Platform{OS: "linux", Architecture: "arm64"}
	idx, _ := json.Marshal(ocispec.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{image}})
	if _, err := oras.TagBytes(ctx, repo, ocispec.MediaTypeImageIndex, idx, "index"); err != nil {
		t.Fatal(err)
	}

	for tag, want := range map[string]string{
		"image":  "it is a container image",
		"spin":   "it is a Spin application",
		"module": "it is a core WebAssembly module",
		"index":  "it is a multi-platform image index, not a Wasm component (CNCF Wasm OCI artifact: one application/wasm layer, config application/vnd.wasm.config.v0+json): an index of 1 manifest for linux/arm64",
		"fake":   `: not a WebAssembly binary: starts with "#!/bin/s"`,
	} {
		cache := blobcache.New(t.TempDir())
		_, err := c.Pull(ctx, ref(t, reg.Host+"/example/other:"+tag), registry.PullOptions{Cache: cache})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("pull %s: got %v, want %q", tag, err, want)
		}
	}
	_, err = c.Pull(ctx, ref(t, reg.Host+"/example/other:absent"), registry.PullOptions{Cache: blobcache.New(t.TempDir())})
	if !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("pull of a missing tag: got %v, want ErrNotFound", err)
	}
}

// TestBasicAuth runs against a registry with htpasswd auth: anonymous and
// wrong credentials are refused with advice and leave no tag; the
// environment's credentials and a saved login work; logout forgets.
func TestBasicAuth(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{Users: map[string]string{"ci": "s3cret"}})
	ctx := context.Background()
	a := build(t, wasmtools.DummyComponent(t, serviceWIT, "validator"), registry.Metadata{Name: "example:private", Version: "1.0.0"})
	r := ref(t, reg.Host+"/example/private:1.0.0")

	for name, c := range map[string]*registry.Client{
		"anonymous":      newClient(t),
		"wrong password": newClient(t, withEnv(map[string]string{registry.EnvUser: "ci", registry.EnvPassword: "guess"})),
	} {
		_, err := c.Push(ctx, r, a, registry.PushOptions{})
		if !errors.Is(err, registry.ErrUnauthorized) || !strings.Contains(err.Error(), "wcomp login "+reg.Host) {
			t.Errorf("%s: got %v, want an authentication error with advice", name, err)
		}
	}
	half := newClient(t, withEnv(map[string]string{registry.EnvUser: "ci"}))
	if _, err := half.Push(ctx, r, a, registry.PushOptions{}); err == nil || !strings.Contains(err.Error(), "set both WCOMP_REGISTRY_USER and WCOMP_REGISTRY_PASSWORD") {
		t.Errorf("only a user: got %v", err)
	}
	env := newClient(t, withEnv(map[string]string{registry.EnvUser: "ci", registry.EnvPassword: "s3cret"}))
	assertNoTag(t, env, reg.Host, "example/private", "1.0.0")
	if _, err := env.Push(ctx, r, a, registry.PushOptions{}); err != nil {
		t.Fatalf("push with WCOMP_REGISTRY_USER/PASSWORD: %v", err)
	}
	if _, got := pullBytes(t, env, r); !bytes.Equal(got, a.Wasm) {
		t.Error("pulled bytes differ")
	}

	// Login saves to a Docker-style config file; a fresh client reads it.
	configPath := filepath.Join(t.TempDir(), "config.json")
	store, err := credentials.NewStore(configPath, credentials.StoreOptions{AllowPlaintextPut: true})
	if err != nil {
		t.Fatal(err)
	}
	withStore := func(o *registry.Options) { o.Credentials = store }
	if err := newClient(t, withStore).Login(ctx, reg.Host, "ci", "wrong"); !errors.Is(err, registry.ErrUnauthorized) {
		t.Errorf("login with a wrong password: got %v", err)
	}
	if err := newClient(t, withStore).Login(ctx, reg.Host, "ci", "s3cret"); err != nil {
		t.Fatalf("login: %v", err)
	}
	if data, _ := os.ReadFile(configPath); !strings.Contains(string(data), reg.Host) {
		t.Errorf("config.json after login:\n%s", data)
	}
	if _, _, err := func() (*registry.Pulled, []byte, error) {
		p, b := pullBytes(t, newClient(t, withStore), r)
		return p, b, nil
	}(); err != nil {
		t.Fatal(err)
	}
	if err := newClient(t, withStore).Logout(ctx, reg.Host); err != nil {
		t.Fatal(err)
	}
	_, err = newClient(t, withStore).Pull(ctx, r, registry.PullOptions{Cache: blobcache.New(t.TempDir())})
	if !errors.Is(err, registry.ErrUnauthorized) {
		t.Errorf("pull after logout: got %v, want ErrUnauthorized", err)
	}
}

// TestAnonymousFallback: a public registry with token auth refuses
// credentials meant for another registry, but serves anonymous readers;
// reads then fall back to anonymous, as wkg's do.
func TestAnonymousFallback(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	ctx := context.Background()
	wasm := wasmtools.DummyComponent(t, serviceWIT, "validator")
	if _, err := newClient(t).Push(ctx, ref(t, reg.Host+"/public/v:1.0.0"), build(t, wasm, registry.Metadata{}), registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	upstream := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: reg.Host})
	var front *httptest.Server
	front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/token" && r.Header.Get("Authorization") != "":
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}`, http.StatusUnauthorized)
		case r.URL.Path == "/token":
			io.WriteString(w, `{"token":"anonymous-token"}`)
		case r.Header.Get("Authorization") == "Bearer anonymous-token":
			upstream.ServeHTTP(w, r)
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+front.URL+`/token",service="test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"token required"}]}`, http.StatusUnauthorized)
		}
	}))
	defer front.Close()
	host := strings.TrimPrefix(front.URL, "http://")
	c := newClient(t, withEnv(map[string]string{registry.EnvUser: "company", registry.EnvPassword: "secret"}))
	if _, got := pullBytes(t, c, ref(t, host+"/public/v:1.0.0")); !bytes.Equal(got, wasm) {
		t.Fatal("pulled bytes differ")
	}
	if vs, err := c.Versions(ctx, ref(t, host+"/public/v")); err != nil || !slices.Equal(vs, []string{"1.0.0"}) {
		t.Errorf("versions: %q, %v", vs, err)
	}
	// Writes never fall back: they need the credentials to be right.
	if _, err := c.Push(ctx, ref(t, host+"/public/v:2.0.0"), build(t, wasm, registry.Metadata{}), registry.PushOptions{}); !errors.Is(err, registry.ErrUnauthorized) {
		t.Errorf("push with refused credentials: got %v, want ErrUnauthorized", err)
	}
}

// TestInsecure reaches a registry under a name that is not loopback (the
// transport dials the local registry for any address): HTTPS is required,
// with advice when the registry speaks plain HTTP, until Insecure allows it.
func TestInsecure(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	dialer := &net.Dialer{}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, reg.Host)
	}}
	wasm := wasmtools.DummyComponent(t, serviceWIT, "validator")
	r := ref(t, "registry.example:5000/team/app:1.0.0")
	a := build(t, wasm, registry.Metadata{})
	secure := newClient(t, func(o *registry.Options) { o.Transport = transport })
	_, err := secure.Push(context.Background(), r, a, registry.PushOptions{})
	if err == nil || !strings.Contains(err.Error(), "registry.example:5000 answers in plain HTTP; wcomp uses HTTPS except to loopback registries: pass --insecure") {
		t.Fatalf("push to a plain-HTTP registry without Insecure: got %v", err)
	}
	insecure := newClient(t, func(o *registry.Options) { o.Transport = transport; o.Insecure = true })
	if _, err := insecure.Push(context.Background(), r, a, registry.PushOptions{}); err != nil {
		t.Fatalf("push with Insecure: %v", err)
	}
	if _, got := pullBytes(t, insecure, r); !bytes.Equal(got, wasm) {
		t.Error("pulled bytes differ")
	}
}

// TestTargets: Push and Pull work over any oras.Target, here an OCI image
// layout on disk (what `oras copy --to-oci-layout` reads), so an artifact
// can be built and inspected without a registry.
func TestTargets(t *testing.T) {
	ctx := context.Background()
	store, err := oci.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wasm := wasmtools.DummyComponent(t, serviceWIT, "validator")
	a := build(t, wasm, registry.Metadata{Name: "example:validator", Version: "1.0.0"})
	if _, err := registry.Push(ctx, store, "1.0.0", a, registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	if res, err := registry.Push(ctx, store, "1.0.0", a, registry.PushOptions{}); err != nil || !res.Unchanged {
		t.Fatalf("second push: %+v, %v", res, err)
	}
	p, err := registry.Pull(ctx, store, "1.0.0", registry.PullOptions{Cache: blobcache.New(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p.Path); !bytes.Equal(got, wasm) || p.Manifest.Digest != a.Manifest.Digest {
		t.Error("pulled from the layout differs from what was pushed")
	}
	if vs, err := registry.Versions(ctx, store); err != nil || !slices.Equal(vs, []string{"1.0.0"}) {
		t.Errorf("versions %q, %v", vs, err)
	}
}

// TestWKGRegistryConfig: the credentials and protocol wkg's config gives a
// registry apply to wcomp's requests to it too.
func TestWKGRegistryConfig(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{Users: map[string]string{"open": "sesame"}})
	dialer := &net.Dialer{}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, reg.Host)
	}}
	cfg, err := registry.ParseWKGConfig("config.toml", []byte(`
[registry."wkg.example:5000".oci]
auth = "b3BlbjpzZXNhbWU="
protocol = "http"

[registry."`+reg.Host+`".oci]
auth = { username = "open", password = "sesame" }
`))
	if err != nil {
		t.Fatal(err)
	}
	a := build(t, wasmtools.DummyComponent(t, serviceWIT, "validator"), registry.Metadata{})
	c := newClient(t, func(o *registry.Options) { o.WKG = cfg; o.Transport = transport })
	for _, r := range []string{"wkg.example:5000/team/a:1.0.0", reg.Host + "/team/b:1.0.0"} {
		if _, err := c.Push(context.Background(), ref(t, r), a, registry.PushOptions{}); err != nil {
			t.Errorf("push to %s with wkg's auth and protocol: %v", r, err)
		}
	}
}
