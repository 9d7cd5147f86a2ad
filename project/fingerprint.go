package project

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/manifest"
)

// composeFormat versions compose.json; a new format recomposes once.
const composeFormat = 1

// compositionRecord is target/wcomp/compose.json: the inputs digest of the
// last composition and what it wrote, so a build whose members and
// [compose] are unchanged skips the encoder and the target check.
type compositionRecord struct {
	Format int          `json:"format"`
	Inputs string       `json:"inputs"`
	Output outputRecord `json:"output"`
}

type outputRecord struct {
	Path    string    `json:"path"`
	Digest  string    `json:"digest"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
}

// compositionKey is everything the composed bytes depend on. wcomp itself
// is among them (a new encoder may write other bytes), identified by its
// version and its executable's size and time: a rebuilt wcomp recomposes.
type compositionKey struct {
	Format  int
	WComp   string
	Package string
	Version string
	Root    string
	Auto    bool
	// NoShare: identical nested modules are not stored once (share-modules
	// = false, or --no-share-modules).
	NoShare bool `json:",omitempty"`
	Wires   []string
	Imports []string
	Exports []string
	Keep    []string
	WAC     string // the document's digest
	Target  string
	WIT     string // digest of the WIT the target world is read from
	Members []string
	Policy  policyKey
}

func (s *session) composeKey() (string, error) {
	f := s.p.Manifest
	c := &f.Compose
	k := compositionKey{
		Format: composeFormat, WComp: s.opts.Version + " " + executableID(),
		Package: f.Package.Name.Value, Version: f.Package.Version.Value,
		Root: c.Root.Value, Auto: c.AutoPlug.Value, NoShare: !s.shareModules(),
		Wires: c.Wires.Strings(), Imports: c.Imports.Strings(), Exports: c.Exports.Strings(), Keep: c.Instances.Strings(),
		Policy: manifestPolicyKey(f),
	}
	if c.WAC.Set {
		d, err := fileDigest(s.p.abs(c.WAC.Value))
		if err != nil {
			return "", manifest.Errorf(c.WAC.Pos, "compose.wac", "%w", err)
		}
		k.WAC = d
	}
	if f.Target.Set {
		k.Target = f.Target.World.Value
		d, err := witDigest(s.p.WITDir())
		if err != nil {
			return "", err
		}
		k.WIT = d
	}
	for i, mb := range s.members {
		k.Members = append(k.Members, mb.m.Name+" "+s.built[i].Digest)
	}
	data, err := json.Marshal(k)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

func (s *session) recordPath() string { return filepath.Join(s.p.wcompDir(), "compose.json") }

// freshComposition returns the last composition's record when its inputs
// are key and its output is still the file it wrote.
func (s *session) freshComposition(key, out string) (*compositionRecord, bool) {
	data, err := os.ReadFile(s.recordPath())
	if err != nil {
		return nil, false
	}
	var rec compositionRecord
	if json.Unmarshal(data, &rec) != nil || rec.Format != composeFormat || rec.Inputs != key || rec.Output.Path != out {
		return nil, false
	}
	st, err := os.Stat(out)
	if err != nil || st.Size() != rec.Output.Size || !st.ModTime().Equal(rec.Output.ModTime) {
		return nil, false
	}
	return &rec, true
}

// recordComposition writes compose.json for the output just written.
func (s *session) recordComposition(key, out string) (*compositionRecord, error) {
	d, err := fileDigest(out)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(out)
	if err != nil {
		return nil, err
	}
	rec := &compositionRecord{Format: composeFormat, Inputs: key, Output: outputRecord{Path: out, Digest: d, Size: st.Size(), ModTime: st.ModTime()}}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(s.recordPath()), 0o755); err != nil {
		return nil, err
	}
	return rec, atomicfile.WriteString(s.recordPath(), string(data)+"\n")
}

// executableID identifies the running wcomp binary by its size and time.
func executableID() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	st, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return st.ModTime().UTC().Format(time.RFC3339Nano) + " " + strconv.FormatInt(st.Size(), 10)
}

// fileDigest is the sha256: digest of a file's content.
func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// witDigest hashes every .wit file under dir (deps/ included), by path and
// content.
func witDigest(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || filepath.Ext(path) != ".wit" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		io.WriteString(h, filepath.ToSlash(rel)+"\x00")
		sum := sha256.Sum256(data)
		h.Write(sum[:])
		return nil
	})
	if err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
