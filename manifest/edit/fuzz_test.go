package edit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/wcomp/wcomp/manifest"
)

// FuzzEdit runs the operations wcomp add and wcomp new use on any TOML: none
// may panic, and each either fails, leaving the text alone, or leaves TOML
// that holds what was set.
func FuzzEdit(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/*.toml")
	for _, p := range inputs {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data), "validator", "wasi:cli/*")
		}
	}
	f.Add("a = [1,\n]\n[components.x]\ny = { z = 1, }\n", "x", "w")
	f.Fuzz(func(t *testing.T, src, name, s string) {
		var probe map[string]any
		if _, err := toml.Decode(src, &probe); err != nil {
			return
		}
		e, err := New(manifest.FileName, []byte(src))
		if err != nil {
			t.Fatalf("New on valid TOML: %v", err)
		}
		ops := []func() error{
			func() error {
				return e.SetMember(name, Entry{"path", String(s)}, Entry{"build", Table(Entry{"watch", Strings(s)})})
			},
			func() error { return e.SetWITDependency(s, String(name)) },
			func() error { return e.Append([]string{"components", name, "capabilities"}, String(s)) },
			func() error { return e.Delete([]string{"components", name}) },
		}
		for _, op := range ops {
			before := string(e.Bytes())
			if err := op(); err != nil {
				if strings.Contains(err.Error(), "internal error") {
					t.Fatalf("%v\non:\n%s", err, before)
				}
				if string(e.Bytes()) != before {
					t.Fatalf("a failed edit changed the text")
				}
				continue
			}
			var m map[string]any
			if _, err := toml.Decode(string(e.Bytes()), &m); err != nil {
				t.Fatalf("edit made invalid TOML: %v\n%s", err, e.Bytes())
			}
		}
	})
}
