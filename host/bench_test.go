package host

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// cacheEngine makes an engine whose compilation cache lives in a fresh
// directory, so the first compile is truly cold.
func cacheEngine(tb testing.TB) *Engine {
	tb.Helper()
	// Not tb.TempDir: Wasmtime's cache worker may still be writing when
	// the test ends, which TempDir's strict cleanup reports as a failure.
	dir, err := os.MkdirTemp("", "wcomp-host-cache-")
	if err != nil {
		tb.Fatal(err)
	}
	config := filepath.Join(dir, "cache.toml")
	text := fmt.Sprintf("[cache]\ndirectory = %q\n", filepath.Join(dir, "cache"))
	if err := os.WriteFile(config, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	e, err := NewEngine(Options{CacheConfig: config})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		e.Close()
		for range 5 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	return e
}

// BenchmarkValidate compares compiling a component with no cache, the
// first (cold) compile that fills the cache, and later (warm) compiles that
// load from it.
func BenchmarkValidate(b *testing.B) {
	wasm := wat(b, "values.wat")
	b.Run("no-cache", func(b *testing.B) {
		e, err := NewEngine(Options{DisableCache: true})
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		for b.Loop() {
			if err := e.Validate(wasm); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			e := cacheEngine(b)
			b.StartTimer()
			if err := e.Validate(wasm); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		e := cacheEngine(b)
		if err := e.Validate(wasm); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := e.Validate(wasm); err != nil {
				b.Fatal(err)
			}
		}
	})
}
