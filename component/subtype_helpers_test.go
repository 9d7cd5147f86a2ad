package component

import (
	"os"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/golden"
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

// String is the case file's text, as readCaseFile reads it.
func (cf *caseFile) String() string {
	var b strings.Builder
	b.WriteString(cf.comment)
	for _, n := range cf.names {
		b.WriteString("-- " + n + " --\n")
		b.WriteString(cf.parts[n])
	}
	return b.String()
}

// set replaces the part named name, appending it when missing.
func (cf *caseFile) set(name, text string) {
	if _, ok := cf.parts[name]; !ok {
		cf.names = append(cf.names, name)
	}
	cf.parts[name] = text
}

// checkGolden compares the case file with got as its `want` part against
// the file at path (golden.Check: -update rewrites that part, appending it
// when missing).
func checkGolden(t *testing.T, path string, cf *caseFile, got string) {
	t.Helper()
	if !strings.HasSuffix(got, "\n") {
		got += "\n"
	}
	cf.set("want", got)
	golden.Check(t, path, cf.String())
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
