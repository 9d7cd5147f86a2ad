package main

import (
	"os"
	"path/filepath"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/internal/mmapfile"
)

// inputMaps holds the files a composition reads, memory-mapped, each once
// however often it is named, until the output is written: compose reads
// only their component-level sections, and the output takes their bytes
// file to file.
type inputMaps struct {
	byPath map[string]*mmapfile.File
	maps   []*mmapfile.File
}

// open maps path with mapFile, or returns the map made for it already.
func (im *inputMaps) open(path string, mapFile func() (*mmapfile.File, error)) (*mmapfile.File, error) {
	key, err := filepath.Abs(path)
	if err != nil {
		key = path
	}
	if m := im.byPath[key]; m != nil {
		return m, nil
	}
	m, err := mapFile()
	if err != nil {
		return nil, err
	}
	if im.byPath == nil {
		im.byPath = map[string]*mmapfile.File{}
	}
	im.byPath[key] = m
	im.maps = append(im.maps, m)
	return m, nil
}

// write writes res to the file out, atomically, the members' bytes copied
// from their maps.
func (im *inputMaps) write(out string, res *compose.Result) error {
	return atomicfile.Write(out, func(f *os.File) error {
		mmapfile.Preallocate(f, int64(res.Size()))
		_, err := res.WriteTo(mmapfile.Writer(f, im.maps...))
		return err
	})
}

func (im *inputMaps) close() {
	for _, m := range im.maps {
		m.Close()
	}
}
