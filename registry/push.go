package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2"
	"oras.land/oras-go/v2/errdef"
	"oras.land/oras-go/v2/registry"
)

// ErrVersionExists is wrapped when the tag being pushed already names a
// different manifest and Force was not given.
var ErrVersionExists = errors.New("already published")

// PushOptions control Push.
type PushOptions struct {
	// Force moves an existing tag to the new manifest. Without it, a tag
	// that names a different manifest is an error (ErrVersionExists).
	Force bool
	// Progress, if set, is told about each blob upload.
	Progress Progress
}

// PushResult says what Push did.
type PushResult struct {
	// Tag is the tag pushed.
	Tag      string
	Manifest ocispec.Descriptor
	Layer    ocispec.Descriptor
	// Unchanged is set when the tag already named this very manifest
	// (the same inputs published again): nothing was uploaded.
	Unchanged bool
	// Replaced is the manifest the tag named before a forced push, if any.
	Replaced digest.Digest
}

// Push uploads a to dst and points tag at it. Blobs go first and the tag
// last, in one request, so a push that fails part way leaves no tag, and
// readers never see a tag whose content is missing. Blobs dst already has
// are not sent again.
//
// The check that tag is free and the final write are two requests: two
// pushes of one version racing each other can both pass the check (the
// distribution API has no conditional write).
func Push(ctx context.Context, dst oras.Target, tag string, a *Artifact, opts PushOptions) (*PushResult, error) {
	if err := (registry.Reference{Registry: "x", Repository: "x", Reference: tag}).ValidateReferenceAsTag(); err != nil {
		return nil, fmt.Errorf("tag %q: %w", tag, err)
	}
	res := &PushResult{Tag: tag, Manifest: a.Manifest, Layer: a.Layer}
	existing, err := dst.Resolve(ctx, tag)
	switch {
	case err == nil && existing.Digest == a.Manifest.Digest:
		res.Unchanged = true
		return res, nil
	case err == nil && !opts.Force:
		return nil, fmt.Errorf("tag %s is %w as manifest %s, and this push would make it %s: publish a new version, or pass --force to move the tag", tag, ErrVersionExists, existing.Digest, a.Manifest.Digest)
	case err == nil:
		res.Replaced = existing.Digest
	case !errors.Is(err, errdef.ErrNotFound):
		return nil, fmt.Errorf("checking whether tag %s exists: %w", tag, err)
	}

	if err := pushBlob(ctx, dst, a.Layer, a.Wasm, a.Layer.Annotations[AnnotationTitle], opts.Progress); err != nil {
		return nil, fmt.Errorf("pushing the layer %s: %w", a.Layer.Digest, err)
	}
	if err := pushBlob(ctx, dst, a.Config, a.ConfigBytes, "", nil); err != nil {
		return nil, fmt.Errorf("pushing the config %s: %w", a.Config.Digest, err)
	}
	if err := pushManifest(ctx, dst, a.Manifest, a.ManifestBytes, tag); err != nil {
		return nil, fmt.Errorf("pushing the manifest %s as tag %s: %w", a.Manifest.Digest, tag, err)
	}
	return res, nil
}

// pushBlob uploads data unless dst has it already. A push that fails but
// whose blob turns out to have arrived (the response was lost) counts as
// done.
func pushBlob(ctx context.Context, dst oras.Target, desc ocispec.Descriptor, data []byte, name string, p Progress) error {
	if ok, err := dst.Exists(ctx, desc); err == nil && ok {
		return nil
	}
	if name == "" {
		name = desc.Digest.Encoded()[:12]
	}
	ctx, done := startTransfer(ctx, p, name, desc.Size)
	// A *bytes.Reader lets the HTTP stack rewind the body to retry.
	err := dst.Push(ctx, desc, bytes.NewReader(data))
	if errors.Is(err, errdef.ErrAlreadyExists) {
		err = nil
	}
	if err != nil {
		if ok, eerr := dst.Exists(ctx, desc); eerr == nil && ok {
			err = nil
		}
	}
	done(err)
	return err
}

// pushManifest writes the manifest under tag: in one request where the
// target can (a remote repository), else as a push and a tag.
func pushManifest(ctx context.Context, dst oras.Target, desc ocispec.Descriptor, data []byte, tag string) error {
	if rp, ok := dst.(registry.ReferencePusher); ok {
		return rp.PushReference(ctx, desc, bytes.NewReader(data), tag)
	}
	err := dst.Push(ctx, desc, bytes.NewReader(data))
	if err != nil && !errors.Is(err, errdef.ErrAlreadyExists) {
		return err
	}
	return dst.Tag(ctx, desc, tag)
}
