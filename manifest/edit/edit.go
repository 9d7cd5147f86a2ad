package edit

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/manifest/internal/tomlsyntax"
)

// Editor holds a manifest's text and edits it.
type Editor struct {
	filename string
	src      []byte
	doc      *tomlsyntax.Doc
	raw      map[string]any
}

// New starts editing data, which must be valid TOML (it need not be a
// valid manifest yet). filename is used in messages.
func New(filename string, data []byte) (*Editor, error) {
	e := &Editor{filename: filename}
	if err := e.load(bytes.Clone(data)); err != nil {
		if _, perr := manifest.Parse(filename, data); perr != nil {
			return nil, perr // a positioned TOML syntax error
		}
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	return e, nil
}

// Bytes returns the edited text.
func (e *Editor) Bytes() []byte { return bytes.Clone(e.src) }

// Parse parses the edited text as a manifest.
func (e *Editor) Parse() (*manifest.File, error) { return manifest.Parse(e.filename, e.src) }

// SetMember adds the member table [components.NAME] with these keys, or
// replaces the keys of an existing one (see SetTable).
func (e *Editor) SetMember(name string, entries ...Entry) error {
	return e.SetTable([]string{"components", name}, entries...)
}

// SetWITDependency sets one entry of [wit.dependencies].
func (e *Editor) SetWITDependency(name string, v Value) error {
	return e.Set([]string{"wit", "dependencies", name}, v)
}

func (e *Editor) load(src []byte) error {
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return err
	}
	doc, err := tomlsyntax.Parse(src)
	if err != nil {
		return err
	}
	e.src, e.doc, e.raw = src, doc, raw
	return nil
}

type span struct {
	start, end int
	text       string
}

// apply makes the edits (which must not overlap) and re-reads the text; on
// failure the editor is unchanged.
func (e *Editor) apply(edits ...span) error {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	src := bytes.Clone(e.src)
	crlf := e.crlf()
	for _, s := range edits {
		text := s.text
		if crlf {
			text = strings.ReplaceAll(text, "\n", "\r\n")
		}
		src = slices.Concat(src[:s.start], []byte(text), src[s.end:])
	}
	if err := e.load(src); err != nil {
		return fmt.Errorf("%s: internal error: an edit made invalid TOML (please report it): %w", e.filename, err)
	}
	return nil
}

// validate checks a key path and a value before any edit.
func (e *Editor) validate(path []string, v Value) error {
	if len(path) == 0 {
		return fmt.Errorf("%s: empty key path", e.filename)
	}
	for _, k := range path {
		if err := validateKey(k); err != nil {
			return fmt.Errorf("%s: %w", e.filename, err)
		}
	}
	if err := v.validate(); err != nil {
		return e.errorf(path, "%v", err)
	}
	return nil
}

// crlf reports whether the file ends its lines with \r\n, as new lines
// must then do too.
func (e *Editor) crlf() bool {
	i := bytes.IndexByte(e.src, '\n')
	return i > 0 && e.src[i-1] == '\r'
}

func (e *Editor) errorf(path []string, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %s", e.filename, toml.Key(path).String(), fmt.Sprintf(format, args...))
}

// Set sets the value at path (the last part is the key), replacing the
// value in place when the key exists, keeping its comments, and adding the
// key after the table's last key when it does not. Tables on the way are
// created as needed. A Table value is SetTable.
func (e *Editor) Set(path []string, v Value) error {
	if err := e.validate(path, v); err != nil {
		return err
	}
	if v.kind == kindTable {
		return e.SetTable(path, v.entries...)
	}
	n := e.doc.Lookup(path...)
	if n != nil && n.Value != nil && (n.Kind == tomlsyntax.NodeKeyValue || n.Kind == tomlsyntax.NodeEntry) {
		return e.apply(span{n.Value.Span.Start, n.Value.Span.End, v.format()})
	}
	if n != nil {
		// A table, or an element: replace the whole of it.
		if err := e.Delete(path); err != nil {
			return err
		}
	}
	return e.insertKey(path[:len(path)-1], path[len(path)-1], v.format())
}

