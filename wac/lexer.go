package wac

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The lexer follows LANGUAGE.md's grammar, with its longest-match reading:
// `a:b` is one package-name token and `a:b/c@1.0.0` one package-path token,
// so `{ c: d }` is a named argument while `{ c:d }` names a package, as in
// wac. Keywords are reserved only as whole tokens: `%u32` and `u32-x` are
// identifiers.

// lexer produces the tokens of one source, skipping whitespace and
// comments. It works on the whole input at once: tokens are small, and the
// parser needs two tokens of lookahead.
type lexer struct {
	file *File
	src  string
	pos  int
}

// tokenize returns every token of f, ending with tokEOF, or the first
// lexical error.
func tokenize(f *File) ([]token, error) {
	if err := checkText(f); err != nil {
		return nil, err
	}
	lx := &lexer{file: f, src: f.Src}
	var toks []token
	for {
		t, err := lx.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tokEOF {
			return toks, nil
		}
	}
}

// checkText refuses text that could read differently from what it does:
// invalid UTF-8, bidirectional overrides (CVE-2021-42574), code points
// Unicode deprecates, and control characters other than tab and newline.
func checkText(f *File) error {
	src := f.Src
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		bad := ""
		switch {
		case r == utf8.RuneError && n == 1:
			bad = "invalid UTF-8"
		case r == '\t' || r == '\n' || r == '\r':
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			bad = fmt.Sprintf("bidirectional override character %U is not allowed", r)
		case r == 0x149, r == 0x673, r == 0xf77, r == 0xf79, r == 0x17a3, r == 0x17a4, r == 0x17b4, r == 0x17b5:
			bad = fmt.Sprintf("character %U is deprecated by Unicode", r)
		case unicode.IsControl(r):
			bad = fmt.Sprintf("control character %U is not allowed", r)
		}
		if bad != "" {
			return &Error{File: f, Span: Span{i, i + n}, Msg: bad}
		}
		i += n
	}
	return nil
}

func (lx *lexer) errorf(start, end int, format string, args ...any) error {
	return &Error{File: lx.file, Span: Span{start, end}, Msg: fmt.Sprintf(format, args...)}
}

func (lx *lexer) next() (token, error) {
	if err := lx.skipSpace(); err != nil {
		return token{}, err
	}
	start := lx.pos
	if start >= len(lx.src) {
		return token{kind: tokEOF, span: Span{start, start}}, nil
	}
	c := lx.src[start]
	tok := func(k tokenKind, n int) (token, error) {
		lx.pos += n
		return token{kind: k, span: Span{start, lx.pos}}, nil
	}
	switch c {
	case ';':
		return tok(tokSemicolon, 1)
	case '{':
		return tok(tokLBrace, 1)
	case '}':
		return tok(tokRBrace, 1)
	case ':':
		return tok(tokColon, 1)
	case '=':
		return tok(tokEquals, 1)
	case '(':
		return tok(tokLParen, 1)
	case ')':
		return tok(tokRParen, 1)
	case '<':
		return tok(tokLAngle, 1)
	case '>':
		return tok(tokRAngle, 1)
	case '_':
		return tok(tokUnderscore, 1)
	case '[':
		return tok(tokLBracket, 1)
	case ']':
		return tok(tokRBracket, 1)
	case ',':
		return tok(tokComma, 1)
	case '/':
		return tok(tokSlash, 1)
	case '@':
		return tok(tokAt, 1)
	case '-':
		if lx.hasPrefix("->") {
			return tok(tokArrow, 2)
		}
	case '.':
		if lx.hasPrefix("...") {
			return tok(tokEllipsis, 3)
		}
		return tok(tokDot, 1)
	case '"':
		end := lx.indexFrom(start+1, '"')
		if end < 0 {
			return token{}, lx.errorf(start, start+1, "unterminated string")
		}
		lx.pos = end + 1
		return token{kind: tokString, span: Span{start, lx.pos}}, nil
	}
	if c == '%' || isLetter(c) {
		if t, ok := lx.word(); ok {
			return t, nil
		}
	}
	r, n := utf8.DecodeRuneInString(lx.src[start:])
	return token{}, lx.errorf(start, start+n, "unexpected character %q", r)
}

