package builder

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Options configure a Builder. The zero value of every field but TargetDir
// has a documented default.
type Options struct {
	// TargetDir is the project's target/wcomp directory. Required.
	TargetDir string
	// CacheDir holds what outlives a project: toolchains/ (the JS driver
	// and its node_modules, the Go runtime module, WASI adapters, tool
	// version probes) and blobs/sha256/ (downloads). Default
	// $XDG_CACHE_HOME/wcomp, else ~/.cache/wcomp.
	CacheDir string
	// Env is the environment toolchains run in, as os.Environ returns
	// it; PATH in it is where tools are looked up. Nil means os.Environ().
	Env []string
	// Progress receives the build's events. It is called from the
	// goroutines of concurrent builds, so it must be safe for that.
	Progress func(Event)
	// HTTPClient downloads url members. Nil means a client with a
	// 10-minute overall timeout.
	HTTPClient *http.Client
	// OCI fetches oci members (the registry package implements it). Nil
	// makes such a member an error that says registry support is missing.
	OCI OCIFetcher
	// Offline forbids the network: url members must already be in the
	// cache, and toolchain installs use only local package caches.
	Offline bool
	// Locked passes --locked to cargo and uses npm ci: a lockfile that
	// would change is an error.
	Locked bool
	// Force rebuilds members even when their fingerprint is fresh.
	Force bool
	// GoCompiler chooses how Go members are compiled: "go" (standard Go
	// through wit-bindgen's Go generator), "tinygo" (tinygo
	// -target=wasip2), or "" to use tinygo when it is on PATH and the
	// member's bindings are TinyGo's (see golang.go), else standard Go.
	GoCompiler string
}

// OCIFetcher brings a component from an OCI registry into the local
// content-addressed cache. Path is a file the builder may read but must not
// change; Digest is the component layer's "sha256:…" digest.
type OCIFetcher interface {
	FetchComponent(ctx context.Context, ref string) (path, digest string, err error)
}

// EventKind says what an Event reports.
type EventKind int

const (
	// EventFresh: the member's fingerprint matches its last build; the
	// driver prints `Fresh NAME (LANG)`.
	EventFresh EventKind = iota
	// EventCompiling: the member is being built (`Compiling NAME (LANG)`).
	EventCompiling
	// EventInstalling: a toolchain piece is being installed into the
	// cache; Message says what (`componentize-js 0.23.0 (npm)`).
	EventInstalling
	// EventDownloading: a url member is being downloaded; Message is
	// the URL.
	EventDownloading
	// EventRunning: a tool is started; Message is its command line.
	EventRunning
	// EventOutput: one line of toolchain output, for -v.
	EventOutput
	// EventFinished: the member's component is ready (Elapsed set).
	EventFinished
	// EventFailed: the build failed (Elapsed set); the error follows from Build.
	EventFailed
)

