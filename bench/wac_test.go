package bench

import (
	"context"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/wac"
)

// seedWAC is the seed composition as a WAC document: the same graph that
// BenchmarkComposeSeed builds from flags (the validator plugs the
// business component's processing import, WASI is imported).
const seedWAC = `package example:seed;

let validator = new example:validator { ... };
let business = new example:business { ...validator, ... };
export business...;
`

// BenchmarkComposeSeedWAC composes the seed from a WAC document, from
// mapped inputs to the output's chunks in memory: parsing and resolving
// the document, decoding both packages, then the same graph, checks and
// encoding as BenchmarkComposeSeed. The two should cost the same.
func BenchmarkComposeSeedWAC(b *testing.B) {
	opts, _ := seed(b)
	pkgs := wac.Packages{"example:business": opts.Root.Bytes, "example:validator": opts.Plugs[0].Bytes}
	for b.Loop() {
		comp, err := wac.Load(context.Background(), "seed.wac", []byte(seedWAC), pkgs)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := comp.Plan()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := compose.Encode(plan, compose.EncodeOptions{Name: "seed", Version: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}
