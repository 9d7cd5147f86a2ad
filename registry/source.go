package registry

import (
	"context"
	"errors"
	"fmt"
	"os"

	"oras.land/oras-go/v2/registry"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/resolve"
)

// Source is the registry as resolution sees it: resolve.Registry over
// Names, a Client and the blob cache. Every download lands in the cache,
// verified, before resolve sees it.
type Source struct {
	Client *Client
	Names  *Names
	Cache  *blobcache.Cache
}

var _ resolve.Registry = (*Source)(nil)

// Locate names where pkg is published, without network access: the
// repository (host/prefix/ns/name) when the mapping says it directly, else
// the wkg registry name followed by ns/name, as wkg.lock records the
// registry name rather than what its well-known metadata says today.
func (s *Source) Locate(pkg string) (string, error) {
	p, _, err := ParsePackage(pkg)
	if err != nil {
		return "", err
	}
	return s.Names.Identity(p)
}

// Versions lists pkg's published versions, lowest first.
func (s *Source) Versions(ctx context.Context, pkg string) ([]string, error) {
	repo, err := s.repository(ctx, pkg)
	if err != nil {
		return nil, err
	}
	return s.Client.Versions(ctx, repo)
}

// Fetch pulls pkg at version (its tag).
func (s *Source) Fetch(ctx context.Context, pkg, version string) (*resolve.Blob, error) {
	repo, err := s.repository(ctx, pkg)
	if err != nil {
		return nil, err
	}
	repo.Reference = version
	return s.pull(ctx, repo.String())
}

// repository is where pkg (ns:name) is published, with no tag.
func (s *Source) repository(ctx context.Context, pkg string) (registry.Reference, error) {
	p, _, err := ParsePackage(pkg)
	if err != nil {
		return registry.Reference{}, err
	}
	loc, _, err := s.Names.Locate(ctx, p)
	if err != nil {
		return registry.Reference{}, err
	}
	return loc.Reference(p, ""), nil
}

// Pull pulls the component at an OCI reference.
func (s *Source) Pull(ctx context.Context, ref string) (*resolve.Blob, error) {
	return s.pull(ctx, ref)
}

func (s *Source) pull(ctx context.Context, refText string) (*resolve.Blob, error) {
	ref, err := ParseReference(refText)
	if err != nil {
		return nil, err
	}
	p, err := s.Client.Pull(ctx, ref, PullOptions{Cache: s.Cache})
	if errors.Is(err, ErrNotFound) {
		return nil, notFoundError{err}
	}
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p.Path)
	if err != nil {
		return nil, fmt.Errorf("reading %s from the cache: %w", refText, err)
	}
	return &resolve.Blob{Data: data, Digest: p.Layer.Digest.String(), Manifest: p.Manifest.Digest.String()}, nil
}

// notFoundError keeps the registry's message and matches resolve.ErrNotFound.
type notFoundError struct{ err error }

func (e notFoundError) Error() string        { return e.err.Error() }
func (e notFoundError) Unwrap() error        { return e.err }
func (e notFoundError) Is(target error) bool { return target == resolve.ErrNotFound }
