package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/registry"
	"github.com/wcomp/wcomp/wit"
)

// peerTool finds wkg or oras: installed by .ci/install.sh, required by the
// full suite (skipped under -short).
func peerTool(t *testing.T, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("interop with " + name + " runs in the full suite")
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"$HOME/.cargo/bin", "$HOME/go/bin"} {
		if p := filepath.Join(os.ExpandEnv(dir), name); fileExists(p) {
			return p
		}
	}
	t.Fatal(name + " is needed for the interop tests: run .ci/install.sh")
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// peerRun runs a peer tool with a private HOME, cache and config, so that
// nothing of the user's leaks in and every network program stays on
// loopback.
func peerRun(t *testing.T, home string, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = home
	cmd.Env = append(os.Environ(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"WKG_CACHE_DIR="+filepath.Join(home, "wkg-cache"),
		"DOCKER_CONFIG="+filepath.Join(home, "docker"),
		"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost",
		"RUST_LOG=warn",
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// wkgHome writes a wkg config that maps namespace example to the test
// registry explicitly (inline metadata, so wkg fetches no well-known
// document) over plain HTTP.
func wkgHome(t *testing.T, regHost string) (home, config string) {
	t.Helper()
	home = t.TempDir()
	config = filepath.Join(home, "wkg.toml")
	text := `[namespace_registries]
example = { registry = "test-registry", metadata = { preferredProtocol = "oci", oci = { registry = "` + regHost + `", namespacePrefix = "wasm/" } } }

[registry."test-registry".oci]
protocol = "http"
`
	if err := os.WriteFile(config, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return home, config
}

// TestWKGPullsWhatWcompPushed: wkg 0.16 reads wcomp's artifacts both ways
// it can, by OCI reference and by package name through its config.
func TestWKGPullsWhatWcompPushed(t *testing.T) {
	wkg := peerTool(t, "wkg")
	reg := registrytest.Start(t, registrytest.Options{})
	home, config := wkgHome(t, reg.Host)
	c := newClient(t)
	names := &registry.Names{Project: map[string]registry.Location{"example": {Registry: reg.Host, Prefix: "wasm/"}}}
	for name, wasm := range map[string][]byte{
		"validator": wasmtools.DummyComponent(t, serviceWIT, "validator"),
		"service":   wasmtools.EncodeWIT(t, serviceWIT),
		"big":       withCustomSection(wasmtools.DummyComponent(t, serviceWIT, "business"), 4<<20),
		// The same WIT package as wcomp publish --wit encodes it.
		"encoded": encodedByWcomp(t, serviceWIT, "example:encoded"),
	} {
		t.Run(name, func(t *testing.T) {
			version := "0.1.0"
			if _, ref, err := c.Publish(context.Background(), names, registry.Publication{Wasm: wasm, Metadata: registry.Metadata{Name: "example:" + name, Version: version}, Created: testTime}); err != nil {
				t.Fatal(err)
			} else {
				out := filepath.Join(home, name+"-oci.wasm")
				peerRun(t, home, wkg, "oci", "pull", ref.String(), "-o", out, "--insecure", reg.Host)
				assertSameFile(t, out, wasm)
			}
			out := filepath.Join(home, name+"-get.wasm")
			peerRun(t, home, wkg, "get", "--config", config, "example:"+name+"@"+version, "-o", out, "--overwrite")
			assertSameFile(t, out, wasm)
		})
	}
}

// encodedByWcomp is the WIT package in file, renamed to name and encoded
// by wit.EncodePackage.
func encodedByWcomp(t *testing.T, file, name string) []byte {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("example:service"), []byte(name))
	if err := os.WriteFile(filepath.Join(dir, "package.wit"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := wit.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := p.EncodePackage()
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// TestWcompPullsWhatWKGPushed: wcomp reads wkg's artifacts, pushed by
// reference (`wkg oci push`) and by package name (`wkg publish`); and the
// config and annotations wkg writes are the ones wcomp writes, but for
// `created` (wkg takes the clock). wkg 0.16.1 publishes by package name
// only binaries that name their own version (its --package override is
// applied too late, fixed after 0.16.1), so components go by reference and
// WIT packages by name.
func TestWcompPullsWhatWKGPushed(t *testing.T) {
	wkg := peerTool(t, "wkg")
	reg := registrytest.Start(t, registrytest.Options{})
	home, config := wkgHome(t, reg.Host)
	c := newClient(t)
	write := func(name string, wasm []byte) string {
		file := filepath.Join(home, name+".wasm")
		if err := os.WriteFile(file, wasm, 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	components := map[string][]byte{
		"validator": wasmtools.DummyComponent(t, serviceWIT, "validator"),
		"business":  wasmtools.DummyComponent(t, serviceWIT, "business"),
		"described": withMetadata(t, wasmtools.DummyComponent(t, serviceWIT, "validator")),
	}
	if !testing.Short() {
		// Real toolchains' output: Rust, JavaScript, an 18 MB Python app.
		for _, f := range []string{"validator", "enricher", "business"} {
			components["fixture-"+f] = fixture.Read(t, f)
		}
	}
	for name, wasm := range components {
		t.Run(name, func(t *testing.T) {
			file := write(name, wasm)
			peerRun(t, home, wkg, "oci", "push", "--insecure", reg.Host, reg.Host+"/oci/"+name+":0.1.0", file)
			p, got := pullBytes(t, c, ref(t, reg.Host+"/oci/"+name+":0.1.0"))
			if !bytes.Equal(got, wasm) {
				t.Fatal("pulled bytes differ from what wkg pushed")
			}
			ours := build(t, wasm, registry.Metadata{Title: name + ".wasm"})
			if p.Layer.Annotations[registry.AnnotationTitle] != name+".wasm" {
				t.Errorf("wkg's layer title %q", p.Layer.Annotations[registry.AnnotationTitle])
			}
			want := decodeConfig(t, ours.ConfigBytes)
			p.Config.Created = want.Created
			gotJSON, _ := json.Marshal(p.Config)
			wantJSON, _ := json.Marshal(want)
			if name != "described" && !bytes.Equal(gotJSON, wantJSON) {
				// (wkg oci push takes no author from the component.)
				t.Errorf("wkg's config, but for created:\n%s\nwcomp's:\n%s", gotJSON, wantJSON)
			}
			if !slices.Equal(p.Config.Component.Imports, want.Component.Imports) || !slices.Equal(p.Config.Component.Exports, want.Component.Exports) {
				t.Errorf("wkg's world %+v, wcomp's %+v", p.Config.Component, want.Component)
			}
		})
	}

	packages := map[string][]byte{
		"0.1.0": serviceAt(t, "0.1.0"),
		"0.2.0": withMetadata(t, serviceAt(t, "0.2.0")), // described
	}
	for version, wasm := range packages {
		t.Run("package "+version, func(t *testing.T) {
			file := write("service-"+version, wasm)
			peerRun(t, home, wkg, "publish", "--config", config, "--package", "example:service@"+version, file)
			p, got := pullBytes(t, c, ref(t, reg.Host+"/wasm/example/service:"+version))
			if !bytes.Equal(got, wasm) {
				t.Fatal("pulled bytes differ from what wkg published")
			}
			ours := build(t, wasm, registry.Metadata{Name: "example:service", Version: version})
			want := decodeConfig(t, ours.ConfigBytes)
			// wkg lists a package's exports from a hash set.
			if sortedSet(p.Config.Component.Exports) != sortedSet(want.Component.Exports) || len(p.Config.Component.Imports) != 0 {
				t.Errorf("wkg's WIT package config %+v, wcomp's %+v", p.Config.Component, want.Component)
			}
			if p.Layer.Annotations[registry.AnnotationTitle] != "service.wasm" || p.Annotations[registry.AnnotationVersion] != version {
				t.Errorf("wkg's layer title %q, version %q", p.Layer.Annotations[registry.AnnotationTitle], p.Annotations[registry.AnnotationVersion])
			}
			// Every annotation wkg writes, wcomp writes the same.
			var m struct{ Annotations map[string]string }
			json.Unmarshal(ours.ManifestBytes, &m)
			for k, v := range p.Annotations {
				if m.Annotations[k] != v {
					t.Errorf("annotation %s: wkg %q, wcomp %q", k, v, m.Annotations[k])
				}
			}
			if version == "0.2.0" && p.Annotations[registry.AnnotationDescription] != "Checks orders" {
				t.Errorf("wkg did not publish the embedded description: %v", p.Annotations)
			}
		})
	}
	// wkg's tags are versions to wcomp.
	if vs, err := c.Versions(context.Background(), ref(t, reg.Host+"/wasm/example/service")); err != nil || !slices.Equal(vs, []string{"0.1.0", "0.2.0"}) {
		t.Errorf("versions of wkg's package: %q, %v", vs, err)
	}
}

// TestORASPullsWhatWcompPushed: the ORAS CLI, an unrelated client, pulls
// the layer under its title.
func TestORASPullsWhatWcompPushed(t *testing.T) {
	oras := peerTool(t, "oras")
	reg := registrytest.Start(t, registrytest.Options{Users: map[string]string{"u": "p"}})
	home := t.TempDir()
	wasm := withCustomSection(wasmtools.DummyComponent(t, serviceWIT, "validator"), 1<<20)
	c := newClient(t, withEnv(map[string]string{registry.EnvUser: "u", registry.EnvPassword: "p"}))
	r := ref(t, reg.Host+"/example/validator:1.0.0")
	if _, err := c.Push(context.Background(), r, build(t, wasm, registry.Metadata{Name: "example:validator", Version: "1.0.0"}), registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(home, "out")
	peerRun(t, home, oras, "pull", "--plain-http", "-u", "u", "-p", "p", "-o", out, r.String())
	assertSameFile(t, filepath.Join(out, "validator.wasm"), wasm)
	manifest := peerRun(t, home, oras, "manifest", "fetch", "--plain-http", "-u", "u", "-p", "p", r.String())
	if !strings.Contains(manifest, registry.MediaTypeWasmConfig) {
		t.Errorf("oras manifest fetch: %s", manifest)
	}
	// And wcomp pulls what oras reads back, unchanged.
	p, err := c.Pull(context.Background(), r, registry.PullOptions{Cache: blobcache.New(t.TempDir())})
	if err != nil || p.Layer.Size != int64(len(wasm)) {
		t.Fatalf("pull: %v", err)
	}
}

func assertSameFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: %d bytes, differ from the %d expected", path, len(got), len(want))
	}
}