func (k EventKind) String() string {
	switch k {
	case EventFresh:
		return "fresh"
	case EventCompiling:
		return "compiling"
	case EventInstalling:
		return "installing"
	case EventDownloading:
		return "downloading"
	case EventRunning:
		return "running"
	case EventOutput:
		return "output"
	case EventFinished:
		return "finished"
	case EventFailed:
		return "failed"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one step of a member's build, for the driver's status lines.
type Event struct {
	Kind     EventKind
	Member   string
	Language Language
	Message  string
	Elapsed  time.Duration
}

// Result is a member's component, built or found fresh.
type Result struct {
	Member string
	// Path is the component: target/wcomp/members/NAME.wasm for built
	// members, the file itself for a path member that needed no
	// wrapping, the cached blob for url and oci members.
	Path string
	// Digest is the component's "sha256:…" digest, Size its length.
	Digest string
	Size   int64
	// Toolchain is the version string of what built it ("" for
	// prebuilt members), as wcomp.lock records it.
	Toolchain string
	// Inputs is the fingerprint's digest over every input.
	Inputs string
	// Adapter is "reactor" or "command" when the build produced a core
	// module that wcomp wrapped with that WASI adapter, else "".
	Adapter string
	// Fresh reports that nothing was built: the last build still holds.
	Fresh bool
	// Output is the toolchain's captured output (stdout and stderr
	// interleaved), for -v. It is empty when Fresh.
	Output []byte
	// Elapsed is how long Build took.
	Elapsed time.Duration
}

// BuildError is a member's failed build. Output is everything its tools
// printed, for the driver to show.
type BuildError struct {
	Member   string
	Language Language
	Err      error
	Output   []byte
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("member %s (%s): %v", e.Member, e.Language, e.Err)
}

func (e *BuildError) Unwrap() error { return e.Err }

// MissingToolError is a tool a member's toolchain needs that is not
// installed. Install says how to get it.
type MissingToolError struct {
	Member   string
	Language Language
	Tool     string
	Why      string // what the tool is for, e.g. "to build std for wasm32-wasip1"
	Install  string
}

func (e *MissingToolError) Error() string {
	why := ""
	if e.Why != "" {
		why = " " + e.Why
	}
	return fmt.Sprintf("member %s (%s) needs %s%s, which was not found; %s", e.Member, e.Language, e.Tool, why, e.Install)
}

// Builder builds members. Create one per build with New; it is safe for
// concurrent use by builds of different members.
type Builder struct {
	opts   Options
	env    environ
	probes *probeCache
	http   *http.Client
	// systemRust is the distribution's cargo and rustc, considered
	// even when PATH has rustup's first (tests clear it).
	systemRust rustPair
}

// New checks opts and returns a Builder.
func New(opts Options) (*Builder, error) {
	if opts.TargetDir == "" || !filepath.IsAbs(opts.TargetDir) {
		return nil, fmt.Errorf("builder: TargetDir must be an absolute path (got %q)", opts.TargetDir)
	}
	env := environ(opts.Env)
	if opts.Env == nil {
		env = os.Environ()
	}
	if opts.CacheDir == "" {
		dir, err := defaultCacheDir(env)
		if err != nil {
			return nil, err
		}
		opts.CacheDir = dir
	}
	switch opts.GoCompiler {
	case "", "go", "tinygo":
	default:
		return nil, fmt.Errorf("builder: GoCompiler %q: expected \"go\", \"tinygo\" or empty", opts.GoCompiler)
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Minute}
	}
	return &Builder{
		opts:       opts,
		env:        env,
		probes:     newProbeCache(filepath.Join(opts.CacheDir, "toolchains", "probes.json")),
		http:       client,
		systemRust: rustPair{cargo: "/usr/bin/cargo", rustc: "/usr/bin/rustc"},
	}, nil
}

// defaultCacheDir is $XDG_CACHE_HOME/wcomp, else $HOME/.cache/wcomp.
func defaultCacheDir(env environ) (string, error) {
	if x := env.get("XDG_CACHE_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "wcomp"), nil
	}
	if home := env.get("HOME"); home != "" {
		return filepath.Join(home, ".cache", "wcomp"), nil
	}
	return "", errors.New("builder: no cache directory: set XDG_CACHE_HOME or HOME")
}

// OutputPath is where a built member's component goes.
func (b *Builder) OutputPath(member string) string {
	return filepath.Join(b.opts.TargetDir, "members", member+".wasm")
}

// toolchain is what each language file implements.
type toolchain interface {
	// resolve finds the tools the member needs, failing with a
	// *MissingToolError, and returns what the fingerprint records of them.
	resolve(ctx context.Context, j *job) (*resolved, error)
	// build runs the toolchain and returns the path of what it produced:
	// a component, or a core module that Build then wraps.
	build(ctx context.Context, j *job, r *resolved) (string, error)
}

// resolved is a toolchain that was found: its version string, the command
// it will run (both part of the fingerprint) and its private state.
type resolved struct {
	version string
	command []string
	state   any
}

func (b *Builder) toolchain(spec *Spec) toolchain {
	if !spec.Command.IsZero() {
		return customCommand{lang: b.languageToolchain(spec)}
	}
	return b.languageToolchain(spec)
}

func (b *Builder) languageToolchain(spec *Spec) toolchain {
	switch spec.Language {
	case Rust:
		return rustToolchain{}
	case Python:
		return pythonToolchain{}
	case JS:
		return jsToolchain{}
	case Go:
		return goToolchain{}
	case Prebuilt:
		return prebuiltToolchain{}
	}
	return nil // Shell: customCommand with no language
}

// newJob starts a member's build: its environment is the builder's plus
// the member's build.env.
func (b *Builder) newJob(spec *Spec) *job {
	j := &job{b: b, spec: spec}
	j.env = j.envWith()
	return j
}

// Build brings the member's component up to date: it returns the last
// build's result when the fingerprint is fresh (unless Options.Force), and
// otherwise runs the toolchain, wraps a core module into a component,
// writes members/NAME.wasm and records the new fingerprint.
//
// A failure is a *BuildError carrying the toolchain's output; a missing
// tool is a *MissingToolError. Cancelling ctx stops the toolchain's
// whole process group.
func (b *Builder) Build(ctx context.Context, spec Spec) (*Result, error) {
	start := time.Now()
	if err := spec.check(); err != nil {
		return nil, err
	}
	j := b.newJob(&spec)
	tc := b.toolchain(&spec)
	r, fp, err := b.fingerprint(ctx, j, tc)
	if err != nil {
		return nil, err
	}
	prev, err := b.loadFingerprint(spec.Name)
	if err != nil {
		return nil, err
	}
	reason := "forced"
	if !b.opts.Force {
		if res, ok := b.fresh(&spec, prev, fp); ok {
			res.Elapsed = time.Since(start)
			j.emit(Event{Kind: EventFresh, Elapsed: res.Elapsed})
			return res, nil
		}
		reason = explain(prev, fp, b.outputMissing(prev))
	}
	// Message says why, as cargo -v's "Dirty" lines do.
	j.emit(Event{Kind: EventCompiling, Message: reason})
	res, err := b.build(ctx, j, tc, r, fp)
	elapsed := time.Since(start)
	if err != nil {
		j.emit(Event{Kind: EventFailed, Elapsed: elapsed})
		var missing *MissingToolError
		if errors.As(err, &missing) {
			return nil, err
		}
		return nil, &BuildError{Member: spec.Name, Language: spec.Language, Err: err, Output: j.capturedOutput()}
	}
	res.Elapsed = elapsed
	j.emit(Event{Kind: EventFinished, Elapsed: elapsed})
	return res, nil
}

// build runs a stale member's toolchain and records the result.
func (b *Builder) build(ctx context.Context, j *job, tc toolchain, r *resolved, fp *Fingerprint) (*Result, error) {
	spec := j.spec
	if err := os.MkdirAll(b.scratchDir(spec.Name), 0o755); err != nil {
		return nil, err
	}
	produced, err := tc.build(ctx, j, r)
	if err != nil {
		return nil, err
	}
	res := &Result{Member: spec.Name, Toolchain: r.version, Inputs: fp.Inputs}
	if _, isPrebuilt := tc.(prebuiltToolchain); isPrebuilt {
		err = b.finishPrebuilt(ctx, j, produced, res)
	} else {
		err = b.finishBuilt(ctx, j, produced, res)
	}
	if err != nil {
		return nil, err
	}
	res.Output = j.capturedOutput()
	fp = b.absorbToolchainWrites(ctx, j, tc, fp)
	res.Inputs = fp.Inputs
	if err := b.record(spec, fp, res); err != nil {
		return nil, err
	}
	return res, nil
}

// lockfiles are the watched files a toolchain itself rewrites.
var lockfiles = []string{"Cargo.lock", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "go.sum", "uv.lock", "poetry.lock"}

// absorbToolchainWrites returns the fingerprint to record for a build
// that started from fp: the inputs as they are now when the only changes
// since fp are files the build created (cargo's first Cargo.lock) or
// lockfiles it rewrote. Otherwise fp: a source edited while the build ran
// makes the next build run again.
func (b *Builder) absorbToolchainWrites(ctx context.Context, j *job, tc toolchain, fp *Fingerprint) *Fingerprint {
	after, err := b.recompute(ctx, j, tc)
	if err != nil || after.Inputs == fp.Inputs {
		return fp
	}
	before := map[string]string{}
	for _, f := range fp.Files {
		before[f.Path] = f.Digest
	}
	for _, f := range after.Files {
		d, existed := before[f.Path]
		if existed && d != f.Digest && !slices.Contains(lockfiles, path.Base(f.Path)) {
			return fp
		}
		delete(before, f.Path)
	}
	if len(before) > 0 { // a file disappeared
		return fp
	}
	if !sameExceptFiles(fp, after) {
		return fp
	}
	return after
}

// sameExceptFiles reports whether two fingerprints differ in Files only.
func sameExceptFiles(a, b *Fingerprint) bool {
	x, y := *a, *b
	x.Files, y.Files, x.Inputs, y.Inputs = nil, nil, "", ""
	return x.digest() == y.digest()
}

// recompute is the fingerprint as the inputs are now.
func (b *Builder) recompute(ctx context.Context, j *job, tc toolchain) (*Fingerprint, error) {
	_, fp, err := b.fingerprint(ctx, j, tc)
	return fp, err
}

// finishBuilt makes what the toolchain produced into members/NAME.wasm.
func (b *Builder) finishBuilt(ctx context.Context, j *job, produced string, res *Result) error {
	out := b.OutputPath(j.spec.Name)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	adapter, err := b.componentize(ctx, j, produced, out)
	if err != nil {
		return err
	}
	digest, size, err := fileDigest(out)
	if err != nil {
		return err
	}
	res.Path, res.Digest, res.Size, res.Adapter = out, digest, size, adapter
	return nil
}

// scratchDir is the member's own working directory under target/wcomp.
func (b *Builder) scratchDir(member string) string {
	return filepath.Join(b.opts.TargetDir, "build", member)
}

// relToDir shortens a path under the member directory for messages.
func relToDir(spec *Spec, path string) string {
	if rel, err := filepath.Rel(spec.Dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
