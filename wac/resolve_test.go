package wac

import (
	"context"
	"testing"
)

// TestResolveErrors resolves and plans testdata/resolve-errors/*.txtar:
// an app.wac, the packages it uses (see testPackages), and the
// expected error, from either step.
func TestResolveErrors(t *testing.T) {
	txtarCases(t, "testdata/resolve-errors/*.txtar", func(c *txtarCase) {
		dir := c.t.TempDir()
		c.writeFiles(dir, "deps/")
		c.writeFiles(dir, "components/")
		src, _ := c.file("app.wac")
		doc, err := Parse(NewFile("app.wac", []byte(src)))
		var comp *Composition
		if err == nil {
			comp, err = Resolve(context.Background(), doc, testPackages{t: c.t, dir: dir})
		}
		if err == nil {
			_, err = comp.Plan()
		}
		if err == nil {
			c.t.Fatal("resolved, but an error was expected")
		}
		c.check("error", Format(err))
	})
}
