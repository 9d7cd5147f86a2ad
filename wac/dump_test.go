package wac

import (
	"os"
	"strings"
	"testing"
)

func TestDbgDump(t *testing.T) {
	path := os.Getenv("DBG_WAC")
	src, _ := os.ReadFile(path)
	doc, err := Parse(NewFile(path, src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := composeDoc(doc, dirDeps(strings.TrimSuffix(path, ".wac")))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(os.Getenv("DBG_OUT"), out, 0o644)
}
