package manifest

import (
	"fmt"

	"github.com/wcomp/wcomp/internal/versionreq"
)

// FileName is the manifest's name in a project directory.
const FileName = "component.toml"

// Pos is a place in a manifest. Line and Col are 1-based; Col counts bytes,
// as the Go toolchain does. The zero Pos means "no position".
type Pos struct {
	Filename string
	Line     int
	Col      int
	Offset   int // byte offset in the file
}

// IsValid reports whether p names a place.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string {
	if !p.IsValid() {
		return p.Filename
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Col)
}

// String is a string value. When the key is absent, Value holds the
// default, Set is false and Pos is the enclosing table's position, so a
// message about a default still points somewhere useful.
type String struct {
	Value string
	Pos   Pos
	Set   bool
	// inner maps offsets inside Value to columns; see At.
	inner innerPos
}

// innerPos says where a string's content starts, when the content is the
// value byte for byte (a single-line string without escapes).
type innerPos struct {
	ok     bool
	offset int // offset of the first content byte in the file
}

// At returns the position of byte offset i of s.Value: exact when the
// string is written on one line without escapes, else the value's start.
func (s String) At(i int) Pos {
	if !s.inner.ok || i < 0 || i > len(s.Value) {
		return s.Pos
	}
	p := s.Pos
	p.Offset = s.inner.offset + i
	p.Col += p.Offset - s.Pos.Offset
	return p
}

// Bool is a boolean value; absent, it holds the default (see String).
type Bool struct {
	Value bool
	Pos   Pos
	Set   bool
}

// List is an array of strings.
type List struct {
	Items []String
	Pos   Pos
	Set   bool
}

// Strings returns the items' values.
func (l List) Strings() []string {
	out := make([]string, len(l.Items))
	for i, s := range l.Items {
		out[i] = s.Value
	}
	return out
}

// Map is a table of strings, in file order.
type Map struct {
	Entries []Entry
	Pos     Pos
	Set     bool
}

// Entry is one key of a Map.
type Entry struct {
	Key    string
	KeyPos Pos
	Value  String
}

// Get returns the value of key.
func (m Map) Get(key string) (String, bool) {
	for _, e := range m.Entries {
		if e.Key == key {
			return e.Value, true
		}
	}
	return String{}, false
}

// File is a parsed component.toml.
type File struct {
	// Filename is the name Parse was given; Dir is its directory, the
	// project root every relative path in the manifest starts from.
	Filename string
	Dir      string

	Package      Package
	Target       Target
	WIT          WIT
	Components   []*Member // in file order
	Compose      Compose
	Capabilities Capabilities
	Run          Run
	Registries   []*Registry // in file order
	Cache        Cache
}

