package project

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wcomp/wcomp/internal/validate"
)

// TestConcurrentBuilds runs two builds of one project at once, as two
// terminals would: both succeed, one waits for the other (Blocking), and
// target/ holds one valid result and no temporary files.
func TestConcurrentBuilds(t *testing.T) {
	b := newTestBuild(t, "pair")
	// A slow provider, so the second build surely finds the lock taken.
	write(t, b.path("mk.sh"), "sleep 0.5\n"+read(t, b.path("mk.sh")))
	var wg sync.WaitGroup
	results := make([]*Result, 2)
	recs := make([]*recorder, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 1 {
				time.Sleep(100 * time.Millisecond)
			}
			results[i], recs[i], errs[i] = b.run(Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
	}
	if !recs[1].has(Blocking) {
		t.Errorf("the second build did not wait for the first: %v", recs[1].of(Blocking, Compiling, Fresh))
	}
	// The second found everything the first built.
	if got := recs[1].of(Compiling); len(got) != 0 {
		t.Errorf("the second build recompiled %v", got)
	}
	if results[0].Digest != results[1].Digest {
		t.Errorf("the builds disagree: %s vs %s", results[0].Digest, results[1].Digest)
	}
	validate.Component(t, []byte(read(t, results[1].Path)))
	err := filepath.WalkDir(b.path("target"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) != ".json" && filepath.Ext(path) != ".wasm" && d.Name() != ".lock" {
			t.Errorf("stray file in target/: %s", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCancelWhileBlocked: a build waiting for the lock stops when its
// context is cancelled.
func TestCancelWhileBlocked(t *testing.T) {
	b := newTestBuild(t, "pair")
	p, err := Load(b.dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSession(p, Options{CacheDir: b.cache})
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := s.lockTarget(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rec := &recorder{}
	_, err = p.Build(ctx, Options{Env: b.env, CacheDir: b.cache, Reporter: rec})
	if err == nil || ctx.Err() == nil {
		t.Fatalf("build while the lock is held: %v", err)
	}
	if !rec.has(Blocking) {
		t.Error("no Blocking event")
	}
}
