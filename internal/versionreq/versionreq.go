package versionreq

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Req is a parsed requirement. The zero Req matches nothing; use Parse.
type Req struct {
	comparators []comparator
	constraints *semver.Constraints
}

// comparator is one operator and partial version, as written.
type comparator struct {
	op string // "" (bare), "^", "~", "=", ">", ">=", "<", "<="
	// parts holds MAJOR[.MINOR[.PATCH]] as written: digits, or "*" for any
	// wildcard spelling.
	parts []string
	pre   string // pre-release, without the '-'
}

// Error says where and why a requirement does not parse. Offset is a byte
// offset into Req, so a caller that knows where the string sits in a file
// can point at the bad part.
type Error struct {
	Req    string
	Offset int
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("version requirement %q: at offset %d: %s", e.Req, e.Offset, e.Msg)
}

// maxLen bounds a requirement well below Masterminds' own limit, so a
// long input is refused here with an offset rather than there.
const maxLen = 256

// Parse parses a cargo-style requirement such as "0.2.x", "^1.2",
// "~0.2", "=1.2.3" or ">=0.2.3, <0.3".
func Parse(s string) (Req, error) {
	if len(s) > maxLen {
		return Req{}, &Error{Req: s, Offset: maxLen, Msg: fmt.Sprintf("longer than %d bytes", maxLen)}
	}
	p := parser{s: s}
	r, err := p.req()
	if err != nil {
		return Req{}, err
	}
	c, cerr := semver.NewConstraint(r.masterminds())
	if cerr != nil {
		// Parse already refused everything Masterminds does not read the
		// same way; reaching this is a bug in the translation.
		return Req{}, &Error{Req: s, Offset: 0, Msg: fmt.Sprintf("internal error: %v", cerr)}
	}
	r.constraints = c
	return r, nil
}

// String returns the requirement in canonical spelling: comparators
// separated by ", ", no space after an operator, wildcard parts written x.
func (r Req) String() string {
	var b strings.Builder
	for i, c := range r.comparators {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.op)
		c.writeVersion(&b)
	}
	return b.String()
}

// masterminds spells r in Masterminds' language, where a bare version
// means = rather than ^.
func (r Req) masterminds() string {
	var b strings.Builder
	for i, c := range r.comparators {
		if i > 0 {
			b.WriteString(", ")
		}
		op := c.op
		if op == "" && !c.hasWildcard() {
			op = "^"
		}
		b.WriteString(op)
		c.writeVersion(&b)
	}
	return b.String()
}

func (c comparator) hasWildcard() bool {
	return len(c.parts) > 0 && c.parts[len(c.parts)-1] == "*"
}

// writeVersion writes the version part, wildcards spelled "x" except a
// lone "*".
func (c comparator) writeVersion(b *strings.Builder) {
	if len(c.parts) == 1 && c.parts[0] == "*" {
		b.WriteByte('*')
		return
	}
	for i, p := range c.parts {
		if i > 0 {
			b.WriteByte('.')
		}
		if p == "*" {
			p = "x"
		}
		b.WriteString(p)
	}
	if c.pre != "" {
		b.WriteByte('-')
		b.WriteString(c.pre)
	}
}

// Matches reports whether version, a strict semver such as "0.2.3" (no v
// prefix, all three parts), satisfies r. Anything that is not a semver
// matches nothing.
func (r Req) Matches(version string) bool {
	v, err := semver.StrictNewVersion(version)
	if err != nil {
		return false
	}
	return r.MatchesVersion(v)
}

// MatchesVersion reports whether v satisfies r.
func (r Req) MatchesVersion(v *semver.Version) bool {
	if r.constraints == nil || v == nil {
		return false
	}
	if v.Prerelease() != "" && !r.admitsPrereleaseOf(v) {
		return false
	}
	return r.constraints.Check(v)
}

// admitsPrereleaseOf is cargo's rule: a pre-release is only considered when
// some comparator names a pre-release of the same MAJOR.MINOR.PATCH, so
// "^1.2.3-alpha" admits 1.2.3-beta but never 1.3.0-alpha.
func (r Req) admitsPrereleaseOf(v *semver.Version) bool {
	triple := fmt.Sprintf("%d.%d.%d", v.Major(), v.Minor(), v.Patch())
	for _, c := range r.comparators {
		if c.pre != "" && len(c.parts) == 3 && strings.Join(c.parts, ".") == triple {
			return true
		}
	}
	return false
}

