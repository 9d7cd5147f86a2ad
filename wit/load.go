package wit

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/internal/versionreq"
	bcwit "go.bytecodealliance.org/wit"
)

// Project is a project's WIT directory, parsed with its dependencies.
type Project struct {
	// Dir is the directory that was loaded.
	Dir string
	// Resolve holds every package: the project's own and those in deps/.
	Resolve *bcwit.Resolve
	// Package is the package the directory itself declares.
	Package *bcwit.Package
}

// Load parses the WIT package in dir together with the packages vendored
// in dir/deps/, as wit-bindgen and componentize-py would. Parsing is
// go.bytecodealliance.org/wit's LoadWIT, which runs a wasm-tools built to
// WebAssembly inside the process, so no tool need be installed. Errors
// carry wasm-tools' file:line:col.
func Load(dir string) (*Project, error) {
	files, err := ReadPackageDir(dir)
	if err != nil {
		return nil, err
	}
	info, err := ScanPackage(files)
	if err != nil {
		return nil, fmt.Errorf("WIT package in %s: %w", dir, err)
	}
	res, err := bcwit.LoadWIT(dir)
	if err != nil {
		return nil, fmt.Errorf("WIT package in %s: %s", dir, tidyWasmToolsError(err.Error()))
	}
	p := &Project{Dir: dir, Resolve: res}
	for _, pkg := range res.Packages {
		if pkg.Name.String() == info.ID() {
			p.Package = pkg
		}
	}
	if p.Package == nil {
		return nil, fmt.Errorf("WIT package in %s: package %s is missing from what wasm-tools parsed", dir, info.ID())
	}
	return p, nil
}

// ReadPackageDir returns the .wit files directly in dir (not in deps/),
// sorted by name: the files of the package the directory declares.
func ReadPackageDir(dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading WIT directory: %w", err)
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".wit" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading WIT file: %w", err)
		}
		files = append(files, File{Name: filepath.Join(dir, e.Name()), Data: data})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .wit files", dir)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// WorldError is FindWorld's error when no world matches: Spec as given,
// why not, and every world that is loaded, so a typo is easy to fix.
type WorldError struct {
	Spec, Reason string
	Loaded       []string
}

func (e *WorldError) Error() string {
	msg := fmt.Sprintf("world %q: %s", e.Spec, e.Reason)
	if len(e.Loaded) > 0 {
		msg += "; worlds loaded: " + strings.Join(e.Loaded, ", ")
	}
	return msg
}

// FindWorld finds a world by the spelling component.toml uses:
//   - "app": a world of the project's own package;
//   - "ns:pkg/app" or "ns:pkg/app@1.2.3": that world, in any package
//     loaded (an unversioned name matches any version only when exactly one
//     version of the package is present);
//   - "ns:pkg/app@0.2.x" (any cargo-style requirement, internal/versionreq):
//     the world in the highest version of ns:pkg that matches.
//
// A world that is not there gives a *WorldError.
func (p *Project) FindWorld(spec string) (*bcwit.World, error) {
	pkgName, rest, qualified := strings.Cut(spec, "/")
	if !qualified {
		if w := p.Package.Worlds.Get(spec); w != nil {
			return w, nil
		}
		return nil, p.worldError(spec, fmt.Sprintf("package %s has no world `%s`", p.Package.Name.String(), spec))
	}
	world, version, versioned := strings.Cut(rest, "@")
	if strings.Contains(pkgName, "@") {
		return nil, fmt.Errorf("world %q: the version goes after the world name (ns:pkg/world@version)", spec)
	}
	var candidates []*bcwit.Package
	for _, pkg := range p.Resolve.Packages {
		if pkg.Name.UnversionedString() == pkgName {
			candidates = append(candidates, pkg)
		}
	}
	if len(candidates) == 0 {
		return nil, p.worldError(spec, fmt.Sprintf("no package %s is loaded (add it to [wit.dependencies])", pkgName))
	}
	var chosen *bcwit.Package
	switch {
	case !versioned:
		if len(candidates) > 1 {
			return nil, p.worldError(spec, fmt.Sprintf("%s is loaded at %s: say which (e.g. %s@%s)", pkgName, versionsOf(candidates), spec, pkgVersion(candidates[len(candidates)-1])))
		}
		chosen = candidates[0]
	case versionreq.CheckVersion(version) == nil:
		for _, pkg := range candidates {
			if pkgVersion(pkg) == version {
				chosen = pkg
			}
		}
		if chosen == nil {
			return nil, p.worldError(spec, fmt.Sprintf("%s is loaded at %s, not %s (write a requirement such as @%s to accept compatible versions)", pkgName, versionsOf(candidates), version, compatSpelling(version)))
		}
	default:
		req, err := versionreq.Parse(version)
		if err != nil {
			return nil, fmt.Errorf("world %q: %w", spec, err)
		}
		var versions []string
		byVersion := map[string]*bcwit.Package{}
		for _, pkg := range candidates {
			versions = append(versions, pkgVersion(pkg))
			byVersion[pkgVersion(pkg)] = pkg
		}
		best, ok := req.Highest(versions)
		if !ok {
			return nil, p.worldError(spec, fmt.Sprintf("%s is loaded at %s, none of which matches %s", pkgName, versionsOf(candidates), req))
		}
		chosen = byVersion[best]
	}
	if w := chosen.Worlds.Get(world); w != nil {
		return w, nil
	}
	return nil, p.worldError(spec, fmt.Sprintf("package %s has no world `%s`", chosen.Name.String(), world))
}

func pkgVersion(p *bcwit.Package) string {
	if p.Name.Version == nil {
		return ""
	}
	return p.Name.Version.String()
}

func versionsOf(pkgs []*bcwit.Package) string {
	var vs []string
	for _, p := range pkgs {
		v := pkgVersion(p)
		if v == "" {
			v = "(no version)"
		}
		vs = append(vs, v)
	}
	return strings.Join(vs, ", ")
}

// compatSpelling suggests the requirement for versions compatible with v:
// 0.2.x for 0.2.3, 1.x for 1.4.0.
func compatSpelling(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 && parts[0] == "0" {
		return parts[0] + "." + parts[1] + ".x"
	}
	return parts[0] + ".x"
}

func (p *Project) worldError(spec, why string) error {
	e := &WorldError{Spec: spec, Reason: why}
	for _, w := range p.Resolve.Worlds {
		e.Loaded = append(e.Loaded, WorldID(w))
	}
	sort.Strings(e.Loaded)
	return e
}

// tidyWasmToolsError turns wasm-tools' report
//
//	wasm-tools: error: MESSAGE
//	     --> FILE:LINE:COL
//	      |
//	    2 | source line
//	      |     ^---
//
// into "FILE:LINE:COL: MESSAGE" followed by the source lines, the way
// wcomp prints every positioned error. Anything else is returned trimmed.
func tidyWasmToolsError(msg string) string {
	msg = strings.TrimSpace(strings.TrimPrefix(msg, "wasm-tools: "))
	head, rest, ok := strings.Cut(msg, "-->")
	if !ok {
		return msg
	}
	pos, snippet, _ := strings.Cut(strings.TrimLeft(rest, " "), "\n")
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(head), "error:"))
	out := strings.TrimSpace(pos) + ": " + text
	if s := strings.TrimRight(snippet, " \n"); s != "" {
		out += "\n" + s
	}
	return out
}
