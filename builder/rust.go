package builder

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// rustToolchain builds a cargo crate. Three routes, best first:
//
//   - wasm32-wasip2 installed (rustup target add wasm32-wasip2): cargo
//     builds a component directly;
//   - wasm32-wasip1 installed: cargo builds a core module, which is
//     wrapped with the WASI adapter;
//   - a rustc that ships std's sources (Debian's rustc-web, or rustup's
//     rust-src component) and a wasi-libc: std is built for wasm32-wasip1
//     on the spot (-Z build-std, allowed on stable by RUSTC_BOOTSTRAP=1),
//     then wrapped likewise.
//
// Each rustc that cargo could use is asked for its sysroot; a target is
// installed when its rustlib directory is there.
type rustToolchain struct{}

type rustRoute int

const (
	routeWasip2 rustRoute = iota
	routeWasip1
	routeBuildStd
)

type rustPlan struct {
	cargo, rustc string
	route        rustRoute
	target       string
	libc         string // build-std: the directory holding wasi-libc's libc.a
}

var rustTool = tool{
	name: "cargo",
	why:  "with a Rust toolchain that targets WebAssembly",
	install: "with rustup, run `rustup target add wasm32-wasip2`; on Debian, " +
		"`apt-get install rustc-web cargo-web rust-web-src wasi-libc` (std is then built for wasm32-wasip1)",
}

// rustPair is a cargo and the rustc it is to use.
type rustPair struct{ cargo, rustc string }

// rustCandidates are the cargo/rustc pairs to consider: $CARGO/$RUSTC,
// those on PATH, and Debian's in /usr/bin (which rustup's usually shadow).
func (j *job) rustCandidates() []rustPair {
	var pairs []rustPair
	add := func(cargo, rustc string) {
		c, ok1 := j.env.lookPath(cargo)
		r, ok2 := j.env.lookPath(rustc)
		if ok1 && ok2 && !slices.Contains(pairs, rustPair{c, r}) {
			pairs = append(pairs, rustPair{c, r})
		}
	}
	cargo, rustc := "cargo", "rustc"
	if v := j.env.get("CARGO"); v != "" {
		cargo = v
	}
	if v := j.env.get("RUSTC"); v != "" {
		rustc = v
	}
	add(cargo, rustc)
	if sys := j.b.systemRust; sys.cargo != "" {
		add(sys.cargo, sys.rustc)
	}
	return pairs
}

func (rustToolchain) resolve(ctx context.Context, j *job) (*resolved, error) {
	pairs := j.rustCandidates()
	if len(pairs) == 0 {
		return nil, j.missing(rustTool)
	}
	type found struct {
		pair    rustPair
		sysroot string
	}
	var all []found
	for _, p := range pairs {
		sysroot, err := j.probe(ctx, p.rustc, rustupFiles(j, p.rustc), "--print", "sysroot")
		if err != nil {
			continue // a broken rustc; another may do
		}
		all = append(all, found{p, sysroot})
	}
	var plan *rustPlan
	for _, route := range []rustRoute{routeWasip2, routeWasip1, routeBuildStd} {
		for _, f := range all {
			if plan = rustRouteFor(j, route, f.pair, f.sysroot); plan != nil {
				break
			}
		}
		if plan != nil {
			break
		}
	}
	if plan == nil {
		return nil, j.missing(rustTool)
	}
	verbose, err := j.probe(ctx, plan.rustc, rustupFiles(j, plan.rustc), "-vV")
	if err != nil {
		return nil, err
	}
	version, _, _ := strings.Cut(verbose, "\n")
	command := []string{"cargo", "build", "--release", "--target", plan.target}
	switch plan.route {
	case routeWasip2:
		version += "; target wasm32-wasip2"
	case routeWasip1:
		version += "; target wasm32-wasip1; " + adapterLabel
	case routeBuildStd:
		version += "; wasm32-wasip1 via -Z build-std; " + adapterLabel
		command = append(command, "-Z", "build-std=std,panic_abort")
	}
	if plan.route != routeWasip2 {
		wt, err := j.wasmToolsVersion(ctx)
		if err != nil {
			return nil, err
		}
		version += "; " + wt
	}
	return &resolved{version: version, command: command, state: plan}, nil
}

