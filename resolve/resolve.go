package resolve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/internal/versionreq"
	"github.com/wcomp/wcomp/wit"
)

// Result is what one resolution pinned.
type Result struct {
	// Lock is the new lock: WIT packages and components as resolved,
	// members carried over from Options.Lock for the driver to update
	// after building (SetMember, CheckMember).
	Lock *Lock
	// Packages are the WIT packages to vendor, in the lock's order.
	Packages []*Package
	// Components are the prebuilt and remote members, in input order.
	Components []*Component
	// Changes lists how the WIT and component entries differ from
	// Options.Lock.
	Changes []Change
}

// Package is a resolved WIT package.
type Package struct {
	Name, Version string
	// Source is where it came from, as wcomp.lock records it:
	// path+DIR, url+URL[#SUBDIR], registry+LOCATION, with #…/deps/NAME
	// for a package that came in a source's deps/.
	Source string
	// Files are its .wit files, to vendor as deps/<Entry>/.
	Files []wit.File
	// Deps lists the packages it refers to, as name@version.
	Deps []string
	// Why is the requirement path that brought it in.
	Why   []string
	entry LockedWIT
}

// ID is name@version.
func (p *Package) ID() string { return wit.PackageID(p.Name, p.Version) }

// Vendored is the package as wit.Vendor writes it.
func (p *Package) Vendored() wit.VendoredPackage {
	return wit.VendoredPackage{Entry: wit.DepsEntry(p.Name, p.Version), Files: p.Files}
}

// Vendored lists every resolved package as wit.Vendor takes them.
func (r *Result) Vendored() []wit.VendoredPackage {
	var out []wit.VendoredPackage
	for _, p := range r.Packages {
		out = append(out, p.Vendored())
	}
	return out
}

// Resolve pins every WIT dependency (transitively) and every prebuilt or
// remote component of in. It is pure but for env: the network through
// env.Fetcher and env.Registry, downloads through env.Store, and reading
// path sources and the vendored deps/ from disk. Versions and digests in
// opts.Lock are kept while the inputs allow them; content whose digest
// differs from a pinned one is an error naming both. Every problem found
// is reported (an ErrorList of *Error, *DigestError, …); with
// opts.Locked, a lock that would change is a *LockedError.
func Resolve(ctx context.Context, in Inputs, opts Options, env Env) (*Result, error) {
	r := &resolver{
		ctx: ctx, in: in, opts: opts, env: env,
		selected: map[string]*Package{},
		bundled:  map[string]*candidate{},
		update:   map[string]bool{},
		failed:   map[string]bool{},
	}
	if err := r.checkUpdate(); err != nil {
		return nil, err
	}
	r.resolveWIT()
	comps := r.resolveComponents()
	if err := r.errs.errOrNil(); err != nil {
		return nil, err
	}
	res := &Result{Lock: &Lock{Version: LockVersion}, Components: comps}
	if opts.Lock != nil {
		res.Lock.Members = append(res.Lock.Members, opts.Lock.Members...)
	}
	for _, p := range r.order {
		res.Packages = append(res.Packages, p)
		res.Lock.WIT = append(res.Lock.WIT, p.entry)
	}
	for _, c := range comps {
		res.Lock.Components = append(res.Lock.Components, c.entry)
	}
	res.Lock.Sort()
	sort.SliceStable(res.Packages, func(i, j int) bool { return lessWIT(&res.Packages[i].entry, &res.Packages[j].entry) })
	var old *Lock
	if opts.Lock != nil {
		old = &Lock{Components: opts.Lock.Components, WIT: opts.Lock.WIT}
	}
	res.Changes = Diff(old, &Lock{Components: res.Lock.Components, WIT: res.Lock.WIT})
	if opts.Locked && len(res.Changes) > 0 {
		return nil, &LockedError{Changes: res.Changes}
	}
	return res, nil
}

type resolver struct {
	ctx  context.Context
	in   Inputs
	opts Options
	env  Env
	errs ErrorList

	// update holds the names Options.Update re-resolves.
	update map[string]bool
	// selected holds the chosen packages by ID; order is the order they
	// were chosen in.
	selected map[string]*Package
	order    []*Package
	// bundled holds packages that came in a source's deps/, by ID: they
	// are chosen when something refers to them.
	bundled map[string]*candidate
	// failed holds the packages whose manifest entry failed: references to
	// them would only repeat that error.
	failed map[string]bool
	// rootID is the project's own package; rootRefs what it refers to, by
	// package name.
	rootID   string
	rootRefs map[string][]wit.Ref
}

