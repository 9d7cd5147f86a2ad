package builder

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wcomp/wcomp/internal/membername"
)

// Language names the toolchain that builds a member.
type Language string

// The languages a member can be built with. Prebuilt members are not built
// at all: they name a file, a URL or an OCI reference (Spec.Prebuilt).
const (
	Rust     Language = "rust"
	Python   Language = "python"
	JS       Language = "js"
	Go       Language = "go"
	Shell    Language = "command"
	Prebuilt Language = "prebuilt"
)

// Languages lists the languages in the order documentation shows them.
var Languages = []Language{Rust, Python, JS, Go, Shell, Prebuilt}

// Spec is everything the builder needs to know about one member. The
// project driver fills it from component.toml; paths are absolute.
type Spec struct {
	// Name is the member's name (kebab-case). It names the output,
	// members/NAME.wasm, and the fingerprint, fingerprints/NAME.json.
	Name     string
	Language Language
	// Dir is the member's source directory. For prebuilt members it is
	// the directory a relative Prebuilt.Path is resolved against.
	Dir string
	// WIT is the WIT directory (or single file) the member builds
	// against, and World the world in it. Both are hashed into the
	// fingerprint. A command member may leave them empty.
	WIT   string
	World string

	// Command replaces the language's default build command.
	Command Command
	// Workdir is where the command runs, relative to Dir; "" is Dir.
	Workdir string
	// Watch are the globs (relative to Dir, "**" for any depth) whose
	// files make the member stale when they change. Nil means the
	// language's defaults (DefaultWatch).
	Watch []string
	// Env is added to the environment of every tool the build runs.
	Env map[string]string
	// Artifact is where the build leaves the component, relative to Dir.
	// Required for command members; for other languages it overrides
	// where wcomp looks after a custom Command.
	Artifact string
	// Module is the Python module that implements the world (default
	// "app"); Entry the JavaScript file (default "src/index.js").
	Module string
	Entry  string
	// DisableFeatures are componentize-js features to leave out, e.g.
	// "http", so the component does not import wasi:http.
	DisableFeatures []string

	// Prebuilt is set for prebuilt members.
	Prebuilt *Source
}

// Command is a build command given by the user: either a script run
// through `sh -c`, or an argument vector run as is.
type Command struct {
	Script string
	Argv   []string
}

// IsZero reports whether no command was given.
func (c Command) IsZero() bool { return c.Script == "" && len(c.Argv) == 0 }

// argv is the command as exec runs it.
func (c Command) argv() []string {
	if c.Script != "" {
		return []string{"sh", "-c", c.Script}
	}
	return c.Argv
}

// Source is where a prebuilt member's component comes from: exactly one of
// Path, URL and OCI.
type Source struct {
	// Path is a file, relative to Spec.Dir.
	Path string
	// URL is downloaded into the content-addressed cache; Digest
	// ("sha256:…") is then required. With Path, a Digest is checked too.
	URL    string
	Digest string
	// OCI is a registry reference, fetched through Options.OCI.
	OCI string
}

// check rejects a spec the builder cannot act on, saying which field is
// wrong. The manifest has already reported positioned errors for what a
// user wrote; these catch a driver that mapped it wrongly.
func (s *Spec) check() error {
	if err := membername.Check(s.Name); err != nil {
		return err
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("member %s: %s", s.Name, fmt.Sprintf(format, args...))
	}
	if !filepath.IsAbs(s.Dir) {
		return fail("the directory %q must be an absolute path", s.Dir)
	}
	if s.WIT != "" && !filepath.IsAbs(s.WIT) {
		return fail("the WIT path %q must be an absolute path", s.WIT)
	}
	if s.Command.Script != "" && len(s.Command.Argv) > 0 {
		return fail("the build command is both a string and a list")
	}
	for _, rel := range []struct{ what, path string }{{"workdir", s.Workdir}, {"artifact", s.Artifact}} {
		if filepath.IsAbs(rel.path) {
			return fail("%s %q must be relative to the member directory", rel.what, rel.path)
		}
	}
	switch s.Language {
	case Rust, Python, JS, Go:
		if s.Command.IsZero() && (s.WIT == "" || s.World == "") {
			return fail("a %s member needs a WIT path and a world", s.Language)
		}
	case Shell:
		if s.Command.IsZero() {
			return fail("a command member needs a build command")
		}
		if s.Artifact == "" {
			return fail("a command member needs an artifact: the path where its command leaves the component")
		}
	case Prebuilt:
		if s.Prebuilt == nil {
			return fail("a prebuilt member needs a path, a url or an oci reference")
		}
		return s.Prebuilt.check(fail)
	case "":
		return fail("no language given")
	default:
		return fail("unknown language %q (expected one of rust, python, js, go, command)", s.Language)
	}
	if s.Prebuilt != nil {
		return fail("a %s member is built from source and cannot also name a prebuilt component", s.Language)
	}
	return nil
}

func (src *Source) check(fail func(string, ...any) error) error {
	n := 0
	for _, set := range []bool{src.Path != "", src.URL != "", src.OCI != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fail("a prebuilt member needs exactly one of path, url and oci (found %d)", n)
	}
	if src.URL != "" && src.Digest == "" {
		return fail("url %s needs a digest (sha256:…) so the download can be verified", src.URL)
	}
	if src.Digest != "" {
		if _, err := parseDigest(src.Digest); err != nil {
			return fail("%v", err)
		}
	}
	if src.URL != "" && !strings.HasPrefix(src.URL, "https://") && !strings.HasPrefix(src.URL, "http://") {
		return fail("url %q: only http and https URLs are supported", src.URL)
	}
	return nil
}

// workdir is the absolute directory the member's commands run in.
func (s *Spec) workdir() string { return filepath.Join(s.Dir, s.Workdir) }

// module and entry apply the languages' defaults.
func (s *Spec) module() string {
	if s.Module != "" {
		return s.Module
	}
	return "app"
}

func (s *Spec) entry() string {
	if s.Entry != "" {
		return s.Entry
	}
	return "src/index.js"
}

// label is how messages name the member: `member validator (rust)`.
func (s *Spec) label() string { return fmt.Sprintf("member %s (%s)", s.Name, s.Language) }
