package wac

import (
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		src  string
		want string // kinds and texts, space separated
	}{
		{"package a:b;", "`package` package-name(a:b) `;`"},
		{"a:b@1.2.3-rc.1+build", "package-name(a:b@1.2.3-rc.1+build)"},
		{"a:b/c/d@0.2.0", "package-path(a:b/c/d@0.2.0)"},
		{"a:b:c/d", "package-path(a:b:c/d)"},
		// ':' then a space is a separator; `c:d` without one names a package.
		{"{ c: d }", "`{` ident(c) `:` ident(d) `}`"},
		{"{ c:d }", "`{` package-name(c:d) `}`"},
		// '@' not followed by a digit ends the name.
		{"a:b@x", "package-name(a:b) `@` ident(x)"},
		{"a:b/", "package-name(a:b) `/`"},
		// Keywords only as whole tokens.
		{"u32 %u32 u32-x import:x", "`u32` ident(%u32) ident(u32-x) package-name(import:x)"},
		{"HTTP-client aB", "ident(HTTP-client) ident(a) ident(B)"},
		{"... . -> _", "`...` `.` `->` `_`"},
		{"x /* a /* nested */ comment */ y // line\nz", "ident(x) ident(y) ident(z)"},
		{`"a:b/c" ""`, `string("a:b/c") string("")`},
	}
	for _, tt := range tests {
		toks, err := tokenize(NewFile("t.wac", []byte(tt.src)))
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		var got []string
		for _, tok := range toks[:len(toks)-1] {
			got = append(got, tokenText(tt.src, tok))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, g, tt.want)
		}
	}
}

func tokenText(src string, t token) string {
	text := src[t.span.Start:t.span.End]
	switch t.kind {
	case tokIdent:
		return "ident(" + text + ")"
	case tokString:
		return "string(" + text + ")"
	case tokPackageName:
		return "package-name(" + text + ")"
	case tokPackagePath:
		return "package-path(" + text + ")"
	}
	return t.kind.String()
}

func TestTokenizeErrors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"x\n  # y", "t.wac:2:3: unexpected character '#'"},
		{`x "open`, "t.wac:1:3: unterminated string"},
		{"x /* /* */", "t.wac:1:3: unterminated block comment"},
		{"x\u202ey", "t.wac:1:2: bidirectional override character U+202E is not allowed"},
		{"x\x00", "t.wac:1:2: control character U+0000 is not allowed"},
		{"x\xff", "t.wac:1:2: invalid UTF-8"},
		{"é\u0149", "t.wac:1:2: character U+0149 is deprecated by Unicode"},
		{"x - y", "t.wac:1:3: unexpected character '-'"},
	}
	for _, tt := range tests {
		_, err := tokenize(NewFile("t.wac", []byte(tt.src)))
		if err == nil {
			t.Errorf("%q: no error", tt.src)
			continue
		}
		first, _, _ := strings.Cut(err.Error(), "\n")
		if first != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, first, tt.want)
		}
	}
}
