package registry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"oras.land/oras-go/v2/registry"

	"github.com/wcomp/wcomp/internal/blobcache"
)

// Annotations of a build cache entry: which member it was built for and
// from which inputs, checked on every hit so an entry is never used for
// anything but what it was stored as.
const (
	AnnotationBuildMember = "dev.wcomp.build.member"
	AnnotationBuildInputs = "dev.wcomp.build.inputs"
)

// BuildCache is the shared build cache ([cache] remote = "oci://…") over
// one OCI repository: each member's built component is an ordinary Wasm
// artifact tagged with the hex of its inputs digest (the builder's
// fingerprint), so `wcomp pull`, wkg and oras read it too. It implements
// project.RemoteCache.
type BuildCache struct {
	Client *Client
	// Repository is the repository (host/path), without a tag.
	Repository registry.Reference
	Cache      *blobcache.Cache
}

// NewBuildCache is the build cache in host/repository (the manifest
// package parses and checks [cache] remote into these).
func NewBuildCache(client *Client, cache *blobcache.Cache, host, repository string) *BuildCache {
	return &BuildCache{Client: client, Repository: registry.Reference{Registry: host, Repository: repository}, Cache: cache}
}

// entryCreated is every entry's created time: an entry's manifest depends
// on its content alone, so two machines storing the same build write the
// same manifest and neither's push conflicts with the other's.
var entryCreated = time.Unix(0, 0).UTC()

func (c *BuildCache) reference(inputs string) (registry.Reference, error) {
	hex, ok := strings.CutPrefix(inputs, "sha256:")
	if !ok || len(hex) != 64 {
		return registry.Reference{}, fmt.Errorf("inputs digest %q: want sha256:<64 hex digits>", inputs)
	}
	ref := c.Repository
	ref.Reference = hex
	return ref, nil
}

// Fetch pulls the entry for member under inputs into the blob cache,
// every digest verified. No entry is found == false; an entry stored for
// another member or other inputs is an error.
func (c *BuildCache) Fetch(ctx context.Context, member, inputs string) (path, digest string, found bool, err error) {
	ref, err := c.reference(inputs)
	if err != nil {
		return "", "", false, err
	}
	p, err := c.Client.Pull(ctx, ref, PullOptions{Cache: c.Cache})
	if errors.Is(err, ErrNotFound) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", true, err
	}
	if got := p.Annotations[AnnotationBuildMember]; got != member {
		return "", "", true, fmt.Errorf("%s was stored for member %q, not %s", ref, got, member)
	}
	if got := p.Annotations[AnnotationBuildInputs]; got != inputs {
		return "", "", true, fmt.Errorf("%s was stored for inputs %q, not %s", ref, got, inputs)
	}
	return p.Path, p.Layer.Digest.String(), true, nil
}

// Store pushes the component at path as the entry for member under
// inputs. An entry already there for the same inputs stands: a build is
// stored once, by whichever machine got there first.
func (c *BuildCache) Store(ctx context.Context, member, inputs, path string) error {
	ref, err := c.reference(inputs)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	a, err := Build(data, Metadata{
		Title:       member + ".wasm",
		Description: "wcomp build cache: member " + member,
		Annotations: map[string]string{AnnotationBuildMember: member, AnnotationBuildInputs: inputs},
	}, entryCreated)
	if err != nil {
		return fmt.Errorf("member %s: %w", member, err)
	}
	_, err = c.Client.Push(ctx, ref, a, PushOptions{})
	if errors.Is(err, ErrVersionExists) {
		return nil
	}
	return err
}
