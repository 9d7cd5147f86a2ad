package policy

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// specFrom reads a policy written one rule a line, the way tables below
// state them: "allow P", "deny P", "stub P", "grant MEMBER P..." and
// "env K=V". Each entry's Source is a fake file position: line i, column 1.
func specFrom(t *testing.T, text string) Spec {
	t.Helper()
	var s Spec
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		at := Source{File: "policy.toml", Line: i + 1, Col: 1}
		entries := func(ps []string) []Entry {
			var out []Entry
			for _, p := range ps {
				out = append(out, Entry{Pattern: p, At: at})
			}
			return out
		}
		switch f[0] {
		case "allow":
			s.Allow = append(s.Allow, entries(f[1:])...)
		case "deny":
			s.Deny = append(s.Deny, entries(f[1:])...)
		case "stub":
			s.Stub = append(s.Stub, entries(f[1:])...)
		case "grant":
			s.Grants = append(s.Grants, Grant{Member: f[1], At: at, Patterns: entries(f[2:])})
		case "env":
			if s.Virtual == nil {
				s.Virtual = &Virtual{At: at}
			}
			k, v, _ := strings.Cut(f[1], "=")
			s.Virtual.Env = append(s.Virtual.Env, EnvVar{Key: k, Value: v, At: at})
		default:
			t.Fatalf("bad policy line %q", line)
		}
	}
	return s
}

func TestDecide(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		// checks are "MEMBER IMPORT → STATUS"; MEMBER "-" is none.
		checks []string
	}{
		{"no rules allow everything", ``, []string{
			"- wasi:sockets/tcp@0.2.0 allowed",
			"- log allowed",
		}},
		{"an allow list denies by default", `allow wasi:cli/* wasi:io/*`, []string{
			"- wasi:cli/stdout@0.2.9 allowed",
			"- wasi:io/streams@0.2.9 allowed",
			"- wasi:filesystem/types@0.2.9 denied",
			"- log denied",
		}},
		{"the most specific pattern wins: deny inside allow", `
allow wasi:*
deny wasi:sockets/*`, []string{
			"- wasi:sockets/tcp@0.2.12 denied",
			"- wasi:cli/stdout@0.2.12 allowed",
		}},
		{"the most specific pattern wins: allow inside deny", `
deny wasi:http/*
allow wasi:http/types`, []string{
			"- wasi:http/types@0.2.10 allowed",
			"- wasi:http/outgoing-handler@0.2.10 denied",
		}},
		{"a version requirement is more specific than none", `
deny wasi:http/outgoing-handler
allow wasi:http/outgoing-handler@0.2.x`, []string{
			"- wasi:http/outgoing-handler@0.2.10 allowed",
			"- wasi:http/outgoing-handler@0.3.0 denied",
			"- wasi:http/outgoing-handler denied",
		}},
		{"a tie goes to deny", `
allow wasi:http/types@0.2.x
deny wasi:http/types@=0.2.10`, []string{
			"- wasi:http/types@0.2.10 denied",
			"- wasi:http/types@0.2.12 allowed",
		}},
		{"a tie between deny and stub goes to deny", `
stub wasi:http/types@0.2.x
deny wasi:http/types@^0.2.10`, []string{
			"- wasi:http/types@0.2.10 denied",
			"- wasi:http/types@0.2.9 stubbed",
		}},
		{"order does not matter", `
deny wasi:sockets/*
allow wasi:*`, []string{
			"- wasi:sockets/tcp@0.2.12 denied",
			"- wasi:io/poll@0.2.12 allowed",
		}},
		{"more words in a namespace pattern are more specific", `
deny wasi:*
allow wasi:x:*`, []string{
			"- wasi:x:y/z allowed",
			"- wasi:y/z denied",
		}},
		{"stub denies and replaces", `
allow wasi:*
stub wasi:http/*`, []string{
			"- wasi:http/types@0.2.10 stubbed",
			"- wasi:io/error@0.2.10 allowed",
		}},
		{"a grant narrows what one member may bring in", `
allow wasi:*
grant enricher wasi:cli/* wasi:io/*`, []string{
			"enricher wasi:cli/stdout@0.2.12 allowed",
			"enricher wasi:filesystem/types@0.2.12 denied",
			"business wasi:filesystem/types@0.2.9 allowed",
			"- wasi:filesystem/types@0.2.9 allowed",
		}},
		{"what a grant does not cover is stubbed when a stub rule matches", `
allow wasi:* wasi:filesystem/preopens
stub wasi:filesystem/*
grant enricher wasi:cli/*`, []string{
			"enricher wasi:cli/stdout@0.2.12 allowed",
			"enricher wasi:filesystem/preopens@0.2.12 stubbed",
			"enricher wasi:io/poll@0.2.12 denied",
			"business wasi:filesystem/preopens@0.2.9 allowed",
			"business wasi:filesystem/types@0.2.9 stubbed",
		}},
		{"a grant cannot rescue what the policy denies", `
deny wasi:sockets/*
grant business wasi:*`, []string{
			"business wasi:sockets/tcp@0.2.9 denied",
			"business wasi:io/poll@0.2.9 allowed",
		}},
		{"an empty grant", `grant validator`, []string{
			"validator wasi:cli/stdout@0.2.12 denied",
			"other wasi:cli/stdout@0.2.12 allowed",
		}},
		{"the virtual environment provides wasi:cli/environment", `
allow wasi:io/*
env LOG_LEVEL=info`, []string{
			"- wasi:cli/environment@0.2.9 virtual",
			"enricher wasi:cli/environment@0.2.12 virtual",
			"- wasi:cli/stdout@0.2.9 denied",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(specFrom(t, tt.policy))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.checks {
				f := strings.Fields(c)
				member := f[0]
				if member == "-" {
					member = ""
				}
				v := p.Decide(f[1], member)
				if v.Status.String() != f[2] {
					t.Errorf("Decide(%s, %q) = %s (%s), want %s", f[1], member, v.Status, v.Reason, f[2])
				}
			}
		})
	}
}

