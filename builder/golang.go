package builder

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// goToolchain builds a Go member with standard Go, the way componentize-go
// does, from parts that the reachable registries serve:
//
//  1. the member's sources are copied into build/NAME/src, and
//     `wit-bindgen go -w WORLD WIT` writes the bindings beside them
//     (the member directory holds only what the user wrote: the export
//     packages' implementations and, optionally, a go.mod);
//  2. the bindings' runtime module, go.bytecodealliance.org/pkg, comes
//     from the wit-bindgen-go crate of the same version (src/pkg), since
//     the Go proxy does not serve the version they need; it is cached in
//     toolchains/go-pkg/VERSION and wired in with a replace directive;
//  3. `GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared` makes a
//     core module, which gets its world embedded and the reactor adapter.
//
// A member whose go.mod requires go.bytecodealliance.org/cm uses the
// TinyGo bindings (wit-bindgen-go from go.bytecodealliance.org) instead:
// only TinyGo compiles those, with `tinygo build -target=wasip2`. Stock Go
// cannot, and TinyGo cannot compile wit-bindgen's (their runtime reaches
// runtime.sbrk through go:linkname), so the sources decide the compiler;
// Options.GoCompiler overrides.
type goToolchain struct{}

const (
	goRuntimeModule = "go.bytecodealliance.org/pkg"
	tinyGoBindings  = "go.bytecodealliance.org/cm"
	witBindgenCrate = "wit-bindgen-go"
)

var (
	goTool = tool{
		name:    "go",
		why:     "to compile Go components",
		install: "install Go 1.25 or later from https://go.dev/dl/",
	}
	witBindgenTool = tool{
		name: "wit-bindgen",
		why:  "to generate the Go bindings",
		install: "install it with `cargo install --locked wit-bindgen-cli --version 0.63.0 " +
			"--no-default-features --features go` (about 10 minutes, once)",
	}
	tinyGoTool = tool{
		name:    "tinygo",
		why:     "to compile Go that uses TinyGo's bindings (go.bytecodealliance.org/cm)",
		install: "install TinyGo 0.34 or later from https://tinygo.org/getting-started/install/, or set the Go compiler to standard Go",
	}
)

type goPlan struct {
	tinygo     bool
	compiler   string // go or tinygo
	witBindgen string
	goVersion  string // "go1.26.8"
	wbVersion  string // "0.63.0"
}

func (goToolchain) resolve(ctx context.Context, j *job) (*resolved, error) {
	plan := &goPlan{}
	switch j.b.opts.GoCompiler {
	case "tinygo":
		plan.tinygo = true
	case "":
		plan.tinygo = requiresModule(filepath.Join(j.spec.Dir, "go.mod"), tinyGoBindings)
	}
	if plan.tinygo {
		exe, err := j.need(tinyGoTool)
		if err != nil {
			return nil, err
		}
		v, err := j.probe(ctx, exe, nil, "version")
		if err != nil {
			return nil, err
		}
		plan.compiler = exe
		return &resolved{
			version: v,
			command: []string{"tinygo", "build", "-target=wasip2", "--wit-package", "{wit}", "--wit-world", j.spec.World, "-o", "{out}", "."},
			state:   plan,
		}, nil
	}
	exe, err := j.need(goTool)
	if err != nil {
		return nil, err
	}
	gv, err := j.probe(ctx, exe, nil, "env", "GOVERSION")
	if err != nil {
		return nil, err
	}
	plan.compiler, plan.goVersion = exe, gv
	if plan.witBindgen, err = j.findWitBindgen(); err != nil {
		return nil, err
	}
	wbv, err := j.probe(ctx, plan.witBindgen, nil, "--version")
	if err != nil {
		return nil, err
	}
	// "wit-bindgen-cli 0.63.0"
	if f := strings.Fields(wbv); len(f) >= 2 {
		plan.wbVersion = strings.TrimPrefix(f[1], "v")
	}
	if !semver.IsValid("v" + plan.wbVersion) {
		return nil, fmt.Errorf("%s: cannot read wit-bindgen's version from %q", j.spec.label(), wbv)
	}
	wt, err := j.wasmToolsVersion(ctx)
	if err != nil {
		return nil, err
	}
	return &resolved{
		version: fmt.Sprintf("%s; wit-bindgen %s; %s; %s", gv, plan.wbVersion, adapterLabel, wt),
		command: []string{"wit-bindgen", "go", "-w", j.spec.World, "{wit}", "&&", "go", "build", "-buildmode=c-shared", "-ldflags=-checklinkname=0"},
		state:   plan,
	}, nil
}

// findWitBindgen looks on PATH, then in cargo's bin directory, where
// `cargo install` leaves it even when that is not on PATH.
func (j *job) findWitBindgen() (string, error) {
	if p, ok := j.env.lookPath(witBindgenTool.name); ok {
		return p, nil
	}
	home := j.env.get("CARGO_HOME")
	if home == "" {
		home = filepath.Join(j.env.get("HOME"), ".cargo")
	}
	if p := filepath.Join(home, "bin", "wit-bindgen"); isExecutable(p) {
		return p, nil
	}
	return "", j.missing(witBindgenTool)
}

// requiresModule reports whether the go.mod at path requires module.
func requiresModule(path, module string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	f, err := modfile.ParseLax(path, data, nil)
	if err != nil {
		return false
	}
	for _, r := range f.Require {
		if r.Mod.Path == module {
			return true
		}
	}
	return false
}