// Highest returns the highest of versions that r matches, as written in
// versions. Strings that are not strict semver (registry tags such as
// "latest" or "v1") are ignored. Versions equal but for build metadata are
// ordered by their text, so the answer does not depend on input order.
func (r Req) Highest(versions []string) (string, bool) {
	var best *semver.Version
	bestText := ""
	for _, s := range versions {
		v, err := semver.StrictNewVersion(s)
		if err != nil || !r.MatchesVersion(v) {
			continue
		}
		if best == nil {
			best, bestText = v, s
			continue
		}
		switch cmp := v.Compare(best); {
		case cmp > 0, cmp == 0 && s < bestText:
			best, bestText = v, s
		}
	}
	return bestText, best != nil
}

// CheckVersion reports whether s is a strict semantic version
// (MAJOR.MINOR.PATCH[-PRE][+BUILD], no v prefix, no leading zeros), as
// package versions and registry tags must be.
func CheckVersion(s string) error {
	_, err := semver.StrictNewVersion(s)
	if err == nil {
		return nil
	}
	why := "expected MAJOR.MINOR.PATCH, e.g. 1.2.0"
	switch {
	case strings.HasPrefix(s, "v") || strings.HasPrefix(s, "V"):
		why = "write it without the v prefix"
	case errors.Is(err, semver.ErrSegmentStartsZero):
		why = "a number has a leading zero"
	case errors.Is(err, semver.ErrInvalidPrerelease):
		why = "invalid pre-release"
	case errors.Is(err, semver.ErrInvalidMetadata):
		why = "invalid build metadata"
	}
	return fmt.Errorf("%q is not a semantic version: %s", s, why)
}

type parser struct {
	s   string
	pos int
}

