package project

import (
	"os"
	"slices"
	"testing"

	"github.com/wcomp/wcomp/internal/validate"
)

// TestIncremental edits one input at a time and checks which members are
// rebuilt and whether the result is recomposed: only what an edit reaches
// is redone, and a build with nothing to do runs no toolchain and no
// encoder.
func TestIncremental(t *testing.T) {
	b := newTestBuild(t, "pair")
	res, rec := b.mustRun(Options{})
	if got, want := rec.of(Compiling), []string{"compiling provider", "compiling consumer"}; !sameSet(got, want) {
		t.Fatalf("first build compiled %v, want %v", got, want)
	}
	if res.Fresh || !rec.has(Composing) {
		t.Fatalf("first build did not compose: fresh %v, events %v", res.Fresh, rec.of(Composing))
	}
	validate.Component(t, []byte(read(t, res.Path)))
	first := res.Digest

	steps := []struct {
		name      string
		edit      func()
		compiled  []string
		fresh     []string
		recompose bool
	}{
		{
			name:  "no-op",
			edit:  func() {},
			fresh: []string{"fresh provider", "fresh consumer"},
		},
		{
			name:      "provider's source",
			edit:      func() { write(t, b.path("provider/src.txt"), "provider v2\n") },
			compiled:  []string{"compiling provider"},
			fresh:     []string{"fresh consumer"},
			recompose: true,
		},
		{
			// Rewriting a file with the same content changes its time,
			// not its bytes: content decides.
			name:  "same content rewritten",
			edit:  func() { write(t, b.path("provider/src.txt"), "provider v2\n") },
			fresh: []string{"fresh provider", "fresh consumer"},
		},
		{
			name:      "the WIT both build against",
			edit:      func() { write(t, b.path("wit/pair.wit"), read(t, b.path("wit/pair.wit"))+"\n// a comment\n") },
			compiled:  []string{"compiling provider", "compiling consumer"},
			recompose: false, // same WIT meaning, same bytes: the composition is still fresh
		},
		{
			name:      "the output removed",
			edit:      func() { os.Remove(res.Path) },
			fresh:     []string{"fresh provider", "fresh consumer"},
			recompose: true,
		},
		{
			// Rebuilt to the same bytes: the composition still holds.
			name:     "a member's component removed",
			edit:     func() { os.Remove(b.path("target/wcomp/members/consumer.wasm")) },
			compiled: []string{"compiling consumer"},
			fresh:    []string{"fresh provider"},
		},
		{
			name: "[compose] changed",
			edit: func() {
				write(t, b.path("component.toml"), read(t, b.path("component.toml"))+"\n[compose]\nroot = \"consumer\"\n")
			},
			fresh:     []string{"fresh provider", "fresh consumer"},
			recompose: true,
		},
	}
	for _, st := range steps {
		st.edit()
		res, rec = b.mustRun(Options{})
		if got := rec.of(Compiling); !sameSet(got, st.compiled) {
			t.Errorf("%s: compiled %v, want %v", st.name, got, st.compiled)
		}
		if got := rec.of(Fresh); !sameSet(got, st.fresh) {
			t.Errorf("%s: fresh %v, want %v", st.name, got, st.fresh)
		}
		if res.Fresh == st.recompose || rec.has(Composing) != st.recompose {
			t.Errorf("%s: recomposed %v (result fresh %v), want %v", st.name, rec.has(Composing), res.Fresh, st.recompose)
		}
		if _, err := os.Stat(res.Path); err != nil {
			t.Errorf("%s: %v", st.name, err)
		}
	}
	if res.Digest == first {
		t.Errorf("the provider's new source did not change the composed component (%s)", res.Digest)
	}
}

func sameSet(got, want []string) bool {
	return len(got) == len(want) && !slices.ContainsFunc(got, func(s string) bool { return !slices.Contains(want, s) })
}