// candidate is a package that a source brought along in its deps/.
type candidate struct {
	files  []wit.File
	source string
	digest string // the archive's, for a tarball
}

// checkUpdate validates Options.Update against what there is to update.
func (r *resolver) checkUpdate() error {
	if r.opts.Locked && (r.opts.UpdateAll || len(r.opts.Update) > 0) {
		return errors.New("--locked forbids changing wcomp.lock, and update would change it")
	}
	if len(r.opts.Update) == 0 {
		return nil
	}
	known := map[string]bool{}
	for _, d := range r.in.WIT {
		known[d.Name] = true
	}
	for _, c := range r.in.Components {
		known[c.Name] = true
	}
	if r.opts.Lock != nil {
		for _, w := range r.opts.Lock.WIT {
			known[w.Name] = true
		}
	}
	var unknown []string
	for _, n := range r.opts.Update {
		if !known[n] {
			unknown = append(unknown, n)
		}
		r.update[n] = true
	}
	if len(unknown) > 0 {
		var names []string
		for n := range known {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("nothing named %s to update (WIT packages and components: %s)", strings.Join(unknown, ", "), strings.Join(names, ", "))
	}
	return nil
}

// updating reports whether name is to be resolved afresh.
func (r *resolver) updating(name string) bool { return r.opts.UpdateAll || r.update[name] }

func (r *resolver) fail(where string, why []string, err error) {
	r.errs = append(r.errs, &Error{Where: where, Path: append([]string(nil), why...), Err: err})
}

// abs resolves a path from the manifest against the project directory.
func (r *resolver) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.in.Dir, p)
}

// request is a reference to an exact package version (or an unversioned
// package), from a package's WIT text or binary.
type request struct {
	name, version string
	why           []string
	where         string
}

// resolveWIT chooses every WIT package: the manifest's dependencies first,
// in order, then everything they and the project's own package refer to,
// breadth first.
func (r *resolver) resolveWIT() {
	var queue []request
	if r.in.WITDir != "" {
		queue = r.readRoot()
	}
	for i := range r.in.WIT {
		if r.ctx.Err() != nil {
			r.fail("", nil, r.ctx.Err())
			return
		}
		before := len(r.errs)
		queue = append(queue, r.direct(&r.in.WIT[i])...)
		if len(r.errs) > before {
			r.failed[r.in.WIT[i].Name] = true
		}
	}
	for len(queue) > 0 {
		if r.ctx.Err() != nil {
			r.fail("", nil, r.ctx.Err())
			return
		}
		req := queue[0]
		queue = queue[1:]
		queue = append(queue, r.indirect(req)...)
	}
}

// readRoot scans the project's own package and returns its references. A
// WIT directory that does not exist yet, or holds only deps/, declares no
// package: a project of prebuilt members may have none.
func (r *resolver) readRoot() []request {
	dir := r.abs(r.in.WITDir)
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.wit")); len(matches) == 0 {
		return nil
	}
	files, err := wit.ReadPackageDir(dir)
	if err != nil {
		r.fail("", []string{r.in.Project}, err)
		return nil
	}
	info, err := wit.ScanPackage(displayNames(files, r.in.Dir))
	if err != nil {
		r.fail("", []string{r.in.Project}, err)
		return nil
	}
	r.rootID = info.ID()
	r.rootRefs = map[string][]wit.Ref{}
	var out []request
	for _, ref := range info.Refs {
		r.rootRefs[ref.Name] = append(r.rootRefs[ref.Name], ref)
		out = append(out, request{name: ref.Name, version: ref.Version, why: []string{r.projectName(), ref.ID()}, where: ref.Pos.String()})
	}
	return out
}

func (r *resolver) projectName() string {
	if r.in.Project != "" {
		return r.in.Project
	}
	if r.rootID != "" {
		return r.rootID
	}
	return "the project"
}

// displayNames returns files named by their path relative to dir, for
// positions in messages.
func displayNames(files []wit.File, dir string) []wit.File {
	out := make([]wit.File, len(files))
	for i, f := range files {
		name := f.Name
		if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
			name = rel
		}
		out[i] = wit.File{Name: name, Data: f.Data}
	}
	return out
}