// Member returns the member called name, or nil.
func (f *File) Member(name string) *Member {
	for _, m := range f.Components {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Package is [package].
type Package struct {
	Pos         Pos
	Name        String // ns:name
	Version     String // semver
	Description String
	License     String // SPDX expression
	Authors     List
	Repository  String // http(s) URL
}

// Namespace returns "ns" of the package name "ns:name".
func (p Package) Namespace() string { ns, _ := splitPackage(p.Name.Value); return ns }

// ShortName returns "name" of "ns:name": the composed result is
// target/<ShortName>.wasm.
func (p Package) ShortName() string { _, n := splitPackage(p.Name.Value); return n }

// Target is [target]: the world the composed result must conform to.
type Target struct {
	Pos   Pos
	Set   bool
	World String
	// Ref is World parsed.
	Ref WorldRef
}

// WorldRef names a world: "app" (in the project's own WIT package),
// "ns:pkg/world", or "ns:pkg/world@REQ" with a version requirement.
type WorldRef struct {
	Package string // "ns:pkg", or "" for the project's own package
	World   string
	// Version is the requirement as written ("" for none); Req is it
	// parsed.
	Version string
	Req     versionreq.Req
}

func (w WorldRef) String() string {
	s := w.World
	if w.Package != "" {
		s = w.Package + "/" + s
	}
	if w.Version != "" {
		s += "@" + w.Version
	}
	return s
}

// WIT is [wit].
type WIT struct {
	Pos          Pos
	Dir          String // default "wit"; dependencies are vendored into Dir/deps
	Dependencies []*WITDependency
}

// DepKind says where a WIT dependency comes from.
type DepKind uint8

const (
	DepRegistry DepKind = iota + 1 // "ns:pkg" = "REQ", or { version = "REQ" }
	DepPath                        // { path = "../types/wit" }
	DepURL                         // { url = "…", digest = "sha256:…", subdir = "wit" }
)

func (k DepKind) String() string {
	switch k {
	case DepRegistry:
		return "registry"
	case DepPath:
		return "path"
	case DepURL:
		return "url"
	}
	return fmt.Sprintf("DepKind(%d)", uint8(k))
}

// WITDependency is one entry of [wit.dependencies].
type WITDependency struct {
	Name string // ns:pkg
	Pos  Pos    // of the key
	Kind DepKind
	// Registry: Version as written, Req parsed.
	Version String
	Req     versionreq.Req
	// Path: a directory of .wit files, relative to the project.
	Path String
	// URL: a tarball, its digest ("sha256:<hex>") and the directory
	// inside it that holds the package.
	URL    String
	Digest String
	Subdir String
}

// Language is a member's toolchain.
type Language = string

const (
	Rust    Language = "rust"
	Python  Language = "python"
	JS      Language = "js"
	Go      Language = "go"
	Command Language = "command"
)

// Languages lists the valid values of `language`, in documentation order.
func Languages() []Language { return []Language{Rust, Python, JS, Go, Command} }

// SourceKind says where a member's component comes from.
type SourceKind uint8

const (
	SourceBuild    SourceKind = iota + 1 // language = …: built from source
	SourcePath                           // path = "x.wasm"
	SourceURL                            // url = "…", digest = "sha256:…"
	SourceOCI                            // oci = "host/repo:tag"
	SourceRegistry                       // package = "ns:name", version = "REQ"
)

func (k SourceKind) String() string {
	switch k {
	case SourceBuild:
		return "language"
	case SourcePath:
		return "path"
	case SourceURL:
		return "url"
	case SourceOCI:
		return "oci"
	case SourceRegistry:
		return "package"
	}
	return fmt.Sprintf("SourceKind(%d)", uint8(k))
}

// Member is one [components.NAME] table.
type Member struct {
	Name   string
	Pos    Pos // the table header (or the key of an inline table)
	Source SourceKind

	// Built from source (Source == SourceBuild).
	Language String
	Dir      String // default: Name; relative to the project
	World    String // default: Name
	Artifact String // relative to Dir; "" means the language's default
	Module   String // python only; "" means the builder's default
	Entry    String // js only; "" means the builder's default
	// DisableFeatures are componentize-js features left out (js only), so
	// the component does not import what they need: "http" drops
	// wasi:http, "stdio", "random", "clocks", "fetch-event".
	DisableFeatures List
	Build           Build

	// Prebuilt.
	Path    String // SourcePath, relative to the project
	URL     String // SourceURL
	Digest  String // SourceURL: "sha256:<64 hex>"
	OCI     String // SourceOCI: a reference with a tag or digest
	Package String // SourceRegistry: ns:name, mapped through [registries]
	Version String // SourceRegistry: requirement as written
	Req     versionreq.Req

	// Capabilities are this member's grants (interface patterns).
	Capabilities List
}

// Build is [components.NAME.build]: overrides of the language's defaults.
type Build struct {
	Pos     Pos
	Set     bool
	Command BuildCommand
	Workdir String // relative to the member's Dir; default "."
	Watch   List   // globs relative to the member's Dir
	Env     Map
}

// BuildCommand is build.command: a string run through `sh -c`, or an argv list.
// At most one of Shell and Argv is set.
type BuildCommand struct {
	Pos   Pos
	Set   bool
	Shell String
	Argv  List
}

// Compose is [compose].
type Compose struct {
	Pos Pos
	// Root is the member whose exports the result exports; "" lets the
	// graph choose the only member that no other member plugs.
	Root         String
	AutoPlug     Bool // default true
	Wires        List // CONSUMER:IMPORT=PROVIDER:EXPORT, as `wcomp compose --wire`
	Imports      List // as `wcomp compose --import`
	Exports      List // INSTANCE:NAME[=AS], as `wcomp compose --export`
	Instances    List // member names instantiated even if nothing reaches them
	ShareModules Bool // default true (#14)
	WAC          String
}

// Capabilities is [capabilities].
type Capabilities struct {
	Pos     Pos
	Allow   List
	Deny    List
	Stub    List
	Virtual Virtual
}

// Virtual is [capabilities.virtual]: a generated environment.
type Virtual struct {
	Pos   Pos
	Set   bool
	Env   Map
	Args  List
	Files Map // guest path → directory in the project
}

// Run is [run], for `wcomp run`.
type Run struct {
	Pos  Pos
	Args List
	Env  Map
	Dirs []Dir
}

// Dir is one entry of run.dirs: "HOST::GUEST[:ro]", or "DIR" for the same
// path on both sides.
type Dir struct {
	Text     String
	Host     string // relative to the project, or absolute
	Guest    string
	ReadOnly bool
}

// Registry is one entry of [registries]: where a namespace's packages live.
type Registry struct {
	Namespace string
	Pos       Pos
	Registry  String // host[:port]
	Prefix    String // repository prefix, "" or ending in "/"
}

// Cache is [cache].
type Cache struct {
	Pos    Pos
	Remote String // oci://host/repository
	// Registry and Repository are Remote parsed.
	Registry   string
	Repository string
}
