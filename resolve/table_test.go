package resolve

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/golden"
	"golang.org/x/tools/txtar"
)

// TestResolveTable runs the resolution cases in testdata/resolve, a small
// language in the spirit of cmd/go's mvs tests. Each case is a txtar file:
//
//	-- registry --   NAME VERSION… [-> REF…]   packages the fake registry has
//	                 (!NAME: known, to encode others, but not served)
//	-- lock --       manifest lines resolved first; the result is the lock
//	-- project --    REF…   what the project's own WIT imports
//	-- manifest --   NAME = REQ | NAME path DIR [= REQ]   [wit.dependencies]
//	-- options --    update NAME… | update-all | locked | offline
//	-- want --       ID SOURCE [-> DEP…] per package chosen, or error: TEXT
//	-- calls --      the registry calls made (optional)
//	-- changes --    how the lock changed (optional)
//
// Other files are the path dependencies' WIT. Positions in errors are
// component.toml:LINE:1, LINE counted in the manifest section.
func TestResolveTable(t *testing.T) {
	paths, err := filepath.Glob("testdata/resolve/*.txt")
	if err != nil || len(paths) < 25 {
		t.Fatalf("found %d cases (%v)", len(paths), err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			t.Parallel()
			runCase(t, path)
		})
	}
}

func runCase(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	dir := t.TempDir()
	for _, f := range ar.Files {
		switch f.Name {
		case "registry", "lock", "project", "manifest", "options", "want", "calls", "changes":
			sections[f.Name] = string(f.Data)
		default:
			write(t, filepath.Join(dir, f.Name), string(f.Data))
		}
	}
	reg := newFakeRegistry(t)
	for _, line := range lines(sections["registry"]) {
		head, refs, _ := strings.Cut(line, "->")
		fields := strings.Fields(head)
		name, hidden := strings.CutPrefix(fields[0], "!")
		for _, v := range fields[1:] {
			reg.add(name, v, strings.Fields(refs)...)
			reg.hidden[pkgID(name, v)] = hidden
		}
	}
	in := Inputs{Project: "app", Dir: dir}
	if p, ok := sections["project"]; ok {
		var b strings.Builder
		b.WriteString("package test:app@0.1.0;\n\nworld app {\n")
		for _, ref := range strings.Fields(p) {
			n, v, _ := strings.Cut(ref, "@")
			if v != "" {
				v = "@" + v
			}
			fmt.Fprintf(&b, "  import %s/i%s;\n", n, v)
		}
		b.WriteString("}\n")
		write(t, filepath.Join(dir, "wit", "app.wit"), b.String())
		in.WITDir = "wit"
	}
	env := Env{Registry: reg, Store: newDirStore(t)}
	ctx := context.Background()
	var opts Options
	if l, ok := sections["lock"]; ok {
		first := in
		first.WIT = manifest(t, l)
		res, err := Resolve(ctx, first, Options{}, env)
		if err != nil {
			t.Fatalf("resolving the lock: %v", err)
		}
		opts.Lock = res.Lock
		reg.calls = nil
	}
	for _, line := range lines(sections["options"]) {
		f := strings.Fields(line)
		switch f[0] {
		case "update":
			opts.Update = append(opts.Update, f[1:]...)
		case "update-all":
			opts.UpdateAll = true
		case "locked":
			opts.Locked = true
		case "offline":
			opts.Offline = true
		case "no-registry":
			env.Registry = nil
		default:
			t.Fatalf("unknown option %q", line)
		}
	}
	in.WIT = manifest(t, sections["manifest"])
	res, err := Resolve(ctx, in, opts, env)
	var got []string
	if err != nil {
		for _, l := range strings.Split(err.Error(), "\n") {
			got = append(got, "error: "+l)
		}
	} else {
		for _, p := range res.Packages {
			line := p.ID() + " " + p.Source
			if len(p.Deps) > 0 {
				line += " -> " + strings.Join(p.Deps, " ")
			}
			got = append(got, line)
		}
	}
	check := func(what, want string, got []string) {
		t.Helper()
		g := strings.Join(got, "\n") + "\n"
		if strings.TrimSpace(g) == "" {
			g = ""
		}
		if g != want {
			t.Errorf("%s differs (- want, + got):\n%s", what, golden.Diff(want, g))
		}
	}
	check("result", sections["want"], got)
	if want, ok := sections["calls"]; ok {
		check("registry calls", want, reg.calls)
	}
	if want, ok := sections["changes"]; ok && res != nil {
		var cs []string
		for _, c := range res.Changes {
			cs = append(cs, c.String())
		}
		check("changes", want, cs)
	}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// manifest reads [wit.dependencies] lines: NAME = REQ, or NAME path DIR
// [= REQ].
func manifest(t *testing.T, s string) []WITDependency {
	t.Helper()
	var out []WITDependency
	for i, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		d := WITDependency{Where: fmt.Sprintf("component.toml:%d:1", i+1)}
		head, req, hasReq := strings.Cut(line, "=")
		f := strings.Fields(head)
		d.Name = f[0]
		if hasReq {
			d.Version = strings.TrimSpace(req)
		}
		switch {
		case len(f) == 1:
		case len(f) == 3 && f[1] == "path":
			d.Path = f[2]
		default:
			t.Fatalf("manifest line %q", line)
		}
		out = append(out, d)
	}
	return out
}
