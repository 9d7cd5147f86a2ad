package builder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTinyGoRoute: a member whose go.mod requires TinyGo's bindings is
// built with tinygo -target=wasip2 (a fake here: TinyGo is not installable
// on the machines this project runs on), and its component is used as is.
func TestTinyGoRoute(t *testing.T) {
	p := newProject(t)
	comp := p.write("small.wasm", string(smallComponent(t)))
	p.write("app/go.mod", "module example.com/app\n\ngo 1.24\n\nrequire go.bytecodealliance.org/cm v0.3.0\n")
	p.write("app/main.go", "package main\n")
	args := filepath.Join(p.root, "args")
	p.tool("tinygo", `if [ "$1" = version ]; then echo "tinygo version 0.35.0 linux/amd64"; exit 0; fi
echo "$@" > `+args+`
while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out=$2; fi; shift; done
cp `+comp+` "$out"
`)
	spec := Spec{Name: "app", Language: Go, Dir: filepath.Join(p.root, "app"), WIT: filepath.Join(p.root, "wit"), World: "app"}
	res := mustBuild(t, p.builder(nil), spec)
	if res.Toolchain != "tinygo version 0.35.0 linux/amd64" || res.Adapter != "" {
		t.Errorf("toolchain %q, adapter %q", res.Toolchain, res.Adapter)
	}
	data, _ := os.ReadFile(args)
	want := "build -target=wasip2 --wit-package " + spec.WIT + " --wit-world app -o " + filepath.Join(p.root, "target/wcomp/build/app/component.wasm") + " ."
	if got := strings.TrimSpace(string(data)); got != want {
		t.Errorf("tinygo ran with\n %s\nwant\n %s", got, want)
	}
}

// TestGoModuleName: the bindings import wit_component/…, so a go.mod with
// another module name is refused before anything runs.
func TestGoModuleName(t *testing.T) {
	p := newProject(t)
	p.write("app/go.mod", "module example.com/app\n\ngo 1.25\n")
	p.tool("go", "echo go1.26.0\n")
	p.tool("wit-bindgen", "echo wit-bindgen-cli 0.63.0\n")
	p.tool("wasm-tools", "echo wasm-tools 1.0.0\n")
	spec := Spec{Name: "app", Language: Go, Dir: filepath.Join(p.root, "app"), WIT: filepath.Join(p.root, "wit"), World: "app"}
	_, err := p.builder(nil).Build(context.Background(), spec)
	want := "member app (go): go.mod has module example.com/app, but wit-bindgen's Go bindings import their packages as wit_component/…: declare `module wit_component`"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}
