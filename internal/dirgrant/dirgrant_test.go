package dirgrant

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		want   Grant
		err    string
		offset int
	}{
		{in: "data::/data", want: Grant{Host: "data", Guest: "/data"}},
		{in: "assets::/assets:ro", want: Grant{Host: "assets", Guest: "/assets", ReadOnly: true}},
		{in: "assets::/assets:rw", want: Grant{Host: "assets", Guest: "/assets"}},
		{in: "/srv/x", want: Grant{Host: "/srv/x", Guest: "/srv/x"}},
		{in: "/srv/x:ro", want: Grant{Host: "/srv/x", Guest: "/srv/x", ReadOnly: true}},
		{in: "data:ro", want: Grant{Host: "data", Guest: "data", ReadOnly: true}},
		{in: "::/data", err: "the host directory is empty"},
		{in: "data::", err: "the guest directory is empty", offset: 6},
		{in: "data:::ro", err: "the guest directory is empty", offset: 6},
		{in: "a::b::c", err: "one '::'", offset: 3},
		{in: "", err: "expected HOST::GUEST[:ro]"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.err != "" {
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, tt.err) || se.Offset != tt.offset {
				t.Errorf("Parse(%q) = %+v, %v; want an error at %d containing %q", tt.in, got, err, tt.offset, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}
