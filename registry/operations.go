package registry

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"oras.land/oras-go/v2/registry"
	"oras.land/oras-go/v2/registry/remote"
	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/errcode"

	"github.com/wcomp/wcomp/internal/versionreq"
)

// ParseReference reads an OCI reference: host[:port]/repository followed
// by :tag, @sha256:digest, or both.
func ParseReference(s string) (registry.Reference, error) {
	ref, err := registry.ParseReference(s)
	if err != nil {
		return registry.Reference{}, fmt.Errorf("reference %q: %w", s, errors.Unwrap(err))
	}
	return ref, nil
}

// Push pushes a to ref, whose tag it sets (see the package-level Push).
func (c *Client) Push(ctx context.Context, ref registry.Reference, a *Artifact, opts PushOptions) (*PushResult, error) {
	if err := ref.ValidateReferenceAsTag(); err != nil {
		return nil, fmt.Errorf("%s: push needs a tag, e.g. %s/%s:1.0.0", ref, ref.Registry, ref.Repository)
	}
	repo, err := c.Repository(ctx, ref)
	if err != nil {
		return nil, err
	}
	if opts.Progress == nil {
		opts.Progress = c.opts.Progress
	}
	res, err := Push(ctx, repo, ref.Reference, a, opts)
	if err != nil {
		return nil, fmt.Errorf("pushing %s: %w", ref, explain(err, ref.Registry))
	}
	return res, nil
}

