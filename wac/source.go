package wac

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Span is a range of byte offsets [Start, End) in a document's source.
type Span struct {
	Start, End int
}

// File is a document's name and source text. Lines and columns are
// computed from it only when a message is printed.
type File struct {
	Name string
	Src  string
	// lines holds the offset at which each line starts, built on first use.
	lines []int
}

// NewFile returns a File for src, named name in messages.
func NewFile(name string, src []byte) *File {
	return &File{Name: name, Src: string(src)}
}

// Position is a place in a file, for people: 1-based line and column
// (columns count characters, not bytes).
type Position struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

func (p Position) String() string {
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// Position returns the position of the byte at offset off.
func (f *File) Position(off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	line := f.lineOf(off)
	start := f.lines[line]
	return Position{
		Filename: f.Name,
		Offset:   off,
		Line:     line + 1,
		Column:   utf8.RuneCountInString(f.Src[start:off]) + 1,
	}
}

// lineOf returns the 0-based line holding offset off.
func (f *File) lineOf(off int) int {
	if f.lines == nil {
		f.lines = []int{0}
		for i := 0; i < len(f.Src); i++ {
			if f.Src[i] == '\n' {
				f.lines = append(f.lines, i+1)
			}
		}
	}
	return sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
}

// snippet returns the source line holding span s with a caret line under
// it, indented by a gutter that shows the line number:
//
//	3 | type u32 = x;
//	  |      ^^^
//
// A span running past the end of its line is underlined to the end of the
// line; an empty span (the end of the file) gets one caret.
func (f *File) snippet(s Span) string {
	if s.Start < 0 || s.Start > len(f.Src) {
		return ""
	}
	line := f.lineOf(s.Start)
	start := f.lines[line]
	end := strings.IndexByte(f.Src[start:], '\n')
	if end < 0 {
		end = len(f.Src)
	} else {
		end += start
	}
	text := strings.TrimRight(f.Src[start:end], "\r")
	num := fmt.Sprint(line + 1)
	gutter := strings.Repeat(" ", len(num))

	// The caret line repeats the tabs of the source line, so the carets
	// stand under the text whatever the tab width.
	var pad strings.Builder
	for _, r := range f.Src[start:s.Start] {
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	stop := min(s.End, start+len(text))
	n := 1
	if stop > s.Start {
		n = utf8.RuneCountInString(f.Src[s.Start:stop])
	}
	return fmt.Sprintf(" %s | %s\n %s | %s%s", num, text, gutter, pad.String(), strings.Repeat("^", n))
}