// The reason names the rule that decided, so a table can show it.
func TestDecideReason(t *testing.T) {
	p, err := New(specFrom(t, "allow wasi:*\ndeny wasi:sockets/*\ngrant enricher wasi:cli/*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, member, reason string }{
		{"wasi:sockets/tcp@0.2.0", "", "deny wasi:sockets/*"},
		{"wasi:io/poll@0.2.0", "", "allow wasi:*"},
		{"wasi:io/poll@0.2.0", "enricher", "not granted to enricher"},
		{"example:x/y", "", "not in the allow list"},
	} {
		if got := p.Decide(tt.name, tt.member).Reason; got != tt.reason {
			t.Errorf("Decide(%s, %q).Reason = %q, want %q", tt.name, tt.member, got, tt.reason)
		}
	}
}

// Bad policies: every problem is reported with where it was written.
func TestBadPolicies(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		errs   []string
	}{
		{"bad pattern", `deny wasi:*/types`,
			[]string{`policy.toml:1:6: "wasi:*/types": '*' in place of a package matches every package, so nothing may follow it: write wasi:*`}},
		{"bad version requirement", `allow wasi:http/types@0.2.y`,
			[]string{`policy.toml:1:21: "wasi:http/types@0.2.y": version requirement:`}},
		{"two problems, both reported", "allow wasi:\nstub :x/y", []string{
			`policy.toml:1:6: "wasi:": empty namespace or package name`,
			`policy.toml:2:1: ":x/y": empty namespace or package name`}},
		{"allowed and denied", "allow wasi:http/*\ndeny wasi:http/*",
			[]string{`policy.toml:2:1: "wasi:http/*": both allowed and denied: an import it matches cannot be both (the allow is at policy.toml:1:1)`}},
		{"one requirement, two spellings", "deny wasi:http/*@0.2.x\nstub wasi:http/*@0.2.*",
			[]string{`policy.toml:2:1: "wasi:http/*@0.2.*": both denied and stubbed`}},
		{"listed twice", "deny wasi:sockets/*\ndeny wasi:sockets/*",
			[]string{`policy.toml:2:1: "wasi:sockets/*": listed twice (also at policy.toml:1:1)`}},
		{"a grant the policy denies", "deny wasi:sockets/*\ngrant business wasi:sockets/tcp",
			[]string{`policy.toml:2:1: "wasi:sockets/tcp": granted to business, but "wasi:sockets/*" (at policy.toml:1:1) denies all of it for every member`}},
		{"a grant outside the allow list", "allow wasi:cli/*\ngrant business wasi:filesystem/*",
			[]string{`"wasi:filesystem/*": granted to business, but the allow list allows none of it for every member`}},
		{"a grant twice", "grant business wasi:cli/*\ngrant business wasi:io/*",
			[]string{`policy.toml:2:1: "business": capabilities granted twice (also at policy.toml:1:1)`}},
		{"a bad member name", "grant Business wasi:cli/*",
			[]string{`"Business": invalid member name "Business": expected lowercase kebab-case`}},
		{"a virtual environment that is also denied", "deny wasi:cli/environment\nenv A=1",
			[]string{`policy.toml:1:1: "wasi:cli/environment": denied, but the virtual environment (at policy.toml:2:1) provides it`}},
		{"a bad variable", "env =1\nenv A=1\nenv A=2", []string{
			`empty environment variable name`,
			`policy.toml:3:1: "A": set twice (also at policy.toml:2:1)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(specFrom(t, tt.policy))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("New = %v, want an ErrorList", err)
			}
			if len(list) != len(tt.errs) {
				t.Fatalf("New gave %d errors, want %d:\n%v", len(list), len(tt.errs), err)
			}
			for i, want := range tt.errs {
				if !strings.Contains(list[i].Error(), want) {
					t.Errorf("error %d = %q, want it to contain %q", i, list[i].Error(), want)
				}
			}
		})
	}
}

// Flags have no file position: the message names the flag and the offset.
func TestFlagErrors(t *testing.T) {
	_, err := New(Spec{Deny: []Entry{{Pattern: "wasi:sock*", At: Source{Flag: "--deny"}}}})
	want := `--deny "wasi:sock*" (at offset 9): '*' stands alone or for a whole part (wasi:*, wasi:http/*), not for part of a name`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestCheckMembers(t *testing.T) {
	p, err := New(specFrom(t, "grant enricher wasi:cli/*\ngrant logger wasi:cli/*"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckMembers([]string{"business", "enricher"}); err == nil ||
		err.Error() != `policy.toml:2:1: "logger": capabilities granted to a member that does not exist (members: business, enricher)` {
		t.Errorf("CheckMembers = %v", err)
	}
	if err := p.CheckMembers([]string{"enricher", "logger"}); err != nil {
		t.Errorf("CheckMembers = %v, want nil", err)
	}
}

func ExamplePolicy_Decide() {
	p, _ := New(Spec{
		Allow: []Entry{{Pattern: "wasi:*"}},
		Deny:  []Entry{{Pattern: "wasi:sockets/*"}},
		Stub:  []Entry{{Pattern: "wasi:http/*"}},
	})
	for _, name := range []string{"wasi:io/streams@0.2.12", "wasi:sockets/tcp@0.2.12", "wasi:http/types@0.2.10", "example:kv/store"} {
		v := p.Decide(name, "")
		fmt.Printf("%-24s %-8s %s\n", name, v.Status, v.Reason)
	}
	// Output:
	// wasi:io/streams@0.2.12   allowed  allow wasi:*
	// wasi:sockets/tcp@0.2.12  denied   deny wasi:sockets/*
	// wasi:http/types@0.2.10   stubbed  stub wasi:http/*
	// example:kv/store         denied   not in the allow list
}