// direct resolves one [wit.dependencies] entry.
func (r *resolver) direct(d *WITDependency) []request {
	why := []string{r.projectName(), d.Name}
	var req *versionreq.Req
	if d.Version != "" {
		q, err := versionreq.Parse(d.Version)
		if err != nil {
			r.fail(d.Where, why, err)
			return nil
		}
		req = &q
		why[1] = d.Name + "@" + q.String()
	}
	switch {
	case d.Path != "" && d.URL != "":
		r.fail(d.Where, why, errors.New("give path or url, not both"))
		return nil
	case d.Path != "":
		why[1] += " (path " + d.Path + ")"
		tree, err := readPackageTree(r.abs(d.Path))
		if err != nil {
			r.fail(d.Where, why, err)
			return nil
		}
		source := "path+" + filepath.ToSlash(filepath.Clean(d.Path))
		return r.addTree(d, req, why, tree, source, "", "")
	case d.URL != "":
		why[1] += " (url " + d.URL + ")"
		return r.directURL(d, req, why)
	case req == nil:
		r.fail(d.Where, why, errors.New("no source: give a version requirement (a registry package), path or url"))
		return nil
	}
	return r.directRegistry(d, *req, why)
}

// addTree chooses the package a path or tarball holds and offers what
// came in its deps/; it returns the package's references.
func (r *resolver) addTree(d *WITDependency, req *versionreq.Req, why []string, tree *packageTree, source, root, digest string) []request {
	pkg, refs, err := r.textPackage(tree.files, source, why, d.Where)
	if err != nil {
		r.fail(d.Where, why, err)
		return nil
	}
	if pkg.Name != d.Name {
		r.fail(d.Where, why, fmt.Errorf("it holds package %s, not %s", pkg.ID(), d.Name))
		return nil
	}
	if req != nil && !req.Matches(pkg.Version) {
		r.fail(d.Where, why, fmt.Errorf("it holds %s, which does not match %s", pkg.ID(), req))
		return nil
	}
	pkg.entry.Digest = digest
	r.choose(pkg)
	dirs := make([]string, 0, len(tree.bundled))
	for dir := range tree.bundled {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		files := tree.bundled[dir]
		info, err := wit.ScanPackage(files)
		if err != nil {
			r.fail(d.Where, why, fmt.Errorf("deps/%s: %w", dir, err))
			continue
		}
		if _, ok := r.bundled[info.ID()]; !ok {
			r.bundled[info.ID()] = &candidate{files: files, source: bundledSource(source, root, dir), digest: digest}
		}
	}
	return refs
}

// bundledSource names a package found in deps/DIR of a source.
func bundledSource(parent, root, dir string) string {
	frag := "deps/" + dir
	if root != "" && root != "." {
		frag = root + "/" + frag
	}
	if i := strings.Index(parent, "#"); i >= 0 {
		parent = parent[:i]
	}
	return parent + "#" + frag
}

// textPackage makes a Package of WIT text files and returns its
// references as requests.
func (r *resolver) textPackage(files []wit.File, source string, why []string, where string) (*Package, []request, error) {
	prefix, onDisk := displayPrefix(source)
	display := make([]wit.File, len(files))
	for i, f := range files {
		display[i] = wit.File{Name: prefix + f.Name, Data: f.Data}
	}
	info, err := wit.ScanPackage(display)
	if err != nil {
		return nil, nil, err
	}
	if info.ID() == r.rootID {
		return nil, nil, fmt.Errorf("it holds %s, the project's own package", info.ID())
	}
	hash, err := wit.HashFiles(files)
	if err != nil {
		return nil, nil, err
	}
	pkg := &Package{Name: info.Name, Version: info.Version, Source: source, Files: files, Why: why}
	var reqs []request
	for _, ref := range info.Refs {
		pkg.Deps = append(pkg.Deps, ref.ID())
		at := ""
		if onDisk {
			at = ref.Pos.String()
		}
		reqs = append(reqs, request{name: ref.Name, version: ref.Version, why: append(append([]string(nil), why...), ref.ID()), where: at})
	}
	pkg.entry = LockedWIT{Name: pkg.Name, Version: pkg.Version, Source: source, Hash: hash, Dependencies: pkg.Deps}
	return pkg, reqs, nil
}

