package builder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wcomp/wcomp/internal/atomicfile"
)

// fingerprintFormat is bumped whenever what goes into a fingerprint
// changes, so that old fingerprints read as stale rather than fresh.
const fingerprintFormat = 1

// Fingerprint is everything a member's build depends on, hashed. A member
// is fresh when its inputs digest equals the one recorded by its last
// build and that build's output is still in place. Content, not
// modification time, decides: a checkout that rewrites files without
// changing them costs no rebuild, and the digest is the same on every
// machine, so wcomp.lock can record it.
type Fingerprint struct {
	Format   int      `json:"format"`
	Member   string   `json:"member"`
	Language Language `json:"language"`
	// Toolchain is the version string of the tools that build the
	// member, e.g. "rustc 1.96.0 (…); wasm32-wasip1 via -Z build-std".
	Toolchain string `json:"toolchain"`
	// Command is the command line the build runs.
	Command  []string `json:"command,omitempty"`
	Workdir  string   `json:"workdir,omitempty"`
	World    string   `json:"world,omitempty"`
	Artifact string   `json:"artifact,omitempty"`
	Module   string   `json:"module,omitempty"`
	Entry    string   `json:"entry,omitempty"`
	Disable  []string `json:"disable_features,omitempty"`
	// Env is the member's build.env, as sorted K=V entries.
	Env []string `json:"env,omitempty"`
	// Watch are the effective globs; Files what they matched, WIT the
	// WIT files the member builds against, each with its digest.
	Watch []string   `json:"watch,omitempty"`
	Files []FileHash `json:"files"`
	WIT   []FileHash `json:"wit,omitempty"`
	// Source describes a prebuilt member's component and its digest.
	Source string `json:"source,omitempty"`

	// Inputs is the "sha256:…" digest over every field above.
	Inputs string `json:"inputs"`
	// Output is the last build's result, set once the build succeeded.
	Output *OutputRecord `json:"output,omitempty"`
}

// FileHash is one input file: its path (slash-separated, relative to the
// member directory, or to the WIT path for WIT files) and digest.
type FileHash struct {
	Path   string `json:"path"`
	Digest string `json:"digest"`
}

