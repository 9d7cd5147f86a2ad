package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/resolve"
)

// sha256File is the digest of a file as sha256sum computes it, the
// outside reference for what wcomp.lock must record.
func sha256File(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func readLock(t *testing.T, dir string) *resolve.Lock {
	t.Helper()
	l, err := resolve.ReadLock(filepath.Join(dir, "wcomp.lock"))
	if err != nil || l == nil {
		t.Fatalf("reading wcomp.lock: %v (lock %v)", err, l)
	}
	return l
}

// TestLockRecordsMembers: the lock pins each member's source, toolchain,
// inputs and the digest of the component it built.
func TestLockRecordsMembers(t *testing.T) {
	b := newTestBuild(t, "pair")
	b.mustRun(Options{})
	l := readLock(t, b.dir)
	for _, name := range []string{"provider", "consumer"} {
		m := l.Member(name)
		if m == nil {
			t.Fatalf("no lock entry for %s", name)
		}
		if want := sha256File(t, b.path("target/wcomp/members/"+name+".wasm")); m.Digest != want {
			t.Errorf("%s: lock digest %s, the built component's is %s", name, m.Digest, want)
		}
		if m.Source != "path+"+name || !strings.HasPrefix(m.Inputs, "sha256:") {
			t.Errorf("%s: source %q inputs %q", name, m.Source, m.Inputs)
		}
	}
}

// TestLocked: --locked passes when nothing would change and fails, naming
// the change, when a member's inputs moved; the lock is never written.
func TestLocked(t *testing.T) {
	b := newTestBuild(t, "pair")
	if _, _, err := b.run(Options{Locked: true}); err == nil || !strings.Contains(err.Error(), "--locked") {
		t.Fatalf("--locked without a wcomp.lock: %v, want an error about --locked", err)
	}
	if _, err := os.Stat(b.path("wcomp.lock")); err == nil {
		t.Fatal("--locked wrote wcomp.lock")
	}
	b.mustRun(Options{})
	before := read(t, b.path("wcomp.lock"))
	if _, rec := b.mustRun(Options{Locked: true}); rec.has(Compiling) {
		t.Errorf("--locked with nothing changed rebuilt %v", rec.of(Compiling))
	}
	out := read(t, b.path("target/pair.wasm"))
	write(t, b.path("provider/src.txt"), "provider v2\n")
	_, _, err := b.run(Options{Locked: true})
	var locked *resolve.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("--locked after an edit: %v, want a *resolve.LockedError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "component.toml:") || !strings.Contains(msg, "member provider") {
		t.Errorf("error does not name the manifest entry and the member: %s", msg)
	}
	if read(t, b.path("wcomp.lock")) != before {
		t.Error("--locked changed wcomp.lock")
	}
	if read(t, b.path("target/pair.wasm")) != out {
		t.Error("a --locked build that failed replaced target/pair.wasm")
	}
	b.mustRun(Options{})
	if read(t, b.path("wcomp.lock")) == before {
		t.Error("a build after the edit did not update wcomp.lock")
	}
}

// TestTamperedMemberDigest: a member rebuilt (or found fresh) with a
// digest other than the one pinned is reported with both digests: a
// warning that rewrites the lock normally, an error under --locked.
func TestTamperedMemberDigest(t *testing.T) {
	b := newTestBuild(t, "pair")
	b.mustRun(Options{})
	real := readLock(t, b.dir).Member("provider").Digest
	fake := "sha256:" + strings.Repeat("0", 64)
	tampered := strings.Replace(read(t, b.path("wcomp.lock")), real, fake, 1)
	write(t, b.path("wcomp.lock"), tampered)

	_, _, err := b.run(Options{Locked: true})
	var de *resolve.DigestError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), real) || !strings.Contains(err.Error(), fake) {
		t.Fatalf("--locked with a tampered digest: %v, want a *resolve.DigestError naming %s and %s", err, real, fake)
	}
	if read(t, b.path("wcomp.lock")) != tampered {
		t.Fatal("--locked rewrote the lock")
	}
	_, rec := b.mustRun(Options{})
	var warned bool
	for _, e := range rec.events {
		if e.Kind == Warning && e.Member == "provider" && strings.Contains(e.Message, real) && strings.Contains(e.Message, fake) {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning naming both digests; events %v", rec.events)
	}
	if got := readLock(t, b.dir).Member("provider").Digest; got != real {
		t.Errorf("lock digest after the warning: %s, want %s", got, real)
	}
}

// TestTamperedComponentDigest: a url member whose server now sends other
// bytes than the digest component.toml pins fails the build, naming both
// digests, and nothing is cached, vendored or written.
func TestTamperedComponentDigest(t *testing.T) {
	b := newTestBuild(t, "pair")
	good := wasmtools.DummyComponent(t, b.path("wit/pair.wit"), "provider")
	var mu sync.Mutex
	served := good
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Write(served)
	}))
	defer srv.Close()
	pinned := resolve.Digest(good)
	manifest := strings.Replace(read(t, b.path("component.toml")), `[components.provider]
language = "command"
artifact = "out/provider.wasm"
build.command = ["sh", "../mk.sh", "provider"]
build.watch = ["src.txt"]`, fmt.Sprintf(`[components.provider]
url = "%s/provider.wasm"
digest = "%s"`, srv.URL, pinned), 1)
	write(t, b.path("component.toml"), manifest)
	b.mustRun(Options{})
	if c := readLock(t, b.dir).Component("provider"); c == nil || c.Digest != pinned {
		t.Fatalf("lock entry for the url member: %+v, want digest %s", c, pinned)
	}
	lock := read(t, b.path("wcomp.lock"))
	out := read(t, b.path("target/pair.wasm"))

	// The server is compromised; a machine with an empty cache builds.
	bad := wasmtools.DummyComponent(t, b.path("wit/pair.wit"), "app")
	mu.Lock()
	served = bad
	mu.Unlock()
	b.cache = t.TempDir()
	_, _, err := b.run(Options{})
	var de *resolve.DigestError
	if !errors.As(err, &de) {
		t.Fatalf("a server sending other bytes: %v, want a *resolve.DigestError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, pinned) || !strings.Contains(msg, resolve.Digest(bad)) || !strings.Contains(msg, "component.toml:") {
		t.Errorf("error does not name the entry and both digests: %s", msg)
	}
	if read(t, b.path("wcomp.lock")) != lock || read(t, b.path("target/pair.wasm")) != out {
		t.Error("the failed build rewrote wcomp.lock or the output")
	}
	if entries, _ := os.ReadDir(filepath.Join(b.cache, "blobs", "sha256")); len(entries) != 0 {
		t.Errorf("the bad download was cached: %v", entries)
	}
}

