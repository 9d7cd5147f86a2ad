package component

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestRetiredCancellable: a component whose waitable-set.wait carries the
// old `cancellable` byte (0x01, retired by component-model#716) is refused
// by wasm-tools and by Decode alike, while the same component with the
// reserved 0x00 is accepted by both. The byte is found by flipping the
// one wasm-tools itself wrote, so the case is what a stale toolchain would
// produce.
func TestRetiredCancellable(t *testing.T) {
	good := wasmtools.Parse(t, `(component
  (core module $m (memory (export "mem") 1))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (core func (canon waitable-set.wait (memory $mem))))`)
	if err := wasmtools.Validate(t, good, "all"); err != nil {
		t.Fatalf("wasm-tools rejects the current encoding: %v", err)
	}
	if _, err := DecodeType(good); err != nil {
		t.Fatalf("Decode rejects the current encoding: %v", err)
	}
	// canon section: count 1, waitable-set.wait (0x20), reserved 0x00,
	// memory 0.
	at := bytes.LastIndex(good, []byte{0x08, 0x04, 0x01, 0x20, 0x00, 0x00})
	if at < 0 {
		t.Fatal("no waitable-set.wait canon section in the assembled component")
	}
	old := append([]byte(nil), good...)
	old[at+4] = 0x01
	peer := wasmtools.Validate(t, old, "all")
	if peer == nil || !strings.Contains(peer.Error(), "#716") {
		t.Fatalf("wasm-tools: %v; want it to refuse the retired byte", peer)
	}
	_, err := DecodeType(old)
	if err == nil || !strings.Contains(err.Error(), "retired by WebAssembly/component-model#716") {
		t.Fatalf("Decode: %v; want the retired `cancellable` byte refused", err)
	}
	t.Logf("wasm-tools: %v\nwcomp: %v", peer, err)
}
