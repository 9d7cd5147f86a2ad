package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/golden"
)

// composeRefs is the adapter the driver passes to CheckCompose: graph's
// one parser of the composition strings, its errors pointing inside the
// string.
func composeRefs(key, value string) ([]MemberRef, error) {
	kind := map[string]string{"wires": "wire", "imports": "import", "exports": "export"}[key]
	refs, err := graph.InstanceRefs(kind, value)
	var se *graph.SyntaxError
	if errors.As(err, &se) {
		return nil, &SyntaxError{Offset: se.Offset, Err: errors.New(se.Msg)}
	}
	if err != nil {
		return nil, err
	}
	out := make([]MemberRef, len(refs))
	for i, r := range refs {
		out[i] = MemberRef{Name: r.Name, Offset: r.Offset}
	}
	return out, nil
}

// parseAndCheck is what the driver does: Parse, then CheckCompose.
func parseAndCheck(name string, data []byte) (*File, error) {
	f, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	if err := f.CheckCompose(composeRefs); err != nil {
		return nil, err
	}
	return f, nil
}

// TestBadManifests runs the cases in testdata/bad: each archive holds a
// component.toml and the exact errors it must give, one per line.
// go test -update rewrites the errors sections.
func TestBadManifests(t *testing.T) {
	paths, err := filepath.Glob("testdata/bad/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 35 {
		t.Fatalf("%d bad-manifest cases, want at least 35", len(paths))
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := archiveFile(t, ar, FileName)
			_, err = parseAndCheck(FileName, src)
			if err == nil {
				t.Fatalf("%s parses without errors", path)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want an ErrorList: %v", err, err)
			}
			for _, e := range list {
				if !e.Pos.IsValid() {
					t.Errorf("error without a position: %v", e)
				}
			}
			setArchiveFile(ar, "errors", err.Error()+"\n")
			golden.Check(t, path, string(txtar.Format(ar)))
		})
	}
}

func archiveFile(t *testing.T, ar *txtar.Archive, name string) []byte {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("archive has no %s", name)
	return nil
}

func setArchiveFile(ar *txtar.Archive, name, data string) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = []byte(data)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
}

func readExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../component.toml.example")
	if err != nil {
		t.Fatal(err)
	}
	return data
}
