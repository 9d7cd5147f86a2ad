package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"oras.land/oras-go/v2/registry"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/manifest"
)

// Location is where a namespace's packages live in OCI: package ns:name is
// the repository <Registry>/<Prefix><ns>/<name>. Prefix is used as
// written (wkg's namespacePrefix, e.g. "webassembly/"); the manifest
// package parses and normalizes [registries] entries into this shape.
type Location struct {
	Registry string
	Prefix   string
}

func (l Location) validate() error {
	if l.Registry == "" {
		return errors.New("no registry host")
	}
	if err := (registry.Reference{Registry: l.Registry}).ValidateRegistry(); err != nil {
		return err
	}
	if strings.HasPrefix(l.Prefix, "/") || strings.Contains(l.Prefix, "//") {
		return fmt.Errorf("prefix %q has an empty path segment", l.Prefix)
	}
	return nil
}

// String is the location as [registries] writes it: host/prefix.
func (l Location) String() string {
	if l.Prefix == "" {
		return l.Registry
	}
	return l.Registry + "/" + l.Prefix
}

// Package is a WIT package name, ns:name.
type Package struct {
	Namespace, Name string
}

func (p Package) String() string { return p.Namespace + ":" + p.Name }

// ParsePackage reads "ns:name", optionally followed by "@" and a version
// or requirement, which is returned as is (or "" when absent). Namespaces
// and names are kebab-case labels, as in WIT.
func ParsePackage(s string) (Package, string, error) {
	name, version, _ := strings.Cut(s, "@")
	ns, pkg, ok := strings.Cut(name, ":")
	if !ok || strings.Contains(pkg, ":") || strings.Contains(name, "/") {
		return Package{}, "", fmt.Errorf("package %q: want namespace:name, e.g. wasi:http", s)
	}
	// The name of an interface of the package checks both labels with
	// component's own rules for WIT names.
	if _, err := component.ParseName(ns + ":" + pkg + "/x"); err != nil {
		return Package{}, "", fmt.Errorf("package %q: namespace and name must be kebab-case labels (lowercase words joined by -)", s)
	}
	if strings.Contains(s, "@") && version == "" {
		return Package{}, "", fmt.Errorf("package %q: nothing after @", s)
	}
	return Package{Namespace: ns, Name: pkg}, version, nil
}

// Reference is the OCI reference of pkg at tag in loc, as wkg makes it:
// <registry>/<prefix><ns>/<name>:<tag>; tag may be empty.
func (l Location) Reference(pkg Package, tag string) registry.Reference {
	return registry.Reference{
		Registry:   l.Registry,
		Repository: l.Prefix + pkg.Namespace + "/" + pkg.Name,
		Reference:  tag,
	}
}

// MappedBy says which rule placed a package.
type MappedBy string

const (
	MappedByProject  MappedBy = "component.toml [registries]"
	MappedByOverride MappedBy = "wkg package_registry_overrides"
	MappedByWKG      MappedBy = "wkg namespace_registries"
	MappedByDefault  MappedBy = "wkg default_registry"
	MappedByFallback MappedBy = "wkg's built-in namespaces"
)

// wkgFallbacks are the namespaces wkg knows without any configuration.
var wkgFallbacks = map[string]string{"wasi": "wasi.dev", "ba": "bytecodealliance.org"}

// Names maps packages to OCI locations: the project's [registries] first
// (namespace → location), then wkg's config.toml as wkg reads it
// (package_registry_overrides, namespace_registries, default_registry,
// the built-in wasi and ba), then the registry's own well-known metadata.
type Names struct {
	// Project is component.toml's [registries], by namespace.
	Project map[string]Location
	// WKG is the user's wkg config, or nil.
	WKG *WKGConfig
	// HTTP fetches https://<registry>/.well-known/wasm-pkg/registry.json
	// (http:// for loopback hosts) when a wkg mapping names a registry
	// without inline metadata. nil: metadata is never fetched, and the
	// registry name is used as the OCI host, with no prefix.
	HTTP *http.Client

	mu        sync.Mutex
	wellKnown map[string]*RegistryMetadata
}

// Locate finds where pkg lives and which rule said so.
func (n *Names) Locate(ctx context.Context, pkg Package) (Location, MappedBy, error) {
	if loc, ok := n.Project[pkg.Namespace]; ok {
		return loc, MappedByProject, nil
	}
	mapping, by, ok := n.wkgMapping(pkg)
	if !ok {
		return Location{}, "", n.unmapped(pkg)
	}
	meta := mapping.Metadata
	if meta == nil {
		var err error
		if meta, err = n.fetchMetadata(ctx, mapping.Registry); err != nil {
			return Location{}, "", fmt.Errorf("%s (mapped by %s): %w", pkg, by, err)
		}
	}
	loc, err := meta.ociLocation(mapping.Registry)
	if err != nil {
		return Location{}, "", fmt.Errorf("%s (mapped by %s): %w", pkg, by, err)
	}
	if err := loc.validate(); err != nil {
		return Location{}, "", fmt.Errorf("%s (mapped by %s): %w", pkg, by, err)
	}
	return loc, by, nil
}

