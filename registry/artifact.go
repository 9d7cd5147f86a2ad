package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/wit"
)

// Media types and fixed values of the CNCF TAG-Runtime Wasm OCI artifact
// (https://tag-runtime.cncf.io/wgs/wasm/deliverables/wasm-oci-artifact/).
const (
	MediaTypeWasmConfig = "application/vnd.wasm.config.v0+json"
	MediaTypeWasmLayer  = "application/wasm"

	architectureWasm = "wasm"
	osComponent      = "wasip2" // a component; "wasip1" marks a core module
	osModule         = "wasip1"
)

// Annotation keys wcomp writes (OCI image-spec annotations.md).
const (
	AnnotationTitle       = ocispec.AnnotationTitle
	AnnotationVersion     = ocispec.AnnotationVersion
	AnnotationDescription = ocispec.AnnotationDescription
	AnnotationLicenses    = ocispec.AnnotationLicenses
	AnnotationSource      = ocispec.AnnotationSource
	AnnotationURL         = ocispec.AnnotationURL
	AnnotationAuthors     = ocispec.AnnotationAuthors
	AnnotationCreated     = ocispec.AnnotationCreated
)

// Metadata describes what is published, as [package] in component.toml
// does. Every field is optional; empty fields are left out of the
// manifest.
type Metadata struct {
	// Name is the package name, ns:name. It names the layer file
	// (<name>.wasm) when Title is empty, as wkg does.
	Name string
	// Version becomes org.opencontainers.image.version. Publishing sets it
	// to the tag.
	Version     string
	Description string
	// Licenses is an SPDX expression.
	Licenses string
	// Source is the URL of the source repository.
	Source string
	// Homepage becomes org.opencontainers.image.url.
	Homepage string
	Authors  []string
	// Target is the world the component targets, e.g.
	// "wasi:http/proxy@0.2.0"; it becomes the config's component.target.
	Target string
	// Title is the layer's file name (org.opencontainers.image.title),
	// which OCI tools such as `oras pull` save it as. Default: <name>.wasm
	// from Name, else "component.wasm".
	Title string
	// Annotations are added to the manifest's last, so they override the
	// keys above.
	Annotations map[string]string
}

// WasmConfig is the artifact's config blob. The field order is wkg's, so
// the JSON of both tools reads the same.
type WasmConfig struct {
	Created      time.Time `json:"created"`
	Author       *string   `json:"author"`
	Architecture string    `json:"architecture"`
	OS           string    `json:"os"`
	// LayerDigests lists the manifest's layer digests, in order; it makes
	// the config (and so the manifest) unique to its content.
	LayerDigests []string       `json:"layerDigests"`
	Component    *ComponentInfo `json:"component"`
}

// ComponentInfo is the config's summary of the component's world. For a
// WIT package, Imports is empty and Exports lists each world's exports,
// each world's full name and each interface's full name.
type ComponentInfo struct {
	Exports []string `json:"exports"`
	Imports []string `json:"imports"`
	Target  *string  `json:"target"`
}

// Kind says what an artifact's layer holds.
type Kind string

const (
	KindComponent  Kind = "component"
	KindWITPackage Kind = "WIT package"
)

// Artifact is a built, not yet pushed, Wasm OCI artifact: three blobs and
// their descriptors.
type Artifact struct {
	Kind Kind
	// Package is the WIT package's name (ns:pkg@version) when Kind is
	// KindWITPackage.
	Package string

	Manifest      ocispec.Descriptor
	ManifestBytes []byte
	Config        ocispec.Descriptor
	ConfigBytes   []byte
	Layer         ocispec.Descriptor
	// Wasm is the layer's content, the component as given (not copied).
	Wasm []byte
}

// Build lays out wasm, a component or a WIT package encoded as a
// component, as a Wasm OCI artifact. created is the time recorded in the
// config and the manifest (see CreatedTime); it is truncated to whole
// seconds. The result depends only on the arguments, so the same inputs
// always give the same manifest digest.
func Build(wasm []byte, meta Metadata, created time.Time) (*Artifact, error) {
	c, err := component.Decode(wasm)
	if err != nil {
		var nc *component.NotComponentError
		if errors.As(err, &nc) && nc.Wasm && strings.Contains(nc.Found, "core WebAssembly module") {
			return nil, fmt.Errorf("%w; only components and WIT packages are published (make a component with `wasm-tools component new`)", err)
		}
		return nil, err
	}
	ct, err := component.Resolve(c)
	if err != nil {
		return nil, err
	}
	meta = meta.withEmbedded(embeddedAnnotations(c))
	a := &Artifact{Kind: KindComponent, Wasm: wasm}
	info := &ComponentInfo{Exports: []string{}, Imports: []string{}}
	if pkg, ok := wit.DecodeEncodedPackage(ct); ok {
		if err := meta.checkPackage(pkg.Name); err != nil {
			return nil, err
		}
		a.Kind, a.Package = KindWITPackage, pkg.Name
		info.Exports = packageExports(pkg)
	} else {
		for _, it := range ct.Imports {
			info.Imports = append(info.Imports, it.Name)
		}
		for _, it := range ct.Exports {
			info.Exports = append(info.Exports, it.Name)
		}
	}
	if meta.Target != "" {
		info.Target = &meta.Target
	}
	created = created.UTC().Truncate(time.Second)

	a.Layer = ocispec.Descriptor{
		MediaType:   MediaTypeWasmLayer,
		Digest:      digest.FromBytes(wasm),
		Size:        int64(len(wasm)),
		Annotations: map[string]string{AnnotationTitle: meta.title()},
	}
	config := WasmConfig{
		Created:      created,
		Architecture: architectureWasm,
		OS:           osComponent,
		LayerDigests: []string{a.Layer.Digest.String()},
		Component:    info,
	}
	if authors := strings.Join(meta.Authors, ", "); authors != "" {
		config.Author = &authors
	}
	if a.ConfigBytes, err = marshal(config); err != nil {
		return nil, fmt.Errorf("encoding the config: %w", err)
	}
	a.Config = ocispec.Descriptor{
		MediaType: MediaTypeWasmConfig,
		Digest:    digest.FromBytes(a.ConfigBytes),
		Size:      int64(len(a.ConfigBytes)),
	}
	manifest := ocispec.Manifest{
		Versioned:   specs.Versioned{SchemaVersion: 2},
		MediaType:   ocispec.MediaTypeImageManifest,
		Config:      a.Config,
		Layers:      []ocispec.Descriptor{a.Layer},
		Annotations: meta.annotations(created),
	}
	if a.ManifestBytes, err = marshal(manifest); err != nil {
		return nil, fmt.Errorf("encoding the manifest: %w", err)
	}
	a.Manifest = ocispec.Descriptor{
		MediaType: ocispec.MediaTypeImageManifest,
		Digest:    digest.FromBytes(a.ManifestBytes),
		Size:      int64(len(a.ManifestBytes)),
	}
	return a, nil
}

