package testcomponent

import (
	_ "embed"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// ShareAppWAT and ShareLibWAT are a root and its plug that hold identical
// core modules and nested components in every way sharing must handle
// (see the comment at the top of share-app.wat); composed, app's
// compute() returns 30.
//
//go:embed share-app.wat
var ShareAppWAT string

//go:embed share-lib.wat
var ShareLibWAT string

// ShareApp builds ShareAppWAT.
func ShareApp(t testing.TB) []byte {
	t.Helper()
	return wasmtools.Parse(t, ShareAppWAT)
}

// ShareLib builds ShareLibWAT.
func ShareLib(t testing.TB) []byte {
	t.Helper()
	return wasmtools.Parse(t, ShareLibWAT)
}
