package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Media types of other layouts, recognized so that a pull of the wrong
// thing says what it found.
const (
	mediaTypeDockerManifest      = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerManifestList  = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaTypeDockerSchema1       = "application/vnd.docker.distribution.manifest.v1+json"
	mediaTypeDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
	mediaTypeDockerConfig        = "application/vnd.docker.container.image.v1+json"
	mediaTypeSpinConfig          = "application/vnd.fermyon.spin.application.v1+config"
	mediaTypeWasmToOCIConfig     = "application/vnd.wasm.config.v1+json"
	mediaTypeWasmToOCILayer      = "application/vnd.wasm.content.layer.v1+wasm"
	mediaTypeHelmConfig          = "application/vnd.cncf.helm.config.v1+json"
	mediaTypeCosignSignature     = "application/vnd.dev.cosign.simplesigning.v1+json"
)

// ErrNotWasmArtifact is wrapped by every *LayoutError.
var ErrNotWasmArtifact = errors.New("not a Wasm component artifact")

// LayoutError says that a manifest is not in the Wasm artifact layout, and
// what it is instead.
type LayoutError struct {
	// What the manifest is, e.g. "a container image" or "a Spin application".
	What string
	// Detail gives the media types that showed it.
	Detail string
}

func (e *LayoutError) Error() string {
	msg := "it is " + e.What + ", not a Wasm component (CNCF Wasm OCI artifact: one " + MediaTypeWasmLayer + " layer, config " + MediaTypeWasmConfig + ")"
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *LayoutError) Unwrap() error { return ErrNotWasmArtifact }

// checkManifest parses a manifest of the given media type and checks it
// has the Wasm artifact's shape: an OCI image manifest with the Wasm
// config and exactly one application/wasm layer. Anything else is a
// *LayoutError that names what it is.
func checkManifest(mediaType string, data []byte) (*ocispec.Manifest, error) {
	switch mediaType {
	case ocispec.MediaTypeImageIndex, mediaTypeDockerManifestList:
		return nil, describeIndex(mediaType, data)
	case mediaTypeDockerSchema1, mediaTypeDockerSchema1Signed:
		return nil, &LayoutError{What: "a Docker image in the old schema 1 format", Detail: "manifest " + mediaType}
	case ocispec.MediaTypeImageManifest, mediaTypeDockerManifest, "":
	default:
		return nil, &LayoutError{What: "an unknown kind of manifest", Detail: "manifest " + mediaType}
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("the manifest is not valid JSON: %w", err)
	}
	if mediaType == "" {
		// A registry that sent no Content-Type: trust the manifest's own field.
		mediaType = m.MediaType
		if mediaType != ocispec.MediaTypeImageManifest && mediaType != mediaTypeDockerManifest {
			return checkManifest(mediaType, data)
		}
	}
	if m.SchemaVersion != 2 {
		return nil, fmt.Errorf("the manifest has schemaVersion %d, want 2", m.SchemaVersion)
	}
	if mediaType == mediaTypeDockerManifest {
		return nil, &LayoutError{What: "a Docker container image", Detail: describeParts(&m)}
	}
	if m.Config.MediaType != MediaTypeWasmConfig {
		return nil, describeOther(&m)
	}
	if len(m.Layers) != 1 || m.Layers[0].MediaType != MediaTypeWasmLayer {
		return nil, &LayoutError{What: "a Wasm artifact with an unexpected set of layers", Detail: describeLayers(m.Layers)}
	}
	return &m, nil
}

// describeOther names an OCI image manifest that does not carry the Wasm
// config, from its config media type, artifact type and layers.
func describeOther(m *ocispec.Manifest) *LayoutError {
	parts := describeParts(m)
	switch m.Config.MediaType {
	case ocispec.MediaTypeImageConfig, mediaTypeDockerConfig:
		return &LayoutError{What: "a container image", Detail: parts}
	case mediaTypeSpinConfig:
		return &LayoutError{What: "a Spin application", Detail: parts + "; pull it with `spin registry pull`"}
	case mediaTypeWasmToOCIConfig:
		return &LayoutError{What: "a wasm-to-oci artifact (an older Wasm layout)", Detail: parts}
	case mediaTypeHelmConfig:
		return &LayoutError{What: "a Helm chart", Detail: parts}
	}
	for _, l := range m.Layers {
		if l.MediaType == mediaTypeCosignSignature {
			return &LayoutError{What: "a cosign signature", Detail: parts}
		}
	}
	if m.ArtifactType != "" {
		return &LayoutError{What: "an OCI artifact of type " + m.ArtifactType, Detail: parts}
	}
	return &LayoutError{What: "an OCI artifact of another kind", Detail: parts}
}

func describeParts(m *ocispec.Manifest) string {
	return "config " + m.Config.MediaType + ", " + describeLayers(m.Layers)
}

// describeLayers counts layers by media type: "3 layers (2 application/…,
// 1 application/…)".
func describeLayers(layers []ocispec.Descriptor) string {
	if len(layers) == 0 {
		return "no layers"
	}
	var types []string
	count := map[string]int{}
	for _, l := range layers {
		if count[l.MediaType] == 0 {
			types = append(types, l.MediaType)
		}
		count[l.MediaType]++
	}
	var parts []string
	for _, t := range types {
		parts = append(parts, fmt.Sprintf("%d %s", count[t], t))
	}
	return fmt.Sprintf("%s (%s)", plural(len(layers), "layer"), strings.Join(parts, ", "))
}

// describeIndex names an image index by the platforms it lists.
func describeIndex(mediaType string, data []byte) *LayoutError {
	var idx ocispec.Index
	detail := "manifest " + mediaType
	if json.Unmarshal(data, &idx) == nil {
		var platforms []string
		for _, m := range idx.Manifests {
			if p := m.Platform; p != nil {
				platforms = append(platforms, p.OS+"/"+p.Architecture)
			}
		}
		slices.Sort(platforms)
		platforms = slices.Compact(platforms)
		detail = fmt.Sprintf("an index of %s", plural(len(idx.Manifests), "manifest"))
		if len(platforms) > 0 {
			detail += " for " + strings.Join(platforms, ", ")
		}
	}
	return &LayoutError{What: "a multi-platform image index", Detail: detail}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checkConfig parses the Wasm config and checks it agrees with the
// manifest it came with.
func checkConfig(data []byte, m *ocispec.Manifest) (*WasmConfig, error) {
	var c WasmConfig
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("the config (%s) is not valid: %w", m.Config.Digest, err)
	}
	if c.Architecture != architectureWasm {
		return nil, fmt.Errorf("the config says architecture %q, want %q", c.Architecture, architectureWasm)
	}
	switch c.OS {
	case osComponent:
	case osModule:
		return nil, &LayoutError{What: "a core WebAssembly module", Detail: `config os "wasip1"; wcomp pulls components (os "wasip2")`}
	default:
		return nil, fmt.Errorf("the config says os %q, want %q", c.OS, osComponent)
	}
	if len(c.LayerDigests) > 0 && (len(c.LayerDigests) != 1 || c.LayerDigests[0] != m.Layers[0].Digest.String()) {
		return nil, fmt.Errorf("the config lists layer digests %v, but the manifest's layer is %s", c.LayerDigests, m.Layers[0].Digest)
	}
	return &c, nil
}
