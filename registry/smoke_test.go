package registry_test

import (
	"context"
	"testing"
	"time"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/registry"
	"oras.land/oras-go/v2/registry/remote/credentials"
)

func TestSmoke(t *testing.T) {
	reg := registrytest.Start(t, registrytest.Options{})
	wasm := wasmtools.DummyComponent(t, "../fixtures/wit/service.wit", "validator")
	a, err := registry.Build(wasm, registry.Metadata{Name: "example:validator", Version: "0.1.0"}, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s\n%s", a.ManifestBytes, a.ConfigBytes)
	c, err := registry.NewClient(registry.Options{Credentials: credentials.NewMemoryStore()})
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := registry.ParseReference(reg.Host + "/example/validator:0.1.0")
	res, err := c.Push(context.Background(), ref, a, registry.PushOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	p, err := c.Pull(context.Background(), ref, registry.PullOptions{Cache: blobcache.New(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", p)
}
