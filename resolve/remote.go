package resolve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/internal/versionreq"
	"github.com/wcomp/wcomp/wit"
)

// This file resolves what comes from elsewhere: URL tarballs and registry
// packages. The order is always the same, so that a build whose inputs
// are pinned and present never touches the network: the vendored copy in
// deps/ if the lock's hash says it is current, else the Store by pinned
// digest, else a download (refused under --offline), checked against the
// pinned digest.

// directURL resolves a [wit.dependencies] entry with a url.
func (r *resolver) directURL(d *WITDependency, req *versionreq.Req, why []string) []request {
	source := "url+" + d.URL
	if d.Subdir != "" {
		source += "#" + d.Subdir
	}
	want, pinnedBy := "", ""
	if d.SHA256 != "" {
		var err error
		if want, err = sha256Digest(d.SHA256); err != nil {
			r.fail(d.Where, why, err)
			return nil
		}
		pinnedBy = "component.toml"
	}
	locked := r.lockedWIT(d.Name, "", source)
	if locked != nil && want == "" {
		want, pinnedBy = locked.Digest, LockFile
	}
	if locked != nil && locked.Digest == want {
		if reqs, ok := r.tarballFromVendored(d, req, why, locked, source); ok {
			return reqs
		}
	}
	data, digest, err := r.download(d.URL, want, pinnedBy, d.Name)
	if err != nil {
		r.fail(d.Where, why, err)
		return nil
	}
	tree, err := unpackTarball(data, d.Subdir)
	if err != nil {
		r.fail(d.Where, why, fmt.Errorf("%s: %w", d.URL, err))
		return nil
	}
	return r.addTree(d, req, why, tree, source, tree.root, digest)
}

// tarballFromVendored rebuilds a tarball dependency from its vendored
// copies, when they and every package that came with it are as locked.
func (r *resolver) tarballFromVendored(d *WITDependency, req *versionreq.Req, why []string, locked *LockedWIT, source string) ([]request, bool) {
	files, ok := r.vendoredFiles(locked)
	if !ok {
		return nil, false
	}
	base := strings.SplitN(source, "#", 2)[0] + "#"
	tree := &packageTree{files: files, bundled: map[string][]wit.File{}}
	var came []*LockedWIT
	for i := range r.opts.Lock.WIT {
		w := &r.opts.Lock.WIT[i]
		if w != locked && strings.HasPrefix(w.Source, base) && isBundled(w.Source) {
			if _, ok := r.vendoredFiles(w); !ok {
				return nil, false
			}
			came = append(came, w)
		}
	}
	reqs := r.addTree(d, req, why, tree, source, "", locked.Digest)
	for _, w := range came {
		fs, _ := r.vendoredFiles(w)
		if _, ok := r.bundled[w.ID()]; !ok {
			r.bundled[w.ID()] = &candidate{files: fs, source: w.Source, digest: w.Digest}
		}
	}
	return reqs, true
}

// isBundled reports whether a source names a package that came in
// another's deps/ (…#deps/NAME or …#DIR/deps/NAME).
func isBundled(source string) bool {
	_, frag, ok := strings.Cut(source, "#")
	return ok && (strings.HasPrefix(frag, "deps/") || strings.Contains(frag, "/deps/"))
}

// lockedWIT returns the lock's entry for name from source, at version (or
// any version when version is ""), unless name is being updated.
func (r *resolver) lockedWIT(name, version, source string) *LockedWIT {
	if r.opts.Lock == nil || r.updating(name) {
		return nil
	}
	for i := range r.opts.Lock.WIT {
		w := &r.opts.Lock.WIT[i]
		if w.Name == name && w.Source == source && (version == "" || w.Version == version) {
			return w
		}
	}
	return nil
}

// vendoredFiles returns the files of w's deps/ entry if they hash to what
// the lock recorded.
func (r *resolver) vendoredFiles(w *LockedWIT) ([]wit.File, bool) {
	if r.in.WITDir == "" || w.Hash == "" {
		return nil, false
	}
	dir := filepath.Join(r.abs(r.in.WITDir), "deps", w.Entry())
	files, err := wit.ReadFlatDir(dir)
	if err != nil {
		return nil, false
	}
	if h, err := wit.HashFiles(files); err != nil || h != w.Hash {
		return nil, false
	}
	return files, true
}

