package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/policy"
)

// Project is a loaded, checked component.toml and where its build goes.
type Project struct {
	Manifest *manifest.File
	// Dir is the project root (component.toml's directory), absolute.
	Dir string

	manifestPath string
	policy       *policy.Policy
}

// Load reads the project that governs path: a component.toml file
// (`--manifest-path`), or a directory, whose own component.toml or the
// nearest one above it is used, as cargo does. "" is the working
// directory. The [compose] strings are checked with graph's parser here,
// so every manifest error is reported before anything is built.
func Load(path string) (*Project, error) {
	if path == "" {
		path = "."
	}
	var f *manifest.File
	st, err := os.Stat(path)
	switch {
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, err
	case err == nil && !st.IsDir():
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading manifest: %w", err)
		}
		if f, err = manifest.Parse(path, data); err != nil {
			return nil, err
		}
	case err != nil && filepath.Base(path) == manifest.FileName:
		return nil, fmt.Errorf("manifest %s: %w", path, os.ErrNotExist)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, os.ErrNotExist)
	default:
		if f, err = manifest.Load(path); err != nil {
			return nil, err
		}
	}
	dir, err := filepath.Abs(f.Dir)
	if err != nil {
		return nil, err
	}
	f.Dir = dir
	if err := f.CheckCompose(parseComposeString); err != nil {
		return nil, err
	}
	mpath := f.Filename
	if !filepath.IsAbs(mpath) {
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			mpath = filepath.Join(path, mpath)
		}
		if mpath, err = filepath.Abs(mpath); err != nil {
			return nil, err
		}
	}
	pol, err := loadPolicy(f)
	if err != nil {
		return nil, err
	}
	return &Project{Manifest: f, Dir: dir, manifestPath: mpath, policy: pol}, nil
}

// parseComposeString adapts graph's parser of the composition syntax to
// manifest.CheckCompose: the members a [compose] string names, each at its
// byte offset in the string.
func parseComposeString(key, value string) ([]manifest.MemberRef, error) {
	kind, ok := map[string]string{"wires": "wire", "imports": "import", "exports": "export"}[key]
	if !ok {
		return nil, fmt.Errorf("compose.%s is not a composition string (a bug in wcomp)", key)
	}
	refs, err := graph.InstanceRefs(kind, value)
	var syn *graph.SyntaxError
	if errors.As(err, &syn) {
		return nil, &manifest.SyntaxError{Offset: syn.Offset, Err: errors.New(syn.Msg)}
	}
	if err != nil {
		return nil, err
	}
	out := make([]manifest.MemberRef, len(refs))
	for i, r := range refs {
		out[i] = manifest.MemberRef{Name: r.Name, Offset: r.Offset}
	}
	return out, nil
}

// ManifestPath is component.toml's absolute path.
func (p *Project) ManifestPath() string { return p.manifestPath }

// Name is the result's name: [package] name after the ':'.
func (p *Project) Name() string { return p.Manifest.Package.ShortName() }

// TargetDir is the project's target/ directory.
func (p *Project) TargetDir() string { return filepath.Join(p.Dir, "target") }

// OutputPath is where the composed component goes: target/<name>.wasm.
func (p *Project) OutputPath() string {
	return filepath.Join(p.TargetDir(), p.Name()+".wasm")
}

// wcompDir is target/wcomp, the build's own state.
func (p *Project) wcompDir() string { return filepath.Join(p.TargetDir(), "wcomp") }

// WITDir is the project's WIT directory, absolute.
func (p *Project) WITDir() string { return p.abs(p.Manifest.WIT.Dir.Value) }

// LockPath is wcomp.lock, beside component.toml.
func (p *Project) LockPath() string { return filepath.Join(p.Dir, "wcomp.lock") }

// abs resolves a path from the manifest against the project root.
func (p *Project) abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(p.Dir, path)
}

// Rel shows a path under the project root relative to it, for messages.
func (p *Project) Rel(path string) string {
	if r, err := filepath.Rel(p.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}
