package wac

import (
	"context"
	"path/filepath"
	"testing"
)

// TestResolveErrors resolves testdata/resolve-errors/*.txtar: an app.wac,
// the packages it uses under deps/ (see dirDeps), and the expected error.
func TestResolveErrors(t *testing.T) {
	txtarCases(t, "testdata/resolve-errors/*.txtar", func(c *txtarCase) {
		dir := c.t.TempDir()
		c.writeFiles(dir, "deps/")
		src, _ := c.file("app.wac")
		doc, err := Parse(NewFile("app.wac", []byte(src)))
		if err == nil {
			_, err = Resolve(context.Background(), doc, dirDeps(filepath.Join(dir, "deps")))
		}
		if err == nil {
			c.t.Fatal("resolved, but an error was expected")
		}
		c.check("error", Format(err))
	})
}