// rustRouteFor returns the plan for route with this rustc, or nil when its
// sysroot cannot take it.
func rustRouteFor(j *job, route rustRoute, pair rustPair, sysroot string) *rustPlan {
	rustlib := filepath.Join(sysroot, "lib", "rustlib")
	installed := func(target string) bool {
		st, err := os.Stat(filepath.Join(rustlib, target, "lib"))
		return err == nil && st.IsDir()
	}
	plan := &rustPlan{cargo: pair.cargo, rustc: pair.rustc, route: route, target: "wasm32-wasip1"}
	switch route {
	case routeWasip2:
		plan.target = "wasm32-wasip2"
		if installed(plan.target) {
			return plan
		}
	case routeWasip1:
		if installed(plan.target) {
			return plan
		}
	case routeBuildStd:
		if _, err := os.Stat(filepath.Join(rustlib, "src", "rust", "library", "std")); err != nil {
			return nil
		}
		if plan.libc = wasiLibc(j.env); plan.libc != "" {
			return plan
		}
	}
	return nil
}

// wasiLibc finds wasi-libc for wasm32-wasip1: under $WASI_SYSROOT, or
// where Debian's wasi-libc package puts it.
func wasiLibc(env environ) string {
	var dirs []string
	if root := env.get("WASI_SYSROOT"); root != "" {
		dirs = append(dirs, filepath.Join(root, "lib", "wasm32-wasip1"), filepath.Join(root, "lib", "wasm32-wasi"))
	}
	dirs = append(dirs, "/usr/lib/wasm32-wasip1", "/usr/lib/wasm32-wasi", "/usr/share/wasi-sysroot/lib/wasm32-wasip1", "/usr/share/wasi-sysroot/lib/wasm32-wasi")
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "libc.a")); err == nil {
			return d
		}
	}
	return ""
}

// rustupFiles are the files whose change means a rustup proxy now runs
// another rustc: rustup's settings, each installed toolchain's manifest
// (rewritten by `rustup update`) and the rust-toolchain files that apply
// to the member. A rustc that is not rustup's needs none.
func rustupFiles(j *job, rustc string) []string {
	if _, err := os.Stat(filepath.Join(filepath.Dir(rustc), "rustup")); err != nil {
		return nil
	}
	home := j.env.get("RUSTUP_HOME")
	if home == "" {
		home = filepath.Join(j.env.get("HOME"), ".rustup")
	}
	files := []string{filepath.Join(home, "settings.toml")}
	manifests, _ := filepath.Glob(filepath.Join(home, "toolchains", "*", "lib", "rustlib", "multirust-channel-manifest.toml"))
	files = append(files, manifests...)
	for d := j.spec.workdirOrDir(); ; d = filepath.Dir(d) {
		files = append(files, filepath.Join(d, "rust-toolchain.toml"), filepath.Join(d, "rust-toolchain"))
		if filepath.Dir(d) == d {
			break
		}
	}
	if tc := j.env.get("RUSTUP_TOOLCHAIN"); tc != "" {
		files = append(files, "RUSTUP_TOOLCHAIN="+tc) // absent as a file: keyed by its name
	}
	return files
}

// cargoEnv is the environment cargo runs in for plan: the chosen rustc,
// and for build-std the bootstrap switch and wasi-libc's directory.
func (j *job) cargoEnv(plan *rustPlan) environ {
	env := j.envWith("RUSTC", plan.rustc)
	if plan.route == routeBuildStd {
		flags := strings.TrimSpace(env.get("RUSTFLAGS") + " -L native=" + plan.libc)
		env = env.with("RUSTC_BOOTSTRAP", "1").with("RUSTFLAGS", flags)
	}
	return env
}

// crateArtifact is what cargo metadata says about the member's crate.
type crateArtifact struct {
	file string   // the .wasm cargo writes
	args []string // --lib or --bin NAME
}