func (p *parser) fail(at int, format string, args ...any) error {
	return &Error{Req: p.s, Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) req() (Req, error) {
	var r Req
	p.skipSpace()
	if p.pos == len(p.s) {
		return Req{}, p.fail(p.pos, `empty requirement (write "*" to accept any version)`)
	}
	for {
		c, err := p.comparator()
		if err != nil {
			return Req{}, err
		}
		r.comparators = append(r.comparators, c)
		p.skipSpace()
		if p.pos == len(p.s) {
			return r, nil
		}
		switch {
		case p.s[p.pos] == ',':
			p.pos++
			p.skipSpace()
			if p.pos == len(p.s) {
				return Req{}, p.fail(p.pos, "expected a comparator after ','")
			}
		case strings.HasPrefix(p.s[p.pos:], "||"):
			return Req{}, p.fail(p.pos, "'||' is not supported: comparators are separated by ',' and must all hold")
		case p.s[p.pos] == '-':
			return Req{}, p.fail(p.pos, "hyphen ranges are not supported: write >=A, <=B")
		default:
			return Req{}, p.fail(p.pos, "unexpected %q: separate comparators with ','", p.rest())
		}
	}
}

// rest is the remaining input up to the next separator, for messages.
func (p *parser) rest() string {
	end := p.pos
	for end < len(p.s) && p.s[end] != ',' && p.s[end] != ' ' {
		end++
	}
	if end == p.pos {
		end = p.pos + 1
	}
	return p.s[p.pos:end]
}

var operators = []string{">=", "<=", ">", "<", "=", "^", "~"}

func (p *parser) comparator() (comparator, error) {
	var c comparator
	start := p.pos
	switch rest := p.s[p.pos:]; {
	case strings.HasPrefix(rest, "~>"):
		return c, p.fail(start, "'~>' is not supported: write ~ (\"~1.2\" admits 1.2.x)")
	case strings.HasPrefix(rest, "=>"), strings.HasPrefix(rest, "=<"):
		return c, p.fail(start, "unknown operator %q (expected one of ^ ~ = > >= < <=)", rest[:2])
	case strings.HasPrefix(rest, "!="):
		return c, p.fail(start, "'!=' is not supported (expected one of ^ ~ = > >= < <=)")
	}
	for _, op := range operators {
		if strings.HasPrefix(p.s[p.pos:], op) {
			c.op = op
			p.pos += len(op)
			break
		}
	}
	p.skipSpace()
	if p.pos == len(p.s) {
		return c, p.fail(p.pos, "expected a version after %q", c.op)
	}
	if ch := p.s[p.pos]; ch == 'v' || ch == 'V' {
		return c, p.fail(p.pos, "unexpected %q: write the version without a v prefix", ch)
	}
	for len(c.parts) < 3 {
		part, err := p.part(len(c.parts), c.hasWildcard())
		if err != nil {
			return c, err
		}
		c.parts = append(c.parts, part)
		if p.pos < len(p.s) && p.s[p.pos] == '.' {
			p.pos++
			if len(c.parts) == 3 {
				return c, p.fail(p.pos-1, "a version has at most three parts, MAJOR.MINOR.PATCH")
			}
			continue
		}
		break
	}
	if p.pos < len(p.s) && p.s[p.pos] == '-' && len(c.parts) == 3 && !c.hasWildcard() {
		p.pos++
		pre, err := p.prerelease()
		if err != nil {
			return c, err
		}
		c.pre = pre
	} else if p.pos < len(p.s) && p.s[p.pos] == '-' && !p.spaceBefore() {
		return c, p.fail(p.pos, "a pre-release needs a full MAJOR.MINOR.PATCH version before it")
	}
	if p.pos < len(p.s) && p.s[p.pos] == '+' {
		return c, p.fail(p.pos, "build metadata (+...) has no meaning in a requirement")
	}
	if c.op == "" && c.parts[0] == "*" && len(c.parts) > 1 {
		return c, p.fail(start, "write \"*\" alone to accept any version")
	}
	return c, nil
}

// spaceBefore reports whether the byte before the cursor is a space, which
// makes a '-' the start of a hyphen range rather than a pre-release.
func (p *parser) spaceBefore() bool {
	return p.pos > 0 && (p.s[p.pos-1] == ' ' || p.s[p.pos-1] == '\t')
}

var partNames = [3]string{"major", "minor", "patch"}

// part reads one numeric or wildcard version part.
func (p *parser) part(index int, afterWildcard bool) (string, error) {
	start := p.pos
	if p.pos < len(p.s) {
		switch p.s[p.pos] {
		case 'x', 'X', '*':
			p.pos++
			return "*", nil
		}
	}
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	digits := p.s[start:p.pos]
	switch {
	case digits == "" && p.pos == len(p.s):
		return "", p.fail(start, "expected the %s version number", partNames[index])
	case digits == "":
		return "", p.fail(start, "unexpected %q where the %s version number should be", p.s[start], partNames[index])
	case afterWildcard:
		return "", p.fail(start, "a number cannot follow a wildcard: write 1.x or 1.2.x")
	case len(digits) > 1 && digits[0] == '0':
		return "", p.fail(start, "leading zero in %s version %q", partNames[index], digits)
	}
	if _, err := strconv.ParseUint(digits, 10, 64); err != nil {
		return "", p.fail(start, "%s version %q is too large", partNames[index], digits)
	}
	return digits, nil
}

// prerelease reads dot-separated identifiers of [0-9A-Za-z-]; numeric ones
// have no leading zero (semver.org, item 9).
func (p *parser) prerelease() (string, error) {
	start := p.pos
	for {
		idStart := p.pos
		for p.pos < len(p.s) && isIdentChar(p.s[p.pos]) {
			p.pos++
		}
		id := p.s[idStart:p.pos]
		if id == "" {
			return "", p.fail(idStart, "empty pre-release identifier")
		}
		if allDigits(id) && len(id) > 1 && id[0] == '0' {
			return "", p.fail(idStart, "leading zero in numeric pre-release identifier %q", id)
		}
		if p.pos < len(p.s) && p.s[p.pos] == '.' {
			p.pos++
			continue
		}
		return p.s[start:p.pos], nil
	}
}

func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