// OutputRecord is what a build left: enough to return its Result again
// and to notice that the file was removed or replaced since.
type OutputRecord struct {
	Path    string    `json:"path"`
	Digest  string    `json:"digest"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	Adapter string    `json:"adapter,omitempty"`
}

// Fingerprint computes the member's current fingerprint. It runs (or
// recalls) the toolchain's version probes, so a missing tool is a
// *MissingToolError here already.
func (b *Builder) Fingerprint(ctx context.Context, spec Spec) (*Fingerprint, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	_, fp, err := b.fingerprint(ctx, b.newJob(&spec), b.toolchain(&spec))
	return fp, err
}

// Stale reports why the member must be rebuilt, or "" when its last build
// is fresh: a short reason in cargo's manner, such as "src/lib.rs
// changed" or "the toolchain changed (… → …)".
func (b *Builder) Stale(ctx context.Context, spec Spec) (string, error) {
	fp, err := b.Fingerprint(ctx, spec)
	if err != nil {
		return "", err
	}
	prev, err := b.loadFingerprint(spec.Name)
	if err != nil {
		return "", err
	}
	if _, fresh := b.fresh(&spec, prev, fp); fresh {
		return "", nil
	}
	return explain(prev, fp, b.outputMissing(prev)), nil
}

func (b *Builder) fingerprintPath(member string) string {
	return filepath.Join(b.opts.TargetDir, "fingerprints", member+".json")
}

func (b *Builder) fingerprint(ctx context.Context, j *job, tc toolchain) (*resolved, *Fingerprint, error) {
	spec := j.spec
	if spec.Language != Prebuilt {
		if st, err := os.Stat(spec.Dir); err != nil || !st.IsDir() {
			return nil, nil, fmt.Errorf("%s: the member directory %s does not exist", spec.label(), spec.Dir)
		}
	}
	r, err := tc.resolve(ctx, j)
	if err != nil {
		return nil, nil, err
	}
	fp := &Fingerprint{
		Format:    fingerprintFormat,
		Member:    spec.Name,
		Language:  spec.Language,
		Toolchain: r.version,
		Command:   r.command,
		Workdir:   filepath.ToSlash(spec.Workdir),
		World:     spec.World,
		Artifact:  filepath.ToSlash(spec.Artifact),
	}
	switch spec.Language {
	case Python:
		fp.Module = spec.module()
	case JS:
		fp.Entry = spec.entry()
		fp.Disable = slices.Sorted(slices.Values(spec.DisableFeatures))
	}
	for _, k := range sortedKeys(spec.Env) {
		fp.Env = append(fp.Env, k+"="+spec.Env[k])
	}
	if spec.Language == Prebuilt {
		fp.Source = r.state.(*prebuiltState).source
	} else {
		if err := b.hashSources(spec, fp); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", spec.label(), err)
		}
	}
	if spec.WIT != "" {
		if fp.WIT, err = hashWIT(spec.WIT); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", spec.label(), err)
		}
	}
	fp.Inputs = fp.digest()
	return r, fp, nil
}

// hashSources fills Watch and Files.
func (b *Builder) hashSources(spec *Spec, fp *Fingerprint) error {
	watch := spec.Watch
	if watch == nil {
		watch = DefaultWatch(spec.Language)
	}
	fp.Watch = slices.Clone(watch)
	var exclude []string
	if spec.Artifact != "" { // a command's own output is not its input
		exclude = append(exclude, path.Clean(filepath.ToSlash(spec.Artifact)))
	}
	files, err := expandGlobs(spec.Dir, watch, exclude)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	if spec.Language == Rust && spec.Watch == nil {
		files = append(files, enclosingCargoFiles(spec.Dir)...)
	}
	for _, f := range files {
		d, err := hashFile(filepath.Join(spec.Dir, filepath.FromSlash(f)))
		if err != nil {
			return err
		}
		if d != "" {
			fp.Files = append(fp.Files, FileHash{Path: f, Digest: d})
		}
	}
	return nil
}

// enclosingCargoFiles returns, relative to dir, the Cargo.toml and
// Cargo.lock files of the directories above dir up to the workspace root
// (the first one holding a Cargo.lock): the workspace's profile and
// locked versions decide the build as much as the crate's own files.
func enclosingCargoFiles(dir string) []string {
	if _, err := os.Stat(filepath.Join(dir, "Cargo.lock")); err == nil {
		return nil
	}
	var files []string
	up := ".."
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		for _, name := range []string{"Cargo.toml", "Cargo.lock"} {
			if st, err := os.Stat(filepath.Join(d, name)); err == nil && st.Mode().IsRegular() {
				files = append(files, up+"/"+name)
			}
		}
		if _, err := os.Stat(filepath.Join(d, "Cargo.lock")); err == nil || filepath.Dir(d) == d {
			return files
		}
		up += "/.."
	}
}

// hashFile returns a file's digest, or "" for a directory reached through
// a symlink.
func hashFile(p string) (string, error) {
	d, _, err := fileDigest(p)
	if err != nil {
		if st, serr := os.Stat(p); serr == nil && st.IsDir() {
			return "", nil
		}
		return "", err
	}
	return d, nil
}

// hashWIT hashes the WIT a member builds against: the file, or every .wit
// file under the directory, deps/ included. It is deliberately more than
// the member's world reaches: a change anywhere in the package rebuilds
// its users, which is never wrong and needs no WIT parser here.
func hashWIT(wit string) ([]FileHash, error) {
	st, err := os.Stat(wit)
	if err != nil {
		return nil, fmt.Errorf("WIT: %w", err)
	}
	if !st.IsDir() {
		d, err := hashFile(wit)
		if err != nil {
			return nil, err
		}
		return []FileHash{{Path: filepath.Base(wit), Digest: d}}, nil
	}
	var out []FileHash
	err = filepath.WalkDir(wit, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".wit") {
			return nil
		}
		digest, err := hashFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(wit, p)
		out = append(out, FileHash{Path: filepath.ToSlash(rel), Digest: digest})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("WIT %s: %w", wit, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("WIT %s: no .wit files in the directory", wit)
	}
	return out, nil // WalkDir visits in lexical order
}

// digest hashes the fingerprint's inputs: its JSON form without Inputs
// and Output. Field order is the struct's and every list is sorted, so
// the same inputs give the same digest everywhere.
func (fp *Fingerprint) digest() string {
	c := *fp
	c.Inputs, c.Output = "", nil
	data, err := json.Marshal(&c)
	if err != nil {
		panic(fmt.Sprintf("builder: marshaling a fingerprint: %v", err)) // plain data: cannot fail
	}
	return bytesDigest(data)
}

func (b *Builder) loadFingerprint(member string) (*Fingerprint, error) {
	data, err := os.ReadFile(b.fingerprintPath(member))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var fp Fingerprint
	if err := json.Unmarshal(data, &fp); err != nil || fp.Format != fingerprintFormat {
		return nil, nil // unreadable or from another wcomp: stale, rebuilt
	}
	return &fp, nil
}

// fresh returns the last build's result when fp matches it and its output
// is still in place.
func (b *Builder) fresh(spec *Spec, prev, fp *Fingerprint) (*Result, bool) {
	if prev == nil || prev.Inputs != fp.Inputs || b.outputMissing(prev) {
		return nil, false
	}
	o := prev.Output
	return &Result{
		Member: spec.Name, Path: o.Path, Digest: o.Digest, Size: o.Size,
		Toolchain: prev.Toolchain, Inputs: prev.Inputs, Adapter: o.Adapter, Fresh: true,
	}, true
}

// outputMissing reports whether the recorded output is gone or is no
// longer the file the build wrote.
func (b *Builder) outputMissing(prev *Fingerprint) bool {
	if prev == nil || prev.Output == nil {
		return true
	}
	st, err := os.Stat(prev.Output.Path)
	return err != nil || st.Size() != prev.Output.Size || !st.ModTime().Equal(prev.Output.ModTime)
}

// record writes the fingerprint of a successful build.
func (b *Builder) record(spec *Spec, fp *Fingerprint, res *Result) error {
	st, err := os.Stat(res.Path)
	if err != nil {
		return err
	}
	done := *fp
	done.Output = &OutputRecord{Path: res.Path, Digest: res.Digest, Size: res.Size, ModTime: st.ModTime(), Adapter: res.Adapter}
	data, err := json.MarshalIndent(&done, "", "  ")
	if err != nil {
		return err
	}
	p := b.fingerprintPath(spec.Name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteString(p, string(data)+"\n")
}

// explain says what differs between the last build's fingerprint and
// now, naming the first few changed files.
func explain(prev, now *Fingerprint, outputMissing bool) string {
	switch {
	case prev == nil:
		return "never built"
	case prev.Toolchain != now.Toolchain:
		return fmt.Sprintf("the toolchain changed (%s → %s)", prev.Toolchain, now.Toolchain)
	case prev.World != now.World:
		return fmt.Sprintf("the world changed (%s → %s)", prev.World, now.World)
	case !slices.Equal(prev.Command, now.Command):
		return "the build command changed"
	case !slices.Equal(prev.Env, now.Env):
		return "build.env changed"
	}
	if changed := changedFiles(prev.Files, now.Files); len(changed) > 0 {
		return describeChanged(changed, "")
	}
	if changed := changedFiles(prev.WIT, now.WIT); len(changed) > 0 {
		return describeChanged(changed, "WIT ")
	}
	if prev.Source != now.Source {
		return "the prebuilt component changed"
	}
	if prev.Inputs != now.Inputs {
		return "the build settings changed"
	}
	if outputMissing {
		return "the output was removed or replaced"
	}
	return ""
}

func changedFiles(prev, now []FileHash) []string {
	old := map[string]string{}
	for _, f := range prev {
		old[f.Path] = f.Digest
	}
	var changed []string
	for _, f := range now {
		switch d, ok := old[f.Path]; {
		case !ok:
			changed = append(changed, f.Path+" (new)")
		case d != f.Digest:
			changed = append(changed, f.Path)
		}
		delete(old, f.Path)
	}
	for _, p := range slices.Sorted(maps.Keys(old)) {
		changed = append(changed, p+" (removed)")
	}
	return changed
}

func describeChanged(files []string, what string) string {
	const shown = 3
	if len(files) > shown {
		return fmt.Sprintf("%s%s and %d more changed", what, strings.Join(files[:shown], ", "), len(files)-shown)
	}
	return what + strings.Join(files, ", ") + " changed"
}
