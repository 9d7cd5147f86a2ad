package blobcache

import (
	"bytes"
	"context"
	_ "crypto/sha512" // sha384 and sha512 digests, for url sources that give them
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/opencontainers/go-digest"

	"github.com/wcomp/wcomp/internal/filelock"
)

// ErrNotFound is returned (wrapped) when a blob is not in the cache. It
// matches fs.ErrNotExist too, as resolve's Store interface asks.
var ErrNotFound error = notFound{}

type notFound struct{}

func (notFound) Error() string        { return "not in the cache" }
func (notFound) Is(target error) bool { return target == fs.ErrNotExist }

// ErrDigestMismatch is returned (wrapped) when content does not have the
// digest or size it was stored under.
var ErrDigestMismatch = errors.New("content does not match its digest")

// Cache is a content-addressed blob store rooted at one directory. Its
// zero value is not usable; call New.
type Cache struct {
	dir string
	// createTemp opens the temporary file a blob is written to. Tests
	// replace it to simulate a full disk.
	createTemp func(dir, pattern string) (tempFile, error)
}

// tempFile is the part of *os.File that Put writes through.
type tempFile interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// New returns the cache rooted at dir (e.g. the result of DefaultDir). The
// directory is created on first write.
func New(dir string) *Cache {
	return &Cache{dir: dir, createTemp: func(dir, pattern string) (tempFile, error) {
		return os.CreateTemp(dir, pattern)
	}}
}

// DefaultDir is wcomp's cache directory: $XDG_CACHE_HOME/wcomp, or
// ~/.cache/wcomp when XDG_CACHE_HOME is unset. getenv is os.Getenv in
// production; it is a parameter so that callers and tests decide.
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CACHE_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return "", fmt.Errorf("XDG_CACHE_HOME=%q is not an absolute path", d)
		}
		return filepath.Join(d, "wcomp"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("finding the cache directory: set XDG_CACHE_HOME or HOME: %w", err)
		}
	}
	return filepath.Join(home, ".cache", "wcomp"), nil
}

// Dir is the cache's root directory.
func (c *Cache) Dir() string { return c.dir }

// Path is where the blob with digest d lives (whether or not it is there).
func (c *Cache) Path(d digest.Digest) (string, error) {
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("cache: digest %q: %w", d, err)
	}
	return filepath.Join(c.dir, "blobs", d.Algorithm().String(), d.Encoded()), nil
}

// lockPath is the lock file that serializes writers of blob d.
func (c *Cache) lockPath(d digest.Digest) string {
	return filepath.Join(c.dir, "locks", d.Algorithm().String()+"-"+d.Encoded()+".lock")
}

// Stat reports the size of blob d, or an error wrapping ErrNotFound.
func (c *Cache) Stat(d digest.Digest) (int64, error) {
	path, err := c.Path(d)
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("blob %s: %w", d, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("cache: %w", err)
	}
	return fi.Size(), nil
}

// Open opens blob d for reading, or returns an error wrapping ErrNotFound.
// The content was verified when it was stored; callers that must not trust
// the disk verify it again as they read (Verify, or a digest.Verifier).
func (c *Cache) Open(d digest.Digest) (*os.File, error) {
	path, err := c.Path(d)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", d, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return f, nil
}

// PutReader stores the content of r under digest d and returns the blob's path.
// size is the expected length, or -1 when unknown. Content that does not
// match d (or size) is rejected with an error wrapping ErrDigestMismatch,
// and nothing is stored. PutReader does not take the blob's lock: content
// is identical whoever writes it, and the rename is atomic.
func (c *Cache) PutReader(d digest.Digest, size int64, r io.Reader) (string, error) {
	path, err := c.Path(d)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	tmp, err := c.createTemp(dir, ".tmp-"+d.Encoded()+"-*")
	if err != nil {
		return "", fmt.Errorf("cache: storing blob %s: %w", d, err)
	}
	name := tmp.Name()
	err = fill(tmp, d, size, r)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("cache: storing blob %s: %w", d, cerr)
	}
	if err == nil {
		if rerr := os.Rename(name, path); rerr != nil {
			err = fmt.Errorf("cache: storing blob %s: %w", d, rerr)
		}
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	syncDir(dir)
	return path, nil
}

