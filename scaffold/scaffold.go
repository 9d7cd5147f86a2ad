package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/wcomp/wcomp/internal/membername"
)

//go:embed templates
var templates embed.FS

// Languages are the languages `wcomp new --lang` accepts.
var Languages = []string{"rust", "python", "js", "go"}

var languageNames = map[string]string{"rust": "Rust", "python": "Python", "js": "JavaScript", "go": "Go"}

// Options say what member to make.
type Options struct {
	// Name is the member's name: kebab-case, also its directory and
	// world name.
	Name string
	// Language is one of Languages.
	Language string
	// Package is the project's WIT package, `ns:name` or
	// `ns:name@version` (component.toml's [package] name and version).
	Package string
	// WITDir is the project's WIT directory, relative to the project
	// root; default "wit".
	WITDir string
}

// Member is a new member: its files and its manifest entry.
type Member struct {
	Files []File
	Entry Entry
	// Call is a WAVE call of the member's export and Result what it
	// returns: what `wcomp run --invoke` would print.
	Call, Result string
}

// File is one file to create, at a slash-separated path relative to the
// project root.
type File struct {
	Path    string
	Content []byte
}

// Entry is the member's [components.NAME] table. Dir and World are the
// manifest's defaults (the member's name), so TOML leaves them out.
type Entry struct {
	Name     string
	Language string
	Dir      string
	World    string
}

// TOML renders the entry as component.toml writes it.
func (e Entry) TOML() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[components.%s]\nlanguage = %q\n", e.Name, e.Language)
	if e.Dir != e.Name {
		fmt.Fprintf(&b, "dir = %q\n", e.Dir)
	}
	if e.World != e.Name {
		fmt.Fprintf(&b, "world = %q\n", e.World)
	}
	return b.String()
}

var (
	witPackage  = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*:[a-z][a-z0-9]*(-[a-z0-9]+)*(@[0-9A-Za-z.+-]+)?$`)
	witKeywords = []string{"as", "async", "bool", "borrow", "char", "constructor", "enum", "export", "f32", "f64", "flags", "from", "func", "future", "import", "include", "interface", "list", "own", "package", "record", "resource", "result", "s16", "s32", "s64", "s8", "static", "stream", "string", "tuple", "type", "u16", "u32", "u64", "u8", "use", "variant", "with", "world"}
)

// New returns the files and manifest entry of a member that builds as it
// is and answers Call with Result.
func New(opts Options) (*Member, error) {
	if err := membername.Check(opts.Name); err != nil {
		return nil, err
	}
	if slices.Contains(witKeywords, opts.Name) {
		return nil, fmt.Errorf("member name %q is a WIT keyword, so it cannot name the member's world: choose another name", opts.Name)
	}
	langName, ok := languageNames[opts.Language]
	if !ok {
		return nil, fmt.Errorf("language %q: expected one of %s", opts.Language, strings.Join(Languages, ", "))
	}
	if !witPackage.MatchString(opts.Package) {
		return nil, fmt.Errorf("package %q: expected a WIT package name such as `example:service` or `example:service@0.1.0`", opts.Package)
	}
	witDir := opts.WITDir
	if witDir == "" {
		witDir = "wit"
	}
	witDir = path.Clean(filepath.ToSlash(witDir))
	if path.IsAbs(witDir) || strings.HasPrefix(witDir, "../") {
		return nil, fmt.Errorf("WIT directory %q must be inside the project", opts.WITDir)
	}
	data := map[string]string{
		"Name":          opts.Name,
		"Package":       opts.Package,
		"LanguageName":  langName,
		"WITFile":       path.Join(witDir, opts.Name+".wit"),
		"WITFromMember": path.Join("..", witDir),
	}
	m := &Member{
		Entry:  Entry{Name: opts.Name, Language: opts.Language, Dir: opts.Name, World: opts.Name},
		Call:   `greet("wcomp")`,
		Result: fmt.Sprintf(`"Hello, wcomp! (from %s, written in %s)"`, opts.Name, langName),
	}
	wit, err := render("templates/member.wit.tmpl", data)
	if err != nil {
		return nil, err
	}
	m.Files = append(m.Files, File{Path: data["WITFile"], Content: wit})
	root := "templates/" + opts.Language
	err = fs.WalkDir(templates, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := render(p, data)
		if err != nil {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(p, root+"/"), ".tmpl")
		m.Files = append(m.Files, File{Path: path.Join(opts.Name, rel), Content: content})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

func render(name string, data map[string]string) ([]byte, error) {
	text, err := templates.ReadFile(name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(path.Base(name)).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// ErrExists is returned by Write when a file of the member is already
// there; nothing has been written then.
var ErrExists = errors.New("already exists")

// Write creates the member's files under root. It refuses to overwrite: if
// any file exists, it writes none and returns an error wrapping ErrExists
// that names it.
func Write(root string, m *Member) error {
	for _, f := range m.Files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s: %w", p, ErrExists)
		}
	}
	for _, f := range m.Files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		// Written under a temporary name, then linked into place: the
		// link fails rather than replace a file that appeared since the
		// check, and no reader ever sees half a file.
		tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp*")
		if err != nil {
			return err
		}
		_, err = tmp.Write(f.Content)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err == nil {
			err = os.Link(tmp.Name(), p)
		}
		os.Remove(tmp.Name())
		if err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}
