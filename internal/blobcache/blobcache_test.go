package blobcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
)

func TestDefaultDir(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"xdg", map[string]string{"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}, "/x/cache/wcomp", ""},
		{"home", map[string]string{"HOME": "/home/u"}, "/home/u/.cache/wcomp", ""},
		{"relative xdg", map[string]string{"XDG_CACHE_HOME": "rel"}, "", "not an absolute path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultDir(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPut(t *testing.T) {
	content := []byte("hello, cache")
	d := digest.FromBytes(content)
	tests := []struct {
		name    string
		digest  digest.Digest
		size    int64
		data    []byte
		wantErr error
	}{
		{"exact", d, int64(len(content)), content, nil},
		{"unknown size", d, -1, content, nil},
		{"wrong digest", digest.FromString("other"), int64(len(content)), content, ErrDigestMismatch},
		{"short stream", d, int64(len(content)), content[:4], ErrDigestMismatch},
		{"long stream", d, int64(len(content)), append(append([]byte{}, content...), '!'), ErrDigestMismatch},
		{"right size, wrong bytes", d, int64(len(content)), []byte("hello, CACHE"), ErrDigestMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(t.TempDir())
			path, err := c.PutReader(tt.digest, tt.size, bytes.NewReader(tt.data))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Put: got %v, want %v", err, tt.wantErr)
				}
				assertNoBlob(t, c, tt.digest)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("stored %q, %v", got, err)
			}
			if size, err := c.Stat(d); err != nil || size != int64(len(content)) {
				t.Fatalf("Stat: %d, %v", size, err)
			}
			if err := c.Verify(d); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			assertNoTemporaries(t, c)
		})
	}
}

// TestPutFullDisk simulates a disk that fills up part way through a blob:
// the error says so, and neither the blob nor its temporary file remains.
// (The registry package's tests do the same on a real, tiny tmpfs.)
func TestPutFullDisk(t *testing.T) {
	c := New(t.TempDir())
	c.createTemp = func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &fullDisk{File: f, room: 1000}, nil
	}
	content := bytes.Repeat([]byte("x"), 5000)
	d := digest.FromBytes(content)
	_, err := c.PutReader(d, int64(len(content)), bytes.NewReader(content))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Put on a full disk: got %v, want ENOSPC", err)
	}
	if !strings.Contains(err.Error(), d.String()) {
		t.Errorf("error %q does not name the blob", err)
	}
	assertNoBlob(t, c, d)
	assertNoTemporaries(t, c)
}

// fullDisk is a file that accepts room bytes, then fails as a full disk does.
type fullDisk struct {
	*os.File
	room int
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.room {
		n, _ := f.File.Write(p[:f.room])
		f.room = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.room -= len(p)
	return f.File.Write(p)
}

func TestVerifyRemovesCorruptBlob(t *testing.T) {
	c := New(t.TempDir())
	content := []byte("original")
	d := digest.FromBytes(content)
	path, err := c.PutReader(d, -1, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(d); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Verify of a tampered blob: got %v, want ErrDigestMismatch", err)
	}
	assertNoBlob(t, c, d)
}

func TestInvalidDigest(t *testing.T) {
	c := New(t.TempDir())
	for _, d := range []digest.Digest{"", "sha256:abc", "md5:00", "../../etc/passwd"} {
		if _, err := c.PutReader(d, -1, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) accepted an invalid digest", d)
		}
		if _, err := c.Open(d); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q): got %v, want an invalid-digest error", d, err)
		}
	}
}

