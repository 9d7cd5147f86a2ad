package versionreq

import (
	"errors"
	"strings"
	"testing"
)

// The expected ranges are the Cargo book's ("Specifying Dependencies"),
// each checked at its edges.
func TestMatches(t *testing.T) {
	tests := []struct {
		req      string
		match    []string
		nonMatch []string
	}{
		// A bare version is a caret requirement.
		{"1.2.3", []string{"1.2.3", "1.9.0"}, []string{"1.2.2", "2.0.0"}},
		{"1.2", []string{"1.2.0", "1.99.99"}, []string{"1.1.9", "2.0.0"}},
		{"1", []string{"1.0.0", "1.9.9"}, []string{"0.9.9", "2.0.0"}},
		{"0.2.3", []string{"0.2.3", "0.2.99"}, []string{"0.2.2", "0.3.0"}},
		{"0.2", []string{"0.2.0", "0.2.9"}, []string{"0.1.9", "0.3.0"}},
		{"0.0.3", []string{"0.0.3"}, []string{"0.0.2", "0.0.4"}},
		{"0.0", []string{"0.0.0", "0.0.9"}, []string{"0.1.0"}},
		{"0", []string{"0.0.0", "0.9.9"}, []string{"1.0.0"}},
		{"^0.2.3", []string{"0.2.3", "0.2.4"}, []string{"0.3.0", "0.2.2"}},
		{"^1.2", []string{"1.2.0", "1.3.0"}, []string{"2.0.0"}},
		// Tilde.
		{"~1.2.3", []string{"1.2.3", "1.2.9"}, []string{"1.3.0", "1.2.2"}},
		{"~1.2", []string{"1.2.0", "1.2.9"}, []string{"1.3.0"}},
		{"~1", []string{"1.0.0", "1.9.0"}, []string{"2.0.0"}},
		{"~0.2", []string{"0.2.0", "0.2.7"}, []string{"0.3.0", "0.1.0"}},
		// Wildcards.
		{"*", []string{"0.0.0", "99.0.0"}, []string{"1.0.0-alpha"}},
		{"1.*", []string{"1.0.0", "1.9.0"}, []string{"2.0.0", "0.9.0"}},
		{"1.2.*", []string{"1.2.0", "1.2.9"}, []string{"1.3.0", "1.1.0"}},
		{"0.2.x", []string{"0.2.0", "0.2.9"}, []string{"0.3.0", "0.1.9"}},
		{"0.2.X", []string{"0.2.1"}, []string{"0.3.0"}},
		// Comparisons.
		{">=1.2.0", []string{"1.2.0", "9.0.0"}, []string{"1.1.9"}},
		{"> 1", []string{"2.0.0"}, []string{"1.9.9"}},
		{"< 2", []string{"1.9.9"}, []string{"2.0.0"}},
		{"<=1.2", []string{"1.2.9"}, []string{"1.3.0"}},
		{">1.2", []string{"1.3.0"}, []string{"1.2.9"}},
		{"=1.2.3", []string{"1.2.3"}, []string{"1.2.4", "1.2.2"}},
		{"=1.2", []string{"1.2.0", "1.2.5"}, []string{"1.3.0"}},
		// Several comparators all hold.
		{">=0.2.3, <0.3", []string{"0.2.3", "0.2.9"}, []string{"0.2.2", "0.3.0"}},
		{">= 1.2, < 1.5", []string{"1.2.0", "1.4.9"}, []string{"1.5.0", "1.1.0"}},
		// Pre-releases: only those of a triple a comparator names.
		{"^1.2.3-alpha.1", []string{"1.2.3-alpha.1", "1.2.3-beta", "1.2.3", "1.5.0"}, []string{"1.3.0-alpha", "1.2.3-alpha.0"}},
		{">=1.2.3-rc.1, <2", []string{"1.2.3-rc.2", "1.9.0"}, []string{"1.4.0-rc.1"}},
		{"1.2.3", []string{"1.2.4+build.5"}, []string{"1.2.4-rc.1"}},
		// Non-semver versions match nothing.
		{"*", nil, []string{"latest", "v1.2.3", "1.2", "01.2.3", ""}},
	}
	for _, tt := range tests {
		r, err := Parse(tt.req)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.req, err)
			continue
		}
		for _, v := range tt.match {
			if !r.Matches(v) {
				t.Errorf("%q does not match %q, want a match", tt.req, v)
			}
		}
		for _, v := range tt.nonMatch {
			if r.Matches(v) {
				t.Errorf("%q matches %q, want no match", tt.req, v)
			}
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0.2.x", "0.2.x"},
		{"0.2.*", "0.2.x"},
		{"  >= 0.2.3 ,<0.3 ", ">=0.2.3, <0.3"},
		{"^1.2.3-alpha.1", "^1.2.3-alpha.1"},
		{"~ 1", "~1"},
		{"*", "*"},
		{"1.*.*", "1.x.x"},
	}
	for _, tt := range tests {
		r, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		// The canonical spelling parses to the same requirement.
		again, err := Parse(r.String())
		if err != nil || again.String() != r.String() {
			t.Errorf("re-parsing %q: %v, %q", r.String(), err, again.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, `empty requirement (write "*" to accept any version)`},
		{"   ", 3, `empty requirement (write "*" to accept any version)`},
		{"v1.2.3", 0, `unexpected 'v': write the version without a v prefix`},
		{">=0.2.3, <0.x.1", 14, "a number cannot follow a wildcard: write 1.x or 1.2.x"},
		{"1.2.3.4", 5, "a version has at most three parts, MAJOR.MINOR.PATCH"},
		{"01.2", 0, `leading zero in major version "01"`},
		{"1.02", 2, `leading zero in minor version "02"`},
		{"1.2.3-01", 6, `leading zero in numeric pre-release identifier "01"`},
		{"1.2.3-", 6, "empty pre-release identifier"},
		{"1.2-alpha", 3, "a pre-release needs a full MAJOR.MINOR.PATCH version before it"},
		{"1.2.3+build", 5, "build metadata (+...) has no meaning in a requirement"},
		{">=", 2, `expected a version after ">="`},
		{"1.", 2, "expected the minor version number"},
		{"1.a", 2, `unexpected 'a' where the minor version number should be`},
		{"1.2, ", 5, "expected a comparator after ','"},
		{">=1.2 <2", 6, `unexpected "<2": separate comparators with ','`},
		{"1.2 || 2", 4, "'||' is not supported: comparators are separated by ',' and must all hold"},
		{"1.2 - 1.4", 4, "hyphen ranges are not supported: write >=A, <=B"},
		{"~>1.2", 0, `'~>' is not supported: write ~ ("~1.2" admits 1.2.x)`},
		{"=>1.2", 0, `unknown operator "=>" (expected one of ^ ~ = > >= < <=)`},
		{"!=1.2", 0, "'!=' is not supported (expected one of ^ ~ = > >= < <=)"},
		{"*.x", 0, `write "*" alone to accept any version`},
		{"99999999999999999999", 0, `major version "99999999999999999999" is too large`},
		{"latest", 0, `unexpected 'l' where the major version number should be`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want an *Error", tt.in, err)
			continue
		}
		if e.Offset != tt.offset || e.Msg != tt.msg {
			t.Errorf("Parse(%q): offset %d, %q\nwant offset %d, %q", tt.in, e.Offset, e.Msg, tt.offset, tt.msg)
		}
	}
}

