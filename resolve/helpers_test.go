package resolve

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// synthWIT is the text of a small synthetic package: interface i with a
// type t, using t from interface i of each package it refers to. Tests
// describe packages by name, version and references, and this gives them
// real WIT that wasm-tools encodes and resolve scans.
func synthWIT(name, version string, refs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s;\n\ninterface i {\n  type t = u32;\n", pkgID(name, version))
	for k, ref := range refs {
		n, v, _ := strings.Cut(ref, "@")
		path := n + "/i"
		if v != "" {
			path += "@" + v
		}
		fmt.Fprintf(&b, "  use %s.{t as t%d};\n", path, k)
	}
	b.WriteString("}\n")
	return b.String()
}

func pkgID(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@" + version
}

// fakeRegistry serves synthetic WIT packages in their binary encoding
// (encoded by the real wasm-tools, as `wkg publish` would publish them)
// and components, and records every call. It stands in for the registry
// package's OCI client, which resolve only knows through Registry.
type fakeRegistry struct {
	t    testing.TB
	host string
	// pkgs: name → version → references.
	pkgs map[string]map[string][]string
	// comps: name → version → bytes; oci: reference → bytes.
	comps map[string]map[string][]byte
	oci   map[string][]byte
	// hidden packages are used to encode others but not served.
	hidden map[string]bool
	// corrupt makes Fetch return data that does not match its digest.
	corrupt bool
	calls   []string
	encoded map[string][]byte
}

func newFakeRegistry(t testing.TB) *fakeRegistry {
	return &fakeRegistry{t: t, host: "test.registry", pkgs: map[string]map[string][]string{},
		comps: map[string]map[string][]byte{}, oci: map[string][]byte{}, encoded: map[string][]byte{}, hidden: map[string]bool{}}
}

func (f *fakeRegistry) add(name, version string, refs ...string) {
	if f.pkgs[name] == nil {
		f.pkgs[name] = map[string][]string{}
	}
	f.pkgs[name][version] = refs
}

func (f *fakeRegistry) Locate(pkg string) (string, error) {
	ns, name, ok := strings.Cut(pkg, ":")
	if !ok || ns == "nowhere" {
		return "", fmt.Errorf("no registry is configured for namespace %s", ns)
	}
	return f.host + "/" + ns + "/" + name, nil
}

func (f *fakeRegistry) Versions(_ context.Context, pkg string) ([]string, error) {
	f.calls = append(f.calls, "versions "+pkg)
	var out []string
	for v := range f.pkgs[pkg] {
		if !f.hidden[pkgID(pkg, v)] {
			out = append(out, v)
		}
	}
	for v := range f.comps[pkg] {
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", pkg, ErrNotFound)
	}
	sort.Strings(out)
	return append(out, "latest"), nil // a tag that is no version
}

func (f *fakeRegistry) Fetch(_ context.Context, pkg, version string) (*Blob, error) {
	f.calls = append(f.calls, "fetch "+pkg+"@"+version)
	var data []byte
	if c, ok := f.comps[pkg][version]; ok {
		data = c
	} else if _, ok := f.pkgs[pkg][version]; ok && !f.hidden[pkgID(pkg, version)] {
		data = f.encode(pkg, version)
	} else {
		return nil, fmt.Errorf("%s@%s: %w", pkg, version, ErrNotFound)
	}
	b := &Blob{Data: data, Digest: Digest(data), Manifest: Digest([]byte("manifest of " + pkg + version))}
	if f.corrupt {
		b.Data = append([]byte(nil), data...)
		b.Data[len(b.Data)-1] ^= 1
	}
	return b, nil
}

func (f *fakeRegistry) Pull(_ context.Context, ref string) (*Blob, error) {
	f.calls = append(f.calls, "pull "+ref)
	data, ok := f.oci[ref]
	if !ok {
		return nil, fmt.Errorf("%s: %w", ref, ErrNotFound)
	}
	return &Blob{Data: data, Digest: Digest(data), Manifest: Digest([]byte("manifest of " + ref))}, nil
}

// encode builds name@version's binary package with wasm-tools, from its
// synthetic text and that of everything it refers to, transitively.
func (f *fakeRegistry) encode(name, version string) []byte {
	id := pkgID(name, version)
	if b, ok := f.encoded[id]; ok {
		return b
	}
	dir := f.t.TempDir()
	write(f.t, filepath.Join(dir, "package.wit"), synthWIT(name, version, f.pkgs[name][version]))
	seen := map[string]bool{}
	var walk func(refs []string)
	walk = func(refs []string) {
		for _, ref := range refs {
			if seen[ref] {
				continue
			}
			seen[ref] = true
			n, v, _ := strings.Cut(ref, "@")
			deps, ok := f.pkgs[n][v]
			if !ok {
				f.t.Fatalf("fake registry: %s refers to %s, which it does not have", id, ref)
			}
			write(f.t, filepath.Join(dir, "deps", strings.NewReplacer(":", "-", "@", "-").Replace(ref), "package.wit"), synthWIT(n, v, deps))
			walk(deps)
		}
	}
	walk(f.pkgs[name][version])
	out, err := exec.Command(wasmtools.Path(f.t), "component", "wit", "--wasm", dir).Output()
	if err != nil {
		f.t.Fatalf("encoding %s: %v", id, err)
	}
	f.encoded[id] = out
	return out
}

// dirStore is a Store in a directory: the blob cache's contract without
// its locking, for tests.
type dirStore struct {
	dir  string
	puts int
	full bool // Put fails, as on a full disk
}

func newDirStore(t testing.TB) *dirStore { return &dirStore{dir: t.TempDir()} }

func (s *dirStore) path(d string) string {
	return filepath.Join(s.dir, strings.ReplaceAll(d, ":", "-"))
}

func (s *dirStore) Lookup(d string) (string, error) {
	p := s.path(d)
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

func (s *dirStore) Put(d string, data []byte) (string, error) {
	if s.full {
		return "", fmt.Errorf("write %s: no space left on device", s.path(d))
	}
	s.puts++
	return s.path(d), os.WriteFile(s.path(d), data, 0o644)
}

func (s *dirStore) remove(t testing.TB) {
	t.Helper()
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		os.Remove(filepath.Join(s.dir, e.Name()))
	}
}

func write(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists the files under dir with their content, for comparisons.
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