// marshal encodes v as compact JSON without HTML escapes (so "<" in an
// author's address stays "<", as serde_json writes it). Map keys come out
// sorted, so the bytes are canonical.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// packageExports lists what a WIT package offers, as wkg does: each
// world's exports followed by the world's own name, then each interface;
// each name once, in binary order.
func packageExports(pkg *wit.EncodedPackage) []string {
	seen := map[string]bool{}
	out := []string{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, w := range pkg.Worlds {
		for _, e := range w.Exports {
			add(e)
		}
		add(w.Name)
	}
	for _, i := range pkg.Interfaces {
		add(i)
	}
	return out
}

// checkPackage refuses to publish WIT package id (ns:pkg[@version]) under
// another name or version than its own: consumers would get a package
// that says it is something else.
func (m Metadata) checkPackage(id string) error {
	name, version, _ := strings.Cut(id, "@")
	if m.Name != "" && m.Name != name {
		return fmt.Errorf("the WIT package is %s, but it is being published as %s", id, m.Name)
	}
	if m.Version != "" && version != "" && m.Version != version {
		return fmt.Errorf("the WIT package is %s, but it is being published as version %s", id, m.Version)
	}
	return nil
}

// embeddedSections maps the custom sections a component may carry about
// itself (WebAssembly tool-conventions, Annotations.md; what
// `wasm-tools metadata add` writes) to OCI annotation keys. "created" is
// left out: the artifact's time is chosen for reproducibility.
var embeddedSections = map[string]string{
	"authors":       AnnotationAuthors,
	"description":   AnnotationDescription,
	"documentation": ocispec.AnnotationDocumentation,
	"homepage":      AnnotationURL,
	"licenses":      AnnotationLicenses,
	"revision":      ocispec.AnnotationRevision,
	"source":        AnnotationSource,
	"vendor":        ocispec.AnnotationVendor,
	"version":       AnnotationVersion,
}

// embeddedAnnotations reads those sections of the outer component.
func embeddedAnnotations(c *component.Component) map[string]string {
	out := map[string]string{}
	for _, s := range c.Sections {
		if s.Custom == nil {
			continue
		}
		if key, ok := embeddedSections[s.Custom.Name]; ok && utf8.Valid(s.Custom.Data) && len(s.Custom.Data) > 0 {
			out[key] = string(s.Custom.Data)
		}
	}
	return out
}

// withEmbedded fills what m leaves empty from the component's own
// annotations, as wkg publishes them; what m says wins.
func (m Metadata) withEmbedded(embedded map[string]string) Metadata {
	fill := func(field *string, key string) {
		if *field == "" {
			*field = embedded[key]
		}
		delete(embedded, key)
	}
	fill(&m.Version, AnnotationVersion)
	fill(&m.Description, AnnotationDescription)
	fill(&m.Licenses, AnnotationLicenses)
	fill(&m.Source, AnnotationSource)
	fill(&m.Homepage, AnnotationURL)
	if a, ok := embedded[AnnotationAuthors]; ok && len(m.Authors) == 0 {
		m.Authors = []string{a}
	}
	delete(embedded, AnnotationAuthors)
	if len(embedded) > 0 {
		extra := maps.Clone(embedded)
		maps.Copy(extra, m.Annotations)
		m.Annotations = extra
	}
	return m
}

func (m Metadata) title() string {
	switch {
	case m.Title != "":
		return m.Title
	case m.Name != "":
		name := m.Name
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		return name + ".wasm"
	}
	return "component.wasm"
}

func (m Metadata) annotations(created time.Time) map[string]string {
	a := map[string]string{AnnotationCreated: created.Format(time.RFC3339)}
	set := func(key, value string) {
		if value != "" {
			a[key] = value
		}
	}
	set(AnnotationVersion, m.Version)
	set(AnnotationDescription, m.Description)
	set(AnnotationLicenses, m.Licenses)
	set(AnnotationSource, m.Source)
	set(AnnotationURL, m.Homepage)
	set(AnnotationAuthors, strings.Join(m.Authors, ", "))
	maps.Copy(a, m.Annotations)
	return a
}
