package builder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
)

// prebuiltToolchain takes a member's component as it is: from a file, a
// URL (downloaded once into the content-addressed cache and verified
// against its digest), or an OCI reference (through Options.OCI). A core
// module is wrapped like a built one.
type prebuiltToolchain struct{}

type prebuiltState struct {
	source string // for the fingerprint: kind, location and digest
	file   string // the file, once known
}

func (prebuiltToolchain) resolve(ctx context.Context, j *job) (*resolved, error) {
	src := j.spec.Prebuilt
	switch {
	case src.Path != "":
		file := filepath.Join(j.spec.Dir, src.Path)
		digest, _, err := fileDigest(file)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: path %s: %w", j.spec.label(), src.Path, err)
		}
		if src.Digest != "" && digest != src.Digest {
			return nil, fmt.Errorf("%s: path %s has digest %s, but the manifest expects %s", j.spec.label(), src.Path, digest, src.Digest)
		}
		return &resolved{state: &prebuiltState{source: "path " + filepath.ToSlash(src.Path) + " " + digest, file: file}}, nil
	case src.URL != "":
		return &resolved{state: &prebuiltState{source: "url " + src.URL + " " + src.Digest, file: j.b.blobPath(src.Digest)}}, nil
	default:
		return &resolved{state: &prebuiltState{source: "oci " + src.OCI}}, nil
	}
}

func (prebuiltToolchain) build(ctx context.Context, j *job, r *resolved) (string, error) {
	src := j.spec.Prebuilt
	st := r.state.(*prebuiltState)
	switch {
	case src.Path != "":
		return st.file, nil
	case src.URL != "":
		return j.b.download(ctx, j, src.URL, src.Digest)
	}
	if j.b.opts.OCI == nil {
		return "", fmt.Errorf("oci %s: this wcomp has no registry support configured to fetch it", src.OCI)
	}
	path, _, err := j.b.opts.OCI.FetchComponent(ctx, src.OCI)
	if err != nil {
		return "", fmt.Errorf("oci %s: %w", src.OCI, err)
	}
	return path, nil
}

// finishPrebuilt uses the prebuilt file in place when it is a component,
// and wraps a core module into members/NAME.wasm.
func (b *Builder) finishPrebuilt(ctx context.Context, j *job, file string, res *Result) error {
	head := make([]byte, 8)
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	_, err = io.ReadFull(f, head)
	f.Close()
	if kind, _ := wasmKind(head); err != nil || kind != "component" {
		return b.finishBuilt(ctx, j, file, res)
	}
	digest, size, err := fileDigest(file)
	if err != nil {
		return err
	}
	res.Path, res.Digest, res.Size = file, digest, size
	return nil
}

// blobPath is where the content-addressed cache keeps a digest's bytes.
func (b *Builder) blobPath(digest string) string {
	hexPart, _ := parseDigest(digest)
	return filepath.Join(b.opts.CacheDir, "blobs", "sha256", hexPart)
}

// download returns the cached blob for digest, fetching url into the cache
// first when it is not there. The bytes are hashed as they arrive and the
// blob appears only once they match.
func (b *Builder) download(ctx context.Context, j *job, url, digest string) (string, error) {
	blob := b.blobPath(digest)
	if got, _, err := fileDigest(blob); err == nil && got == digest {
		return blob, nil
	}
	if b.opts.Offline {
		return "", fmt.Errorf("url %s: not in the cache (%s), and the build is offline", url, blob)
	}
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		return "", err
	}
	j.emit(Event{Kind: EventDownloading, Message: url})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("url %s: %w", url, err)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("downloading %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("downloading %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(blob), ".download*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("downloading %s: %w", url, err)
	}
	if got := digestPrefix + hex.EncodeToString(h.Sum(nil)); got != digest {
		return "", fmt.Errorf("downloading %s: digest mismatch: the manifest expects %s, the server sent %s", url, digest, got)
	}
	if err := os.Chmod(tmp.Name(), 0o444); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), blob); err != nil {
		return "", err
	}
	return blob, nil
}
