package component

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestWastCorpus decodes and re-encodes every component binary that
// `wasm-tools json-from-wast` produced from wasm-tools' own component-model
// tests. Those files are not ours to commit, so the corpus is found through
// WCOMP_WAST_DIR: a directory whose subdirectories each hold a spec.json and
// its .wasm files (see testdata/README.md for how to make one).
func TestWastCorpus(t *testing.T) {
	dir := os.Getenv("WCOMP_WAST_DIR")
	if dir == "" {
		t.Skip("WCOMP_WAST_DIR not set; see testdata/README.md")
	}
	specs, err := filepath.Glob(filepath.Join(dir, "*", "spec.json"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no */spec.json under %s", dir)
	}
	var nested int
	var valid, invalidDecoded, invalidRejected, malformedRejected, malformedAccepted int
	for _, spec := range specs {
		raw, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Commands []struct {
				Type       string `json:"type"`
				Line       int    `json:"line"`
				Filename   string `json:"filename"`
				ModuleType string `json:"module_type"`
				Text       string `json:"text"`
			} `json:"commands"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range doc.Commands {
			if cmd.ModuleType != "binary" || cmd.Filename == "" {
				continue
			}
			data, err := os.ReadFile(filepath.Join(filepath.Dir(spec), cmd.Filename))
			if err != nil {
				t.Fatal(err)
			}
			where := filepath.Base(filepath.Dir(spec)) + ":" + itoa(cmd.Line)
			if !IsComponent(data) {
				continue
			}
			c, err := Decode(data)
			switch cmd.Type {
			case "module", "module_definition":
				if err != nil {
					t.Errorf("%s: valid component does not decode: %v", where, err)
					continue
				}
				valid++
			case "assert_invalid":
				if err != nil {
					invalidRejected++
					continue
				}
				invalidDecoded++
			case "assert_malformed":
				if err != nil {
					malformedRejected++
				} else {
					malformedAccepted++
					t.Logf("%s: malformed (%s) but decodes", where, cmd.Text)
				}
				continue
			default:
				continue
			}
			out, err := c.Encode()
			if err != nil {
				t.Errorf("%s: encode: %v", where, err)
				continue
			}
			if !bytes.Equal(out, data) {
				t.Errorf("%s: round trip differs (%d bytes in, %d out) at offset 0x%x", where, len(data), len(out), firstDiff(data, out))
			}
			nested += roundTripNested(t, where, c)
		}
	}
	t.Logf("nested components decoded and round-tripped: %d", nested)
	t.Logf("valid: %d decoded and round-tripped; assert_invalid: %d decoded (validation errors), %d rejected by the decoder; assert_malformed: %d rejected, %d accepted",
		valid, invalidDecoded, invalidRejected, malformedRejected, malformedAccepted)
}

// roundTripNested decodes and re-encodes every component nested in c, at
// any depth, and returns how many there were.
func roundTripNested(t *testing.T, where string, c *Component) int {
	n := 0
	for _, s := range c.Sections {
		if s.Component == nil {
			continue
		}
		n++
		nc, err := Decode(s.Component.Bytes)
		if err != nil {
			t.Errorf("%s: nested component at 0x%x: %v", where, s.Component.Offset, err)
			continue
		}
		out, err := nc.Encode()
		if err != nil || !bytes.Equal(out, s.Component.Bytes) {
			t.Errorf("%s: nested component at 0x%x does not round-trip (%v)", where, s.Component.Offset, err)
		}
		n += roundTripNested(t, where, nc)
	}
	return n
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
