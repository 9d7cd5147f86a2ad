package registry_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/registry"
)

// TestPushFaults injects failures between the client and a real registry.
// Passing faults are retried and the push succeeds; lasting ones give a
// clear error, and no tag appears.
func TestPushFaults(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	proxy := registrytest.NewProxy(t, reg.Host)
	wasm := wasmtools.DummyComponent(t, serviceWIT, "validator")
	tests := []struct {
		name    string
		fault   registrytest.Fault
		wantErr string
		hits    int // how many requests the fault should have hit
	}{
		{"500 on two blob uploads", registrytest.Fault{Method: http.MethodPut, PathContains: "/blobs/uploads/", Times: 2, Action: registrytest.Status, Status: 500}, "", 2},
		{"reset on the manifest", registrytest.Fault{Method: http.MethodPut, PathContains: "/manifests/", Times: 1, Action: registrytest.Reset}, "", 1},
		{"stall on the tag check", registrytest.Fault{Method: http.MethodHead, PathContains: "/manifests/", Times: 1, Action: registrytest.Stall, Delay: 3 * time.Second}, "", 1},
		{"429 then ok", registrytest.Fault{Method: http.MethodPost, Times: 1, Action: registrytest.Status, Status: 429}, "", 1},
		{"503 on every upload", registrytest.Fault{Method: http.MethodPost, PathContains: "/blobs/uploads/", Action: registrytest.Status, Status: 503}, "response status code 503", 4},
		{"500 on every manifest write", registrytest.Fault{Method: http.MethodPut, PathContains: "/manifests/", Action: registrytest.Status, Status: 500}, "pushing the manifest", 4},
		{"403 is not retried", registrytest.Fault{Method: http.MethodPost, Action: registrytest.Status, Status: 403}, "access denied (HTTP 403)", 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy.Clear()
			proxy.Inject(tt.fault)
			c := newClient(t, func(o *registry.Options) { o.Timeouts.Stall = 500 * time.Millisecond })
			// Each case its own repository, so no blob is already there.
			repo := "example/faults" + string(rune('a'+i))
			r := ref(t, proxy.Host+"/"+repo+":1.0.0")
			a := build(t, wasm, registry.Metadata{Name: "example:faults", Version: "1.0.0"})
			_, err := c.Push(context.Background(), r, a, registry.PushOptions{})
			if got := countHits(proxy.Log(), tt.fault); got != tt.hits {
				t.Errorf("the fault hit %d requests, want %d; requests:\n%s", got, tt.hits, strings.Join(proxy.Log(), "\n"))
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("push failed: %v\nrequests:\n%s", err, strings.Join(proxy.Log(), "\n"))
				}
				if _, got := pullBytes(t, newClient(t), ref(t, reg.Host+"/"+repo+":1.0.0")); !bytes.Equal(got, wasm) {
					t.Error("pulled bytes differ")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
			assertNoTag(t, newClient(t), reg.Host, repo, "1.0.0")
		})
	}
}

// countHits counts the proxy log lines of requests the fault acted on.
func countHits(log []string, f registrytest.Fault) int {
	n := 0
	for _, l := range log {
		if strings.HasPrefix(l, f.Method) && strings.Contains(l, f.PathContains) && !strings.HasSuffix(l, "-> pass") {
			n++
		}
	}
	return n
}

// TestPullFaults: passing faults are retried; a corrupted layer or
// manifest is refused, and nothing unverified reaches the cache.
func TestPullFaults(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	proxy := registrytest.NewProxy(t, reg.Host)
	wasm := withCustomSection(wasmtools.DummyComponent(t, serviceWIT, "validator"), 256<<10)
	a := build(t, wasm, registry.Metadata{Name: "example:app", Version: "1.0.0"})
	if _, err := newClient(t).Push(context.Background(), ref(t, reg.Host+"/example/app:1.0.0"), a, registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	layerPath := "/blobs/" + a.Layer.Digest.String()
	tests := []struct {
		name    string
		fault   registrytest.Fault
		wantErr string
	}{
		{"reset on the layer", registrytest.Fault{Method: http.MethodGet, PathContains: layerPath, Times: 1, Action: registrytest.Reset}, ""},
		{"502 twice on the config", registrytest.Fault{Method: http.MethodGet, PathContains: "/blobs/" + a.Config.Digest.String(), Times: 2, Action: registrytest.Status, Status: 502}, ""},
		{"stall on the manifest", registrytest.Fault{Method: http.MethodGet, PathContains: "/manifests/", Times: 1, Action: registrytest.Stall, Delay: 3 * time.Second}, ""},
		{"corrupt layer", registrytest.Fault{Method: http.MethodGet, PathContains: layerPath, Action: registrytest.Corrupt}, "fetching the layer " + a.Layer.Digest.String() + ": blob " + a.Layer.Digest.String() + ": got content with digest sha256:"},
		{"corrupt manifest", registrytest.Fault{Method: http.MethodGet, PathContains: "/manifests/", Action: registrytest.Corrupt}, "fetching the manifest"},
		{"corrupt config", registrytest.Fault{Method: http.MethodGet, PathContains: "/blobs/" + a.Config.Digest.String(), Action: registrytest.Corrupt}, "fetching the config " + a.Config.Digest.String()},
		{"404 on the layer", registrytest.Fault{Method: http.MethodGet, PathContains: layerPath, Action: registrytest.Status, Status: 404}, "fetching the layer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy.Clear()
			proxy.Inject(tt.fault)
			cache := blobcache.New(t.TempDir())
			c := newClient(t, func(o *registry.Options) { o.Timeouts.Stall = 500 * time.Millisecond })
			p, err := c.Pull(context.Background(), ref(t, proxy.Host+"/example/app:1.0.0"), registry.PullOptions{Cache: cache})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("pull failed: %v\nrequests:\n%s", err, strings.Join(proxy.Log(), "\n"))
				}
				if got, _ := os.ReadFile(p.Path); !bytes.Equal(got, wasm) {
					t.Error("pulled bytes differ")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
			if _, err := cache.Stat(a.Layer.Digest); !errors.Is(err, blobcache.ErrNotFound) {
				t.Errorf("the layer is in the cache after a failed pull (%v)", err)
			}
			assertNoFiles(t, filepath.Join(cache.Dir(), "blobs"))
		})
	}
}

