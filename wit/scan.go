package wit

import (
	"fmt"
	"sort"
	"strings"
)

// This file reads just enough of WIT text to know, before anything is
// resolved, which package a directory declares and which other packages
// it refers to. go.bytecodealliance.org/wit only parses a package once all
// its dependencies are present, so a resolver that must first find those
// dependencies needs this much on its own. It is a scanner, not a parser:
// it recognises `package ns:name@v` declarations and `ns:name/…@v` paths
// (in use, import, export and include), skips comments, and leaves the
// rest of the language to wasm-tools.

// File is one file of a WIT package, by name relative to the package
// directory.
type File struct {
	Name string
	Data []byte
}

// PackageInfo is what ScanPackage finds in a WIT package's files.
type PackageInfo struct {
	// Name is ns:name (namespaces joined by ':' when nested) and Version
	// the declared version, "" if none.
	Name, Version string
	// Nested lists the packages declared in `package … { }` blocks, as
	// name@version (or name).
	Nested []string
	// Refs lists the other packages the files refer to, first reference
	// of each, sorted by ID.
	Refs []Ref
}

// ID is name@version, or name when unversioned.
func (p *PackageInfo) ID() string { return PackageID(p.Name, p.Version) }

// PackageID is how WIT writes a package: ns:name@version, or ns:name.
func PackageID(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@" + version
}

// Ref is a reference to another package: where it first appears.
type Ref struct {
	Name, Version string
	Pos           Position
}

// ID is the referenced package's name@version.
func (r Ref) ID() string { return PackageID(r.Name, r.Version) }

// Position is a place in a WIT file; Line and Col count from 1.
type Position struct {
	File      string
	Line, Col int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// ScanError is a WIT file that cannot be scanned, or files that disagree
// on their package.
type ScanError struct {
	Pos Position
	Msg string
}

func (e *ScanError) Error() string { return e.Pos.String() + ": " + e.Msg }

// ScanPackage reads the package declaration and the foreign references of
// the files of one WIT package. At least one file must declare the
// package, and those that do must agree, as wasm-tools requires.
func ScanPackage(files []File) (*PackageInfo, error) {
	info := &PackageInfo{}
	var declaredAt Position
	declared := false
	nested := map[string]bool{}
	refs := map[string]Ref{}
	for _, f := range files {
		sc := &scanner{file: f.Name, src: f.Data, line: 1, col: 1}
		decls, frefs, err := sc.scan()
		if err != nil {
			return nil, err
		}
		for _, d := range decls {
			if d.nested {
				nested[PackageID(d.name, d.version)] = true
				continue
			}
			if !declared {
				info.Name, info.Version, declaredAt, declared = d.name, d.version, d.pos, true
				continue
			}
			if d.name != info.Name || d.version != info.Version {
				return nil, &ScanError{Pos: d.pos, Msg: fmt.Sprintf("package %s differs from package %s declared at %s", PackageID(d.name, d.version), info.ID(), declaredAt)}
			}
		}
		for _, r := range frefs {
			if _, seen := refs[r.ID()]; !seen {
				refs[r.ID()] = r
			}
		}
	}
	if !declared {
		pos := Position{Line: 1, Col: 1}
		if len(files) > 0 {
			pos.File = files[0].Name
		}
		return nil, &ScanError{Pos: pos, Msg: "no `package ns:name;` declaration in any file of the package"}
	}
	for id := range nested {
		info.Nested = append(info.Nested, id)
	}
	sort.Strings(info.Nested)
	for id, r := range refs {
		if id == info.ID() || nested[id] {
			continue
		}
		info.Refs = append(info.Refs, r)
	}
	sort.Slice(info.Refs, func(i, j int) bool { return info.Refs[i].ID() < info.Refs[j].ID() })
	return info, nil
}

type decl struct {
	name, version string
	nested        bool
	pos           Position
}

// token kinds
const (
	tokEOF = iota
	tokIdent
	tokPunct
)

type token struct {
	kind int
	text string
	pos  Position
	end  int // byte offset just after the token
}

type scanner struct {
	file      string
	src       []byte
	off       int
	line, col int
}

func (s *scanner) errorf(pos Position, format string, args ...any) error {
	return &ScanError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) here() Position { return Position{File: s.file, Line: s.line, Col: s.col} }

func (s *scanner) advance(n int) {
	for i := 0; i < n && s.off < len(s.src); i++ {
		if s.src[s.off] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
		s.off++
	}
}

// skip passes whitespace and comments; block comments nest, as in WIT.
func (s *scanner) skip() error {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			s.advance(1)
		case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '/':
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.advance(1)
			}
		case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '*':
			start := s.here()
			s.advance(2)
			depth := 1
			for depth > 0 {
				if s.off >= len(s.src) {
					return s.errorf(start, "unterminated block comment")
				}
				switch {
				case s.src[s.off] == '*' && s.off+1 < len(s.src) && s.src[s.off+1] == '/':
					depth--
					s.advance(2)
				case s.src[s.off] == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '*':
					depth++
					s.advance(2)
				default:
					s.advance(1)
				}
			}
		default:
			return nil
		}
	}
	return nil
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// next returns the next token: an identifier (a leading % stripped) or
// one punctuation byte (`->` counts as two, which is harmless here).
func (s *scanner) next() (token, error) {
	if err := s.skip(); err != nil {
		return token{}, err
	}
	pos := s.here()
	if s.off >= len(s.src) {
		return token{kind: tokEOF, pos: pos, end: s.off}, nil
	}
	c := s.src[s.off]
	if c == '%' || isIdentByte(c) {
		start := s.off
		if c == '%' {
			s.advance(1)
			start = s.off
		}
		for s.off < len(s.src) && isIdentByte(s.src[s.off]) {
			s.advance(1)
		}
		return token{kind: tokIdent, text: string(s.src[start:s.off]), pos: pos, end: s.off}, nil
	}
	if c >= 0x80 {
		return token{}, s.errorf(pos, "unexpected non-ASCII character outside a comment")
	}
	s.advance(1)
	return token{kind: tokPunct, text: string(c), pos: pos, end: s.off}, nil
}

