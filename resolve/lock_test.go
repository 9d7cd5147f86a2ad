package resolve

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wcomp/wcomp/internal/golden"
)

func sha(s string) string { return Digest([]byte(s)) }

// sampleLock has every kind of entry, listed out of order.
func sampleLock() *Lock {
	return &Lock{
		Version: LockVersion,
		Members: []LockedMember{
			{Name: "validator", Source: "path+validator", Toolchain: "rustc 1.96.0", Inputs: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Digest: sha("validator")},
			{Name: "business", Source: "path+business", Toolchain: "componentize-py 0.25.1", Inputs: "sha256:" + strings.Repeat("ab", 32), Digest: sha("business")},
		},
		Components: []LockedComponent{
			{Name: "logger", Source: "url+https://example.com/logger.wasm", Digest: sha("logger")},
			{Name: "auth", Source: "registry+ghcr.io/acme/auth", Version: "1.2.0", Digest: sha("auth"), Manifest: sha("auth manifest")},
		},
		WIT: []LockedWIT{
			{Name: "wasi:io", Version: "0.2.10", Source: "registry+ghcr.io/webassembly/wasi/io", Digest: sha("io 10"), Hash: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
			{Name: "wasi:io", Version: "0.2.9", Source: "registry+ghcr.io/webassembly/wasi/io", Digest: sha("io 9"), Hash: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
			{Name: "example:types", Version: "0.1.0", Source: "path+../types/wit", Hash: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Dependencies: []string{"wasi:io@0.2.9"}},
			{Name: "wasi:http", Version: "0.2.9", Source: "url+https://example.com/http.tar.gz", Digest: sha("tarball"), Hash: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Dependencies: []string{"wasi:io@0.2.9", "wasi:cli@0.2.9"}},
		},
	}
}

// TestLockFormat: the file has a header saying it is generated, version 1,
// and its entries in one order (by name, WIT versions in semver order, so
// 0.2.9 before 0.2.10) whatever order they were added in.
func TestLockFormat(t *testing.T) {
	l := sampleLock()
	text, err := l.Format()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/lock/sample.lock", string(text))

	shuffled := sampleLock()
	shuffled.WIT[0], shuffled.WIT[3] = shuffled.WIT[3], shuffled.WIT[0]
	shuffled.Members[0], shuffled.Members[1] = shuffled.Members[1], shuffled.Members[0]
	again, err := shuffled.Format()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(text) {
		t.Errorf("the same entries in another order format differently:\n%s", golden.Diff(string(text), string(again)))
	}

	back, err := ParseLock("wcomp.lock", text)
	if err != nil {
		t.Fatal(err)
	}
	want := sampleLock()
	want.Sort()
	if !reflect.DeepEqual(back, want) {
		t.Errorf("ParseLock(Format(l)) = %+v\nwant %+v", back, want)
	}
}

func TestParseLockErrors(t *testing.T) {
	good := "version = 1\n"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"syntax", "version = 1\n[[member]\n", "wcomp.lock:3:9: expected end of table array name delimiter"},
		{"newer", "version = 2\n", "wcomp.lock: version 2 was written by a newer wcomp (this one reads version 1); update wcomp"},
		{"no version", "[[wit]]\nname = \"a:b\"\nsource = \"path+x\"\nhash = \"h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"\n", "no version (expected version = 1)"},
		{"old", "version = 0\n", "version 0 is not one wcomp writes (expected 1)"},
		{"unknown key", good + "[[member]]\nname = \"a\"\nsource = \"path+a\"\ninputs = \"" + sha("x") + "\"\ndigest = \"" + sha("y") + "\"\nlanguage = \"rust\"\n", "unknown key member.language"},
		{"missing field", good + "[[component]]\nname = \"logger\"\nsource = \"url+https://x\"\n", `component "logger" has no digest`},
		{"bad digest", good + "[[component]]\nname = \"logger\"\nsource = \"url+https://x\"\ndigest = \"sha256:XYZ\"\n", `component logger: digest: "sha256:XYZ": expected sha256: and 64 lowercase hex digits`},
		{"bad hash", good + "[[wit]]\nname = \"a:b\"\nversion = \"1.0.0\"\nsource = \"path+x\"\nhash = \"" + sha("x") + "\"\n", `wit a:b@1.0.0: hash: "` + sha("x") + `": expected a digest starting with h1:`},
		{"duplicate", good + strings.Repeat("[[component]]\nname = \"l\"\nsource = \"url+https://x\"\ndigest = \""+sha("l")+"\"\n", 2), "component l is listed twice"},
		{"wrong type", "version = \"1\"\n", "wcomp.lock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLock("wcomp.lock", []byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseLock error = %v\nwant one containing %q", err, tc.want)
			}
		})
	}
}

func TestReadLockMissingFile(t *testing.T) {
	l, err := ReadLock(filepath.Join(t.TempDir(), LockFile))
	if l != nil || err != nil {
		t.Errorf("ReadLock of a missing file = %v, %v; want nil, nil", l, err)
	}
}

