package capability

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/versionreq"
)

// A Pattern names a set of imports. Its forms, from the most general:
//
//   - every import
//     wasi:*                     every package of a namespace (nested
//     namespaces too: wasi:* covers wasi:x:y/z)
//     wasi:http/*                every interface of a package
//     wasi:http/types            one interface
//     log                        one plain-named import (a world-level
//     function or type)
//
// Any form that names a namespace, package or interface may end in
// @REQUIREMENT, a cargo-style version requirement (internal/versionreq):
// wasi:http/outgoing-handler@0.2.x. Without one, every version matches,
// and so does an unversioned name; with one, only versioned names whose
// version meets it.
type Pattern struct {
	text string
	kind patternKind
	// words is the namespace:package path as words: [wasi] for wasi:*,
	// [wasi http] for wasi:http/* and wasi:http/types.
	words []string
	// iface is the interface (with nested projections, a/b) of an exact
	// interface pattern, or the label of a label pattern.
	iface string
	req   *versionreq.Req
}

type patternKind uint8

const (
	kindAny patternKind = iota
	kindNamespace
	kindPackage
	kindExact // one interface or one label
)

// String returns the pattern as it was written.
func (p Pattern) String() string { return p.text }

// PatternError says why a string is not a pattern, and where: Offset is a
// byte offset into Pattern, so a caller that knows where the string sits
// in a file can point at the character.
type PatternError struct {
	Pattern string
	Offset  int
	Msg     string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("pattern %q: at offset %d: %s", e.Pattern, e.Offset, e.Msg)
}

