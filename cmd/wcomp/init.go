package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/manifest"
)

func newInitCmd() *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "init [DIR] [--name NS:NAME]",
		Short: "Make a new project: component.toml, wit/ and a .gitignore",
		Long: `Make DIR (default: the current directory) a wcomp project: a component.toml
with its [package], a wit/ directory holding the project's WIT package, and a
.gitignore entry for target/. Nothing that exists is overwritten; a
.gitignore that exists gets the entry appended.

The package is NS:NAME, by default component:<DIR's name>, as cargo component
names it. Add members with wcomp new NAME --lang rust|python|js|go.`,
		Example: `  wcomp init
  wcomp init service --name example:service`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(cmd.ErrOrStderr(), dir, name)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the package name, ns:name (default: component:<dir>)")
	return cmd
}

// kebab turns a directory name into a WIT name: lower case, words joined
// by '-'.
func kebab(s string) string {
	s = strings.ToLower(s)
	s = regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(s, "-")
	s = strings.Trim(s, "-")
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "app-" + s
	}
	return strings.TrimSuffix(s, "-")
}

func runInit(stderr io.Writer, dir, name string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if name == "" {
		name = "component:" + kebab(filepath.Base(abs))
	}
	manifestPath := filepath.Join(abs, manifest.FileName)
	if _, err := os.Stat(manifestPath); err == nil {
		return fmt.Errorf("%s already exists: this is a project already (add members with wcomp new)", filepath.Join(dir, manifest.FileName))
	}
	toml := fmt.Sprintf(`[package]
name = %q
version = "0.1.0"

# Members: add one with `+"`wcomp new NAME --lang rust|python|js|go`"+`, or by hand:
#
# [components.NAME]
# language = "rust"
#
# component.toml.example in the wcomp repository explains every key.
`, name)
	// The manifest is checked before anything is written, so a bad --name
	// leaves nothing behind.
	if _, err := manifest.Parse(filepath.Join(dir, manifest.FileName), []byte(toml)); err != nil {
		var list manifest.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			return fmt.Errorf("--name %q: %w", name, list[0].Err)
		}
		return err
	}
	pkg := strings.SplitN(name, "@", 2)[0]
	witFile := filepath.Join(abs, "wit", "package.wit")
	wit := fmt.Sprintf("// The project's own WIT package. Each member's world goes in a file of\n// its own here (wcomp new writes one); dependencies are vendored into deps/.\npackage %s@0.1.0;\n", pkg)
	if err := os.MkdirAll(filepath.Dir(witFile), 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(witFile); errors.Is(err, fs.ErrNotExist) {
		if err := atomicfile.WriteString(witFile, wit); err != nil {
			return err
		}
	}
	if err := ignoreTarget(filepath.Join(abs, ".gitignore")); err != nil {
		return err
	}
	if err := atomicfile.WriteString(manifestPath, toml); err != nil {
		return err
	}
	say(stderr, "Created", fmt.Sprintf("project %s in %s", name, dir))
	return nil
}

// ignoreTarget makes .gitignore ignore target/, appending to one that
// exists unless it already does.
func ignoreTarget(path string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, line := range strings.Split(string(old), "\n") {
		switch strings.TrimSpace(line) {
		case "target", "target/", "/target", "/target/":
			return nil
		}
	}
	var b bytes.Buffer
	b.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		b.WriteByte('\n')
	}
	b.WriteString("# wcomp's build output\n/target/\n")
	return atomicfile.WriteString(path, b.String())
}