func (lx *lexer) hasPrefix(s string) bool {
	return len(lx.src)-lx.pos >= len(s) && lx.src[lx.pos:lx.pos+len(s)] == s
}

func (lx *lexer) indexFrom(from int, c byte) int {
	for i := from; i < len(lx.src); i++ {
		if lx.src[i] == c {
			return i
		}
	}
	return -1
}

// skipSpace skips whitespace, line comments and (nested) block comments.
func (lx *lexer) skipSpace() error {
	for lx.pos < len(lx.src) {
		switch c := lx.src[lx.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			lx.pos++
		case lx.hasPrefix("//"):
			end := lx.indexFrom(lx.pos, '\n')
			if end < 0 {
				end = len(lx.src)
			}
			lx.pos = end
		case lx.hasPrefix("/*"):
			start := lx.pos
			depth := 0
			for {
				switch {
				case lx.pos >= len(lx.src):
					return lx.errorf(start, start+2, "unterminated block comment")
				case lx.hasPrefix("/*"):
					depth++
					lx.pos += 2
				case lx.hasPrefix("*/"):
					depth--
					lx.pos += 2
				default:
					lx.pos++
				}
				if depth == 0 {
					break
				}
			}
		default:
			return nil
		}
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// word lexes an identifier, keyword, package name or package path at
// lx.pos, the longest that matches.
func (lx *lexer) word() (token, bool) {
	start := lx.pos
	end, ok := lx.scanID(start)
	if !ok {
		return token{}, false
	}
	kind := tokIdent
	// (':' id)+ makes a package name, then ('/' id)+ a path.
	for end < len(lx.src) && lx.src[end] == ':' {
		e, ok := lx.scanID(end + 1)
		if !ok {
			break
		}
		end, kind = e, tokPackageName
	}
	if kind == tokPackageName {
		for end < len(lx.src) && lx.src[end] == '/' {
			e, ok := lx.scanID(end + 1)
			if !ok {
				break
			}
			end, kind = e, tokPackagePath
		}
		if end < len(lx.src) && lx.src[end] == '@' {
			if e, ok := scanVersion(lx.src, end+1); ok {
				end = e
			}
		}
	}
	lx.pos = end
	if kind == tokIdent {
		if kw, ok := keywords[lx.src[start:end]]; ok {
			kind = kw
		}
	}
	return token{kind: kind, span: Span{start, end}}, true
}

// scanID matches '%'? word ('-' word)* at i, where a word is [a-z][a-z0-9]*
// or [A-Z][A-Z0-9]*, and returns where it ends.
func (lx *lexer) scanID(i int) (int, bool) {
	s := lx.src
	if i < len(s) && s[i] == '%' {
		i++
	}
	end, ok := scanWord(s, i)
	if !ok {
		return i, false
	}
	for end < len(s) && s[end] == '-' {
		e, ok := scanWord(s, end+1)
		if !ok {
			break
		}
		end = e
	}
	return end, true
}

func scanWord(s string, i int) (int, bool) {
	if i >= len(s) {
		return i, false
	}
	var rest func(byte) bool
	switch c := s[i]; {
	case c >= 'a' && c <= 'z':
		rest = func(c byte) bool { return c >= 'a' && c <= 'z' || isDigit(c) }
	case c >= 'A' && c <= 'Z':
		rest = func(c byte) bool { return c >= 'A' && c <= 'Z' || isDigit(c) }
	default:
		return i, false
	}
	i++
	for i < len(s) && rest(s[i]) {
		i++
	}
	return i, true
}

// scanVersion matches what may follow '@': digits, then ('.' [0-9A-Za-z+-]+)*.
// Whether it is valid semver is checked by the parser, which can then say so.
func scanVersion(s string, i int) (int, bool) {
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start {
		return start, false
	}
	for i+1 < len(s) && s[i] == '.' && isVersionChar(s[i+1]) {
		i += 2
		for i < len(s) && isVersionChar(s[i]) {
			i++
		}
	}
	return i, true
}

func isVersionChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '-' || c == '+' }