// ParsePattern parses a capability pattern.
func ParsePattern(s string) (Pattern, error) {
	fail := func(at int, format string, args ...any) (Pattern, error) {
		return Pattern{}, &PatternError{Pattern: s, Offset: at, Msg: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return fail(0, "empty pattern")
	}
	if i := strings.IndexAny(s, " \t\r\n"); i >= 0 {
		return fail(i, "white space in a pattern")
	}
	p := Pattern{text: s}
	name := s
	if at := strings.IndexByte(s, '@'); at >= 0 {
		name = s[:at]
		reqText := s[at+1:]
		if reqText == "" {
			return fail(at+1, "expected a version requirement after '@', e.g. @0.2.x")
		}
		req, err := versionreq.Parse(reqText)
		if err != nil {
			var verr *versionreq.Error
			if errors.As(err, &verr) {
				return fail(at+1+verr.Offset, "version requirement: %s", verr.Msg)
			}
			return fail(at+1, "version requirement: %v", err)
		}
		p.req = &req
		if name == "*" {
			return fail(at, "a version requirement needs a namespace, package or interface before it, e.g. wasi:*@0.2.x")
		}
	}
	if name == "*" {
		p.kind = kindAny
		return p, nil
	}
	if !strings.Contains(name, ":") {
		if strings.Contains(name, "/") {
			return fail(0, "an interface pattern needs namespace:package/interface, e.g. wasi:http/types")
		}
		if i := strings.IndexByte(name, '*'); i >= 0 {
			return fail(i, "'*' stands alone or for a whole part (wasi:*, wasi:http/*), not for part of a name")
		}
		if p.req != nil {
			return fail(len(name), "a plain name such as %q has no version", name)
		}
		if err := checkLabel(name); err != nil {
			return fail(0, "%s", err)
		}
		p.kind, p.iface = kindExact, name
		return p, nil
	}
	pkgPart, ifacePart, hasSlash := strings.Cut(name, "/")
	words := strings.Split(pkgPart, ":")
	off := 0
	for i, w := range words {
		last := i == len(words)-1
		switch {
		case w == "*" && last && !hasSlash && i > 0:
			p.kind, p.words = kindNamespace, words[:i]
			return p, nil
		case w == "*" && last:
			return fail(off, "'*' in place of a package matches every package, so nothing may follow it: write %s", strings.Join(words[:i+1], ":"))
		case strings.Contains(w, "*"):
			return fail(off+strings.IndexByte(w, '*'), "'*' stands alone or for a whole part (wasi:*, wasi:http/*), not for part of a name")
		}
		if err := checkWord(w); err != nil {
			return fail(off, "%s", err)
		}
		off += len(w) + 1
	}
	if !hasSlash {
		return fail(len(name), "a package needs an interface: write %s/* for all of its interfaces, or %s/NAME for one", name, name)
	}
	p.words = words
	if ifacePart == "*" {
		p.kind = kindPackage
		return p, nil
	}
	for _, proj := range strings.Split(ifacePart, "/") {
		if strings.Contains(proj, "*") {
			return fail(off+strings.IndexByte(proj, '*'), "'*' stands for a whole interface (wasi:http/*), not for part of a name")
		}
		if err := checkLabel(proj); err != nil {
			return fail(off, "%s", err)
		}
		off += len(proj) + 1
	}
	p.kind, p.iface = kindExact, ifacePart
	return p, nil
}

// checkLabel checks an interface name or plain name with the component
// model's own rules (component.ParseName), so the two never disagree.
func checkLabel(s string) error {
	n, err := component.ParseName(s)
	if err != nil {
		return nameProblem(err)
	}
	if n.Kind != component.NameLabel {
		return fmt.Errorf("%q is not a plain name", s)
	}
	return nil
}

// checkWord checks a namespace or package word (lowercase kebab case) by
// parsing it as the package of an interface name.
func checkWord(w string) error {
	if w == "" {
		return errors.New("empty namespace or package name")
	}
	if _, err := component.ParseName(w + ":p/i"); err != nil {
		return nameProblem(err)
	}
	if _, err := component.ParseName("n:" + w + "/i"); err != nil {
		return nameProblem(err)
	}
	return nil
}

func nameProblem(err error) error {
	var ne *component.NameError
	if errors.As(err, &ne) {
		return errors.New(ne.Msg)
	}
	return err
}

// Match reports whether the import named name is in p's set.
func (p Pattern) Match(name string) bool {
	n, err := component.ParseName(name)
	if err != nil {
		return false
	}
	return p.MatchName(n)
}

// MatchName is Match for a name already parsed.
func (p Pattern) MatchName(n component.Name) bool {
	if p.kind == kindAny {
		return true
	}
	if n.Kind != component.NameInterface {
		return p.kind == kindExact && p.words == nil && n.Kind == component.NameLabel && n.Label == p.iface
	}
	if p.req != nil && (n.Version == "" || !p.req.Matches(n.Version)) {
		return false
	}
	words := strings.Split(n.PackageName(), ":")
	switch p.kind {
	case kindNamespace:
		return len(words) > len(p.words) && hasWords(words, p.words)
	case kindPackage:
		return len(words) == len(p.words) && hasWords(words, p.words)
	case kindExact:
		return p.words != nil && len(words) == len(p.words) && hasWords(words, p.words) && n.Interface == p.iface
	}
	return false
}

func hasWords(words, prefix []string) bool {
	for i, w := range prefix {
		if words[i] != w {
			return false
		}
	}
	return true
}

// Specificity orders patterns for precedence: the pattern that matches
// fewer names is more specific. It compares, in order:
//
//  1. the form: an exact interface or plain name, then a package
//     (wasi:http/*), then a namespace (wasi:*), then *;
//  2. between two namespace or two package patterns, the number of words
//     named (wasi:x:* is more specific than wasi:*);
//  3. a pattern with a version requirement over one without.
//
// Two version requirements are equally specific however narrow each is:
// "@0.2.x" and "@=0.2.10" tie, and a tie goes to deny.
type Specificity struct {
	Form      int // 0 for *, 1 namespace, 2 package, 3 exact
	Words     int
	Versioned bool
}

// Compare returns -1, 0 or 1 as s is less, as or more specific than t.
func (s Specificity) Compare(t Specificity) int {
	switch {
	case s.Form != t.Form:
		return cmpInt(s.Form, t.Form)
	case s.Words != t.Words:
		return cmpInt(s.Words, t.Words)
	case s.Versioned != t.Versioned:
		if s.Versioned {
			return 1
		}
		return -1
	}
	return 0
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Specificity returns p's place in the precedence order.
func (p Pattern) Specificity() Specificity {
	s := Specificity{Form: int(p.kind), Versioned: p.req != nil}
	if p.kind == kindNamespace || p.kind == kindPackage {
		s.Words = len(p.words)
	}
	return s
}

// Covers reports whether every name q matches, p matches too (ignoring
// version requirements on q, but not on p). It finds policy entries that
// can never take effect.
func (p Pattern) Covers(q Pattern) bool {
	if p.req != nil && (q.req == nil || p.req.String() != q.req.String()) {
		return false
	}
	switch p.kind {
	case kindAny:
		return true
	case kindNamespace:
		return q.kind != kindAny && len(q.words) > len(p.words) && hasWords(q.words, p.words) ||
			q.kind == kindNamespace && len(q.words) >= len(p.words) && hasWords(q.words, p.words)
	case kindPackage:
		return (q.kind == kindPackage || q.kind == kindExact && q.words != nil) &&
			len(q.words) == len(p.words) && hasWords(q.words, p.words)
	case kindExact:
		return q.kind == kindExact && q.iface == p.iface && len(q.words) == len(p.words) && hasWords(q.words, p.words) &&
			(p.words == nil) == (q.words == nil)
	}
	return false
}

// Key identifies what a pattern matches, whatever its spelling, so that
// two entries for the same thing can be found.
func (p Pattern) Key() string {
	req := ""
	if p.req != nil {
		req = "@" + p.req.String()
	}
	return fmt.Sprintf("%d|%s|%s%s", p.kind, strings.Join(p.words, ":"), p.iface, req)
}

// IsExactName reports whether p names exactly one interface or label,
// with no version requirement.
func (p Pattern) IsExactName() bool { return p.kind == kindExact && p.req == nil }
