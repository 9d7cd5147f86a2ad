package registry_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/registry"
)

const serviceWIT = "../fixtures/wit/service.wit"

var testTime = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// TestBuildComponentWorld checks the config's imports and exports against
// the world wasm-tools decodes from the same component, in order.
func TestBuildComponentWorld(t *testing.T) {
	for _, world := range []string{"validator", "enricher", "business"} {
		t.Run(world, func(t *testing.T) {
			wasm := wasmtools.DummyComponent(t, serviceWIT, world)
			a, err := registry.Build(wasm, registry.Metadata{}, testTime)
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != registry.KindComponent {
				t.Errorf("kind %q, want component", a.Kind)
			}
			config := decodeConfig(t, a.ConfigBytes)
			imports, exports := wasmToolsWorld(t, wasm)
			if !slices.Equal(config.Component.Imports, imports) {
				t.Errorf("imports %q, wasm-tools says %q", config.Component.Imports, imports)
			}
			if !slices.Equal(config.Component.Exports, exports) {
				t.Errorf("exports %q, wasm-tools says %q", config.Component.Exports, exports)
			}
		})
	}
}

// TestBuildWITPackage checks a WIT package's config against wasm-tools'
// reading of the package: no imports, and as exports every world's
// exports and name and every interface (compared as sets: wkg's order is
// a hash set's).
func TestBuildWITPackage(t *testing.T) {
	wasm := wasmtools.EncodeWIT(t, serviceWIT)
	a, err := registry.Build(wasm, registry.Metadata{Name: "example:service", Version: "0.1.0"}, testTime)
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != registry.KindWITPackage || a.Package != "example:service@0.1.0" {
		t.Fatalf("kind %q package %q, want a WIT package example:service@0.1.0", a.Kind, a.Package)
	}
	config := decodeConfig(t, a.ConfigBytes)
	if len(config.Component.Imports) != 0 {
		t.Errorf("a WIT package lists imports %q", config.Component.Imports)
	}
	want := wasmToolsPackageExports(t, wasm, "example:service@0.1.0")
	if got := config.Component.Exports; sortedSet(got) != sortedSet(want) || len(got) != len(slices.Compact(slices.Sorted(slices.Values(got)))) {
		t.Errorf("exports %q, want each of %q once", got, want)
	}
}

// TestBuildWITPackageIdentity: a WIT package is published only under its
// own name and version.
func TestBuildWITPackageIdentity(t *testing.T) {
	wasm := wasmtools.EncodeWIT(t, serviceWIT)
	for _, tt := range []struct {
		meta registry.Metadata
		want string
	}{
		{registry.Metadata{Name: "example:service", Version: "0.1.0"}, ""},
		{registry.Metadata{}, ""},
		{registry.Metadata{Name: "example:other", Version: "0.1.0"}, "the WIT package is example:service@0.1.0, but it is being published as example:other"},
		{registry.Metadata{Name: "example:service", Version: "0.2.0"}, "the WIT package is example:service@0.1.0, but it is being published as version 0.2.0"},
	} {
		_, err := registry.Build(wasm, tt.meta, testTime)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || err.Error() != tt.want) {
			t.Errorf("Build as %s@%s: got %v, want %q", tt.meta.Name, tt.meta.Version, err, tt.want)
		}
	}
}

// TestBuildGolden pins the exact bytes of a manifest and config, so that a
// change to the layout is seen in review (go test -update rewrites them).
func TestBuildGolden(t *testing.T) {
	meta := registry.Metadata{
		Name:        "example:kinds",
		Version:     "1.2.3",
		Description: "Every kind of import",
		Licenses:    "Apache-2.0 WITH LLVM-exception",
		Source:      "https://example.com/kinds",
		Homepage:    "https://example.com",
		Authors:     []string{"Ada <ada@example.com>", "Grace"},
		Target:      "example:kinds/app@1.0.0",
	}
	a, err := registry.Build(testcomponent.Kinds(t), meta, testTime)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/kinds.manifest.json", indent(t, a.ManifestBytes))
	golden.Check(t, "testdata/kinds.config.json", indent(t, a.ConfigBytes))
}

// TestBuildReproducible: the digest depends on the inputs only.
func TestBuildReproducible(t *testing.T) {
	wasm := wasmtools.DummyComponent(t, serviceWIT, "validator")
	meta := registry.Metadata{Name: "example:validator", Version: "0.1.0"}
	build := func(wasm []byte, meta registry.Metadata, created time.Time) string {
		a, err := registry.Build(wasm, meta, created)
		if err != nil {
			t.Fatal(err)
		}
		return a.Manifest.Digest.String()
	}
	first := build(wasm, meta, testTime)
	if again := build(bytes.Clone(wasm), meta, testTime.Add(400*time.Millisecond)); again != first {
		t.Errorf("same inputs (created within the same second) gave %s, then %s", first, again)
	}
	changed := map[string]string{
		"created":     build(wasm, meta, testTime.Add(time.Second)),
		"version":     build(wasm, registry.Metadata{Name: "example:validator", Version: "0.1.1"}, testTime),
		"title":       build(wasm, registry.Metadata{Name: "example:other", Version: "0.1.0"}, testTime),
		"component":   build(wasmtools.DummyComponent(t, serviceWIT, "enricher"), meta, testTime),
		"annotations": build(wasm, registry.Metadata{Name: "example:validator", Version: "0.1.0", Annotations: map[string]string{"k": "v"}}, testTime),
	}
	for what, d := range changed {
		if d == first {
			t.Errorf("changing the %s left the digest %s", what, d)
		}
	}
}