func (goToolchain) build(ctx context.Context, j *job, r *resolved) (string, error) {
	plan := r.state.(*goPlan)
	s := j.spec
	if plan.tinygo {
		out := filepath.Join(j.b.scratchDir(s.Name), "component.wasm")
		err := j.run(ctx, s.workdir(), j.envWith("GOWORK", "off"), plan.compiler,
			"build", "-target=wasip2", "--wit-package", s.WIT, "--wit-world", s.World, "-o", out, ".")
		return out, err
	}
	src := filepath.Join(j.b.scratchDir(s.Name), "src")
	if err := os.RemoveAll(src); err != nil {
		return "", err
	}
	if err := copyTree(s.Dir, src, func(rel string, d fs.DirEntry) bool { return d.IsDir() && skippedDir(d.Name()) }); err != nil {
		return "", fmt.Errorf("copying the sources into %s: %w", src, err)
	}
	userMod, err := os.ReadFile(filepath.Join(s.Dir, "go.mod"))
	hasUserMod := err == nil
	if hasUserMod {
		if err := checkUserGoMod(s, userMod); err != nil {
			return "", err
		}
	}
	if err := j.run(ctx, src, j.env, plan.witBindgen, "go", "-w", s.World, "--out-dir", src, s.WIT); err != nil {
		return "", err
	}
	pkgVersion, err := generatedRuntimeVersion(filepath.Join(src, "go.mod"))
	if err != nil {
		return "", err
	}
	if hasUserMod {
		if err := os.WriteFile(filepath.Join(src, "go.mod"), userMod, 0o644); err != nil {
			return "", err
		}
	}
	pkgDir, err := j.goRuntime(ctx, plan)
	if err != nil {
		return "", err
	}
	// -mod=mod lets go mod tidy and go build fill in go.sum for the
	// user's own dependencies; no VCS stamp for a build in a scratch copy.
	flags := strings.TrimSpace(j.env.get("GOFLAGS") + " -mod=mod -buildvcs=false")
	env := j.envWith("GOTOOLCHAIN", "local", "GOWORK", "off", "GOFLAGS", flags)
	if j.b.opts.Offline {
		env = env.with("GOPROXY", "off")
	}
	if err := j.run(ctx, src, env, plan.compiler, "mod", "edit",
		"-require="+goRuntimeModule+"@"+pkgVersion, "-replace="+goRuntimeModule+"="+pkgDir); err != nil {
		return "", err
	}
	if err := j.run(ctx, src, env, plan.compiler, "mod", "tidy"); err != nil {
		return "", err
	}
	core := filepath.Join(j.b.scratchDir(s.Name), "core.wasm")
	wasm := env.with("GOOS", "wasip1").with("GOARCH", "wasm")
	// -checklinkname=0: the runtime module reaches runtime.sbrk through
	// go:linkname, which the linker otherwise refuses.
	err = j.run(ctx, src, wasm, plan.compiler, "build", "-buildmode=c-shared", "-ldflags=-checklinkname=0", "-o", core, ".")
	return core, err
}

// checkUserGoMod rejects a go.mod the bindings cannot live in: they import
// their packages as wit_component/….
func checkUserGoMod(s *Spec, data []byte) error {
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return fmt.Errorf("go.mod: %w", err)
	}
	if f.Module == nil || f.Module.Mod.Path != "wit_component" {
		got := "no module line"
		if f.Module != nil {
			got = "module " + f.Module.Mod.Path
		}
		return fmt.Errorf("%s has %s, but wit-bindgen's Go bindings import their packages as wit_component/…: declare `module wit_component`", relToDir(s, filepath.Join(s.Dir, "go.mod")), got)
	}
	return nil
}

// generatedRuntimeVersion reads the runtime module version that
// wit-bindgen's generated go.mod requires.
func generatedRuntimeVersion(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("wit-bindgen wrote no go.mod: %w", err)
	}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return "", fmt.Errorf("wit-bindgen's go.mod: %w", err)
	}
	for _, r := range f.Require {
		if r.Mod.Path == goRuntimeModule {
			return r.Mod.Version, nil
		}
	}
	return "", fmt.Errorf("wit-bindgen's go.mod does not require %s", goRuntimeModule)
}

var goDirective = regexp.MustCompile(`(?m)^go [0-9][0-9.]*\s*$`)

// goRuntime returns the directory of go.bytecodealliance.org/pkg as the
// wit-bindgen-go crate of wit-bindgen's version ships it, installed into
// the cache on first use. Its go.mod may ask for a newer Go than the
// local one although it builds with older ones: the go line is lowered to
// the local version when it is newer.
func (j *job) goRuntime(ctx context.Context, plan *goPlan) (string, error) {
	local := strings.TrimPrefix(semver.MajorMinor("v"+strings.TrimPrefix(plan.goVersion, "go")), "v")
	name := fmt.Sprintf("go-pkg/%s-go%s", plan.wbVersion, local)
	return j.toolchainDir(ctx, name, goRuntimeModule+" from "+witBindgenCrate+" "+plan.wbVersion+" (cargo)", func(dir string) error {
		crate, err := j.crateSource(ctx, witBindgenCrate, plan.wbVersion)
		if err != nil {
			return err
		}
		pkg := filepath.Join(crate, "src", "pkg")
		if err := copyTree(pkg, dir, func(rel string, d fs.DirEntry) bool { return strings.HasPrefix(d.Name(), ".") }); err != nil {
			return err
		}
		gomod := filepath.Join(dir, "go.mod")
		data, err := os.ReadFile(gomod)
		if err != nil {
			return fmt.Errorf("%s has no go.mod: %w", pkg, err)
		}
		f, err := modfile.ParseLax(gomod, data, nil)
		if err != nil {
			return err
		}
		if f.Go != nil && local != "" && semver.Compare("v"+f.Go.Version, "v"+local) > 0 {
			data = goDirective.ReplaceAll(data, []byte("go "+local+"\n"))
		}
		return os.WriteFile(gomod, append(bytes.TrimRight(data, "\n"), '\n'), 0o644)
	})
}
