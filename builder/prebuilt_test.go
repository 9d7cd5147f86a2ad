package builder

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func TestPrebuiltPath(t *testing.T) {
	p := newProject(t)
	comp := smallComponent(t)
	file := p.write("vendor/logger.wasm", string(comp))
	spec := Spec{Name: "logger", Language: Prebuilt, Dir: p.root, Prebuilt: &Source{Path: "vendor/logger.wasm"}}
	b := p.builder(nil)
	res := mustBuild(t, b, spec)
	if res.Path != file || res.Digest != bytesDigest(comp) || res.Fresh {
		t.Fatalf("first: %+v; want %s with %s, built", res, file, bytesDigest(comp))
	}
	if again := mustBuild(t, b, spec); !again.Fresh {
		t.Error("second build of an unchanged prebuilt member is not fresh")
	}

	// The manifest's digest is checked.
	spec.Prebuilt.Digest = "sha256:" + strings.Repeat("a", 64)
	_, err := b.Build(context.Background(), spec)
	want := "member logger (prebuilt): path vendor/logger.wasm has digest " + bytesDigest(comp) + ", but the manifest expects sha256:" + strings.Repeat("a", 64)
	if err == nil || err.Error() != want {
		t.Errorf("digest mismatch:\n got %v\nwant %s", err, want)
	}

	spec.Prebuilt = &Source{Path: "vendor/missing.wasm"}
	_, err = b.Build(context.Background(), spec)
	if want := "member logger (prebuilt): path vendor/missing.wasm: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("missing file:\n got %v\nwant %s", err, want)
	}

	// Not WebAssembly at all.
	p.write("vendor/notes.wasm", "hello")
	spec.Prebuilt = &Source{Path: "vendor/notes.wasm"}
	_, err = b.Build(context.Background(), spec)
	if want := "member logger (prebuilt): artifact vendor/notes.wasm is not a WebAssembly file; expected a component (or a core module to wrap)"; err == nil || err.Error() != want {
		t.Errorf("not wasm:\n got %v\nwant %s", err, want)
	}
}

func TestPrebuiltURL(t *testing.T) {
	comp := smallComponent(t)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/logger.wasm":
			w.Write(comp)
		case "/tampered.wasm":
			w.Write(append([]byte{}, comp[:len(comp)-1]...))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	digest := bytesDigest(comp)

	p := newProject(t)
	b := p.builder(nil)
	spec := Spec{Name: "logger", Language: Prebuilt, Dir: p.root, Prebuilt: &Source{URL: srv.URL + "/logger.wasm", Digest: digest}}
	res := mustBuild(t, b, spec)
	blob := filepath.Join(p.cache, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:"))
	if res.Path != blob || res.Digest != digest {
		t.Fatalf("got %s (%s), want the blob %s", res.Path, res.Digest, blob)
	}
	if data, err := os.ReadFile(blob); err != nil || string(data) != string(comp) {
		t.Fatalf("blob: %v", err)
	}

	// Fresh, and then, with the fingerprint gone, served from the cache:
	// no second request either way.
	if again := mustBuild(t, b, spec); !again.Fresh {
		t.Error("second build not fresh")
	}
	os.RemoveAll(filepath.Join(p.root, "target"))
	offline := p.builder(func(o *Options) { o.Offline = true })
	if res := mustBuild(t, offline, spec); res.Path != blob {
		t.Errorf("offline build from the cache: %s", res.Path)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// Content-addressed: another URL with the same digest is a cache
	// hit, so the error cases get an empty cache.
	p = newProject(t)
	errorsFor := []struct {
		name string
		src  Source
		opts func(*Options)
		want string
	}{
		{"tampered", Source{URL: srv.URL + "/tampered.wasm", Digest: digest}, nil,
			"member logger (prebuilt): downloading " + srv.URL + "/tampered.wasm: digest mismatch: the manifest expects " + digest + ", the server sent " + bytesDigest(comp[:len(comp)-1])},
		{"not found", Source{URL: srv.URL + "/gone.wasm", Digest: "sha256:" + strings.Repeat("b", 64)}, nil,
			"member logger (prebuilt): downloading " + srv.URL + "/gone.wasm: 404 Not Found"},
		{"offline", Source{URL: srv.URL + "/other.wasm", Digest: "sha256:" + strings.Repeat("c", 64)}, func(o *Options) { o.Offline = true },
			"member logger (prebuilt): url " + srv.URL + "/other.wasm: not in the cache (" + filepath.Join(p.cache, "blobs", "sha256", strings.Repeat("c", 64)) + "), and the build is offline"},
		{"oci without a registry", Source{OCI: "ghcr.io/acme/logger:1.2.0"}, nil,
			"member logger (prebuilt): oci ghcr.io/acme/logger:1.2.0: this wcomp has no registry support configured to fetch it"},
	}
	for _, tt := range errorsFor {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			spec := Spec{Name: "logger", Language: Prebuilt, Dir: p.root, Prebuilt: &src}
			_, err := p.builder(tt.opts).Build(context.Background(), spec)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(p.cache, "blobs", "sha256", strings.TrimPrefix(bytesDigest(comp[:len(comp)-1]), "sha256:"))); err == nil {
		t.Error("a download with the wrong digest was kept in the cache")
	}
}

// fakeOCI serves one reference from a file, as the registry package would
// after a pull.
type fakeOCI struct{ path, digest string }

func (f fakeOCI) FetchComponent(ctx context.Context, ref string) (string, string, error) {
	return f.path, f.digest, nil
}

func TestPrebuiltOCI(t *testing.T) {
	p := newProject(t)
	comp := smallComponent(t)
	file := p.write("pulled.wasm", string(comp))
	b := p.builder(func(o *Options) { o.OCI = fakeOCI{file, bytesDigest(comp)} })
	res := mustBuild(t, b, Spec{Name: "logger", Language: Prebuilt, Dir: p.root, Prebuilt: &Source{OCI: "ghcr.io/acme/logger:1.2.0"}})
	if res.Path != file || res.Digest != bytesDigest(comp) {
		t.Errorf("got %s (%s)", res.Path, res.Digest)
	}
}