// SetTable makes the table at path hold exactly entries: keys it has keep
// their place and comments and get the new value, keys not in entries are
// removed, and new keys follow the table's last key, in entries' order.
// Table entries are handled recursively, as [path.key] tables when the
// table is written as a header.
func (e *Editor) SetTable(path []string, entries ...Entry) error {
	if err := e.validate(path, Table(entries...)); err != nil {
		return err
	}
	want := map[string]Entry{}
	for _, en := range entries {
		if _, dup := want[en.Key]; dup {
			return e.errorf(append(slices.Clone(path), en.Key), "given twice")
		}
		want[en.Key] = en
	}
	if n := e.doc.Lookup(path...); n != nil && !isTable(n) {
		if err := e.Delete(path); err != nil {
			return err
		}
	}
	for {
		victim := ""
		for _, c := range e.children(path) {
			en, ok := want[c.name]
			if !ok || (en.Value.kind == kindTable) != c.table {
				victim = c.name
				break
			}
		}
		if victim == "" {
			break
		}
		if err := e.Delete(append(slices.Clone(path), victim)); err != nil {
			return err
		}
	}
	if e.doc.Lookup(path...) == nil && len(entries) == 0 {
		return e.createEmpty(path)
	}
	for _, en := range entries {
		if err := e.Set(append(slices.Clone(path), en.Key), en.Value); err != nil {
			return err
		}
	}
	return nil
}

// Append adds v to the array at path, creating the array if needed, unless
// an equal element is already there. The array keeps its layout: one
// element per line stays so, and so does a trailing comma.
func (e *Editor) Append(path []string, v Value) error {
	if err := e.validate(path, v); err != nil {
		return err
	}
	n := e.doc.Lookup(path...)
	if n == nil {
		return e.Set(path, Array(v))
	}
	if n.Value == nil || n.Value.Kind != tomlsyntax.Array {
		return e.errorf(path, "not an array")
	}
	if dv, ok := v.decoded(); ok {
		if arr, ok := lookupRaw(e.raw, path).([]any); ok && slices.ContainsFunc(arr, func(x any) bool { return reflect.DeepEqual(x, dv) }) {
			return nil
		}
	}
	arr, text := n.Value, v.format()
	if len(arr.Elems) == 0 {
		return e.apply(span{arr.Span.Start, arr.Span.End, "[" + text + "]"})
	}
	last := arr.Elems[len(arr.Elems)-1]
	comma := arr.Commas[len(arr.Commas)-1]
	closing := arr.Span.End - 1
	eol := bytes.IndexByte(e.src[last.Span.End:], '\n')
	multiline := eol >= 0 && last.Span.End+eol < closing
	if eol >= 0 {
		eol += last.Span.End
	}
	switch {
	case multiline && comma >= 0:
		if ceol := bytes.IndexByte(e.src[comma:], '\n'); ceol >= 0 && comma+ceol < closing {
			return e.apply(span{comma + ceol + 1, comma + ceol + 1, e.indentOf(last.Span.Start) + text + ",\n"})
		}
		return e.apply(span{comma + 1, comma + 1, " " + text + ","})
	case multiline:
		return e.apply(span{last.Span.End, last.Span.End, ","}, span{eol, eol, "\n" + e.indentOf(last.Span.Start) + text})
	case comma >= 0:
		return e.apply(span{comma + 1, comma + 1, " " + text + ","})
	}
	return e.apply(span{last.Span.End, last.Span.End, ", " + text})
}

