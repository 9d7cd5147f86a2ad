package resolve

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/wit"
)

// server is a real HTTP server on loopback serving files from a map, and
// counting requests.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	requests int
}

func newServer(t *testing.T) *server {
	s := &server{files: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests++
		data, ok := s.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(path string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = data
	return s.URL + path
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// tarGz packs files (path → content) as a .tar.gz, in sorted order.
func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(files[n]))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// netArchive is a GitHub-style archive of a WIT package that uses
// wasi:io, with wasi:io in its wit/deps/, as WASI's own releases are laid
// out. version changes the root package's text.
func netArchive(t *testing.T, version string) []byte {
	return tarGz(t, map[string]string{
		"wasi-net-main/README.md":                  "not WIT",
		"wasi-net-main/wit/net.wit":                synthWIT("example:net", version, []string{"wasi:io@0.2.3"}),
		"wasi-net-main/wit/deps/io/package.wit":    synthWIT("wasi:io", "0.2.3", nil),
		"wasi-net-main/wit/deps/unused/other.wit":  synthWIT("other:unused", "1.0.0", nil),
		"wasi-net-main/wit/deps/io/notes.txt":      "ignored",
		"wasi-net-main/examples/example/ex.wit":    "package not:this;",
		"wasi-net-main/../../escape/package.wit":   "package evil:evil;",
		"/absolute/package.wit":                    "package evil:abs;",
		"wasi-net-main/wit/deps/nested/a/deep.wit": "package not:flat;",
	})
}

// project is a project directory whose own WIT imports example:net.
func project(t *testing.T) Inputs {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "wit", "app.wit"), "package test:app@0.1.0;\n\nworld app {\n  import example:net/i@1.0.0;\n}\n")
	return Inputs{Project: "test:app", Dir: dir, WITDir: "wit"}
}