// assertNoFiles fails if any regular file is under dir.
func assertNoFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			t.Errorf("left behind: %s", path)
		}
		return nil
	})
}

// killAfter is a Progress that kills the registry once a transfer has
// moved more than limit bytes: the registry stops mid-upload.
type killAfter struct {
	reg   *registrytest.Registry
	limit int64
	once  sync.Once
}

func (k *killAfter) Start(string, int64) registry.Transfer { return &killTransfer{k: k} }

type killTransfer struct {
	k    *killAfter
	sent int64
}

func (t *killTransfer) Add(n int) {
	t.sent += int64(n)
	if t.sent > t.k.limit {
		t.k.once.Do(t.k.reg.Kill)
	}
}
func (t *killTransfer) Reset()     { t.sent = 0 }
func (t *killTransfer) Done(error) {}

// TestRegistryStoppedMidPush kills the registry while the layer is being
// uploaded: the push fails with an error that names the layer and the
// refused connection, and once the registry is back the tag is absent.
func TestRegistryStoppedMidPush(t *testing.T) {
	t.Parallel()
	reg := registrytest.Start(t, registrytest.Options{})
	wasm := withCustomSection(wasmtools.DummyComponent(t, serviceWIT, "validator"), 16<<20)
	a := build(t, wasm, registry.Metadata{Name: "example:big", Version: "1.0.0"})
	killer := &killAfter{reg: reg, limit: 4 << 20}
	c := newClient(t, func(o *registry.Options) { o.Progress = killer })
	_, err := c.Push(context.Background(), ref(t, reg.Host+"/example/big:1.0.0"), a, registry.PushOptions{})
	if err == nil {
		t.Fatal("the push succeeded although the registry was killed")
	}
	if !strings.Contains(err.Error(), "pushing the layer "+a.Layer.Digest.String()) || !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got %v, want an error naming the layer and the lost connection", err)
	}
	reg.Restart()
	assertNoTag(t, newClient(t), reg.Host, "example/big", "1.0.0")
	// The interrupted upload does not get in the way of the next push.
	if _, err := newClient(t).Push(context.Background(), ref(t, reg.Host+"/example/big:1.0.0"), a, registry.PushOptions{}); err != nil {
		t.Fatalf("push after the restart: %v", err)
	}
}

// TestFullDiskCache pulls into a cache on a tiny tmpfs: the pull fails
// with ENOSPC, and neither a blob nor a temporary file is left. It needs
// root (CI runs as root); the same path is covered without root by
// blobcache's TestPutFullDisk, through a size-limited file.
func TestFullDiskCache(t *testing.T) {
	dir := t.TempDir()
	mnt := filepath.Join(dir, "small")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); blobcache's TestPutFullDisk covers this without one", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })

	reg := registrytest.Start(t, registrytest.Options{})
	wasm := withCustomSection(wasmtools.DummyComponent(t, serviceWIT, "validator"), 1<<20)
	a := build(t, wasm, registry.Metadata{Name: "example:app", Version: "1.0.0"})
	c := newClient(t)
	r := ref(t, reg.Host+"/example/app:1.0.0")
	if _, err := c.Push(context.Background(), r, a, registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	cache := blobcache.New(filepath.Join(mnt, "wcomp"))
	_, err := c.Pull(context.Background(), r, registry.PullOptions{Cache: cache})
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("pull into a full cache: got %v, want ENOSPC", err)
	}
	assertNoFiles(t, filepath.Join(cache.Dir(), "blobs"))
}
