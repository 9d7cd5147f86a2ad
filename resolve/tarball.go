package resolve

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/wit"
)

// Limits on what an archive may unpack to, so a hostile or mistaken URL
// cannot fill the disk or memory.
const (
	maxArchiveFiles = 10000
	maxArchiveBytes = 64 << 20
)

// packageTree is a WIT package's files with the packages that came with it
// (its deps/ directory), by the directory name they had there.
type packageTree struct {
	files   []wit.File
	bundled map[string][]wit.File
	// root is the directory of the archive the package was found in ("."
	// for its root).
	root string
}

// unpackTarball reads a .tar.gz (or plain .tar) the way wit-deps does: a
// single top-level directory (GitHub's archives have one) is stripped;
// then subdir, or else "wit" if the archive has it, or else the root,
// holds the package's .wit files, and its deps/NAME/*.wit the packages
// that come with it. Everything else in the archive is ignored; entries
// that are not regular files, or that would leave the archive, are
// skipped.
func unpackTarball(data []byte, subdir string) (*packageTree, error) {
	var r io.Reader = bytes.NewReader(data)
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("not a gzip archive: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	tr := tar.NewReader(r)
	files := map[string][]byte{}
	total := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a tar archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			continue
		}
		if path.Ext(name) != ".wit" {
			continue
		}
		if len(files) >= maxArchiveFiles {
			return nil, fmt.Errorf("more than %d .wit files", maxArchiveFiles)
		}
		if h.Size > maxArchiveBytes-int64(total) {
			return nil, fmt.Errorf("its .wit files exceed %d MB", maxArchiveBytes>>20)
		}
		body, err := io.ReadAll(io.LimitReader(tr, h.Size))
		if err != nil {
			return nil, fmt.Errorf("reading %s from the archive: %w", name, err)
		}
		total += len(body)
		files[name] = body
	}
	if len(files) == 0 {
		return nil, errors.New("the archive holds no .wit files")
	}
	// Strip one top-level directory shared by every file.
	top := ""
	for name := range files {
		first, _, nested := strings.Cut(name, "/")
		if !nested || (top != "" && first != top) {
			top = ""
			break
		}
		top = first
	}
	if top != "" {
		stripped := map[string][]byte{}
		for name, body := range files {
			stripped[strings.TrimPrefix(name, top+"/")] = body
		}
		files = stripped
	}
	root := path.Clean(subdir)
	if subdir == "" {
		root = "."
		for name := range files {
			if strings.HasPrefix(name, "wit/") {
				root = "wit"
				break
			}
		}
	}
	prefix := ""
	if root != "." {
		prefix = root + "/"
	}
	tree := &packageTree{bundled: map[string][]wit.File{}, root: root}
	for name, body := range files {
		rel, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		parts := strings.Split(rel, "/")
		switch {
		case len(parts) == 1:
			tree.files = append(tree.files, wit.File{Name: parts[0], Data: body})
		case len(parts) == 3 && parts[0] == "deps":
			tree.bundled[parts[1]] = append(tree.bundled[parts[1]], wit.File{Name: parts[2], Data: body})
		}
	}
	if len(tree.files) == 0 {
		where := "its root"
		if root != "." {
			where = root + "/"
		}
		return nil, fmt.Errorf("no .wit files in %s of the archive (set subdir to the directory that holds the package)", where)
	}
	sortFiles(tree.files)
	for _, fs := range tree.bundled {
		sortFiles(fs)
	}
	return tree, nil
}

func sortFiles(fs []wit.File) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
}
