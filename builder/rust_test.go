package builder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRustRoutes gives a fake rustc sysroots with different targets and
// checks the route chosen, as its version string and command show.
func TestRustRoutes(t *testing.T) {
	tests := []struct {
		name        string
		dirs        []string // under the sysroot
		libc        bool     // a wasi-libc under $WASI_SYSROOT
		wantVersion string
		wantCommand string
	}{
		{"wasm32-wasip2 installed", []string{"lib/rustlib/wasm32-wasip2/lib", "lib/rustlib/wasm32-wasip1/lib"}, false,
			"rustc 1.90.0 (fake 2026-01-01); target wasm32-wasip2",
			"cargo build --release --target wasm32-wasip2"},
		{"wasm32-wasip1 installed", []string{"lib/rustlib/wasm32-wasip1/lib", "lib/rustlib/src/rust/library/std"}, true,
			"rustc 1.90.0 (fake 2026-01-01); target wasm32-wasip1; wasi-preview1 adapter 49.0.3; wasm-tools 1.0.0",
			"cargo build --release --target wasm32-wasip1"},
		{"std sources and wasi-libc", []string{"lib/rustlib/src/rust/library/std"}, true,
			"rustc 1.90.0 (fake 2026-01-01); wasm32-wasip1 via -Z build-std; wasi-preview1 adapter 49.0.3; wasm-tools 1.0.0",
			"cargo build --release --target wasm32-wasip1 -Z build-std=std,panic_abort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			sysroot := filepath.Join(p.root, "sysroot")
			for _, d := range tt.dirs {
				os.MkdirAll(filepath.Join(sysroot, d), 0o755)
			}
			env := []string{"PATH=" + p.path(), "HOME=" + p.root}
			if tt.libc {
				p.write("wasi/lib/wasm32-wasip1/libc.a", "")
				env = append(env, "WASI_SYSROOT="+filepath.Join(p.root, "wasi"))
			}
			p.tool("cargo", "exit 0\n")
			p.tool("rustc", `case "$*" in
"--print sysroot") echo `+sysroot+` ;;
"-vV") echo "rustc 1.90.0 (fake 2026-01-01)"; echo "host: x86_64-unknown-linux-gnu" ;;
esac
`)
			p.tool("wasm-tools", `echo "wasm-tools 1.0.0 (fake)"`)
			b := p.builder(func(o *Options) { o.Env = env })
			fp, err := b.Fingerprint(context.Background(), Spec{Name: "app", Language: Rust, Dir: filepath.Join(p.root, "app"), WIT: filepath.Join(p.root, "wit"), World: "app"})
			if err != nil {
				t.Fatal(err)
			}
			if fp.Toolchain != tt.wantVersion {
				t.Errorf("toolchain %q, want %q", fp.Toolchain, tt.wantVersion)
			}
			if got := strings.Join(fp.Command, " "); got != tt.wantCommand {
				t.Errorf("command %q, want %q", got, tt.wantCommand)
			}
		})
	}
}

// TestCrateArtifact checks how the artifact is found from cargo metadata
// (a fake cargo prints it).
func TestCrateArtifact(t *testing.T) {
	const targetDir = "/work/target"
	tests := []struct {
		name, packages, want string
	}{
		{"cdylib", `{"name":"my-validator","manifest_path":"MANIFEST","targets":[{"name":"my-validator","kind":["cdylib"],"crate_types":["cdylib"]},{"name":"build-script-build","kind":["custom-build"],"crate_types":["bin"]}]}`,
			"/work/target/wasm32-wasip2/release/my_validator.wasm --lib"},
		{"one binary", `{"name":"tool","manifest_path":"MANIFEST","targets":[{"name":"my-tool","kind":["bin"],"crate_types":["bin"]}]}`,
			"/work/target/wasm32-wasip2/release/my-tool.wasm --bin my-tool"},
		{"rlib only", `{"name":"lib-only","manifest_path":"MANIFEST","targets":[{"name":"lib_only","kind":["lib"],"crate_types":["lib"]}]}`,
			"error: crate lib-only has no cdylib target and 0 binaries: add `[lib] crate-type = [\"cdylib\"]` to Cargo.toml"},
		{"workspace without package", `{"name":"other","manifest_path":"/elsewhere/Cargo.toml","targets":[]}`,
			"error: Cargo.toml is a workspace without a package of its own: point the member's dir at the crate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			manifest := p.write("app/Cargo.toml", "[package]\n")
			meta := `{"target_directory":"` + targetDir + `","packages":[` + strings.ReplaceAll(tt.packages, "MANIFEST", manifest) + `]}`
			p.write("meta.json", meta)
			p.tool("cargo", `cat `+filepath.Join(p.root, "meta.json")+"\n")
			b := p.builder(nil)
			spec := &Spec{Name: "app", Language: Rust, Dir: filepath.Join(p.root, "app")}
			j := b.newJob(spec)
			art, err := j.crate(context.Background(), &rustPlan{cargo: "cargo", rustc: "rustc", target: "wasm32-wasip2"})
			got := ""
			if err != nil {
				got = "error: " + err.Error()
			} else {
				got = art.file + " " + strings.Join(art.args, " ")
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