// displayPrefix is how files of source are named in messages: by their
// path for a path source (onDisk), by the source itself otherwise, where
// a line number would point at nothing the user can open.
func displayPrefix(source string) (prefix string, onDisk bool) {
	if p, ok := strings.CutPrefix(source, "path+"); ok {
		p, frag, _ := strings.Cut(p, "#")
		switch {
		case frag != "":
			p += "/" + frag
		case strings.HasSuffix(p, ".wit"):
			// A single-file package: its file is named by itself.
			p = filepath.ToSlash(filepath.Dir(p))
		}
		return p + "/", true
	}
	return source + "/", false
}

// choose records pkg as the package for its ID, unless one is chosen
// already (the first requirement to reach a package decides its source).
func (r *resolver) choose(pkg *Package) bool {
	if _, ok := r.selected[pkg.ID()]; ok {
		return false
	}
	r.selected[pkg.ID()] = pkg
	r.order = append(r.order, pkg)
	return true
}

// indirect resolves a reference to an exact version: a package chosen
// already, one that came along in a source's deps/, or the registry.
func (r *resolver) indirect(q request) []request {
	id := wit.PackageID(q.name, q.version)
	if _, ok := r.selected[id]; ok || id == r.rootID || r.failed[q.name] {
		return nil
	}
	if c, ok := r.bundled[id]; ok {
		pkg, refs, err := r.textPackage(c.files, c.source, q.why, q.where)
		if err != nil {
			r.fail(q.where, q.why, err)
			return nil
		}
		pkg.entry.Digest = c.digest
		r.choose(pkg)
		return refs
	}
	if q.version == "" || r.env.Registry == nil {
		r.fail(q.where, q.why, r.unprovided(q))
		return nil
	}
	return r.registryPackage(q.name, q.version, q.why, q.where)
}

// unprovided explains a reference nothing satisfies.
func (r *resolver) unprovided(q request) error {
	var near []string
	for id, p := range r.selected {
		if p.Name == q.name {
			near = append(near, id)
		}
	}
	for id := range r.bundled {
		if strings.HasPrefix(id, q.name+"@") || id == q.name {
			near = append(near, id)
		}
	}
	sort.Strings(near)
	msg := "no dependency provides it"
	if len(near) > 0 {
		msg += " (there is " + strings.Join(near, ", ") + "; WIT needs the exact version it names)"
	}
	switch {
	case q.version == "":
		msg += `; add it to [wit.dependencies] with a path or url (a registry serves only versioned packages)`
	case r.env.Registry == nil:
		msg += fmt.Sprintf(`; add "%s" = "=%s" (a registry package) or a path or url to [wit.dependencies]`, q.name, q.version)
	}
	return errors.New(msg)
}

// readPackageTree reads a path dependency: the .wit files directly in dir
// (or dir itself, a single .wit file), and the packages in its deps/.
func readPackageTree(dir string) (*packageTree, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		if filepath.Ext(dir) != ".wit" {
			return nil, fmt.Errorf("%s is neither a directory nor a .wit file", dir)
		}
		data, err := os.ReadFile(dir)
		if err != nil {
			return nil, err
		}
		return &packageTree{files: []wit.File{{Name: filepath.Base(dir), Data: data}}}, nil
	}
	files, err := wit.ReadPackageDir(dir)
	if err != nil {
		return nil, err
	}
	tree := &packageTree{bundled: map[string][]wit.File{}}
	for _, f := range files {
		tree.files = append(tree.files, wit.File{Name: filepath.Base(f.Name), Data: f.Data})
	}
	entries, err := os.ReadDir(filepath.Join(dir, "deps"))
	if errors.Is(err, fs.ErrNotExist) {
		return tree, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		p := filepath.Join(dir, "deps", e.Name())
		switch {
		case e.IsDir():
			fs, err := wit.ReadPackageDir(p)
			if err != nil {
				return nil, err
			}
			for _, f := range fs {
				tree.bundled[e.Name()] = append(tree.bundled[e.Name()], wit.File{Name: filepath.Base(f.Name), Data: f.Data})
			}
		case filepath.Ext(e.Name()) == ".wit":
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			tree.bundled[strings.TrimSuffix(e.Name(), ".wit")] = []wit.File{{Name: e.Name(), Data: data}}
		default:
			return nil, fmt.Errorf("%s: only WIT text is read from a dependency's deps/ (a directory or a .wit file)", p)
		}
	}
	return tree, nil
}