// version reads a semantic version right after an '@': the longest run of
// version characters, less a trailing '.' (which belongs to `.{` in
// `use a:b/c@1.0.0.{t}`).
func (s *scanner) version() string {
	start := s.off
	for s.off < len(s.src) {
		c := s.src[s.off]
		if !(isIdentByte(c) || c == '.' || c == '+') {
			break
		}
		s.off++
	}
	for s.off > start && s.src[s.off-1] == '.' {
		s.off--
	}
	v := string(s.src[start:s.off])
	s.col += len(v)
	return v
}

// scan walks the file's tokens and picks out package declarations and
// package paths.
func (s *scanner) scan() ([]decl, []Ref, error) {
	var decls []decl
	var refs []Ref
	var prev token
	for {
		t, err := s.next()
		if err != nil {
			return nil, nil, err
		}
		if t.kind == tokEOF {
			return decls, refs, nil
		}
		if t.kind != tokIdent {
			prev = t
			continue
		}
		isDecl := prev.kind == tokIdent && prev.text == "package"
		save := *s
		p, ok, err := s.path(t)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case !ok:
			*s = save
		case isDecl:
			after, err := s.next()
			if err != nil {
				return nil, nil, err
			}
			if p.iface != "" {
				return nil, nil, s.errorf(t.pos, "package name %s has an interface part", p.text())
			}
			if after.text != ";" && after.text != "{" {
				return nil, nil, s.errorf(after.pos, "expected `;` or `{` after package %s", PackageID(p.name, p.version))
			}
			decls = append(decls, decl{name: p.name, version: p.version, nested: after.text == "{", pos: t.pos})
			t = after
		case p.iface != "":
			refs = append(refs, Ref{Name: p.name, Version: p.version, Pos: t.pos})
		default:
			// `name: type` in a record or parameter list: not a path.
			*s = save
		}
		prev = t
	}
}

type pkgPath struct {
	name, version, iface string
}

func (p pkgPath) text() string {
	s := p.name
	if p.iface != "" {
		s += "/" + p.iface
	}
	if p.version != "" {
		s += "@" + p.version
	}
	return s
}

// path tries to read `id (':' id)+ ('/' id)* ('@' version)?` starting at
// first. ok is false when what follows is not such a path.
func (s *scanner) path(first token) (pkgPath, bool, error) {
	parts := []string{first.text}
	for {
		save := *s
		colon, err := s.next()
		if err != nil {
			return pkgPath{}, false, err
		}
		if colon.text != ":" {
			*s = save
			break
		}
		id, err := s.next()
		if err != nil {
			return pkgPath{}, false, err
		}
		if id.kind != tokIdent {
			return pkgPath{}, false, nil
		}
		parts = append(parts, id.text)
	}
	if len(parts) < 2 {
		return pkgPath{}, false, nil
	}
	p := pkgPath{name: strings.Join(parts, ":")}
	var ifaces []string
	for {
		save := *s
		t, err := s.next()
		if err != nil {
			return pkgPath{}, false, err
		}
		switch {
		case t.text == "/":
			id, err := s.next()
			if err != nil {
				return pkgPath{}, false, err
			}
			if id.kind != tokIdent {
				return pkgPath{}, false, s.errorf(id.pos, "expected an interface or world name after `%s/`", p.name)
			}
			ifaces = append(ifaces, id.text)
			continue
		case t.text == "@" && s.off < len(s.src) && s.src[s.off] >= '0' && s.src[s.off] <= '9':
			p.version = s.version()
		default:
			*s = save
		}
		break
	}
	p.iface = strings.Join(ifaces, "/")
	return p, true, nil
}
