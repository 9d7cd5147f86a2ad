package resolve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wcomp/wcomp/internal/versionreq"
)

// Component is a resolved prebuilt or remote member.
type Component struct {
	Name string
	// Source is where it came from, as the lock records it: path+FILE,
	// url+URL, oci+REF or registry+LOCATION.
	Source string
	// Digest is the sha256: of its bytes.
	Digest string
	// Path is a local file holding exactly those bytes: the project's
	// file, or the Store's blob.
	Path  string
	entry LockedComponent
}

// resolveComponents resolves every prebuilt and remote member, in order.
func (r *resolver) resolveComponents() []*Component {
	var out []*Component
	for i := range r.in.Components {
		c := &r.in.Components[i]
		rc, err := r.component(c)
		if err != nil {
			r.fail(c.Where, []string{"component " + c.Name}, err)
			continue
		}
		out = append(out, rc)
	}
	return out
}

func (r *resolver) component(c *ComponentSource) (*Component, error) {
	n := 0
	for _, s := range []string{c.Path, c.URL, c.OCI, c.Package} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("give exactly one of path, url (with digest), oci, or package (with version)")
	}
	var locked *LockedComponent
	if r.opts.Lock != nil && !r.updating(c.Name) {
		locked = r.opts.Lock.Component(c.Name)
	}
	switch {
	case c.Path != "":
		return r.pathComponent(c)
	case c.URL != "":
		return r.urlComponent(c)
	case c.OCI != "":
		return r.ociComponent(c, locked)
	}
	return r.registryComponent(c, locked)
}

// pathComponent: a file in the project. Its digest is whatever the file
// has now; a changed file changes the lock, as a changed source does.
func (r *resolver) pathComponent(c *ComponentSource) (*Component, error) {
	path := r.abs(c.Path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return r.made(c, "path+"+filepath.ToSlash(filepath.Clean(c.Path)), "", Digest(data), "", path), nil
}

// urlComponent: the manifest pins the digest, so the lock follows it.
func (r *resolver) urlComponent(c *ComponentSource) (*Component, error) {
	if c.Digest == "" {
		return nil, fmt.Errorf("url %s needs a digest = \"sha256:…\" beside it", c.URL)
	}
	if err := checkDigest(c.Digest, "sha256:"); err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	data, got, err := r.download(c.URL, c.Digest, "component.toml", c.Name)
	if err != nil {
		return nil, err
	}
	path, err := r.blobPath(got, data)
	if err != nil {
		return nil, err
	}
	return r.made(c, "url+"+c.URL, "", got, "", path), nil
}

// ociComponent: a tag may move, so the locked digest is kept until
// `wcomp update NAME`, and a different digest under the same reference is
// an error.
func (r *resolver) ociComponent(c *ComponentSource, locked *LockedComponent) (*Component, error) {
	source := "oci+" + c.OCI
	if locked != nil && locked.Source == source {
		if path, ok := r.cachedPath(locked.Digest); ok {
			return r.made(c, source, "", locked.Digest, locked.Manifest, path), nil
		}
	}
	if r.env.Registry == nil {
		return nil, fmt.Errorf("oci %s: no registry client is configured", c.OCI)
	}
	if r.opts.Offline {
		return nil, fmt.Errorf("oci %s must be pulled, and is not in the cache: %w", c.OCI, ErrOffline)
	}
	blob, err := r.env.Registry.Pull(r.ctx, c.OCI)
	if err != nil {
		return nil, err
	}
	got, err := checkBlob(c.OCI, blob)
	if err != nil {
		return nil, err
	}
	if locked != nil && locked.Source == source && got != locked.Digest {
		return nil, &DigestError{What: c.OCI, Got: got, Want: locked.Digest, PinnedBy: LockFile,
			Hint: "the tag now points at different content; if that is expected, run `wcomp update " + c.Name + "`"}
	}
	path, err := r.blobPath(got, blob.Data)
	if err != nil {
		return nil, err
	}
	return r.made(c, source, "", got, blob.Manifest, path), nil
}

// registryComponent: {package, version} through the registry, the locked
// version kept while it matches.
func (r *resolver) registryComponent(c *ComponentSource, locked *LockedComponent) (*Component, error) {
	if c.Version == "" {
		return nil, fmt.Errorf("package %s needs a version requirement", c.Package)
	}
	req, err := versionreq.Parse(c.Version)
	if err != nil {
		return nil, err
	}
	reg := r.env.Registry
	if reg == nil {
		return nil, fmt.Errorf("no registry is configured for namespace %s (add it to [registries])", namespace(c.Package))
	}
	loc, err := reg.Locate(c.Package)
	if err != nil {
		return nil, err
	}
	source := "registry+" + loc
	if locked != nil && locked.Source == source && req.Matches(locked.Version) {
		if path, ok := r.cachedPath(locked.Digest); ok {
			return r.made(c, source, locked.Version, locked.Digest, locked.Manifest, path), nil
		}
	} else {
		locked = nil
	}
	if r.opts.Offline {
		return nil, fmt.Errorf("%s must be fetched from the registry, and is not in the cache: %w", c.Package, ErrOffline)
	}
	version := ""
	if locked != nil {
		version = locked.Version
	} else {
		versions, err := reg.Versions(r.ctx, c.Package)
		if errors.Is(err, ErrNotFound) {
			return nil, &quiet{fmt.Sprintf("%s has no package %s", loc, c.Package), err}
		}
		if err != nil {
			return nil, err
		}
		v, ok := req.Highest(versions)
		if !ok {
			return nil, fmt.Errorf("no version of %s matches %s (%s has %s)", c.Package, req, loc, listVersions(versions))
		}
		version = v
	}
	blob, err := reg.Fetch(r.ctx, c.Package, version)
	if err != nil {
		return nil, err
	}
	got, err := checkBlob(c.Package+"@"+version, blob)
	if err != nil {
		return nil, err
	}
	if locked != nil && got != locked.Digest {
		return nil, &DigestError{What: c.Package + "@" + version + " from " + loc, Got: got, Want: locked.Digest, PinnedBy: LockFile,
			Hint: "the registry now serves different content under the same version; if that is expected, run `wcomp update " + c.Name + "`"}
	}
	path, err := r.blobPath(got, blob.Data)
	if err != nil {
		return nil, err
	}
	return r.made(c, source, version, got, blob.Manifest, path), nil
}

func (r *resolver) made(c *ComponentSource, source, version, digest, manifest, path string) *Component {
	return &Component{Name: c.Name, Source: source, Digest: digest, Path: path,
		entry: LockedComponent{Name: c.Name, Source: source, Version: version, Digest: digest, Manifest: manifest}}
}

// cachedPath returns the Store's path for digest d.
func (r *resolver) cachedPath(d string) (string, bool) {
	if d == "" || r.env.Store == nil {
		return "", false
	}
	p, err := r.env.Store.Lookup(d)
	return p, err == nil
}

// blobPath returns a local file holding data: the Store's copy. Without
// a Store there is nowhere to keep a download, which is an error for
// components (the driver always gives one).
func (r *resolver) blobPath(d string, data []byte) (string, error) {
	if p, ok := r.cachedPath(d); ok {
		return p, nil
	}
	if r.env.Store == nil {
		return "", errors.New("no cache to keep the download in")
	}
	p, err := r.env.Store.Put(d, data)
	if err != nil {
		return "", fmt.Errorf("caching %s: %w", d, err)
	}
	return p, nil
}
