package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// caseFile is a test case file: a leading comment, then parts introduced by
// lines `-- name --` (the txtar layout).
type caseFile struct {
	comment string
	names   []string
	parts   map[string]string
}

func readCaseFile(t *testing.T, path string) *caseFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cf := &caseFile{parts: map[string]string{}}
	cur := ""
	var b strings.Builder
	flush := func() {
		if cur == "" {
			cf.comment = b.String()
		} else {
			cf.parts[cur] = b.String()
			cf.names = append(cf.names, cur)
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "-- ") && strings.HasSuffix(trim, " --") && len(trim) > 6 {
			flush()
			cur = strings.TrimSpace(trim[3 : len(trim)-3])
			continue
		}
		b.WriteString(line)
	}
	flush()
	return cf
}

// write writes the case file back atomically.
func (cf *caseFile) write(t *testing.T, path string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(cf.comment)
	for _, n := range cf.names {
		b.WriteString("-- " + n + " --\n")
		b.WriteString(cf.parts[n])
	}
	writeGolden(t, path, b.String())
}

func (cf *caseFile) set(name, text string) {
	if _, ok := cf.parts[name]; !ok {
		cf.names = append(cf.names, name)
	}
	cf.parts[name] = text
}

// checkGolden compares got with the part `want` of the case file, or
// rewrites it under -update.
func checkGolden(t *testing.T, path string, cf *caseFile, got string) {
	t.Helper()
	if !strings.HasSuffix(got, "\n") {
		got += "\n"
	}
	if *update {
		cf.set("want", got)
		cf.write(t, path)
		return
	}
	want, ok := cf.parts["want"]
	if !ok {
		t.Fatalf("%s has no `-- want --` part; run with -update", path)
	}
	if got != want {
		t.Errorf("%s:\n got: %s\nwant: %s", filepath.Base(path), got, want)
	}
}

// decodeWAT assembles and resolves a component's type.
func decodeWAT(t *testing.T, wat string) *ComponentType {
	t.Helper()
	ct, err := DecodeType(wasmtools.Parse(t, wat))
	if err != nil {
		t.Fatalf("DecodeType: %v", err)
	}
	return ct
}
