package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2"
	"oras.land/oras-go/v2/content"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/blobcache"
)

// maxManifestBytes bounds the manifest and config a pull reads into memory;
// a Wasm artifact's are a few hundred bytes.
const maxManifestBytes = 4 << 20

// PullOptions control Pull.
type PullOptions struct {
	// Cache receives the verified layer; required.
	Cache *blobcache.Cache
	// Progress, if set, is told about the layer's download.
	Progress Progress
	// Attempts is how many times a layer download that breaks off part
	// way is started again; default 3. (Each attempt's requests are
	// retried by the client besides.)
	Attempts int
}

// Pulled is a fetched, verified Wasm artifact.
type Pulled struct {
	// Manifest describes the manifest; its digest is the artifact's identity.
	Manifest    ocispec.Descriptor
	Annotations map[string]string
	Config      *WasmConfig
	Layer       ocispec.Descriptor
	// Path is the layer's file in the cache, verified against its digest.
	Path string
}

// Pull fetches the artifact that reference (a tag or a digest) names in
// src and checks all of it: the manifest against its digest and the Wasm
// layout, the config against its digest and the manifest, and the layer
// against its digest and size, and that it is a component. The layer goes
// into the cache; nothing unverified is ever stored. An artifact of
// another layout is a *LayoutError saying what it is.
func Pull(ctx context.Context, src oras.ReadOnlyTarget, reference string, opts PullOptions) (*Pulled, error) {
	if opts.Cache == nil {
		return nil, errors.New("registry.Pull: no cache")
	}
	mdesc, mbytes, err := oras.FetchBytes(ctx, src, reference, oras.FetchBytesOptions{MaxBytes: maxManifestBytes})
	if err != nil {
		return nil, fmt.Errorf("fetching the manifest: %w", err)
	}
	m, err := checkManifest(mdesc.MediaType, mbytes)
	if err != nil {
		return nil, err
	}
	if m.Config.Size > maxManifestBytes {
		return nil, fmt.Errorf("the config is %d bytes; a Wasm config is a few hundred", m.Config.Size)
	}
	cbytes, err := content.FetchAll(ctx, src, m.Config)
	if err != nil {
		return nil, fmt.Errorf("fetching the config %s: %w", m.Config.Digest, err)
	}
	config, err := checkConfig(cbytes, m)
	if err != nil {
		return nil, err
	}
	layer := m.Layers[0]
	path, err := fetchLayer(ctx, src, layer, opts)
	if err != nil {
		return nil, fmt.Errorf("fetching the layer %s: %w", layer.Digest, err)
	}
	if err := checkComponentFile(path); err != nil {
		return nil, fmt.Errorf("the layer %s: %w", layer.Digest, err)
	}
	return &Pulled{Manifest: mdesc, Annotations: m.Annotations, Config: config, Layer: layer, Path: path}, nil
}

// fetchLayer fills the cache with the layer, starting the download again
// when it breaks off with a transient network error.
func fetchLayer(ctx context.Context, src content.Fetcher, layer ocispec.Descriptor, opts PullOptions) (string, error) {
	if err := layer.Digest.Validate(); err != nil {
		return "", fmt.Errorf("the manifest's layer digest: %w", err)
	}
	attempts := opts.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	name := layer.Annotations[AnnotationTitle]
	if name == "" {
		name = layer.Digest.Encoded()[:12]
	}
	var err error
	for range attempts {
		var path string
		path, err = opts.Cache.Fill(ctx, layer.Digest, layer.Size, func(ctx context.Context) (io.ReadCloser, error) {
			ctx, done := startTransfer(ctx, opts.Progress, name, layer.Size)
			rc, err := src.Fetch(ctx, layer)
			if err != nil {
				done(err)
				return nil, err
			}
			return &doneReader{ReadCloser: rc, done: done}, nil
		})
		if err == nil {
			return path, nil
		}
		if !transient(err) {
			break
		}
	}
	return "", err
}

// doneReader ends a progress transfer when its stream ends.
type doneReader struct {
	io.ReadCloser
	done func(error)
	err  error
}

func (r *doneReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

func (r *doneReader) Close() error {
	err := r.ReadCloser.Close()
	r.done(r.err)
	return err
}

// checkComponentFile checks that the file at path starts like a component.
func checkComponentFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	if component.IsComponent(head[:n]) {
		return nil
	}
	if _, err := component.Decode(head[:n]); err != nil {
		return err
	}
	return errors.New("not a component")
}

// CopyVerified copies the cached blob d at src to dst, checking the digest
// again as it reads, so that a cache file changed on disk is never passed
// on; dst is written atomically by the caller's writer.
func CopyVerified(dst io.Writer, src string, d digest.Digest) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	verifier := d.Verifier()
	if _, err := io.Copy(io.MultiWriter(dst, verifier), f); err != nil {
		return err
	}
	if !verifier.Verified() {
		return fmt.Errorf("the cached blob %s no longer matches its digest: %w", d, blobcache.ErrDigestMismatch)
	}
	return nil
}
