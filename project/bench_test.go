package project

import (
	"context"
	"testing"
)

// BenchmarkNoopBuild is a build with nothing to do: the manifest parsed
// and checked, the lock read and compared, each member's inputs hashed
// (its toolchain's version probes cached), the composition's fingerprint
// compared. No toolchain runs and nothing is encoded. bench/build.sh times
// the same through the CLI on the example, against `wcomp --version`.
func BenchmarkNoopBuild(b *testing.B) {
	env, cache := toolEnv(b)
	dir := newProject(b, "pair")
	p, err := Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Env: env, CacheDir: cache, Version: "bench"}
	if _, err := p.Build(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		res, err := p.Build(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if !res.Fresh {
			b.Fatal("the no-op build composed")
		}
	}
}
