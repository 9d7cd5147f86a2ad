package bench

import (
	"fmt"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/mmapfile"
)

// pythonService maps n Python members (2: business + py-validator, 3:
// business + py-enricher + py-validator, chained) and returns the options
// composing them.
func pythonService(b *testing.B, n int) compose.Options {
	b.Helper()
	input := func(name string) compose.Input {
		m, err := mmapfile.Open(fixture.Path(b, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { m.Close() })
		return compose.Input{Name: name, Bytes: m.Bytes()}
	}
	opts := compose.Options{Root: input("business"), Version: "bench"}
	if n == 2 {
		opts.Plugs = []compose.Input{input("py-validator")}
		return opts
	}
	const iface = "example:service/processing@0.1.0"
	opts.Plugs = []compose.Input{input("py-enricher"), input("py-validator")}
	opts.Wires = []graph.Wire{
		{Consumer: "business", Import: iface, Provider: "py-enricher", Export: iface},
		{Consumer: "py-enricher", Import: iface, Provider: "py-validator", Export: iface},
	}
	return opts
}

// BenchmarkComposeShared composes two and three Python members in memory,
// with sharing (the default) and without: the cost of finding and
// hoisting the identical modules (bench/share.sh times the CLI).
func BenchmarkComposeShared(b *testing.B) {
	for _, n := range []int{2, 3} {
		for _, share := range []bool{false, true} {
			b.Run(fmt.Sprintf("members=%d/share=%v", n, share), func(b *testing.B) {
				opts := pythonService(b, n)
				opts.NoShareModules = !share
				b.ReportAllocs()
				for b.Loop() {
					if _, err := compose.Compose(opts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCompileShared compiles the composed Python services in the
// embedded Wasmtime with its cache off, as a first run does: a module the
// output stores once is compiled once. Each compile takes seconds: run
// with -benchtime=1x or 3x.
func BenchmarkCompileShared(b *testing.B) {
	e, err := host.NewEngine(host.Options{DisableCache: true})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	for _, n := range []int{2, 3} {
		for _, share := range []bool{false, true} {
			b.Run(fmt.Sprintf("members=%d/share=%v", n, share), func(b *testing.B) {
				opts := pythonService(b, n)
				opts.NoShareModules = !share
				res, err := compose.Compose(opts)
				if err != nil {
					b.Fatal(err)
				}
				wasm := res.Bytes()
				b.SetBytes(int64(len(wasm)))
				for b.Loop() {
					if err := e.Validate(wasm); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