// Pull pulls the artifact ref names (see the package-level Pull).
func (c *Client) Pull(ctx context.Context, ref registry.Reference, opts PullOptions) (*Pulled, error) {
	if ref.Reference == "" {
		return nil, fmt.Errorf("%s: pull needs a tag or a digest, e.g. %s:1.0.0", ref, ref)
	}
	if opts.Progress == nil {
		opts.Progress = c.opts.Progress
	}
	var p *Pulled
	err := c.read(ctx, ref, func(repo *remote.Repository) (err error) {
		p, err = Pull(ctx, repo, ref.Reference, opts)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pulling %s: %w", ref, explain(err, ref.Registry))
	}
	return p, nil
}

// Versions lists the version tags of ref's repository, lowest first.
func (c *Client) Versions(ctx context.Context, ref registry.Reference) ([]string, error) {
	var vs []string
	err := c.read(ctx, ref, func(repo *remote.Repository) (err error) {
		vs, err = Versions(ctx, repo)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", ref.Registry, ref.Repository, explain(err, ref.Registry))
	}
	return vs, nil
}

// ResolveVersion returns ref with its tag set to the highest version
// req admits.
func (c *Client) ResolveVersion(ctx context.Context, ref registry.Reference, req versionreq.Req) (registry.Reference, error) {
	var v string
	err := c.read(ctx, ref, func(repo *remote.Repository) (err error) {
		v, err = ResolveVersion(ctx, repo, req)
		return err
	})
	if err != nil {
		return registry.Reference{}, fmt.Errorf("%s/%s: %w", ref.Registry, ref.Repository, explain(err, ref.Registry))
	}
	ref.Reference = v
	return ref, nil
}

// read runs a read of ref's repository with the client's credentials and,
// when the registry refuses them (401, 403) although some were given, once
// more anonymously, as wkg does: WCOMP_REGISTRY_USER set for a company
// registry must not break pulls of public packages from another.
func (c *Client) read(ctx context.Context, ref registry.Reference, fn func(*remote.Repository) error) error {
	repo, err := c.Repository(ctx, ref)
	if err != nil {
		return err
	}
	err = fn(repo)
	if err == nil || !refused(err) {
		return err
	}
	if cred, cerr := c.credential(ctx, ref.Registry); cerr != nil || cred == auth.EmptyCredential {
		return err
	}
	anonymous := &remote.Repository{Client: c.anonymous, Reference: repo.Reference, PlainHTTP: repo.PlainHTTP}
	if fn(anonymous) == nil {
		return nil
	}
	return err
}

// refused reports whether err is a registry's refusal of credentials.
func refused(err error) bool {
	var resp *errcode.ErrorResponse
	return errors.As(err, &resp) && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden)
}

// ResolvePackage turns a package spec into a reference: "ns:name@1.2.3"
// names that version's tag; "ns:name@^1.2" (any requirement) or a bare
// "ns:name" (the highest release) is resolved against the repository's
// version tags.
func (c *Client) ResolvePackage(ctx context.Context, names *Names, spec string) (registry.Reference, error) {
	pkg, version, err := ParsePackage(spec)
	if err != nil {
		return registry.Reference{}, err
	}
	loc, _, err := names.Locate(ctx, pkg)
	if err != nil {
		return registry.Reference{}, err
	}
	ref := loc.Reference(pkg, "")
	if versionreq.CheckVersion(version) == nil {
		ref.Reference = version
		return ref, nil
	}
	if version == "" {
		version = "*"
	}
	req, err := versionreq.Parse(version)
	if err != nil {
		return registry.Reference{}, fmt.Errorf("%s: %w", spec, err)
	}
	return c.ResolveVersion(ctx, ref, req)
}

// IsPackageSpec tells a package spec (ns:name[@version]) from an OCI
// reference, which always has a "/" between host and repository.
func IsPackageSpec(s string) bool {
	name, _, _ := strings.Cut(s, "@")
	return !strings.Contains(name, "/") && strings.Contains(name, ":")
}

// Publication is a package version to publish: what `wcomp publish` and
// the remote build cache hand to Publish.
type Publication struct {
	// Wasm is the component or encoded WIT package.
	Wasm []byte
	// Metadata must have Name (ns:name) and Version, which becomes the tag.
	Metadata Metadata
	// Created is the artifact's time (see CreatedTime).
	Created time.Time
	Force   bool
}

// Publish builds the artifact for p and pushes it to where names puts the
// package, tagged with its version.
func (c *Client) Publish(ctx context.Context, names *Names, p Publication) (*PushResult, registry.Reference, error) {
	pkg, _, err := ParsePackage(p.Metadata.Name)
	if err != nil {
		return nil, registry.Reference{}, err
	}
	if err := versionreq.CheckVersion(p.Metadata.Version); err != nil {
		return nil, registry.Reference{}, fmt.Errorf("publishing %s: %w", pkg, err)
	}
	loc, _, err := names.Locate(ctx, pkg)
	if err != nil {
		return nil, registry.Reference{}, err
	}
	a, err := Build(p.Wasm, p.Metadata, p.Created)
	if err != nil {
		return nil, registry.Reference{}, fmt.Errorf("publishing %s: %w", pkg, err)
	}
	ref := loc.Reference(pkg, p.Metadata.Version)
	res, err := c.Push(ctx, ref, a, PushOptions{Force: p.Force})
	return res, ref, err
}

// FindPackage resolves spec, "ns:name" or "ns:name@REQ", for `wcomp add`:
// the reference of the highest version the requirement admits (every
// version as such is a requirement here: @1.2 means ^1.2, as for cargo
// add), and the requirement to record: as written, else the version
// found, which reads as ^ of it.
func (c *Client) FindPackage(ctx context.Context, names *Names, spec string) (registry.Reference, string, error) {
	pkg, reqText, err := ParsePackage(spec)
	if err != nil {
		return registry.Reference{}, "", err
	}
	req, err := versionreq.Parse(cmp.Or(reqText, "*"))
	if err != nil {
		return registry.Reference{}, "", fmt.Errorf("%s: %w", spec, err)
	}
	loc, _, err := names.Locate(ctx, pkg)
	if err != nil {
		return registry.Reference{}, "", err
	}
	ref := loc.Reference(pkg, "")
	versions, err := c.Versions(ctx, ref)
	if err == nil && len(versions) == 0 {
		err = ErrNotFound
	}
	if errors.Is(err, ErrNotFound) {
		return registry.Reference{}, "", fmt.Errorf("package %s not found: %s/%s has no versions", pkg, ref.Registry, ref.Repository)
	}
	if err != nil {
		return registry.Reference{}, "", fmt.Errorf("package %s: %w", pkg, err)
	}
	v, ok := req.Highest(versions)
	if !ok {
		return registry.Reference{}, "", fmt.Errorf("package %s: %w %s (%s/%s has %s)", pkg, ErrNoMatchingVersion, req, ref.Registry, ref.Repository, summarizeVersions(versions))
	}
	found := ref
	found.Reference = v
	if reqText == "" {
		reqText = found.Reference
	}
	return found, reqText, nil
}