// Delete removes the key or table at path with the comments directly above
// it. Deleting what is not there does nothing.
func (e *Editor) Delete(path []string) error {
	n := e.doc.Lookup(path...)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case tomlsyntax.NodeEntry:
		return e.deleteEntry(path)
	case tomlsyntax.NodeElem, tomlsyntax.NodeArrayHeader:
		return e.errorf(path, "is part of an array; edit it by hand")
	}
	var edits []span
	stmts := e.doc.Stmts
	for i, st := range stmts {
		if !hasPrefix(st.Path(), path) {
			continue
		}
		start := e.attachedStart(st.Line.Start)
		end := st.Line.End
		if st.Kind != tomlsyntax.KeyValue {
			end = len(e.src)
			for _, next := range stmts[i+1:] {
				if next.Kind != tomlsyntax.KeyValue {
					end = e.attachedStart(next.Line.Start)
					break
				}
			}
		}
		edits = append(edits, span{start, end, ""})
	}
	edits = mergeSpans(edits)
	if len(edits) == 0 {
		return e.errorf(path, "is defined where it cannot be removed (inside a value); edit it by hand")
	}
	// Blank lines left at the end of the file go too.
	if last := &edits[len(edits)-1]; last.end == len(e.src) {
		for last.start > 0 {
			prev := bytes.LastIndexByte(e.src[:last.start-1], '\n') + 1
			if len(bytes.TrimSpace(e.src[prev:last.start])) > 0 {
				break
			}
			last.start = prev
		}
	}
	return e.apply(edits...)
}

// deleteEntry removes a key from an inline table, with its comma.
func (e *Editor) deleteEntry(path []string) error {
	parent := e.doc.Lookup(path[:len(path)-1]...)
	if parent == nil || parent.Value == nil || parent.Value.Kind != tomlsyntax.InlineTable {
		return e.errorf(path, "is defined by a dotted key inside an inline table; edit it by hand")
	}
	v := parent.Value
	i := slices.IndexFunc(v.Entries, func(en *tomlsyntax.Entry) bool {
		names := en.Key.Names()
		return len(names) == 1 && names[0] == path[len(path)-1]
	})
	if i < 0 {
		return e.errorf(path, "is defined by a dotted key inside an inline table; edit it by hand")
	}
	if len(v.Entries) == 1 {
		return e.apply(span{v.Span.Start, v.Span.End, "{}"})
	}
	en := v.Entries[i]
	if i+1 < len(v.Entries) {
		return e.apply(span{en.Key.Span.Start, v.Entries[i+1].Key.Span.Start, ""})
	}
	prevEnd := v.Entries[i-1].Value.Span.End
	end := en.Value.Span.End
	if c := v.Commas[i]; c >= 0 {
		end = c // keep a trailing comma where there was one
	}
	return e.apply(span{prevEnd, end, ""})
}

type child struct {
	name  string
	table bool
}

// children lists the direct keys of the table at path, in file order.
func (e *Editor) children(path []string) []child {
	var out []child
	for _, n := range e.doc.Nodes() {
		if len(n.Path) != len(path)+1 || !hasPrefix(n.Path, path) || tomlsyntax.IsIndex(n.Path[len(path)]) {
			continue
		}
		out = append(out, child{name: n.Path[len(path)], table: isTable(n)})
	}
	return out
}

func isTable(n *tomlsyntax.Node) bool {
	switch n.Kind {
	case tomlsyntax.NodeHeader, tomlsyntax.NodeSuperTable, tomlsyntax.NodeDotted, tomlsyntax.NodeArrayHeader:
		return true
	}
	return n.Value != nil && n.Value.Kind == tomlsyntax.InlineTable
}

