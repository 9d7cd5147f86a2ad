package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrors: a problem with a manifest value is reported at it, with
// file:line:col, the key and what was expected; every problem found
// together is reported together.
func TestErrors(t *testing.T) {
	provider := `[components.provider]
language = "command"
artifact = "out/provider.wasm"
build.command = ["sh", "../mk.sh", "provider"]
build.watch = ["src.txt"]`
	cases := []struct {
		name string
		// edit changes the pair project.
		edit func(b *testBuild)
		want []string
		jobs int
	}{
		{
			name: "a member's command fails",
			edit: func(b *testBuild) { write(t, b.path("consumer/src.txt"), "fail\n") },
			want: []string{"component.toml:14:17: components.consumer.build.command: member consumer (command) failed to build: `sh ../mk.sh consumer` exited with code 3"},
		},
		{
			name: "both members fail",
			edit: func(b *testBuild) {
				write(t, b.path("consumer/src.txt"), "fail\n")
				write(t, b.path("provider/src.txt"), "fail\n")
			},
			want: []string{
				"component.toml:8:17: components.provider.build.command: member provider (command) failed to build: `sh ../mk.sh provider` exited with code 3",
				"component.toml:14:17: components.consumer.build.command: member consumer (command) failed to build: `sh ../mk.sh consumer` exited with code 3",
			},
			jobs: 2, // with one job, the second is not started once the first failed
		},
		{
			name: "a missing toolchain",
			edit: func(b *testBuild) {
				replaceIn(t, b.path("component.toml"), provider, "[components.provider]\nlanguage = \"python\"")
				b.env = append(b.env, "PATH="+t.TempDir())
			},
			want: []string{"component.toml:6:12: components.provider.language: member provider (python) needs componentize-py"},
		},
		{
			name: "no member is the root",
			edit: func(b *testBuild) { appendTo(t, b.path("component.toml"), "\n[compose]\nauto-plug = false\n") },
			want: []string{"component.toml:17:1: compose.root: 2 members plug no other member (provider, consumer): set root to the one whose exports the result exports, and list the others in instances if they are to be kept"},
		},
		{
			name: "the root names no member",
			edit: func(b *testBuild) { appendTo(t, b.path("component.toml"), "\n[compose]\nroot = \"consumr\"\n") },
			want: []string{`component.toml:18:8: compose.root: unknown member "consumr"; did you mean consumer?`},
		},
		{
			name: "a wire to an import the member lacks",
			edit: func(b *testBuild) {
				appendTo(t, b.path("component.toml"), "\n[compose]\nwires = [\"consumer:test:pair/nope@0.1.0=provider:test:pair/greeter@0.1.0\"]\n")
			},
			want: []string{`component.toml:18:10: compose.wires[0]: consumer:test:pair/nope@0.1.0=provider:test:pair/greeter@0.1.0: instance consumer (component consumer) has no import "test:pair/nope@0.1.0"`},
		},
		{
			name: "a wire that does not parse",
			edit: func(b *testBuild) { appendTo(t, b.path("component.toml"), "\n[compose]\nwires = [\"consumer\"]\n") },
			want: []string{"component.toml:18:19: compose.wires[0]: missing '=': expected CONSUMER:IMPORT=PROVIDER:EXPORT (or =PROVIDER for the whole instance)"},
		},
		{
			name: "a wire naming no member",
			edit: func(b *testBuild) {
				appendTo(t, b.path("component.toml"), "\n[compose]\nwires = [\"consumer:test:pair/greeter@0.1.0=provder:test:pair/greeter@0.1.0\"]\n")
			},
			want: []string{`component.toml:18:44: compose.wires[0]: unknown member "provder"; did you mean provider?`},
		},
		{
			name: "a member that plugs nothing",
			edit: func(b *testBuild) {
				appendTo(t, b.path("component.toml"), "\n[components.extra]\nlanguage = \"command\"\nartifact = \"out/app.wasm\"\nbuild.command = [\"sh\", \"../mk.sh\", \"app\"]\nbuild.watch = [\"src.txt\"]\n\n[compose]\nroot = \"consumer\"\n")
				write(t, b.path("extra/src.txt"), "extra\n")
			},
			want: []string{`component.toml:17:1: components.extra: extra plugs nothing: no instance takes what it exports (run); keep it to instantiate it anyway, or leave it out (to keep it: instances = ["extra"] in [compose])`},
		},
		{
			name: "an unknown key",
			edit: func(b *testBuild) {
				replaceIn(t, b.path("component.toml"), `language = "command"`, `lenguage = "command"`)
			},
			want: []string{"component.toml:6:1: components.provider.lenguage: unknown key; did you mean language?"},
		},
		{
			name: "no members",
			edit: func(b *testBuild) {
				write(t, b.path("component.toml"), "[package]\nname = \"test:pair\"\nversion = \"0.1.0\"\n")
			},
			want: []string{"component.toml: the project has no members: add one with `wcomp new NAME --lang rust|python|js|go`, or a [components.NAME] table"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newTestBuild(t, "pair")
			c.edit(b)
			jobs := c.jobs
			if jobs == 0 {
				jobs = 1
			}
			_, rec, err := b.run(Options{Jobs: jobs})
			got := errorLines(err)
			if len(got) != len(c.want) {
				t.Fatalf("errors:\n%s\nwant %d:\n%s", strings.Join(got, "\n"), len(c.want), strings.Join(c.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, got[i], c.want[i])
				}
			}
			for _, e := range rec.events {
				if e.Kind == Failed && strings.Contains(c.name, "fail") && !strings.Contains(e.Output, "the source says fail") {
					t.Errorf("Failed event for %s without the toolchain's output: %q", e.Member, e.Output)
				}
			}
			if _, err := os.Stat(filepath.Join(b.dir, "target", "pair.wasm")); err == nil {
				t.Error("a failed build wrote target/pair.wasm")
			}
		})
	}
}

func appendTo(t *testing.T, path, text string) { write(t, path, read(t, path)+text) }

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	s := read(t, path)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	write(t, path, strings.Replace(s, old, new, 1))
}