// fakeRegistry serves WIT packages, in their binary encoding, by version.
type fakeRegistry struct {
	mu      sync.Mutex
	pkgs    map[string]map[string][]byte
	fetches int
}

func (r *fakeRegistry) Locate(pkg string) (string, error) { return "registry.test/" + pkg, nil }

func (r *fakeRegistry) Versions(_ context.Context, pkg string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var vs []string
	for v := range r.pkgs[pkg] {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs, nil
}

func (r *fakeRegistry) Fetch(_ context.Context, pkg, version string) (*resolve.Blob, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fetches++
	data, ok := r.pkgs[pkg][version]
	if !ok {
		return nil, fmt.Errorf("%s@%s: %w", pkg, version, resolve.ErrNotFound)
	}
	return &resolve.Blob{Data: data, Digest: resolve.Digest(data)}, nil
}

func (r *fakeRegistry) Pull(_ context.Context, ref string) (*resolve.Blob, error) {
	return nil, fmt.Errorf("%s: %w", ref, resolve.ErrNotFound)
}

// publish encodes a test:types package at version into the registry.
func (r *fakeRegistry) publish(t *testing.T, version string) {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "types.wit"), "package test:types@"+version+";\n\ninterface t {\n  type id = u32;\n}\n")
	bin := wasmtools.EncodeWIT(t, dir)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pkgs == nil {
		r.pkgs = map[string]map[string][]byte{}
	}
	if r.pkgs["test:types"] == nil {
		r.pkgs["test:types"] = map[string][]byte{}
	}
	r.pkgs["test:types"][version] = bin
}

// TestUpdate: a registry WIT dependency is pinned by the lock, so a newer
// matching version is taken only by `wcomp update`; builds in between
// use the vendored copy without asking the registry.
func TestUpdate(t *testing.T) {
	b := newTestBuild(t, "pair")
	reg := &fakeRegistry{}
	reg.publish(t, "0.1.0")
	write(t, b.path("component.toml"), read(t, b.path("component.toml"))+"\n[wit.dependencies]\n\"test:types\" = \"0.1\"\n")
	_, rec := b.mustRun(Options{Registry: reg})
	if got := rec.of(Locking); len(got) == 0 {
		t.Errorf("no Locking event for the new dependency")
	}
	if _, err := os.Stat(b.path("wit/deps/test-types-0.1.0")); err != nil {
		t.Fatalf("not vendored: %v", err)
	}
	reg.publish(t, "0.1.1")
	reg.fetches = 0
	b.mustRun(Options{Registry: reg})
	if reg.fetches != 0 {
		t.Errorf("a build with the dependency pinned and vendored fetched %d times", reg.fetches)
	}
	if w := readLock(t, b.dir).WIT; len(w) != 1 || w[0].Version != "0.1.0" {
		t.Fatalf("lock WIT entries after 0.1.1 appeared: %+v, want 0.1.0 kept", w)
	}
	if _, _, err := b.run(Options{Registry: reg, Offline: true}); err != nil {
		t.Errorf("--offline with everything vendored: %v", err)
	}

	p, err := Load(b.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Update(context.Background(), Options{Registry: reg, Env: b.env, CacheDir: b.cache, Locked: true, UpdateAll: true}); err == nil {
		t.Error("update under --locked succeeded")
	}
	changes, err := p.Update(context.Background(), Options{Registry: reg, Env: b.env, CacheDir: b.cache, UpdateAll: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || !strings.Contains(changes[0].String(), "0.1.0 → 0.1.1") {
		t.Errorf("update changes: %v, want test:types 0.1.0 → 0.1.1", changes)
	}
	if w := readLock(t, b.dir).WIT; len(w) != 1 || w[0].Version != "0.1.1" {
		t.Fatalf("lock after update: %+v", w)
	}
	if _, err := os.Stat(b.path("wit/deps/test-types-0.1.1")); err != nil {
		t.Errorf("0.1.1 not vendored: %v", err)
	}
	if _, err := os.Stat(b.path("wit/deps/test-types-0.1.0")); err == nil {
		t.Errorf("0.1.0 still vendored after the update")
	}
	// The members' entries survive an update.
	if readLock(t, b.dir).Member("provider") == nil {
		t.Error("update dropped the members' entries")
	}
	// The WIT the members build against changed, so they rebuild.
	if _, rec := b.mustRun(Options{Registry: reg}); len(rec.of(Compiling)) != 2 {
		t.Errorf("after update, compiled %v, want both members", rec.of(Compiling))
	}
}