// insertKey adds key = text to the table at table, which the key must not
// already be in.
func (e *Editor) insertKey(table []string, key, text string) error {
	line := formatKey(key) + " = " + text
	if len(table) == 0 {
		return e.insertTopLevel(line)
	}
	n := e.doc.Lookup(table...)
	if n == nil {
		return e.insertIntoMissing(table, key, text)
	}
	switch n.Kind {
	case tomlsyntax.NodeHeader:
		return e.insertInHeader(n.Stmt, line)
	case tomlsyntax.NodeSuperTable:
		// [a.b] defines a without a header of its own: give it one, right
		// before its first sub-table.
		first := slices.IndexFunc(e.doc.Stmts, func(st *tomlsyntax.Stmt) bool {
			return st.Kind == tomlsyntax.Header && hasPrefix(st.Table, table)
		})
		if first < 0 {
			return e.errorf(table, "is only defined by arrays of tables; edit it by hand")
		}
		at := e.attachedStart(e.doc.Stmts[first].Line.Start)
		return e.apply(span{at, at, "[" + formatPath(table) + "]\n" + line + "\n\n"})
	case tomlsyntax.NodeDotted:
		return e.insertDotted(n, table, nil, line)
	case tomlsyntax.NodeKeyValue, tomlsyntax.NodeEntry:
		if n.Value.Kind == tomlsyntax.InlineTable {
			return e.insertInline(n.Value, line)
		}
		return e.errorf(table, "is not a table")
	}
	return e.errorf(table, "is part of an array of tables; edit it by hand")
}

// insertIntoMissing adds key = text to a table that does not exist yet,
// creating it in the manner of its nearest existing ancestor: a new
// [header] under a header, a longer dotted key among dotted keys, a dotted
// key inside an inline table.
func (e *Editor) insertIntoMissing(table []string, key, text string) error {
	l := len(table) - 1
	var anc *tomlsyntax.Node
	for ; l > 0; l-- {
		if anc = e.doc.Lookup(table[:l]...); anc != nil {
			break
		}
	}
	rest := append(slices.Clone(table[l:]), key)
	if anc == nil {
		return e.insertHeader(nil, table, formatKey(key)+" = "+text)
	}
	switch anc.Kind {
	case tomlsyntax.NodeHeader, tomlsyntax.NodeSuperTable:
		return e.insertHeader(anc.Path, table, formatKey(key)+" = "+text)
	case tomlsyntax.NodeDotted:
		return e.insertDotted(anc, anc.Path, table[l:], formatKey(key)+" = "+text)
	case tomlsyntax.NodeKeyValue, tomlsyntax.NodeEntry:
		if anc.Value.Kind == tomlsyntax.InlineTable {
			return e.insertInline(anc.Value, formatPath(rest)+" = "+text)
		}
		return e.errorf(table[:l], "is not a table")
	}
	return e.errorf(table[:l], "is part of an array of tables; edit it by hand")
}

// createEmpty creates an empty table at path.
func (e *Editor) createEmpty(path []string) error {
	l := len(path) - 1
	var anc *tomlsyntax.Node
	for ; l > 0; l-- {
		if anc = e.doc.Lookup(path[:l]...); anc != nil {
			break
		}
	}
	if anc == nil || anc.Kind == tomlsyntax.NodeHeader || anc.Kind == tomlsyntax.NodeSuperTable {
		var under []string
		if anc != nil {
			under = anc.Path
		}
		return e.insertHeader(under, path, "")
	}
	return e.insertKey(path[:len(path)-1], path[len(path)-1], "{}")
}

// insertHeader adds a new [table] holding line (if any) after the last
// statement of the tables under ancestor (the end of the file when
// ancestor is nil), separated by a blank line.
func (e *Editor) insertHeader(ancestor, table []string, line string) error {
	at := len(e.src)
	if ancestor != nil {
		for _, st := range e.doc.Stmts {
			if hasPrefix(st.Table, ancestor) {
				at = st.Line.End
			}
		}
	}
	text := "[" + formatPath(table) + "]\n"
	if line != "" {
		text += line + "\n"
	}
	switch {
	case at == 0:
	case e.src[at-1] != '\n':
		text = "\n\n" + text
	default:
		text = "\n" + text
	}
	return e.apply(span{at, at, text})
}

// insertInHeader adds line after the last key of the header's table.
func (e *Editor) insertInHeader(h *tomlsyntax.Stmt, line string) error {
	i := slices.Index(e.doc.Stmts, h)
	at, indent := h.Line.End, ""
	for _, st := range e.doc.Stmts[i+1:] {
		if st.Kind != tomlsyntax.KeyValue {
			break
		}
		at, indent = st.Line.End, e.indentOf(st.Line.Start)
	}
	return e.insertLine(at, indent+line)
}

