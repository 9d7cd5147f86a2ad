package builder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdopt: a component built elsewhere from the same inputs becomes the
// member's output and leaves it fresh without running its command; a
// file that is not that component (another digest, a core module, not
// wasm) is refused and changes nothing.
func TestAdopt(t *testing.T) {
	p := newProject(t)
	small := smallComponent(t)
	p.write("app/small.wasm", string(small))
	spec := Spec{
		Name: "app", Language: Shell, Dir: filepath.Join(p.root, "app"),
		Command:  Command{Script: `mkdir -p out && cp small.wasm out/app.wasm && echo ran >> ../runs`},
		Artifact: "out/app.wasm",
	}
	b := p.builder(nil)
	ctx := context.Background()
	fp, fresh, err := b.Check(ctx, spec)
	if err != nil || fresh {
		t.Fatalf("Check before any build: fresh %v, %v", fresh, err)
	}
	elsewhere := p.write("elsewhere/app.wasm", string(small))
	module := p.write("elsewhere/module.wasm", "\x00asm\x01\x00\x00\x00")
	text := p.write("elsewhere/notes.txt", "not wasm at all")
	short := p.write("elsewhere/short.wasm", "\x00asm")
	digest := bytesDigest(small)
	for _, c := range []struct {
		name, file, digest, want string
	}{
		{"wrong digest", elsewhere, bytesDigest([]byte("other")), "has digest " + digest},
		{"core module", module, bytesDigest([]byte("\x00asm\x01\x00\x00\x00")), "not a component: a core module"},
		{"not wasm", text, bytesDigest([]byte("not wasm at all")), "not a component: not a WebAssembly file"},
		{"missing", filepath.Join(p.root, "nowhere.wasm"), digest, "no such file"},
		{"short", short, bytesDigest([]byte("\x00asm")), "not a component: it has only 4 bytes"},
	} {
		if _, err := b.Adopt(ctx, spec, fp, c.file, c.digest); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
		if _, fresh, _ := b.Check(ctx, spec); fresh {
			t.Errorf("%s: a refused adoption left the member fresh", c.name)
		}
	}
	res, err := b.Adopt(ctx, spec, fp, elsewhere, digest)
	if err != nil {
		t.Fatal(err)
	}
	if res.Digest != digest || res.Inputs != fp.Inputs || res.Path != b.OutputPath("app") || res.Fresh {
		t.Errorf("Adopt: %+v", res)
	}
	again := mustBuild(t, b, spec)
	if !again.Fresh || again.Digest != digest {
		t.Errorf("the build after adopting: %+v", again)
	}
	if _, err := os.Stat(filepath.Join(p.root, "runs")); err == nil {
		t.Error("the member's command ran")
	}
}