func TestHighest(t *testing.T) {
	tags := []string{"latest", "0.2.0", "v0.2.9", "0.2.3", "0.3.0", "0.2.4-rc.1", "0.2.3+b", "0.2", "0.1.9"}
	tests := []struct {
		req  string
		want string
		ok   bool
	}{
		{"0.2.x", "0.2.3", true},
		{"^0.2.4-rc.1", "0.2.4-rc.1", true},
		{"*", "0.3.0", true},
		{"<0.2", "0.1.9", true},
		{"=0.2.3", "0.2.3", true}, // "0.2.3" sorts before "0.2.3+b"
		{"^1", "", false},
	}
	for _, tt := range tests {
		r, err := Parse(tt.req)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := r.Highest(tags)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%q.Highest = %q, %v; want %q, %v", tt.req, got, ok, tt.want, tt.ok)
		}
	}
}

func TestZeroReqMatchesNothing(t *testing.T) {
	var r Req
	if r.Matches("1.0.0") {
		t.Error("the zero Req matches 1.0.0")
	}
	if _, ok := r.Highest([]string{"1.0.0"}); ok {
		t.Error("the zero Req has a highest match")
	}
}

func TestCheckVersion(t *testing.T) {
	for _, v := range []string{"0.1.0", "1.2.3-rc.1+build.5", "10.20.30"} {
		if err := CheckVersion(v); err != nil {
			t.Errorf("CheckVersion(%q): %v", v, err)
		}
	}
	for _, v := range []string{"", "1.2", "v1.2.3", "01.2.3", "1.2.3-01", "1.2.3.4"} {
		if err := CheckVersion(v); err == nil {
			t.Errorf("CheckVersion(%q) = nil, want an error", v)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0.2.x", ">=0.2.3, <0.3", "^1.2.3-alpha.1", "~1", "*", "1.2 || 3", "v1"} {
		f.Add(s, "0.2.5")
	}
	f.Fuzz(func(t *testing.T, req, version string) {
		r, err := Parse(req)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || strings.HasPrefix(e.Msg, "internal error") || e.Offset < 0 || e.Offset > len(req) {
				t.Fatalf("Parse(%q): %v", req, err)
			}
			return
		}
		r.Matches(version)
		// Canonical spelling is stable and means the same.
		again, err := Parse(r.String())
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", r.String(), req, err)
		}
		if again.String() != r.String() || again.Matches(version) != r.Matches(version) {
			t.Fatalf("canonical %q of %q differs", r.String(), req)
		}
	})
}
