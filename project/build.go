package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wcomp/wcomp/builder"
	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/filelock"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/policy"
	"github.com/wcomp/wcomp/resolve"
	"github.com/wcomp/wcomp/wit"
)

// Result is what a build produced.
type Result struct {
	// Path is the composed component, target/<name>.wasm; Digest and Size
	// describe it.
	Path   string
	Digest string
	Size   int64
	// Fresh reports that nothing was composed: the inputs of the last
	// composition are unchanged and its output is in place.
	Fresh bool
	// Members are the members' components, in manifest order.
	Members []MemberResult
	// LockChanged reports that wcomp.lock was written.
	LockChanged bool
	// Elapsed is the whole build's time.
	Elapsed time.Duration
}

// MemberResult is one member's component.
type MemberResult struct {
	Name, Language string
	// Path is the member's component (target/wcomp/members/NAME.wasm for
	// built members); Digest its digest.
	Path, Digest string
	// Fresh reports that its last build still held.
	Fresh   bool
	Elapsed time.Duration
}

// session is one run of the pipeline: the project, its options, and what
// each stage has produced so far.
type session struct {
	p     *Project
	opts  Options
	start time.Time

	// reportMu serializes Report calls, which come from concurrent member
	// builds.
	reportMu sync.Mutex

	cacheDir string
	oldLock  *resolve.Lock
	resolved *resolve.Result
	members  []*member
	built    []*builder.Result // by member index
	// enforced is the policy's outcome on the last plan (nil without a
	// policy, or when the composition was fresh).
	enforced *policy.Enforced
}

func newSession(p *Project, opts Options) (*session, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	s := &session{p: p, opts: opts, start: time.Now(), cacheDir: opts.CacheDir}
	if s.cacheDir == "" {
		dir, err := blobcache.DefaultDir(s.getenv)
		if err != nil {
			return nil, err
		}
		s.cacheDir = dir
	}
	return s, nil
}

