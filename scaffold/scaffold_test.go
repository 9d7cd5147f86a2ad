package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/golden"
)

// TestTemplates renders each language's member into one txtar-style
// golden file: every file it writes, then its manifest entry.
func TestTemplates(t *testing.T) {
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			m, err := New(Options{Name: "greeter", Language: lang, Package: "example:service@0.1.0"})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, f := range m.Files {
				b.WriteString("-- " + f.Path + " --\n")
				b.Write(f.Content)
			}
			b.WriteString("-- component.toml entry --\n" + m.Entry.TOML())
			b.WriteString("-- call --\n" + m.Call + " → " + m.Result + "\n")
			golden.Check(t, filepath.Join("testdata", lang+".txtar"), b.String())
		})
	}
}

func TestOptionsErrors(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{Name: "Greeter", Language: "rust", Package: "a:b"}, `invalid member name "Greeter": expected lowercase kebab-case, e.g. my-validator`},
		{Options{Name: "record", Language: "rust", Package: "a:b"}, `member name "record" is a WIT keyword, so it cannot name the member's world: choose another name`},
		{Options{Name: "greeter", Language: "cobol", Package: "a:b"}, `language "cobol": expected one of rust, python, js, go`},
		{Options{Name: "greeter", Language: "go", Package: "service"}, "package \"service\": expected a WIT package name such as `example:service` or `example:service@0.1.0`"},
		{Options{Name: "greeter", Language: "go", Package: "a:b", WITDir: "../wit"}, `WIT directory "../wit" must be inside the project`},
	}
	for _, tt := range tests {
		_, err := New(tt.opts)
		if err == nil || err.Error() != tt.want {
			t.Errorf("New(%+v):\n got %v\nwant %s", tt.opts, err, tt.want)
		}
	}
}

func TestWITDirOption(t *testing.T) {
	m, err := New(Options{Name: "greeter", Language: "rust", Package: "a:b", WITDir: "interfaces/wit"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Files[0].Path != "interfaces/wit/greeter.wit" {
		t.Errorf("WIT file at %s", m.Files[0].Path)
	}
	for _, f := range m.Files {
		if f.Path == "greeter/src/lib.rs" && !strings.Contains(string(f.Content), `path: "../interfaces/wit"`) {
			t.Errorf("lib.rs does not point at ../interfaces/wit:\n%s", f.Content)
		}
	}
}

func TestWriteRefusesToOverwrite(t *testing.T) {
	root := t.TempDir()
	m, err := New(Options{Name: "greeter", Language: "python", Package: "a:b"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(root, m); err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil || string(data) != string(f.Content) {
			t.Errorf("%s: %v", f.Path, err)
		}
	}
	// A second member of the same name: nothing is written.
	app := filepath.Join(root, "greeter", "app.py")
	os.WriteFile(app, []byte("# mine\n"), 0o644)
	os.Remove(filepath.Join(root, "wit", "greeter.wit"))
	err = Write(root, m)
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), app) {
		t.Errorf("Write over an existing member: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "wit", "greeter.wit")); err == nil {
		t.Error("Write wrote some files before refusing")
	}
	if data, _ := os.ReadFile(app); string(data) != "# mine\n" {
		t.Error("Write replaced an existing file")
	}
}