// crate runs cargo metadata and finds the member's package: the .wasm
// file its cdylib (or, failing that, its only binary) becomes.
func (j *job) crate(ctx context.Context, plan *rustPlan) (*crateArtifact, error) {
	manifest := filepath.Join(j.spec.Dir, "Cargo.toml")
	if _, err := os.Stat(manifest); err != nil {
		return nil, fmt.Errorf("no Cargo.toml in %s", j.spec.Dir)
	}
	out, err := j.outputOf(ctx, j.spec.workdir(), j.cargoEnv(plan), plan.cargo, "metadata", "--format-version", "1", "--no-deps", "--manifest-path", manifest)
	if err != nil {
		return nil, err
	}
	var meta struct {
		TargetDirectory string `json:"target_directory"`
		Packages        []struct {
			Name         string `json:"name"`
			ManifestPath string `json:"manifest_path"`
			Targets      []struct {
				Name       string   `json:"name"`
				Kind       []string `json:"kind"`
				CrateTypes []string `json:"crate_types"`
			} `json:"targets"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(out, &meta); err != nil {
		return nil, fmt.Errorf("reading cargo metadata: %w", err)
	}
	for _, p := range meta.Packages {
		if !samePath(p.ManifestPath, manifest) {
			continue
		}
		var bins []string
		for _, t := range p.Targets {
			if slices.Contains(t.CrateTypes, "cdylib") {
				name := strings.ReplaceAll(t.Name, "-", "_")
				return &crateArtifact{file: filepath.Join(meta.TargetDirectory, plan.target, "release", name+".wasm"), args: []string{"--lib"}}, nil
			}
			if slices.Contains(t.Kind, "bin") {
				bins = append(bins, t.Name)
			}
		}
		if len(bins) == 1 {
			return &crateArtifact{file: filepath.Join(meta.TargetDirectory, plan.target, "release", bins[0]+".wasm"), args: []string{"--bin", bins[0]}}, nil
		}
		return nil, fmt.Errorf("crate %s has no cdylib target and %d binaries: add `[lib] crate-type = [\"cdylib\"]` to %s", p.Name, len(bins), relToDir(j.spec, manifest))
	}
	return nil, fmt.Errorf("%s is a workspace without a package of its own: point the member's dir at the crate", relToDir(j.spec, manifest))
}

func samePath(a, b string) bool {
	if a == b {
		return true
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

func (rustToolchain) build(ctx context.Context, j *job, r *resolved) (string, error) {
	plan := r.state.(*rustPlan)
	art, err := j.crate(ctx, plan)
	if err != nil {
		return "", err
	}
	args := []string{plan.cargo, "build", "--release", "--target", plan.target, "--manifest-path", filepath.Join(j.spec.Dir, "Cargo.toml")}
	args = append(args, art.args...)
	if plan.route == routeBuildStd {
		args = append(args, "-Z", "build-std=std,panic_abort")
	}
	if j.b.opts.Locked {
		args = append(args, "--locked")
	}
	if j.b.opts.Offline {
		args = append(args, "--offline")
	}
	// cargo's own fingerprints decide what it recompiles; an old
	// artifact must not pass for a new one if cargo fails to write it.
	os.Remove(art.file)
	if err := j.run(ctx, j.spec.workdir(), j.cargoEnv(plan), args...); err != nil {
		return "", err
	}
	return art.file, nil
}

// defaultArtifact lets a custom command (say, cargo with extra features)
// leave its output where cargo metadata says.
func (rustToolchain) defaultArtifact(ctx context.Context, j *job, r *resolved) (string, error) {
	art, err := j.crate(ctx, r.state.(*rustPlan))
	if err != nil {
		return "", err
	}
	return art.file, nil
}

// wasmToolsVersion is `wasm-tools --version`, for toolchains that wrap or
// embed with it.
func (j *job) wasmToolsVersion(ctx context.Context) (string, error) {
	exe, err := j.need(wasmToolsTool)
	if err != nil {
		return "", err
	}
	v, err := j.probe(ctx, exe, nil, "--version")
	if err != nil {
		return "", err
	}
	// "wasm-tools 1.262.0 (…)": the build date and commit add nothing.
	if f := strings.Fields(v); len(f) >= 2 {
		v = f[0] + " " + f[1]
	}
	return v, nil
}