// TestStoreInterface: Lookup and Put, the resolver's view of the cache.
func TestStoreInterface(t *testing.T) {
	c := New(t.TempDir())
	data := []byte("a WIT package")
	d := digest.FromBytes(data).String()
	if _, err := c.Lookup(d); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("Lookup before Put: got %v, want fs.ErrNotExist", err)
	}
	path, err := c.Put(d, data)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Lookup(d); err != nil || got != path {
		t.Fatalf("Lookup after Put: %q, %v; want %q", got, err, path)
	}
	if again, err := c.Put(d, data); err != nil || again != path {
		t.Fatalf("second Put: %q, %v", again, err)
	}
	if _, err := c.Put(digest.FromString("other").String(), data); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Put under the wrong digest: got %v", err)
	}
	if _, err := c.Lookup("sha256:nothex"); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Lookup of a malformed digest: got %v, want a digest error", err)
	}
}

func TestOpenMissing(t *testing.T) {
	c := New(t.TempDir())
	d := digest.FromString("absent")
	if _, err := c.Open(d); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open: got %v, want ErrNotFound", err)
	}
	if _, err := c.Stat(d); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Stat: got %v, want ErrNotFound", err)
	}
}

// TestFillOnceAcrossGoroutines starts several Fills of one blob at once and
// checks that exactly one fetches it.
func TestFillOnceAcrossGoroutines(t *testing.T) {
	c := New(t.TempDir())
	content := bytes.Repeat([]byte("blob"), 1000)
	d := digest.FromBytes(content)
	var fetches atomic.Int32
	fetch := func(context.Context) (io.ReadCloser, error) {
		fetches.Add(1)
		time.Sleep(50 * time.Millisecond) // long enough for the others to queue
		return io.NopCloser(bytes.NewReader(content)), nil
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Fill(context.Background(), d, int64(len(content)), fetch)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("fetched %d times, want 1", n)
	}
}

// TestFillOnceAcrossProcesses runs Fill of one blob in three child
// processes at once; each records its fetches in a shared log file.
func TestFillOnceAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "fetches.log")
	var cmds []*exec.Cmd
	for range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFill$")
		cmd.Env = append(os.Environ(), "BLOBCACHE_HELPER_DIR="+dir, "BLOBCACHE_HELPER_LOG="+log)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	got, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "fetch\n"); n != 1 {
		t.Fatalf("three processes fetched %d times, want 1", n)
	}
	c := New(filepath.Join(dir, "cache"))
	if err := c.Verify(digest.FromString(helperContent)); err != nil {
		t.Fatal(err)
	}
}

const helperContent = "shared between processes"

// TestHelperFill is the child of TestFillOnceAcrossProcesses.
func TestHelperFill(t *testing.T) {
	dir := os.Getenv("BLOBCACHE_HELPER_DIR")
	if dir == "" {
		return // run directly: nothing to do
	}
	c := New(filepath.Join(dir, "cache"))
	d := digest.FromString(helperContent)
	_, err := c.Fill(context.Background(), d, int64(len(helperContent)), func(context.Context) (io.ReadCloser, error) {
		f, err := os.OpenFile(os.Getenv("BLOBCACHE_HELPER_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(f, "fetch")
		f.Close()
		time.Sleep(200 * time.Millisecond)
		return io.NopCloser(strings.NewReader(helperContent)), nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFillPropagatesFetchError(t *testing.T) {
	c := New(t.TempDir())
	d := digest.FromString("x")
	want := errors.New("connection reset")
	_, err := c.Fill(context.Background(), d, 1, func(context.Context) (io.ReadCloser, error) { return nil, want })
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
	assertNoBlob(t, c, d)
}

func assertNoBlob(t *testing.T, c *Cache, d digest.Digest) {
	t.Helper()
	if _, err := c.Stat(d); !errors.Is(err, ErrNotFound) {
		t.Errorf("blob %s is in the cache after a failed write (Stat: %v)", d, err)
	}
}

// assertNoTemporaries fails if a temporary file is left in the blobs tree.
func assertNoTemporaries(t *testing.T, c *Cache) {
	t.Helper()
	filepath.WalkDir(filepath.Join(c.Dir(), "blobs"), func(path string, de os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(de.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", path)
		}
		return nil
	})
}