// Identity names where pkg is published without network access, for lock
// files: the repository when the mapping gives the OCI location itself
// (the project's [registries], a wkg mapping with inline metadata), else
// the wkg registry name followed by ns/name.
func (n *Names) Identity(pkg Package) (string, error) {
	if loc, ok := n.Project[pkg.Namespace]; ok {
		return loc.Reference(pkg, "").String(), nil
	}
	mapping, by, ok := n.wkgMapping(pkg)
	if !ok {
		return "", n.unmapped(pkg)
	}
	if mapping.Metadata == nil {
		return Location{Registry: mapping.Registry}.Reference(pkg, "").String(), nil
	}
	loc, err := mapping.Metadata.ociLocation(mapping.Registry)
	if err != nil {
		return "", fmt.Errorf("%s (mapped by %s): %w", pkg, by, err)
	}
	return loc.Reference(pkg, "").String(), nil
}

func (n *Names) unmapped(pkg Package) error {
	where := "component.toml has no [registries] entry for it"
	if n.WKG != nil {
		where += ", nor does " + n.WKG.Path
	}
	return fmt.Errorf("no registry for namespace %q of %s: %s; add e.g. %s = \"ghcr.io/your-org/\" to [registries]", pkg.Namespace, pkg, where, pkg.Namespace)
}

func (n *Names) wkgMapping(pkg Package) (WKGMapping, MappedBy, bool) {
	if c := n.WKG; c != nil {
		if m, ok := c.PackageRegistryOverrides[pkg.String()]; ok {
			return m, MappedByOverride, true
		}
		if m, ok := c.NamespaceRegistries[pkg.Namespace]; ok {
			return m, MappedByWKG, true
		}
		if c.DefaultRegistry != "" {
			return WKGMapping{Registry: c.DefaultRegistry}, MappedByDefault, true
		}
	}
	if r, ok := wkgFallbacks[pkg.Namespace]; ok {
		return WKGMapping{Registry: r}, MappedByFallback, true
	}
	return WKGMapping{}, "", false
}

// fetchMetadata reads a registry's well-known metadata, once per Names.
// A 404 means the registry name is the OCI host itself, as for wkg.
func (n *Names) fetchMetadata(ctx context.Context, name string) (*RegistryMetadata, error) {
	if n.HTTP == nil {
		return nil, nil
	}
	n.mu.Lock()
	if m, ok := n.wellKnown[name]; ok {
		n.mu.Unlock()
		return m, nil
	}
	n.mu.Unlock()

	scheme := "https"
	if IsLoopback(name) {
		scheme = "http"
	}
	url := scheme + "://" + name + "/.well-known/wasm-pkg/registry.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("registry name %q: %w", name, err)
	}
	resp, err := n.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the registry's metadata: %w", err)
	}
	defer resp.Body.Close()
	var meta *RegistryMetadata
	switch {
	case resp.StatusCode == http.StatusNotFound:
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("fetching the registry's metadata: GET %s: %s", url, resp.Status)
	default:
		meta = &RegistryMetadata{}
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(meta); err != nil {
			return nil, fmt.Errorf("the registry's metadata at %s is not valid JSON: %w", url, err)
		}
	}
	n.mu.Lock()
	if n.wellKnown == nil {
		n.wellKnown = map[string]*RegistryMetadata{}
	}
	n.wellKnown[name] = meta
	n.mu.Unlock()
	return meta, nil
}

// ProjectLocations is component.toml's [registries] as Names.Project
// takes it: namespace → location.
func ProjectLocations(regs []*manifest.Registry) map[string]Location {
	out := make(map[string]Location, len(regs))
	for _, r := range regs {
		out[r.Namespace] = Location{Registry: r.Registry.Value, Prefix: r.Prefix.Value}
	}
	return out
}

// PackageMetadata is what [package] says about the project, as
// `wcomp publish` annotates the artifact with it.
func PackageMetadata(p manifest.Package) Metadata {
	return Metadata{
		Name:        p.Name.Value,
		Version:     p.Version.Value,
		Description: p.Description.Value,
		Licenses:    p.License.Value,
		Source:      p.Repository.Value,
		Authors:     p.Authors.Strings(),
	}
}
