package registry

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

func desc(mediaType string) ocispec.Descriptor {
	return ocispec.Descriptor{MediaType: mediaType, Digest: digest.FromString(mediaType), Size: 1}
}

func manifestJSON(t *testing.T, m ocispec.Manifest) []byte {
	t.Helper()
	m.SchemaVersion = 2
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCheckManifest(t *testing.T) {
	wasmLayer := desc(MediaTypeWasmLayer)
	image := ocispec.Manifest{MediaType: ocispec.MediaTypeImageManifest, Config: desc(ocispec.MediaTypeImageConfig),
		Layers: []ocispec.Descriptor{desc(ocispec.MediaTypeImageLayerGzip), desc(ocispec.MediaTypeImageLayerGzip), desc(ocispec.MediaTypeImageLayer)}}
	index, _ := json.Marshal(ocispec.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{
		{MediaType: ocispec.MediaTypeImageManifest, Platform: &ocispec.Platform{OS: "linux", Architecture: "amd64"}},
		{MediaType: ocispec.MediaTypeImageManifest, Platform: &ocispec.Platform{OS: "linux", Architecture: "arm64"}},
	}})
	tests := []struct {
		name      string
		mediaType string
		data      []byte
		want      string // "" for a valid Wasm artifact
	}{
		{"wasm artifact", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(MediaTypeWasmConfig), Layers: []ocispec.Descriptor{wasmLayer}}), ""},
		{"no content type", "", manifestJSON(t, ocispec.Manifest{MediaType: ocispec.MediaTypeImageManifest, Config: desc(MediaTypeWasmConfig), Layers: []ocispec.Descriptor{wasmLayer}}), ""},
		{"container image", ocispec.MediaTypeImageManifest, manifestJSON(t, image),
			"it is a container image, not a Wasm component (CNCF Wasm OCI artifact: one application/wasm layer, config application/vnd.wasm.config.v0+json): config application/vnd.oci.image.config.v1+json, 3 layers (2 application/vnd.oci.image.layer.v1.tar+gzip, 1 application/vnd.oci.image.layer.v1.tar)"},
		{"docker image", mediaTypeDockerManifest, manifestJSON(t, ocispec.Manifest{MediaType: mediaTypeDockerManifest, Config: desc(mediaTypeDockerConfig), Layers: []ocispec.Descriptor{desc("application/vnd.docker.image.rootfs.diff.tar.gzip")}}),
			"it is a Docker container image"},
		{"image index", ocispec.MediaTypeImageIndex, index, "it is a multi-platform image index, not a Wasm component (CNCF Wasm OCI artifact: one application/wasm layer, config application/vnd.wasm.config.v0+json): an index of 2 manifests for linux/amd64, linux/arm64"},
		{"docker list", mediaTypeDockerManifestList, index, "multi-platform image index"},
		{"no content type, index", "", index, "multi-platform image index"},
		{"schema 1", mediaTypeDockerSchema1Signed, []byte(`{}`), "old schema 1 format"},
		{"spin", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(mediaTypeSpinConfig), Layers: []ocispec.Descriptor{desc(mediaTypeWasmToOCILayer), desc(mediaTypeWasmToOCILayer), desc("application/vnd.wasm.content.layer.v1+data")}}),
			"it is a Spin application, not a Wasm component (CNCF Wasm OCI artifact: one application/wasm layer, config application/vnd.wasm.config.v0+json): config application/vnd.fermyon.spin.application.v1+config, 3 layers (2 application/vnd.wasm.content.layer.v1+wasm, 1 application/vnd.wasm.content.layer.v1+data); pull it with `spin registry pull`"},
		{"wasm-to-oci", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(mediaTypeWasmToOCIConfig), Layers: []ocispec.Descriptor{desc(mediaTypeWasmToOCILayer)}}), "a wasm-to-oci artifact"},
		{"helm", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(mediaTypeHelmConfig), Layers: []ocispec.Descriptor{desc("application/vnd.cncf.helm.chart.content.v1.tar+gzip")}}), "it is a Helm chart"},
		{"cosign", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc("application/vnd.oci.image.config.v1+json+cosign"), Layers: []ocispec.Descriptor{desc(mediaTypeCosignSignature)}}), "a cosign signature"},
		{"artifact type", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{ArtifactType: "application/vnd.example.sbom", Config: desc(ocispec.MediaTypeEmptyJSON), Layers: []ocispec.Descriptor{desc("application/json")}}), "an OCI artifact of type application/vnd.example.sbom"},
		{"wasm, two layers", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(MediaTypeWasmConfig), Layers: []ocispec.Descriptor{wasmLayer, wasmLayer}}), "a Wasm artifact with an unexpected set of layers, not a Wasm component (CNCF Wasm OCI artifact: one application/wasm layer, config application/vnd.wasm.config.v0+json): 2 layers (2 application/wasm)"},
		{"wasm, no layers", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(MediaTypeWasmConfig)}), "no layers"},
		{"wasm, tar layer", ocispec.MediaTypeImageManifest, manifestJSON(t, ocispec.Manifest{Config: desc(MediaTypeWasmConfig), Layers: []ocispec.Descriptor{desc(ocispec.MediaTypeImageLayer)}}), "1 layer (1 application/vnd.oci.image.layer.v1.tar)"},
		{"unknown manifest type", "text/html", []byte("<html>"), "an unknown kind of manifest"},
		{"not json", ocispec.MediaTypeImageManifest, []byte("{"), "the manifest is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := checkManifest(tt.mediaType, tt.data)
			if tt.want == "" {
				if err != nil || m == nil {
					t.Fatalf("rejected a Wasm artifact: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant an error containing %q", err, tt.want)
			}
			var le *LayoutError
			if strings.HasPrefix(tt.want, "it is") && (!errors.As(err, &le) || !errors.Is(err, ErrNotWasmArtifact)) {
				t.Errorf("%v is not a *LayoutError wrapping ErrNotWasmArtifact", err)
			}
		})
	}
}

func TestCheckConfig(t *testing.T) {
	layer := desc(MediaTypeWasmLayer)
	m := &ocispec.Manifest{Config: desc(MediaTypeWasmConfig), Layers: []ocispec.Descriptor{layer}}
	tests := []struct {
		name, config, want string
	}{
		{"valid", `{"created":"2026-01-01T00:00:00Z","author":null,"architecture":"wasm","os":"wasip2","layerDigests":["` + layer.Digest.String() + `"],"component":{"exports":[],"imports":[],"target":null}}`, ""},
		{"no layerDigests", `{"architecture":"wasm","os":"wasip2"}`, ""},
		{"core module", `{"architecture":"wasm","os":"wasip1"}`, "it is a core WebAssembly module"},
		{"other os", `{"architecture":"wasm","os":"linux"}`, `os "linux", want "wasip2"`},
		{"other architecture", `{"architecture":"amd64","os":"wasip2"}`, `architecture "amd64"`},
		{"layer digests disagree", `{"architecture":"wasm","os":"wasip2","layerDigests":["sha256:00"]}`, "the config lists layer digests [sha256:00], but the manifest's layer is " + layer.Digest.String()},
		{"not json", `[`, "the config (" + m.Config.Digest.String() + ") is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkConfig([]byte(tt.config), m)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