func vendor(t *testing.T, in Inputs, res *Result, old *Lock) *wit.VendorResult {
	t.Helper()
	v, err := wit.Vendor(filepath.Join(in.Dir, in.WITDir), res.Vendored(), old.VendoredEntries())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestURLDependency follows a tarball dependency through its life: the
// first build downloads it and vendors it with the package it brings; the
// next builds touch no network, --offline included; the vendored result
// is read by wasm-tools' parser (through wit.Load).
func TestURLDependency(t *testing.T) {
	srv := newServer(t)
	url := srv.serve("/net.tar.gz", netArchive(t, "1.0.0"))
	in := project(t)
	in.WIT = []WITDependency{{Name: "example:net", URL: url, Where: "component.toml:7:1"}}
	env := Env{Fetcher: &HTTPFetcher{}, Store: newDirStore(t)}
	ctx := context.Background()

	res, err := Resolve(ctx, in, Options{}, env)
	if err != nil {
		t.Fatal(err)
	}
	if srv.count() != 1 {
		t.Errorf("%d downloads, want 1", srv.count())
	}
	digest := Digest(netArchive(t, "1.0.0"))
	var got []string
	for _, w := range res.Lock.WIT {
		got = append(got, w.ID()+" "+w.Source+" "+w.Digest+" "+strings.Join(w.Dependencies, ","))
	}
	want := []string{
		"example:net@1.0.0 url+" + url + " " + digest + " wasi:io@0.2.3",
		"wasi:io@0.2.3 url+" + url + "#wit/deps/io " + digest + " ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lock WIT =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	v := vendor(t, in, res, nil)
	if strings.Join(v.Written, " ") != "example-net-1.0.0 wasi-io-0.2.3" {
		t.Errorf("vendored %v", v.Written)
	}
	files := tree(t, filepath.Join(in.Dir, "wit", "deps"))
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "example-net-1.0.0/net.wit wasi-io-0.2.3/package.wit" {
		t.Errorf("deps/ holds %v", names)
	}
	p, err := wit.Load(filepath.Join(in.Dir, "wit"))
	if err != nil {
		t.Fatalf("the vendored directory does not load: %v", err)
	}
	if _, err := p.FindWorld("app"); err != nil {
		t.Error(err)
	}

	// Built again with the lock: nothing is downloaded, nothing changes.
	for _, opts := range []Options{{Lock: res.Lock}, {Lock: res.Lock, Offline: true}, {Lock: res.Lock, Locked: true}} {
		env := Env{Fetcher: &HTTPFetcher{}} // no store: the vendored copy must do
		again, err := Resolve(ctx, in, opts, env)
		if err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if len(again.Changes) != 0 {
			t.Errorf("%+v: changes %v", opts, again.Changes)
		}
		if v := vendor(t, in, again, res.Lock); len(v.Written)+len(v.Removed) != 0 {
			t.Errorf("%+v: vendoring changed %v", opts, v)
		}
	}
	if srv.count() != 1 {
		t.Errorf("%d downloads after locked builds, want still 1", srv.count())
	}

	// A hand edit of a vendored file: the copy is restored from the cache,
	// still without a download.
	edited := filepath.Join(in.Dir, "wit", "deps", "example-net-1.0.0", "net.wit")
	if err := os.WriteFile(edited, []byte("package example:net@1.0.0;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Resolve(ctx, in, Options{Lock: res.Lock}, env)
	if err != nil {
		t.Fatal(err)
	}
	if v := vendor(t, in, again, res.Lock); strings.Join(v.Written, " ") != "example-net-1.0.0" {
		t.Errorf("after a hand edit, vendoring wrote %v", v.Written)
	}
	if data, _ := os.ReadFile(edited); !strings.Contains(string(data), "use wasi:io/i@0.2.3") {
		t.Errorf("the hand edit was not undone: %q", data)
	}
	if srv.count() != 1 {
		t.Errorf("%d downloads, want still 1 (the cache has the archive)", srv.count())
	}

	// The dependency removed from the manifest: its packages leave the lock
	// and deps/.
	none := in
	none.WIT = nil
	write(t, filepath.Join(in.Dir, "wit", "app.wit"), "package test:app@0.1.0;\n\nworld app {}\n")
	gone, err := Resolve(ctx, none, Options{Lock: res.Lock}, env)
	if err != nil {
		t.Fatal(err)
	}
	if v := vendor(t, in, gone, res.Lock); strings.Join(v.Removed, " ") != "example-net-1.0.0 wasi-io-0.2.3" {
		t.Errorf("removed %v", v.Removed)
	}
}

// TestURLDependencyTampered: the URL now serves other bytes. The lock's
// digest wins: the error names both digests and how to accept the new
// content, and the lock is not touched; `wcomp update NAME` accepts it.
func TestURLDependencyTampered(t *testing.T) {
	srv := newServer(t)
	url := srv.serve("/net.tar.gz", netArchive(t, "1.0.0"))
	in := project(t)
	in.WIT = []WITDependency{{Name: "example:net", URL: url, Where: "component.toml:7:1"}}
	ctx := context.Background()
	first, err := Resolve(ctx, in, Options{}, Env{Fetcher: &HTTPFetcher{}})
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(in.Dir, LockFile)
	if _, err := first.Lock.Save(lockPath); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(lockPath)

	tampered := netArchive(t, "1.0.1")
	srv.serve("/net.tar.gz", tampered)
	lock, err := ReadLock(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing vendored, nothing cached: it must be downloaded again.
	_, err = Resolve(ctx, in, Options{Lock: lock}, Env{Fetcher: &HTTPFetcher{}})
	var de *DigestError
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want a *DigestError", err)
	}
	wantMsg := "component.toml:7:1: test:app requires example:net (url " + url + "): " + url + " has digest " + Digest(tampered) +
		", but wcomp.lock pins " + Digest(netArchive(t, "1.0.0")) + " (the content at the URL changed; if that is expected, run `wcomp update example:net`)"
	if err.Error() != wantMsg {
		t.Errorf("error:\n%s\nwant\n%s", err, wantMsg)
	}
	if after, _ := os.ReadFile(lockPath); !bytes.Equal(before, after) {
		t.Error("the lock changed")
	}

	// The manifest's own sha256 is checked the same way.
	pinned := in
	pinned.WIT = []WITDependency{{Name: "example:net", URL: url, SHA256: strings.TrimPrefix(Digest(netArchive(t, "1.0.0")), "sha256:")}}
	if _, err := Resolve(ctx, pinned, Options{}, Env{Fetcher: &HTTPFetcher{}}); !errors.As(err, &de) || de.PinnedBy != "component.toml" {
		t.Errorf("manifest sha256: error %v, want a *DigestError pinned by component.toml", err)
	}

	// update accepts the new content (whose root package is now 1.0.1, so
	// the project's import of 1.0.0 no longer resolves: adjust it).
	write(t, filepath.Join(in.Dir, "wit", "app.wit"), "package test:app@0.1.0;\n\nworld app {\n  import example:net/i@1.0.1;\n}\n")
	res, err := Resolve(ctx, in, Options{Lock: lock, Update: []string{"example:net"}}, Env{Fetcher: &HTTPFetcher{}})
	if err != nil {
		t.Fatal(err)
	}
	var cs []string
	for _, c := range res.Changes {
		cs = append(cs, c.String())
	}
	if want := "~ wit example:net: 1.0.0 → 1.0.1\n~ wit wasi:io@0.2.3: digest " + Digest(netArchive(t, "1.0.0")) + " → " + Digest(tampered); strings.Join(cs, "\n") != want {
		t.Errorf("changes:\n%s\nwant\n%s", strings.Join(cs, "\n"), want)
	}
}

// TestOffline: --offline never touches the network, and says what it
// would have had to download.
func TestOffline(t *testing.T) {
	srv := newServer(t)
	url := srv.serve("/net.tar.gz", netArchive(t, "1.0.0"))
	comp := srv.serve("/logger.wasm", []byte("\x00asm\x0d\x00\x01\x00"))
	in := project(t)
	in.WIT = []WITDependency{{Name: "example:net", URL: url, Where: "component.toml:7:1"}}
	in.Components = []ComponentSource{{Name: "logger", URL: comp, Digest: Digest([]byte("\x00asm\x0d\x00\x01\x00")), Where: "component.toml:12:1"}}
	_, err := Resolve(context.Background(), in, Options{Offline: true}, Env{Fetcher: &HTTPFetcher{}, Store: newDirStore(t)})
	if !errors.Is(err, ErrOffline) {
		t.Fatalf("error %v, want ErrOffline", err)
	}
	want := "component.toml:7:1: test:app requires example:net (url " + url + "): " + url + " must be downloaded, and is not in the cache: --offline is set\n" +
		"component.toml:12:1: component logger: " + comp + " must be downloaded, and is not in the cache: --offline is set"
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant\n%s", err, want)
	}
	if srv.count() != 0 {
		t.Errorf("%d requests under --offline", srv.count())
	}
}

// TestComponents resolves each kind of prebuilt or remote member.
func TestComponents(t *testing.T) {
	srv := newServer(t)
	bytesOf := map[string][]byte{"logger": []byte("logger component"), "auth 1.2.0": []byte("auth 1.2.0"), "auth 1.3.0": []byte("auth 1.3.0"), "oci": []byte("oci component")}
	url := srv.serve("/logger.wasm", bytesOf["logger"])
	reg := newFakeRegistry(t)
	reg.comps["acme:auth"] = map[string][]byte{"1.2.0": bytesOf["auth 1.2.0"], "1.3.0": bytesOf["auth 1.3.0"]}
	reg.oci["ghcr.io/acme/tool:1"] = bytesOf["oci"]
	dir := t.TempDir()
	write(t, filepath.Join(dir, "vendor", "local.wasm"), "local component")
	in := Inputs{Project: "test:app", Dir: dir, Components: []ComponentSource{
		{Name: "local", Path: "vendor/local.wasm"},
		{Name: "logger", URL: url, Digest: Digest(bytesOf["logger"])},
		{Name: "auth", Package: "acme:auth", Version: "^1.2"},
		{Name: "tool", OCI: "ghcr.io/acme/tool:1"},
	}}
	store := newDirStore(t)
	env := Env{Fetcher: &HTTPFetcher{}, Registry: reg, Store: store}
	ctx := context.Background()
	res, err := Resolve(ctx, in, Options{}, env)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Lock.Components {
		got = append(got, c.Name+" "+c.Source+" "+c.Version+" "+c.Digest)
	}
	want := []string{
		"auth registry+test.registry/acme/auth 1.3.0 " + Digest(bytesOf["auth 1.3.0"]),
		"local path+vendor/local.wasm  " + Digest([]byte("local component")),
		"logger url+" + url + "  " + Digest(bytesOf["logger"]),
		"tool oci+ghcr.io/acme/tool:1  " + Digest(bytesOf["oci"]),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("components:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range res.Components {
		data, err := os.ReadFile(c.Path)
		if err != nil || Digest(data) != c.Digest {
			t.Errorf("%s: Path %s does not hold the bytes: %v", c.Name, c.Path, err)
		}
	}

	// Locked and cached: no network, no registry.
	reg.calls = nil
	before := srv.count()
	if _, err := Resolve(ctx, in, Options{Lock: res.Lock, Offline: true}, env); err != nil {
		t.Fatal(err)
	}
	if len(reg.calls) != 0 || srv.count() != before {
		t.Errorf("a locked, cached build made calls %v and %d requests", reg.calls, srv.count()-before)
	}

	// The OCI tag moved: an error naming both digests, until update.
	reg.oci["ghcr.io/acme/tool:1"] = []byte("oci component, rebuilt")
	store.remove(t)
	_, err = Resolve(ctx, in, Options{Lock: res.Lock}, env)
	wantErr := "component tool: ghcr.io/acme/tool:1 has digest " + Digest([]byte("oci component, rebuilt")) + ", but wcomp.lock pins " + Digest(bytesOf["oci"]) +
		" (the tag now points at different content; if that is expected, run `wcomp update tool`)"
	if err == nil || err.Error() != wantErr {
		t.Errorf("moved tag: error\n%v\nwant\n%s", err, wantErr)
	}
	upd, err := Resolve(ctx, in, Options{Lock: res.Lock, Update: []string{"tool"}}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c := upd.Lock.Component("tool"); c.Digest != Digest([]byte("oci component, rebuilt")) {
		t.Errorf("after update, tool's digest is %s", c.Digest)
	}
	if a := upd.Lock.Component("auth"); a.Version != "1.3.0" {
		t.Errorf("auth was re-resolved to %s though only tool was updated", a.Version)
	}

	// A local file that changed changes the lock, which --locked refuses.
	write(t, filepath.Join(dir, "vendor", "local.wasm"), "local component, rebuilt")
	_, err = Resolve(ctx, in, Options{Lock: upd.Lock, Locked: true}, env)
	var le *LockedError
	if !errors.As(err, &le) || len(le.Changes) != 1 || le.Changes[0].Name != "local" {
		t.Errorf("changed local file under --locked: %v", err)
	}
}

func TestComponentErrors(t *testing.T) {
	srv := newServer(t)
	url := srv.serve("/logger.wasm", []byte("logger"))
	reg := newFakeRegistry(t)
	reg.comps["acme:auth"] = map[string][]byte{"1.2.0": []byte("auth")}
	for _, tc := range []struct {
		name string
		c    ComponentSource
		env  func(*Env)
		want string
	}{
		{"url digest", ComponentSource{URL: url, Digest: Digest([]byte("other"))}, nil,
			"component c: " + url + " has digest " + Digest([]byte("logger")) + ", but component.toml pins " + Digest([]byte("other")) + " (fix the digest in component.toml if the new content is expected)"},
		{"url without digest", ComponentSource{URL: url}, nil, `component c: url ` + url + ` needs a digest = "sha256:…" beside it`},
		{"bad digest", ComponentSource{URL: url, Digest: "sha256:abc"}, nil, `component c: digest: "sha256:abc": expected sha256: and 64 lowercase hex digits`},
		{"404", ComponentSource{URL: srv.URL + "/missing.wasm", Digest: Digest([]byte("x"))}, nil, "component c: downloading " + srv.URL + "/missing.wasm: 404 Not Found"},
		{"two sources", ComponentSource{URL: url, Path: "x.wasm"}, nil, "component c: give exactly one of path, url (with digest), oci, or package (with version)"},
		{"missing file", ComponentSource{Path: "nope.wasm"}, nil, "component c: open "},
		{"no version", ComponentSource{Package: "acme:auth", Version: "^2"}, nil, "component c: no version of acme:auth matches ^2 (test.registry/acme/auth has 1.2.0)"},
		{"unknown package", ComponentSource{Package: "acme:nope", Version: "1"}, nil, "component c: test.registry/acme/nope has no package acme:nope"},
		{"corrupt", ComponentSource{Package: "acme:auth", Version: "1"}, func(e *Env) { e.Registry.(*fakeRegistry).corrupt = true },
			"component c: acme:auth@1.2.0 has digest "},
		{"full cache", ComponentSource{URL: url, Digest: Digest([]byte("logger"))}, func(e *Env) { e.Store.(*dirStore).full = true }, "no space left on device"},
		{"no registry", ComponentSource{OCI: "ghcr.io/x/y:1"}, func(e *Env) { e.Registry = nil }, "component c: oci ghcr.io/x/y:1: no registry client is configured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg.corrupt = false
			tc.c.Name = "c"
			env := Env{Fetcher: &HTTPFetcher{}, Registry: reg, Store: newDirStore(t)}
			if tc.env != nil {
				tc.env(&env)
			}
			_, err := Resolve(context.Background(), Inputs{Dir: t.TempDir(), Components: []ComponentSource{tc.c}}, Options{}, env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant one containing %q", err, tc.want)
			}
		})
	}
}

func TestUnpackTarball(t *testing.T) {
	tree, err := unpackTarball(netArchive(t, "1.0.0"), "")
	if err != nil {
		t.Fatal(err)
	}
	got := []string{"root=" + tree.root}
	for _, f := range tree.files {
		got = append(got, f.Name)
	}
	var dirs []string
	for d, fs := range tree.bundled {
		for _, f := range fs {
			dirs = append(dirs, d+"/"+f.Name)
		}
	}
	sort.Strings(dirs)
	got = append(got, dirs...)
	if want := "root=wit net.wit io/package.wit unused/other.wit"; strings.Join(got, " ") != want {
		t.Errorf("unpacked %v, want %s", got, want)
	}

	// An explicit subdir, a plain (not gzipped) tar, no top directory.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, text := range map[string]string{"pkg/a.wit": "package a:a;", "other/b.wit": "package b:b;"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(text)), Typeflag: tar.TypeReg})
		tw.Write([]byte(text))
	}
	tw.Close()
	tree, err = unpackTarball(buf.Bytes(), "pkg")
	if err != nil || len(tree.files) != 1 || tree.files[0].Name != "a.wit" {
		t.Errorf("subdir: %+v, %v", tree, err)
	}
	for _, tc := range []struct {
		data   []byte
		subdir string
		want   string
	}{
		{[]byte("not an archive at all, just text that is long enough"), "", "not a tar archive"},
		{[]byte{0x1f, 0x8b, 0, 0}, "", "not a gzip archive"},
		{tarGz(t, map[string]string{"README.md": "x"}), "", "the archive holds no .wit files"},
		{buf.Bytes(), "nope", "no .wit files in nope/ of the archive"},
	} {
		if _, err := unpackTarball(tc.data, tc.subdir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("unpackTarball error %v, want %q", err, tc.want)
		}
	}
}

func TestHTTPFetcher(t *testing.T) {
	srv := newServer(t)
	url := srv.serve("/big", bytes.Repeat([]byte("x"), 100))
	ctx := context.Background()
	if _, err := (&HTTPFetcher{MaxBytes: 99}).Fetch(ctx, url); err == nil || !strings.Contains(err.Error(), "larger than 99 bytes") {
		t.Errorf("size limit: %v", err)
	}
	if data, err := (&HTTPFetcher{MaxBytes: 100}).Fetch(ctx, url); err != nil || len(data) != 100 {
		t.Errorf("at the limit: %d bytes, %v", len(data), err)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://x/y", "not a url", "https://"} {
		if _, err := (&HTTPFetcher{}).Fetch(ctx, u); err == nil || !strings.Contains(err.Error(), "is not an http or https URL") {
			t.Errorf("Fetch(%q): %v", u, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (&HTTPFetcher{}).Fetch(cancelled, url); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestRegistryTampered: the registry serves other bytes under a locked
// version. The error names both digests; update takes the new ones.
func TestRegistryTampered(t *testing.T) {
	reg := newFakeRegistry(t)
	reg.add("wasi:io", "0.2.3")
	reg.add("wasi:io", "0.2.4")
	in := Inputs{Project: "app", Dir: t.TempDir(), WIT: []WITDependency{{Name: "wasi:io", Version: "0.2.x", Where: "component.toml:3:1"}}}
	ctx := context.Background()
	first, err := Resolve(ctx, in, Options{}, Env{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	locked := first.Lock.WIT[0]
	if locked.ID() != "wasi:io@0.2.4" || locked.Manifest == "" {
		t.Fatalf("locked %+v", locked)
	}
	old := reg.encode("wasi:io", "0.2.4")
	reg.encoded["wasi:io@0.2.4"] = reg.encode("wasi:io", "0.2.3") // other bytes under 0.2.4
	_, err = Resolve(ctx, in, Options{Lock: first.Lock}, Env{Registry: reg})
	want := "component.toml:3:1: app requires wasi:io@0.2.x (chose 0.2.4): wasi:io@0.2.4 from the registry has digest " + Digest(reg.encoded["wasi:io@0.2.4"]) +
		", but wcomp.lock pins " + Digest(old) + " (the registry now serves different content under the same version; if that is expected, run `wcomp update wasi:io`)"
	if err == nil || err.Error() != want {
		t.Errorf("error\n%v\nwant\n%s", err, want)
	}
}