// TestLockSave writes only when the text changes, and atomically.
func TestLockSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFile)
	l := sampleLock()
	if wrote, err := l.Save(path); err != nil || !wrote {
		t.Fatalf("first Save = %v, %v; want a write", wrote, err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if wrote, err := l.Save(path); err != nil || wrote {
		t.Errorf("Save of an unchanged lock = %v, %v; want no write", wrote, err)
	}
	if info, _ := os.Stat(path); !info.ModTime().Equal(old) {
		t.Error("an unchanged lock was rewritten")
	}
	l.SetMember(LockedMember{Name: "new", Source: "path+new", Inputs: sha("i"), Digest: sha("d")})
	if wrote, err := l.Save(path); err != nil || !wrote {
		t.Errorf("Save of a changed lock = %v, %v; want a write", wrote, err)
	}
	back, err := ReadLock(path)
	if err != nil || back.Member("new") == nil {
		t.Errorf("ReadLock after Save = %v, %v", back, err)
	}
	// A failed write leaves the old file and no temporary.
	dir := filepath.Dir(path)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	l.SetMember(LockedMember{Name: "newer", Source: "path+n", Inputs: sha("i"), Digest: sha("d")})
	if _, err := l.Save(path); err == nil && os.Geteuid() != 0 {
		t.Error("Save into a read-only directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if os.Geteuid() != 0 && len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only the lock", len(entries))
	}
}

func TestDiff(t *testing.T) {
	old := sampleLock()
	new := sampleLock()
	new.Members = new.Members[:1]                                                 // business removed
	new.Components[0].Digest = sha("logger 2")                                    // logger changed
	new.WIT[3].Version, new.WIT[3].Hash = "0.2.10", "h1:"+strings.Repeat("A", 43) // wasi:http moved on
	new.WIT = append(new.WIT, LockedWIT{Name: "wasi:cli", Version: "0.2.9", Source: "url+https://example.com/http.tar.gz#wit/deps/cli", Hash: "h1:x"})
	new.Sort()
	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, c.String())
	}
	want := []string{
		"- member business",
		"~ component logger: digest " + sha("logger") + " → " + sha("logger 2"),
		"+ wit wasi:cli@0.2.9",
		"~ wit wasi:http: 0.2.9 → 0.2.10",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := Diff(old, sampleLock()); len(d) != 0 {
		t.Errorf("Diff of equal locks = %v", d)
	}
}

func TestRecordMember(t *testing.T) {
	base := LockedMember{Name: "validator", Source: "path+validator", Toolchain: "rustc 1.96.0", Inputs: sha("inputs"), Digest: sha("out")}
	for _, tc := range []struct {
		name    string
		built   func(LockedMember) LockedMember
		locked  bool
		warning string
		err     string
		digest  string
	}{
		{name: "unchanged", built: func(m LockedMember) LockedMember { return m }, digest: sha("out")},
		{name: "unchanged, locked", built: func(m LockedMember) LockedMember { return m }, locked: true, digest: sha("out")},
		{name: "new inputs", built: func(m LockedMember) LockedMember { m.Inputs, m.Digest = sha("inputs 2"), sha("out 2"); return m }, digest: sha("out 2")},
		{name: "new inputs, locked", built: func(m LockedMember) LockedMember { m.Inputs, m.Digest = sha("inputs 2"), sha("out 2"); return m }, locked: true,
			err: "wcomp.lock would change, but --locked is set:\n  ~ member validator: inputs " + sha("inputs") + " → " + sha("inputs 2") + ", digest " + sha("out") + " → " + sha("out 2"), digest: sha("out")},
		{name: "new toolchain", built: func(m LockedMember) LockedMember { m.Toolchain, m.Digest = "rustc 1.97.0", sha("out 2"); return m }, digest: sha("out 2")},
		{name: "not reproducible", built: func(m LockedMember) LockedMember { m.Digest = sha("out 2"); return m },
			warning: "member validator (built from unchanged inputs " + sha("inputs") + ") has digest " + sha("out 2") + ", but wcomp.lock pins " + sha("out") + " (its toolchain is not reproducible); wcomp.lock now records the new digest",
			digest:  sha("out 2")},
		{name: "not reproducible, locked", built: func(m LockedMember) LockedMember { m.Digest = sha("out 2"); return m }, locked: true,
			err:    "member validator (built from unchanged inputs " + sha("inputs") + ") has digest " + sha("out 2") + ", but wcomp.lock pins " + sha("out") + " (its toolchain is not reproducible)",
			digest: sha("out")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Lock{Version: LockVersion, Members: []LockedMember{base}}
			warning, err := l.RecordMember(tc.built(base), tc.locked)
			if warning != tc.warning {
				t.Errorf("warning = %q\nwant %q", warning, tc.warning)
			}
			if (err == nil) != (tc.err == "") || (err != nil && !strings.HasPrefix(err.Error(), tc.err)) {
				t.Errorf("error = %v\nwant %q", err, tc.err)
			}
			if got := l.Member("validator").Digest; got != tc.digest {
				t.Errorf("lock digest = %s, want %s", got, tc.digest)
			}
		})
	}
	// A member built for the first time is added; under --locked that is
	// a change too.
	l := &Lock{Version: LockVersion}
	if _, err := l.RecordMember(base, true); err == nil || !strings.Contains(err.Error(), "+ member validator") {
		t.Errorf("new member under --locked: %v", err)
	}
	if _, err := l.RecordMember(base, false); err != nil || l.Member("validator") == nil {
		t.Errorf("new member: %v", err)
	}
}

func TestKeepMembers(t *testing.T) {
	l := sampleLock()
	l.KeepMembers([]string{"validator"})
	if len(l.Members) != 1 || l.Members[0].Name != "validator" {
		t.Errorf("members = %+v", l.Members)
	}
}