// download returns the content of url: from the Store when want (a
// sha256: digest, pinned by pinnedBy) is known and cached, else fetched
// and checked against want. name is what `wcomp update` would take to
// accept new content.
func (r *resolver) download(url, want, pinnedBy, name string) ([]byte, string, error) {
	if data, ok := r.cached(want); ok {
		return data, want, nil
	}
	if r.opts.Offline {
		return nil, "", fmt.Errorf("%s must be downloaded, and is not in the cache: %w", url, ErrOffline)
	}
	if r.env.Fetcher == nil {
		return nil, "", fmt.Errorf("%s: no way to download it (no fetcher)", url)
	}
	data, err := r.env.Fetcher.Fetch(r.ctx, url)
	if err != nil {
		return nil, "", err
	}
	got := Digest(data)
	if want != "" && got != want {
		hint := "the content at the URL changed; if that is expected, run `wcomp update " + name + "`"
		if pinnedBy != LockFile {
			hint = "fix the digest in component.toml if the new content is expected"
		}
		return nil, "", &DigestError{What: url, Got: got, Want: want, PinnedBy: pinnedBy, Hint: hint}
	}
	if err := r.store(got, data); err != nil {
		return nil, "", err
	}
	return data, got, nil
}

// cached returns the Store's blob for digest d.
func (r *resolver) cached(d string) ([]byte, bool) {
	if d == "" || r.env.Store == nil {
		return nil, false
	}
	path, err := r.env.Store.Lookup(d)
	if err != nil {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	return data, true
}

func (r *resolver) store(d string, data []byte) error {
	if r.env.Store == nil {
		return nil
	}
	if _, err := r.env.Store.Put(d, data); err != nil {
		return fmt.Errorf("caching %s: %w", d, err)
	}
	return nil
}

// directRegistry resolves a [wit.dependencies] entry that names only a
// version requirement. The version is, in order: the one the project's
// own WIT names (WIT needs exact versions, so that one must be there),
// the locked one, or the highest the registry has that matches.
func (r *resolver) directRegistry(d *WITDependency, req versionreq.Req, why []string) []request {
	reg := r.env.Registry
	if reg == nil {
		r.fail(d.Where, why, fmt.Errorf("no registry is configured for namespace %s (add it to [registries], or give a path or url)", namespace(d.Name)))
		return nil
	}
	loc, err := reg.Locate(d.Name)
	if err != nil {
		r.fail(d.Where, why, err)
		return nil
	}
	source := "registry+" + loc
	version := ""
	var named []string
	for _, ref := range r.rootRefs[d.Name] {
		named = append(named, ref.Version)
	}
	if len(named) > 0 {
		v, ok := req.Highest(named)
		if !ok {
			ref := r.rootRefs[d.Name][0]
			r.fail(ref.Pos.String(), []string{r.projectName(), ref.ID()}, fmt.Errorf("[wit.dependencies] allows only %s %s (%s)", d.Name, req, d.Where))
			return nil
		}
		version = v
	}
	if version == "" && r.opts.Lock != nil && !r.updating(d.Name) {
		var locked []string
		for _, w := range r.opts.Lock.WIT {
			if w.Name == d.Name && w.Source == source {
				locked = append(locked, w.Version)
			}
		}
		version, _ = req.Highest(locked)
	}
	if version == "" {
		if r.opts.Offline {
			r.fail(d.Where, why, fmt.Errorf("choosing a version needs the registry: %w", ErrOffline))
			return nil
		}
		versions, err := reg.Versions(r.ctx, d.Name)
		if errors.Is(err, ErrNotFound) {
			err = &quiet{fmt.Sprintf("%s has no package %s", loc, d.Name), err}
		}
		if err != nil {
			r.fail(d.Where, why, err)
			return nil
		}
		v, ok := req.Highest(versions)
		if !ok {
			r.fail(d.Where, why, fmt.Errorf("no version matches %s (%s has %s)", req, loc, listVersions(versions)))
			return nil
		}
		version = v
	}
	why = append([]string(nil), why...)
	why[len(why)-1] += " (chose " + version + ")"
	return r.registryPackage(d.Name, version, why, d.Where)
}

func namespace(pkg string) string {
	ns, _, _ := strings.Cut(pkg, ":")
	return ns
}

func listVersions(vs []string) string {
	var ok []string
	for _, v := range vs {
		if versionreq.CheckVersion(v) == nil {
			ok = append(ok, v)
		}
	}
	if len(ok) == 0 {
		return "no versions"
	}
	sort.Strings(ok)
	return strings.Join(ok, ", ")
}

// registryPackage takes name at an exact version from the registry.
func (r *resolver) registryPackage(name, version string, why []string, where string) []request {
	reg := r.env.Registry
	loc, err := reg.Locate(name)
	if err != nil {
		r.fail(where, why, err)
		return nil
	}
	source := "registry+" + loc
	locked := r.lockedWIT(name, version, source)
	var digest, manifest string
	var files []wit.File
	if locked != nil {
		files, _ = r.vendoredFiles(locked)
		digest, manifest = locked.Digest, locked.Manifest
	}
	if files == nil {
		data, d, m, err := r.registryBlob(name, version, locked)
		if err != nil {
			r.fail(where, why, err)
			return nil
		}
		digest, manifest = d, m
		if files, err = wit.PackageText(data); err != nil {
			r.fail(where, why, fmt.Errorf("%s@%s from %s: %w", name, version, loc, err))
			return nil
		}
	}
	pkg, refs, err := r.textPackage(files, source, why, where)
	if err != nil {
		r.fail(where, why, err)
		return nil
	}
	if pkg.ID() != wit.PackageID(name, version) {
		r.fail(where, why, fmt.Errorf("%s sent package %s for %s@%s", loc, pkg.ID(), name, version))
		return nil
	}
	pkg.entry.Digest, pkg.entry.Manifest = digest, manifest
	r.choose(pkg)
	return refs
}

// registryBlob returns the bytes of name@version and the digests of its
// layer and manifest: cached under the locked digest, or fetched and
// checked.
func (r *resolver) registryBlob(name, version string, locked *LockedWIT) (data []byte, digest, manifest string, err error) {
	want := ""
	if locked != nil {
		want, manifest = locked.Digest, locked.Manifest
	}
	if data, ok := r.cached(want); ok {
		return data, want, manifest, nil
	}
	if r.opts.Offline {
		return nil, "", "", fmt.Errorf("%s@%s must be fetched from the registry, and is not in the cache: %w", name, version, ErrOffline)
	}
	blob, err := r.env.Registry.Fetch(r.ctx, name, version)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			loc, _ := r.env.Registry.Locate(name)
			return nil, "", "", &quiet{fmt.Sprintf("%s has no %s@%s", loc, name, version), err}
		}
		return nil, "", "", err
	}
	got, err := checkBlob(name+"@"+version, blob)
	if err != nil {
		return nil, "", "", err
	}
	if want != "" && got != want {
		return nil, "", "", &DigestError{What: name + "@" + version + " from the registry", Got: got, Want: want, PinnedBy: LockFile,
			Hint: "the registry now serves different content under the same version; if that is expected, run `wcomp update " + name + "`"}
	}
	if err := r.store(got, blob.Data); err != nil {
		return nil, "", "", err
	}
	return blob.Data, got, blob.Manifest, nil
}

// checkBlob verifies that a registry blob has the digest it claims, and
// returns it.
func checkBlob(what string, b *Blob) (string, error) {
	got := Digest(b.Data)
	if b.Digest != "" && b.Digest != got {
		return "", &DigestError{What: what, Got: got, Want: b.Digest, PinnedBy: "the registry's manifest", Hint: "the download is corrupt"}
	}
	return got, nil
}

// quiet is an error that says msg and wraps err without repeating it: the
// registry's own "not found" adds nothing to "the registry has no x@1".
type quiet struct {
	msg string
	err error
}

func (q *quiet) Error() string { return q.msg }
func (q *quiet) Unwrap() error { return q.err }
