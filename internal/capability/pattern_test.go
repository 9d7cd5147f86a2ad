package capability

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePatternForms(t *testing.T) {
	tests := []struct {
		in   string
		want Specificity
	}{
		{"*", Specificity{Form: 0}},
		{"wasi:*", Specificity{Form: 1, Words: 1}},
		{"wasi:x:*", Specificity{Form: 1, Words: 2}},
		{"wasi:*@0.2.x", Specificity{Form: 1, Words: 1, Versioned: true}},
		{"wasi:http/*", Specificity{Form: 2, Words: 2}},
		{"wasi:http/*@^0.2", Specificity{Form: 2, Words: 2, Versioned: true}},
		{"wasi:http/types", Specificity{Form: 3}},
		{"wasi:http/outgoing-handler@0.2.x", Specificity{Form: 3, Versioned: true}},
		{"a:b:c/d/e", Specificity{Form: 3}},
		{"log", Specificity{Form: 3}},
		{"example:service/processing@=0.1.0", Specificity{Form: 3, Versioned: true}},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.in)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tt.in, err)
			continue
		}
		if got := p.Specificity(); got != tt.want {
			t.Errorf("ParsePattern(%q).Specificity() = %+v, want %+v", tt.in, got, tt.want)
		}
		if p.String() != tt.in {
			t.Errorf("String() = %q, want %q", p.String(), tt.in)
		}
	}
}

func TestParsePatternErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty pattern"},
		{"wasi: http/*", 5, "white space"},
		{"wasi:*/types", 5, "nothing may follow it: write wasi:*"},
		{"wasi:file*", 9, "not for part of a name"},
		{"wasi:http/out*", 13, "not for part of a name"},
		{"wasi:http", 9, "write wasi:http/* for all of its interfaces"},
		{"wasi:http/", 10, "empty name"},
		{"wasi:Http/types", 5, "mixes upper and lower case"},
		{"wasi:http/types@", 16, "expected a version requirement"},
		{"wasi:http/types@0.2.y", 20, "version requirement"},
		{"wasi:http/types@v0.2", 16, "version requirement"},
		{"*@0.2.x", 1, "needs a namespace, package or interface"},
		{"http/types", 0, "needs namespace:package/interface"},
		{"log@1.0.0", 3, "has no version"},
		{"lo*g", 2, "not for part of a name"},
		{"Log", 0, "not kebab case"},
		{":http/types", 0, "empty namespace"},
		{"wasi::http/types", 5, "empty namespace"},
	}
	for _, tt := range tests {
		_, err := ParsePattern(tt.in)
		var pe *PatternError
		if !errors.As(err, &pe) {
			t.Errorf("ParsePattern(%q) = %v, want a *PatternError", tt.in, err)
			continue
		}
		if pe.Offset != tt.offset || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("ParsePattern(%q): offset %d %q; want offset %d and a message containing %q", tt.in, pe.Offset, pe.Msg, tt.offset, tt.msg)
		}
	}
}

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		nomatch []string
	}{
		{"*", []string{"wasi:io/streams@0.2.9", "log", "a:b/c"}, nil},
		{"wasi:*",
			[]string{"wasi:io/streams@0.2.9", "wasi:http/types", "wasi:x:y/z"},
			[]string{"wasix:io/streams", "example:wasi/x", "wasi"}},
		{"wasi:x:*", []string{"wasi:x:y/z"}, []string{"wasi:x/z", "wasi:io/streams"}},
		{"wasi:filesystem/*",
			[]string{"wasi:filesystem/types@0.2.12", "wasi:filesystem/preopens@0.2.6", "wasi:filesystem/types"},
			[]string{"wasi:filesystemx/types", "wasi:io/streams", "wasi:filesystem:x/types"}},
		{"wasi:http/outgoing-handler@0.2.x",
			[]string{"wasi:http/outgoing-handler@0.2.10", "wasi:http/outgoing-handler@0.2.0"},
			[]string{"wasi:http/outgoing-handler@0.3.0", "wasi:http/outgoing-handler", "wasi:http/types@0.2.10", "wasi:http/outgoing-handler@0.2.10-rc1"}},
		{"wasi:http/outgoing-handler@0.2.10", // bare means ^, as in Cargo.toml
			[]string{"wasi:http/outgoing-handler@0.2.10", "wasi:http/outgoing-handler@0.2.12"},
			[]string{"wasi:http/outgoing-handler@0.2.9"}},
		{"wasi:http/types@=0.2.10", []string{"wasi:http/types@0.2.10"}, []string{"wasi:http/types@0.2.12"}},
		{"wasi:*@0.2.x", []string{"wasi:io/poll@0.2.9"}, []string{"wasi:io/poll@0.3.0", "wasi:io/poll"}},
		{"a:b/c/d", []string{"a:b/c/d"}, []string{"a:b/c", "a:b/d"}},
		{"log", []string{"log"}, []string{"wasi:log/log", "logger"}},
		{"wasi:io/streams", []string{"wasi:io/streams@0.2.0", "wasi:io/streams"}, []string{"wasi:io/streams-x", "[method]streams.x", "not a name!"}},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern)
		if err != nil {
			t.Fatalf("ParsePattern(%q): %v", tt.pattern, err)
		}
		for _, n := range tt.match {
			if !p.Match(n) {
				t.Errorf("%q does not match %q, want a match", tt.pattern, n)
			}
		}
		for _, n := range tt.nomatch {
			if p.Match(n) {
				t.Errorf("%q matches %q, want none", tt.pattern, n)
			}
		}
	}
}

// Specificity is a total order consistent with set inclusion: every
// pattern is more specific than each strictly wider one in this chain.
func TestSpecificityOrder(t *testing.T) {
	chain := []string{
		"*",
		"wasi:*",
		"wasi:*@0.2.x",
		"wasi:x:*",
		"wasi:x:y/*",
		"wasi:x:y/*@0.2.x",
		"wasi:x:y/z",
		"wasi:x:y/z@0.2.x",
	}
	for i := range chain {
		for j := range chain {
			a, b := mustPattern(t, chain[i]), mustPattern(t, chain[j])
			got := a.Specificity().Compare(b.Specificity())
			want := cmpInt(i, j)
			if got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", chain[i], chain[j], got, want)
			}
		}
	}
	// Two requirements tie however narrow they are.
	if c := mustPattern(t, "wasi:http/types@0.2.x").Specificity().Compare(mustPattern(t, "wasi:http/types@=0.2.10").Specificity()); c != 0 {
		t.Errorf("two versioned exact patterns compare %d, want a tie", c)
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"*", "log", true},
		{"wasi:*", "wasi:http/types", true},
		{"wasi:*", "wasi:http/*", true},
		{"wasi:*", "wasi:x:*", true},
		{"wasi:x:*", "wasi:*", false},
		{"wasi:http/*", "wasi:http/types", true},
		{"wasi:http/*", "wasi:http/types@0.2.x", true},
		{"wasi:http/*@0.2.x", "wasi:http/types", false},
		{"wasi:http/*@0.2.x", "wasi:http/types@0.2.x", true},
		{"wasi:http/types", "wasi:http/*", false},
		{"wasi:io/*", "wasi:http/types", false},
		{"log", "log", true},
		{"wasi:*", "log", false},
	}
	for _, tt := range tests {
		if got := mustPattern(t, tt.a).Covers(mustPattern(t, tt.b)); got != tt.want {
			t.Errorf("covers(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func mustPattern(t *testing.T, s string) Pattern {
	t.Helper()
	p, err := ParsePattern(s)
	if err != nil {
		t.Fatalf("ParsePattern(%q): %v", s, err)
	}
	return p
}