// Lookup returns the path of blob d ("sha256:…"), or an error wrapping
// ErrNotFound (and fs.ErrNotExist). With Put it makes the cache a
// resolve.Store.
func (c *Cache) Lookup(d string) (string, error) {
	path, err := c.Path(digest.Digest(d))
	if err != nil {
		return "", err
	}
	if _, err := c.Stat(digest.Digest(d)); err != nil {
		return "", err
	}
	return path, nil
}

// Put stores data under digest d ("sha256:…"), checking it, and returns
// its path. A blob already stored is left as it is.
func (c *Cache) Put(d string, data []byte) (string, error) {
	path, err := c.Path(digest.Digest(d))
	if err != nil {
		return "", err
	}
	if c.present(path, int64(len(data))) {
		return path, nil
	}
	return c.PutReader(digest.Digest(d), int64(len(data)), bytes.NewReader(data))
}

// fill copies r into w, checking the digest and size on the way, and
// syncs w so that the rename that follows never publishes unwritten data.
func fill(w tempFile, d digest.Digest, size int64, r io.Reader) error {
	digester := d.Algorithm().Digester()
	src := r
	if size >= 0 {
		// One byte more than expected is enough to notice a longer stream.
		src = io.LimitReader(r, size+1)
	}
	n, err := io.Copy(io.MultiWriter(w, digester.Hash()), src)
	if err != nil {
		return fmt.Errorf("cache: storing blob %s: %w", d, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("blob %s: got %d bytes, want %d: %w", d, n, size, ErrDigestMismatch)
	}
	if got := digester.Digest(); got != d {
		return fmt.Errorf("blob %s: got content with digest %s: %w", d, got, ErrDigestMismatch)
	}
	if err := w.Sync(); err != nil {
		return fmt.Errorf("cache: storing blob %s: %w", d, err)
	}
	return nil
}

// syncDir makes a rename in dir durable. Failure is not an error: the blob
// is complete either way, and some file systems cannot sync directories.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// Fill returns the path of blob d, fetching it first if it is not cached.
// Concurrent Fills of the same blob, in this process or others, share one
// fetch: the others wait on the blob's lock, then find it stored. fetch is
// called at most once per Fill; its stream is verified as Put verifies it.
func (c *Cache) Fill(ctx context.Context, d digest.Digest, size int64, fetch func(context.Context) (io.ReadCloser, error)) (string, error) {
	path, err := c.Path(d)
	if err != nil {
		return "", err
	}
	if c.present(path, size) {
		return path, nil
	}
	unlock, err := filelock.Lock(ctx, c.lockPath(d))
	if err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	defer unlock()
	if c.present(path, size) {
		return path, nil // another process fetched it while we waited
	}
	rc, err := fetch(ctx)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return c.PutReader(d, size, rc)
}

// present reports whether the blob at path exists with the expected size
// (any size when size < 0).
func (c *Cache) present(path string, size int64) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && (size < 0 || fi.Size() == size)
}

// Verify re-reads blob d and checks it against its digest. A corrupt blob
// (the disk changed under the cache) is removed, and the error wraps
// ErrDigestMismatch, so the caller can fetch it again.
func (c *Cache) Verify(d digest.Digest) error {
	f, err := c.Open(d)
	if err != nil {
		return err
	}
	verifier := d.Verifier()
	_, err = io.Copy(verifier, f)
	f.Close()
	if err != nil {
		return fmt.Errorf("cache: reading blob %s: %w", d, err)
	}
	if !verifier.Verified() {
		c.Remove(d)
		return fmt.Errorf("cache: blob %s was corrupt on disk and has been removed: %w", d, ErrDigestMismatch)
	}
	return nil
}

// Remove deletes blob d; a missing blob is not an error.
func (c *Cache) Remove(d digest.Digest) error {
	path, err := c.Path(d)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}