func TestBuildRejects(t *testing.T) {
	tests := []struct {
		name string
		wasm []byte
		want string
	}{
		{"empty", nil, "file is empty"},
		{"text", []byte("hello, world"), "not a WebAssembly binary"},
		{"core module", wasmtools.Parse(t, "(module)"), "only components and WIT packages are published"},
		{"truncated component", component.Preamble[:6], "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.Build(tt.wasm, registry.Metadata{}, testTime)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestMetadataAnnotations(t *testing.T) {
	wasm := wasmtools.DummyComponent(t, serviceWIT, "validator")
	tests := []struct {
		name      string
		meta      registry.Metadata
		wantTitle string
		want      map[string]string
	}{
		{"nothing", registry.Metadata{}, "component.wasm", map[string]string{registry.AnnotationCreated: "2026-11-30T12:00:00Z"}},
		{"name and version", registry.Metadata{Name: "acme:checker", Version: "2.0.0"}, "checker.wasm", map[string]string{
			registry.AnnotationCreated: "2026-11-30T12:00:00Z", registry.AnnotationVersion: "2.0.0"}},
		{"title and override", registry.Metadata{Title: "x.wasm", Annotations: map[string]string{registry.AnnotationCreated: "set by hand", "custom": "yes"}}, "x.wasm",
			map[string]string{registry.AnnotationCreated: "set by hand", "custom": "yes"}},
		{"authors", registry.Metadata{Authors: []string{"A", "B"}}, "component.wasm", map[string]string{
			registry.AnnotationCreated: "2026-11-30T12:00:00Z", registry.AnnotationAuthors: "A, B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := registry.Build(wasm, tt.meta, testTime)
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Layers      []struct{ Annotations map[string]string }
				Annotations map[string]string
			}
			if err := json.Unmarshal(a.ManifestBytes, &m); err != nil {
				t.Fatal(err)
			}
			if got := m.Layers[0].Annotations[registry.AnnotationTitle]; got != tt.wantTitle {
				t.Errorf("title %q, want %q", got, tt.wantTitle)
			}
			if !mapsEqual(m.Annotations, tt.want) {
				t.Errorf("annotations %v, want %v", m.Annotations, tt.want)
			}
		})
	}
}

func decodeConfig(t *testing.T, data []byte) registry.WasmConfig {
	t.Helper()
	var c registry.WasmConfig
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Component == nil {
		t.Fatal("config has no component")
	}
	return c
}

func indent(t *testing.T, data []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, data, "", "  "); err != nil {
		t.Fatal(err)
	}
	return b.String() + "\n"
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestBuildEmbeddedMetadata: the annotation sections a component carries
// (written here by `wasm-tools metadata add`) become manifest annotations,
// as wkg publishes them; what the caller says wins.
func TestBuildEmbeddedMetadata(t *testing.T) {
	wasm := withMetadata(t, wasmtools.DummyComponent(t, serviceWIT, "validator"))
	annotations := func(meta registry.Metadata) (map[string]string, registry.WasmConfig) {
		a, err := registry.Build(wasm, meta, testTime)
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Annotations map[string]string }
		json.Unmarshal(a.ManifestBytes, &m)
		return m.Annotations, decodeConfig(t, a.ConfigBytes)
	}
	got, config := annotations(registry.Metadata{})
	want := map[string]string{
		registry.AnnotationCreated:          "2026-11-30T12:00:00Z",
		registry.AnnotationDescription:      "Checks orders",
		registry.AnnotationLicenses:         "MIT",
		registry.AnnotationAuthors:          "Ada",
		registry.AnnotationSource:           "https://example.com/src",
		registry.AnnotationURL:              "https://example.com/", // as wasm-tools normalizes it
		"org.opencontainers.image.revision": "abc123",
		registry.AnnotationVersion:          "3.1.4",
	}
	if !mapsEqual(got, want) {
		t.Errorf("annotations\n%v\nwant\n%v", got, want)
	}
	if config.Author == nil || *config.Author != "Ada" {
		t.Errorf("config author %v, want Ada", config.Author)
	}
	got, _ = annotations(registry.Metadata{Version: "4.0.0", Description: "From component.toml"})
	if got[registry.AnnotationVersion] != "4.0.0" || got[registry.AnnotationDescription] != "From component.toml" || got[registry.AnnotationLicenses] != "MIT" {
		t.Errorf("explicit metadata did not win: %v", got)
	}
}

// withMetadata adds annotation sections to a component with
// `wasm-tools metadata add`.
func withMetadata(t *testing.T, wasm []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.wasm"), filepath.Join(dir, "out.wasm")
	if err := os.WriteFile(in, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(wasmtools.Path(t), "metadata", "add", in, "-o", out,
		"--description", "Checks orders", "--licenses", "MIT", "--authors", "Ada", "--source", "https://example.com/src",
		"--homepage", "https://example.com", "--revision", "abc123", "--version", "3.1.4")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasm-tools metadata add: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