// getenv reads the toolchains' environment (Options.Env, else the
// process's).
func (s *session) getenv(key string) string {
	if s.opts.Env == nil {
		return os.Getenv(key)
	}
	for i := len(s.opts.Env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(s.opts.Env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

func (s *session) report(e Event) {
	if s.opts.Reporter == nil {
		return
	}
	s.reportMu.Lock()
	defer s.reportMu.Unlock()
	e.At = time.Since(s.start)
	s.opts.Reporter.Report(e)
}

// Build runs the whole pipeline and writes target/<name>.wasm. Every
// error about a manifest value is positioned at it; a failed member's
// error wraps the builder's *builder.BuildError, whose Output the Failed
// event carries too.
func (p *Project) Build(ctx context.Context, opts Options) (*Result, error) {
	s, unlock, err := p.begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	res, err := s.build(ctx)
	if err != nil {
		return nil, err
	}
	s.finish(res)
	return res, nil
}

// build builds the members and composes them: the work of Build, in a
// session begun, before the Finished event (finish).
func (s *session) build(ctx context.Context) (*Result, error) {
	lockChanged, err := s.buildMembers(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.compose(ctx)
	if err != nil {
		return nil, err
	}
	res.LockChanged = lockChanged
	res.Members = s.memberResults()
	return res, nil
}

// finish reports the Finished event of a build that succeeded.
func (s *session) finish(res *Result) {
	res.Elapsed = time.Since(s.start)
	s.report(Event{Kind: Finished, Path: res.Path, Digest: res.Digest, Elapsed: res.Elapsed, Fresh: res.Fresh})
}

// Update re-resolves the WIT dependencies and components named in
// opts.Update (all with opts.UpdateAll), vendors what changed and writes
// wcomp.lock, as `cargo update` does: nothing is built.
func (p *Project) Update(ctx context.Context, opts Options) (changes []resolve.Change, err error) {
	s, unlock, err := p.begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	lock := s.resolved.Lock
	lock.KeepMembers(s.sourceMemberNames())
	if _, err := lock.Save(p.LockPath()); err != nil {
		return nil, err
	}
	return s.resolved.Changes, nil
}

// begin starts a build, an update or a graph: the session, holding
// target/wcomp/.lock (unlock releases it), with the WIT dependencies and
// prebuilt members resolved and vendored.
func (p *Project) begin(ctx context.Context, opts Options) (s *session, unlock func(), err error) {
	if s, err = newSession(p, opts); err != nil {
		return nil, nil, err
	}
	if unlock, err = s.lockTarget(ctx); err != nil {
		return nil, nil, err
	}
	if err := s.resolve(ctx); err != nil {
		unlock()
		return nil, nil, err
	}
	return s, unlock, nil
}

// lockTarget takes target/wcomp/.lock for the whole build, telling the
// user when another build holds it (cargo's "Blocking waiting for file
// lock").
func (s *session) lockTarget(ctx context.Context) (func(), error) {
	path := filepath.Join(s.p.wcompDir(), ".lock")
	try, cancel := context.WithCancel(ctx)
	cancel()
	unlock, err := filelock.Lock(try, path)
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil {
		s.report(Event{Kind: Blocking, Message: "waiting for file lock on build directory"})
		unlock, err = filelock.Lock(ctx, path)
	}
	if err != nil {
		return nil, err
	}
	return func() { _ = unlock() }, nil
}

// resolve pins the WIT dependencies and prebuilt members (resolve), and
// vendors the WIT packages into wit/deps.
func (s *session) resolve(ctx context.Context) error {
	old, err := resolve.ReadLock(s.p.LockPath())
	if err != nil {
		return err
	}
	s.oldLock = old
	env := resolve.Env{
		Fetcher: &resolve.HTTPFetcher{Client: s.opts.HTTPClient},
		Store:   blobcache.New(s.cacheDir),
	}
	if s.opts.Registry != nil {
		env.Registry = s.opts.Registry
	}
	res, err := resolve.Resolve(ctx, s.p.resolveInputs(), resolve.Options{
		Lock: old, Locked: s.opts.Locked, Offline: s.opts.Offline,
		Update: s.opts.Update, UpdateAll: s.opts.UpdateAll,
	}, env)
	if err != nil {
		return err
	}
	s.resolved = res
	for _, c := range res.Changes {
		s.report(Event{Kind: Locking, Message: lockMessage(c)})
	}
	var managed []string
	if old != nil {
		managed = old.VendoredEntries()
	}
	if len(res.Packages) == 0 && len(managed) == 0 {
		return nil // nothing to vendor: leave wit/ without a deps/
	}
	v, err := wit.Vendor(s.p.WITDir(), res.Vendored(), managed)
	if err != nil {
		return err
	}
	for _, e := range v.Written {
		s.report(Event{Kind: Vendoring, Message: s.p.Rel(filepath.Join(s.p.WITDir(), "deps", e))})
	}
	for _, e := range v.Removed {
		s.report(Event{Kind: Vendoring, Message: "removed " + s.p.Rel(filepath.Join(s.p.WITDir(), "deps", e))})
	}
	return nil
}

// lockMessage says what a change to wcomp.lock does, for the Locking
// line: "wit wasi:cli@0.2.3 added", "wit wasi:cli: 0.2.3 → 0.2.6".
func lockMessage(c resolve.Change) string {
	switch c.Op {
	case '+':
		return c.Kind + " " + c.Name + " added"
	case '-':
		return c.Kind + " " + c.Name + " removed"
	}
	if c.Detail == "" {
		return c.Kind + " " + c.Name + " changed"
	}
	return c.Kind + " " + c.Name + ": " + c.Detail
}

// sourceMemberNames lists the members built from source, whose entries
// wcomp.lock keeps.
func (s *session) sourceMemberNames() []string {
	var names []string
	for _, m := range s.p.Manifest.Components {
		if m.Source == manifest.SourceBuild {
			names = append(names, m.Name)
		}
	}
	return names
}

// buildMembers brings every member's component up to date, Options.Jobs
// at a time, records them in wcomp.lock and writes it. It reports whether
// the lock file changed.
func (s *session) buildMembers(ctx context.Context) (bool, error) {
	comps := map[string]*resolve.Component{}
	for _, c := range s.resolved.Components {
		comps[c.Name] = c
	}
	members, err := s.p.members(comps)
	if err != nil {
		return false, err
	}
	if len(members) == 0 {
		return false, s.p.errorf(manifest.Pos{}, "", "the project has no members: add one with `wcomp new NAME --lang rust|python|js|go`, or a [components.NAME] table")
	}
	s.members = members
	b, err := builder.New(builder.Options{
		TargetDir: s.p.wcompDir(), CacheDir: s.cacheDir, Env: s.opts.Env,
		Progress: s.builderEvent, HTTPClient: s.opts.HTTPClient, OCI: s.opts.OCI,
		Offline: s.opts.Offline, Locked: s.opts.Locked,
	})
	if err != nil {
		return false, err
	}
	s.built = make([]*builder.Result, len(members))
	errs := parallel(ctx, s.opts.Jobs, len(members), func(ctx context.Context, i int) error {
		mb := members[i]
		// The remote build cache (#13) goes here: the member's inputs
		// digest (Builder.Fingerprint) names its artifact in the cache; a
		// hit is adopted as the member's output (`Cached NAME (LANG)`),
		// a miss builds and pushes.
		r, err := b.Build(ctx, mb.spec)
		if err != nil {
			ev := Event{Kind: Failed, Member: mb.m.Name, Language: mb.lang}
			var be *builder.BuildError
			if errors.As(err, &be) {
				ev.Output = string(be.Output)
			}
			s.report(ev)
			return s.memberError(mb, err)
		}
		s.built[i] = r
		s.report(Event{Kind: Built, Member: mb.m.Name, Language: mb.lang, Path: r.Path, Digest: r.Digest, Elapsed: r.Elapsed, Fresh: r.Fresh})
		return nil
	})
	// The lock records what was built, even when another member failed,
	// as cargo writes Cargo.lock before compiling.
	changed, lockErr := s.recordLock()
	if err := errors.Join(append(errs, lockErr)...); err != nil {
		return false, flatten(err)
	}
	return changed, nil
}

// builderEvent turns the builder's progress into the build's events. The
// builder's own finished and failed events are left out: Built and Failed
// follow from Build's result, with the artifact or the output.
func (s *session) builderEvent(e builder.Event) {
	kinds := map[builder.EventKind]Kind{
		builder.EventFresh:      Fresh,
		builder.EventCompiling:  Compiling,
		builder.EventInstalling: Installing,
		builder.EventRunning:    Running,
		builder.EventOutput:     Output,
	}
	k, ok := kinds[e.Kind]
	if !ok {
		return
	}
	s.report(Event{Kind: k, Member: e.Member, Language: string(e.Language), Message: e.Message, Elapsed: e.Elapsed})
}

// memberError positions a member's failure at its table in the manifest
// (or at build.command when the user's command failed), naming the
// member and its toolchain.
func (s *session) memberError(mb *member, err error) error {
	m := mb.m
	key, pos := "components."+m.Name, m.Pos
	var missing *builder.MissingToolError
	if errors.As(err, &missing) {
		if m.Language.Set {
			key, pos = key+".language", m.Language.Pos
		}
		return s.p.errorf(pos, key, "%w", err)
	}
	var be *builder.BuildError
	if !errors.As(err, &be) {
		return s.p.errorf(pos, key, "%w", err) // the builder's errors name the member
	}
	if m.Build.Command.Set {
		key, pos = key+".build.command", m.Build.Command.Pos
	}
	return s.p.errorf(pos, key, "member %s (%s) failed to build: %w", m.Name, mb.lang, be.Err)
}

// recordLock puts every member built from source into the lock and writes
// it; under --locked, any change is an error instead.
func (s *session) recordLock() (bool, error) {
	lock := s.resolved.Lock
	var errs []error
	for i, mb := range s.members {
		r := s.built[i]
		if r == nil || mb.m.Source != manifest.SourceBuild {
			continue
		}
		warning, err := lock.RecordMember(resolve.LockedMember{
			Name: mb.m.Name, Source: mb.source, Toolchain: r.Toolchain, Inputs: r.Inputs, Digest: r.Digest,
		}, s.opts.Locked)
		if err != nil {
			errs = append(errs, s.p.errorf(mb.m.Pos, "components."+mb.m.Name, "%w", err))
		}
		if warning != "" {
			s.report(Event{Kind: Warning, Member: mb.m.Name, Language: mb.lang, Message: warning})
		}
	}
	lock.KeepMembers(s.sourceMemberNames())
	if len(errs) > 0 {
		return false, errors.Join(errs...)
	}
	if s.opts.Locked {
		if changes := resolve.Diff(s.oldLock, lock); len(changes) > 0 {
			return false, &resolve.LockedError{Changes: changes}
		}
		return false, nil
	}
	return lock.Save(s.p.LockPath())
}

func (s *session) memberResults() []MemberResult {
	out := make([]MemberResult, len(s.members))
	for i, mb := range s.members {
		out[i] = MemberResult{Name: mb.m.Name, Language: mb.lang}
		if r := s.built[i]; r != nil {
			out[i].Path, out[i].Digest, out[i].Fresh, out[i].Elapsed = r.Path, r.Digest, r.Fresh, r.Elapsed
		}
	}
	return out
}

// errSkipped marks a member that was not started because another failed.
var errSkipped = errors.New("skipped: another member failed")

// parallel runs run(ctx, i) for i in [0, n), at most jobs at a time, in
// order. Once one fails, no more are started (the running ones finish, as
// cargo lets them); those left out get errSkipped, which flatten drops.
func parallel(ctx context.Context, jobs, n int, run func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	slots := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := false
	for i := 0; i < n; i++ {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			errs[i] = ctx.Err()
			continue
		}
		mu.Lock()
		stop := failed
		mu.Unlock()
		if stop {
			<-slots
			errs[i] = errSkipped
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-slots }()
			if err := run(ctx, i); err != nil {
				mu.Lock()
				errs[i], failed = err, true
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return errs
}

// flatten turns joined errors into one list, without the members that
// were skipped and without repeating a cancellation, so the CLI prints
// one line per real problem.
func flatten(err error) error {
	var out []error
	seenCancel := false
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		switch {
		case errors.Is(e, errSkipped):
		case errors.Is(e, context.Canceled):
			if !seenCancel {
				seenCancel = true
				out = append(out, e)
			}
		default:
			out = append(out, e)
		}
	}
	walk(err)
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return ErrorList(out)
}

// ErrorList is several problems found in one build, one per line.
type ErrorList []error

func (l ErrorList) Error() string {
	s := ""
	for i, e := range l {
		if i > 0 {
			s += "\n"
		}
		s += e.Error()
	}
	return s
}

// Unwrap lets errors.Is and errors.As see each error.
func (l ErrorList) Unwrap() []error { return l }