// insertDotted adds a dotted key line for the table at dotted.Path + more:
// after the last line that defines something under it, spelled with the
// same prefix relative to the enclosing header.
func (e *Editor) insertDotted(dotted *tomlsyntax.Node, table, more []string, line string) error {
	st := dotted.Stmt
	if st.Kind != tomlsyntax.KeyValue || !hasPrefix(st.Path(), table) || len(st.Path()) <= len(table) {
		return e.errorf(table, "is defined by a dotted key inside an inline table; edit it by hand")
	}
	rel := slices.Concat(table[len(st.Table):], more)
	at, indent := st.Line.End, e.indentOf(st.Line.Start)
	for _, s := range e.doc.Stmts {
		if s.Kind == tomlsyntax.KeyValue && slices.Equal(s.Table, st.Table) && hasPrefix(s.Path(), table) {
			at, indent = s.Line.End, e.indentOf(s.Line.Start)
		}
	}
	return e.insertLine(at, indent+formatPath(rel)+"."+line)
}

// insertInline adds an entry to an inline table.
func (e *Editor) insertInline(v *tomlsyntax.Value, entry string) error {
	if len(v.Entries) == 0 {
		return e.apply(span{v.Span.Start, v.Span.End, "{ " + entry + " }"})
	}
	if c := v.Commas[len(v.Commas)-1]; c >= 0 {
		return e.apply(span{c + 1, c + 1, " " + entry + ","})
	}
	last := v.Entries[len(v.Entries)-1].Value.Span.End
	return e.apply(span{last, last, ", " + entry})
}

// insertTopLevel adds a key before the first table.
func (e *Editor) insertTopLevel(line string) error {
	at := -1
	for _, st := range e.doc.Stmts {
		if st.Kind != tomlsyntax.KeyValue {
			break
		}
		at = st.Line.End
	}
	if at >= 0 {
		return e.insertLine(at, line)
	}
	for _, st := range e.doc.Stmts {
		start := e.attachedStart(st.Line.Start)
		return e.apply(span{start, start, line + "\n\n"})
	}
	return e.insertLine(len(e.src), line)
}

// insertLine inserts a line at offset at, which is a line start, or the end
// of a last line without a newline.
func (e *Editor) insertLine(at int, line string) error {
	if at > 0 && e.src[at-1] != '\n' {
		return e.apply(span{at, at, "\n" + line + "\n"})
	}
	return e.apply(span{at, at, line + "\n"})
}

// attachedStart moves a line start up over the comment lines directly
// above it, which describe it.
func (e *Editor) attachedStart(lineStart int) int {
	start := lineStart
	for start > 0 {
		prev := bytes.LastIndexByte(e.src[:start-1], '\n') + 1
		text := bytes.TrimSpace(e.src[prev : start-1])
		if len(text) == 0 || text[0] != '#' {
			break
		}
		start = prev
	}
	return start
}

// indentOf returns the spaces and tabs that start the line holding offset.
func (e *Editor) indentOf(offset int) string {
	start := e.doc.LineStart(offset)
	end := start
	for end < len(e.src) && (e.src[end] == ' ' || e.src[end] == '\t') {
		end++
	}
	return string(e.src[start:end])
}

func hasPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && slices.Equal(path[:len(prefix)], prefix)
}

// mergeSpans sorts deletions and joins overlapping ones.
func mergeSpans(spans []span) []span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []span
	for _, s := range spans {
		if len(out) > 0 && s.start <= out[len(out)-1].end {
			out[len(out)-1].end = max(out[len(out)-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// lookupRaw walks BurntSushi's decoded document along path.
func lookupRaw(m map[string]any, path []string) any {
	var cur any = m
	for _, p := range path {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = t[p]
	}
	return cur
}
