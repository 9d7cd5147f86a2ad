package project

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/wcomp/wcomp/builder"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/resolve"
)

// member is one [components.NAME] table with what the build needs of it.
type member struct {
	m    *manifest.Member
	spec builder.Spec
	// lang is what status lines show: the language, or "prebuilt".
	lang string
	// source is how wcomp.lock records a member built from source
	// ("path+validator").
	source string
}

// language is the member's toolchain as the builder names it.
func language(m *manifest.Member) builder.Language {
	if m.Source != manifest.SourceBuild {
		return builder.Prebuilt
	}
	if m.Language.Value == manifest.Command {
		return builder.Shell
	}
	return builder.Language(m.Language.Value)
}

// members maps every member onto a builder.Spec. comps are resolve's
// prebuilt and remote components (by member name), whose bytes are already
// local and verified: the builder only wraps a core module and fingerprints
// them.
func (p *Project) members(comps map[string]*resolve.Component) ([]*member, error) {
	f := p.Manifest
	out := make([]*member, 0, len(f.Components))
	for _, m := range f.Components {
		lang := language(m)
		mb := &member{m: m, lang: string(lang)}
		s := builder.Spec{Name: m.Name, Language: lang}
		if lang == builder.Prebuilt {
			c := comps[m.Name]
			if c == nil {
				return nil, fmt.Errorf("member %s: resolution returned no component for it (a bug in wcomp)", m.Name)
			}
			s.Dir, s.Prebuilt = p.prebuiltSource(c)
		} else {
			// Symbolic links are resolved, so a member or WIT directory
			// shared with another project through a link is read (and
			// hashed) as the directory it is.
			s.Dir = realPath(p.abs(m.Dir.Value))
			s.WIT = realPath(p.WITDir())
			s.World = m.World.Value
			s.Command = builder.Command{Script: m.Build.Command.Shell.Value, Argv: m.Build.Command.Argv.Strings()}
			s.Workdir = m.Build.Workdir.Value
			if m.Build.Watch.Set {
				s.Watch = m.Build.Watch.Strings()
				if s.Watch == nil {
					s.Watch = []string{} // watch = []: nothing but the WIT and the command
				}
			}
			if len(m.Build.Env.Entries) > 0 {
				s.Env = map[string]string{}
				for _, e := range m.Build.Env.Entries {
					s.Env[e.Key] = e.Value.Value
				}
			}
			s.Artifact = m.Artifact.Value
			s.Module = m.Module.Value
			s.Entry = m.Entry.Value
			s.DisableFeatures = m.DisableFeatures.Strings()
			mb.source = "path+" + path.Clean(m.Dir.Value) // as written: the same on every machine
		}
		mb.spec = s
		out = append(out, mb)
	}
	return out, nil
}

// realPath is path with symbolic links resolved, or path itself when it
// cannot be (it does not exist yet: the builder says so).
func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

// prebuiltSource points the builder at a resolved component's local file:
// the project's own file for a path member, the cache's blob otherwise.
// The builder takes a path relative to the spec's directory.
func (p *Project) prebuiltSource(c *resolve.Component) (string, *builder.Source) {
	src := &builder.Source{Digest: c.Digest}
	if rel, err := filepath.Rel(p.Dir, c.Path); err == nil && !strings.HasPrefix(rel, "..") {
		src.Path = rel
		return p.Dir, src
	}
	src.Path = filepath.Base(c.Path)
	return filepath.Dir(c.Path), src
}

// resolveInputs maps the manifest onto resolve's inputs: the WIT
// dependencies and the members that are not built from source.
func (p *Project) resolveInputs() resolve.Inputs {
	f := p.Manifest
	in := resolve.Inputs{Project: f.Package.Name.Value, Dir: p.Dir, WITDir: f.WIT.Dir.Value}
	for _, d := range f.WIT.Dependencies {
		dep := resolve.WITDependency{Name: d.Name, Where: d.Pos.String()}
		switch d.Kind {
		case manifest.DepRegistry:
			dep.Version = d.Version.Value
		case manifest.DepPath:
			dep.Path, dep.Version = d.Path.Value, d.Version.Value
		case manifest.DepURL:
			dep.URL, dep.SHA256, dep.Subdir, dep.Version = d.URL.Value, d.Digest.Value, d.Subdir.Value, d.Version.Value
		}
		in.WIT = append(in.WIT, dep)
	}
	for _, m := range f.Components {
		c := resolve.ComponentSource{Name: m.Name, Where: m.Pos.String()}
		switch m.Source {
		case manifest.SourceBuild:
			continue
		case manifest.SourcePath:
			c.Path = m.Path.Value
		case manifest.SourceURL:
			c.URL, c.Digest = m.URL.Value, m.Digest.Value
		case manifest.SourceOCI:
			c.OCI = m.OCI.Value
		case manifest.SourceRegistry:
			c.Package, c.Version = m.Package.Value, m.Version.Value
		}
		in.Components = append(in.Components, c)
	}
	return in
}
