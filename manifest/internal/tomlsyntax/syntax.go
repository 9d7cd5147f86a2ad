package tomlsyntax

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of the source.
type Span struct{ Start, End int }

// StmtKind classifies a top-level statement.
type StmtKind uint8

const (
	Header      StmtKind = iota + 1 // [a.b]
	ArrayHeader                     // [[a.b]]
	KeyValue                        // a.b = value
)

// Stmt is one top-level statement: a table header or a key/value pair.
type Stmt struct {
	Kind StmtKind
	// Line is the statement's full extent: from the start of its first
	// line (indentation included) to just past the newline ending its last
	// line (or the end of the source), trailing comment included.
	Line Span
	Key  Key
	// Table is the table a key/value belongs to (the last header's path);
	// for a header it is the header's own path.
	Table []string
	Value *Value // KeyValue only
}

// Path is the full key path a statement defines.
func (s *Stmt) Path() []string {
	if s.Kind != KeyValue {
		return s.Table
	}
	return append(append([]string(nil), s.Table...), s.Key.Names()...)
}

// Key is a possibly dotted key as written.
type Key struct {
	Segs []Seg
	Span Span
}

// Seg is one part of a dotted key: its decoded name and where it is written
// (quotes included).
type Seg struct {
	Name string
	Span Span
}

// Names returns the decoded segments.
func (k Key) Names() []string {
	out := make([]string, len(k.Segs))
	for i, s := range k.Segs {
		out[i] = s.Name
	}
	return out
}

// ValueKind classifies a value.
type ValueKind uint8

const (
	String      ValueKind = iota + 1 // any of the four string forms
	Scalar                           // integer, float, boolean or date-time
	Array                            // [ ... ]
	InlineTable                      // { ... }
)

// Value is a value as written.
type Value struct {
	Kind ValueKind
	Span Span
	// For strings: Literal reports that the content between the quotes is
	// the value itself (a literal string, or a basic one without escapes),
	// so offsets into the value are offsets into the text after Quote
	// bytes. Multiline is set for the triple-quoted forms.
	Literal   bool
	Multiline bool
	Quote     int    // length of the opening delimiter
	Text      string // decoded content of a single-line string
	// For arrays and inline tables: the elements or entries in order.
	Elems   []*Value
	Entries []*Entry
	// Commas holds, for arrays and inline tables, the offset of the comma
	// after each element or entry (-1 when there is none).
	Commas []int
}

// Entry is a key/value pair inside an inline table.
type Entry struct {
	Key   Key
	Value *Value
}

// NodeKind says how a key path came to be defined.
type NodeKind uint8

const (
	NodeHeader      NodeKind = iota + 1 // an explicit [table] header
	NodeArrayHeader                     // the first [[table]] header of an array of tables
	NodeSuperTable                      // a prefix of a header: [a.b] defines a
	NodeDotted                          // a prefix of a dotted key: a.b = 1 defines a
	NodeKeyValue                        // a top-level key/value
	NodeEntry                           // a key/value inside an inline table
	NodeElem                            // an array element
)

// Node is what the document says about one key path.
type Node struct {
	Kind NodeKind
	Path []string
	// Key is where the path's last part is written: the whole header
	// (brackets included) for headers, the last key segment otherwise, the
	// element for array elements.
	Key Span
	// Value is the value of key/values, entries and elements; nil for
	// tables defined by headers or prefixes.
	Value *Value
	// Stmt is the top-level statement that defines the node (for entries
	// and elements, the key/value that contains them).
	Stmt *Stmt
}

// Doc is a scanned document.
type Doc struct {
	Src   []byte
	Stmts []*Stmt
	lines []int // offsets of line starts
	nodes map[string]*Node
	order []*Node
}

// indexPrefix marks an array index in a path, so it cannot collide with a
// key: a TOML key may contain any character, but BurntSushi paths never
// contain this byte and nor do manifest keys.
const indexPrefix = "\x00#"

// Index is the path part naming element i of an array.
func Index(i int) string { return indexPrefix + strconv.Itoa(i) }

// IsIndex reports whether a path part names an array element.
func IsIndex(part string) bool { return strings.HasPrefix(part, indexPrefix) }

func pathKey(path []string) string { return strings.Join(path, "\x00.") }

// Lookup returns the node for a key path (use Index for array elements),
// or nil.
func (d *Doc) Lookup(path ...string) *Node { return d.nodes[pathKey(path)] }

// Nodes returns every node in the order the text defines them.
func (d *Doc) Nodes() []*Node {
	out := make([]*Node, 0, len(d.nodes))
	for _, n := range d.order {
		if d.nodes[pathKey(n.Path)] == n {
			out = append(out, n)
		}
	}
	return out
}

// Position returns the 1-based line and byte column of a byte offset.
func (d *Doc) Position(offset int) (line, col int) {
	if offset < 0 {
		offset = 0
	}
	if offset > len(d.Src) {
		offset = len(d.Src)
	}
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > offset }) - 1
	return i + 1, offset - d.lines[i] + 1
}

// LineStart returns the offset of the start of the line holding offset.
func (d *Doc) LineStart(offset int) int {
	line, _ := d.Position(offset)
	return d.lines[line-1]
}

// Parse scans src, which BurntSushi/toml has accepted.
func Parse(src []byte) (*Doc, error) {
	d := &Doc{Src: src, nodes: map[string]*Node{}}
	d.lines = append(d.lines, 0)
	for i, c := range src {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	s := &scanner{src: src, doc: d}
	if err := s.document(); err != nil {
		return nil, err
	}
	return d, nil
}

// SyntaxError is a place where the scanner does not follow the text. Since
// callers scan only TOML that has already decoded, it means a gap in this
// scanner.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

type scanner struct {
	src []byte
	pos int
	doc *Doc
}

func (s *scanner) fail(format string, args ...any) error {
	return &SyntaxError{Offset: s.pos, Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) peek() byte {
	if s.pos < len(s.src) {
		return s.src[s.pos]
	}
	return 0
}

func (s *scanner) eof() bool { return s.pos >= len(s.src) }

func (s *scanner) has(prefix string) bool {
	return strings.HasPrefix(string(s.src[s.pos:min(len(s.src), s.pos+len(prefix))]), prefix)
}

// skipSpace skips spaces and tabs.
func (s *scanner) skipSpace() {
	for s.pos < len(s.src) && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// skipComment skips a comment up to, not including, the newline.
func (s *scanner) skipComment() {
	if s.peek() != '#' {
		return
	}
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
}

// newline consumes "\n" or "\r\n".
func (s *scanner) newline() bool {
	switch {
	case s.peek() == '\n':
		s.pos++
		return true
	case s.has("\r\n"):
		s.pos += 2
		return true
	}
	return false
}

// skipTrivia skips whitespace, comments and newlines.
func (s *scanner) skipTrivia() {
	for {
		s.skipSpace()
		s.skipComment()
		if !s.newline() {
			return
		}
	}
}

func (s *scanner) document() error {
	// BurntSushi skips a byte-order mark; so does the scanner, keeping
	// offsets relative to the original bytes.
	switch {
	case s.has("\xef\xbb\xbf"):
		s.pos = 3
	case s.has("\xff\xfe"), s.has("\xfe\xff"):
		s.pos = 2
	}
	var table []string
	for {
		s.skipTrivia()
		if s.eof() {
			return nil
		}
		start := s.pos
		st := &Stmt{}
		if s.peek() == '[' {
			if err := s.header(st); err != nil {
				return err
			}
			table = st.Table
		} else {
			st.Kind = KeyValue
			st.Table = table
			k, v, err := s.keyValue()
			if err != nil {
				return err
			}
			st.Key, st.Value = k, v
		}
		s.skipSpace()
		s.skipComment()
		if !s.newline() && !s.eof() {
			return s.fail("expected the end of the line")
		}
		st.Line = Span{s.doc.LineStart(start), s.pos}
		s.doc.Stmts = append(s.doc.Stmts, st)
		s.define(st)
	}
}

func (s *scanner) header(st *Stmt) error {
	start := s.pos
	s.pos++
	st.Kind = Header
	if s.peek() == '[' {
		s.pos++
		st.Kind = ArrayHeader
	}
	k, err := s.key()
	if err != nil {
		return err
	}
	s.skipSpace()
	closing := "]"
	if st.Kind == ArrayHeader {
		closing = "]]"
	}
	if !s.has(closing) {
		return s.fail("expected %q", closing)
	}
	s.pos += len(closing)
	k.Span = Span{start, s.pos}
	st.Key = k
	st.Table = k.Names()
	return nil
}

func (s *scanner) keyValue() (Key, *Value, error) {
	k, err := s.key()
	if err != nil {
		return Key{}, nil, err
	}
	s.skipSpace()
	if s.peek() != '=' {
		return Key{}, nil, s.fail("expected '='")
	}
	s.pos++
	s.skipSpace()
	v, err := s.value()
	if err != nil {
		return Key{}, nil, err
	}
	return k, v, nil
}

func (s *scanner) key() (Key, error) {
	var k Key
	s.skipSpace()
	k.Span.Start = s.pos
	for {
		s.skipSpace()
		seg, err := s.keySeg()
		if err != nil {
			return Key{}, err
		}
		k.Segs = append(k.Segs, seg)
		k.Span.End = s.pos
		s.skipSpace()
		if s.peek() != '.' {
			return k, nil
		}
		s.pos++
	}
}

func isBare(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (s *scanner) keySeg() (Seg, error) {
	start := s.pos
	switch s.peek() {
	case '"', '\'':
		v, err := s.value()
		if err != nil {
			return Seg{}, err
		}
		if v.Kind != String || v.Multiline {
			return Seg{}, &SyntaxError{Offset: start, Msg: "expected a key"}
		}
		return Seg{Name: v.Text, Span: v.Span}, nil
	}
	for s.pos < len(s.src) && isBare(s.src[s.pos]) {
		s.pos++
	}
	if s.pos == start {
		return Seg{}, s.fail("expected a key")
	}
	return Seg{Name: string(s.src[start:s.pos]), Span: Span{start, s.pos}}, nil
}

func (s *scanner) value() (*Value, error) {
	start := s.pos
	switch {
	case s.has(`"""`):
		return s.multilineString(`"""`, true)
	case s.has(`'''`):
		return s.multilineString(`'''`, false)
	case s.peek() == '"':
		return s.basicString()
	case s.peek() == '\'':
		s.pos++
		for s.pos < len(s.src) && s.src[s.pos] != '\'' {
			if s.src[s.pos] == '\n' {
				return nil, s.fail("newline in a literal string")
			}
			s.pos++
		}
		if s.eof() {
			return nil, s.fail("unterminated literal string")
		}
		s.pos++
		return &Value{Kind: String, Span: Span{start, s.pos}, Literal: true, Quote: 1, Text: string(s.src[start+1 : s.pos-1])}, nil
	case s.peek() == '[':
		return s.array()
	case s.peek() == '{':
		return s.inlineTable()
	}
	return s.scalar()
}

func (s *scanner) basicString() (*Value, error) {
	start := s.pos
	s.pos++
	var b strings.Builder
	literal := true
	for {
		if s.eof() || s.peek() == '\n' {
			return nil, s.fail("unterminated string")
		}
		c := s.src[s.pos]
		if c == '"' {
			s.pos++
			return &Value{Kind: String, Span: Span{start, s.pos}, Literal: literal, Quote: 1, Text: b.String()}, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			s.pos++
			continue
		}
		literal = false
		if err := s.escape(&b); err != nil {
			return nil, err
		}
	}
}

// unescapes holds the bytes that \b \t \n \f \r \e \" \\ stand for.
const unescapes = "\b\t\n\f\r\x1b\"\\"

// escape decodes one escape sequence at the cursor (TOML 1.1's set).
func (s *scanner) escape(b *strings.Builder) error {
	if s.pos+1 >= len(s.src) {
		return s.fail("unterminated escape")
	}
	var digits int
	switch c := s.src[s.pos+1]; c {
	case 'b', 't', 'n', 'f', 'r', 'e', '"', '\\':
		b.WriteByte(unescapes[strings.IndexByte("btnfre\"\\", c)])
		s.pos += 2
		return nil
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	}
	if digits == 0 || s.pos+2+digits > len(s.src) {
		return s.fail("invalid escape")
	}
	n, err := strconv.ParseUint(string(s.src[s.pos+2:s.pos+2+digits]), 16, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return s.fail("invalid escape")
	}
	b.WriteRune(rune(n))
	s.pos += 2 + digits
	return nil
}

func (s *scanner) multilineString(delim string, basic bool) (*Value, error) {
	start := s.pos
	s.pos += 3
	for !s.eof() {
		c := s.src[s.pos]
		if basic && c == '\\' {
			s.pos += 2
			continue
		}
		if c == delim[0] && s.has(delim) {
			// Up to two quotes may end the content right before the
			// closing delimiter: the delimiter is the last three.
			run := 0
			for s.pos+run < len(s.src) && s.src[s.pos+run] == delim[0] {
				run++
			}
			s.pos += run
			return &Value{Kind: String, Span: Span{start, s.pos}, Multiline: true, Quote: 3}, nil
		}
		s.pos++
	}
	return nil, s.fail("unterminated multi-line string")
}

func (s *scanner) array() (*Value, error) {
	v := &Value{Kind: Array, Span: Span{Start: s.pos}}
	return v, s.sequence(v, ']', "array", func() error {
		e, err := s.value()
		if err == nil {
			v.Elems = append(v.Elems, e)
		}
		return err
	})
}

func (s *scanner) inlineTable() (*Value, error) {
	v := &Value{Kind: InlineTable, Span: Span{Start: s.pos}}
	return v, s.sequence(v, '}', "inline table", func() error {
		k, val, err := s.keyValue()
		if err == nil {
			v.Entries = append(v.Entries, &Entry{Key: k, Value: val})
		}
		return err
	})
}

// sequence reads the items of an array or inline table, from its opening
// bracket to close, recording the comma after each item. Newlines and
// comments may stand between items (TOML 1.1 allows them in inline tables
// too).
func (s *scanner) sequence(v *Value, close byte, what string, item func() error) error {
	s.pos++
	for {
		s.skipTrivia()
		if s.peek() == close {
			s.pos++
			v.Span.End = s.pos
			return nil
		}
		if s.eof() {
			return s.fail("unterminated %s", what)
		}
		if err := item(); err != nil {
			return err
		}
		v.Commas = append(v.Commas, -1)
		s.skipTrivia()
		switch s.peek() {
		case ',':
			v.Commas[len(v.Commas)-1] = s.pos
			s.pos++
		case close:
		default:
			return s.fail("expected ',' or %q", close)
		}
	}
}

// scalar reads a number, boolean or date-time: everything up to a
// delimiter, plus the space TOML allows between a date and a time.
func (s *scanner) scalar() (*Value, error) {
	start := s.pos
	for s.pos < len(s.src) && !strings.ContainsRune(" \t\r\n,]}#", rune(s.src[s.pos])) {
		s.pos++
	}
	if s.pos == start {
		return nil, s.fail("expected a value")
	}
	if isDate(s.src[start:s.pos]) && s.pos+3 < len(s.src) && s.src[s.pos] == ' ' &&
		isDigit(s.src[s.pos+1]) && isDigit(s.src[s.pos+2]) && s.src[s.pos+3] == ':' {
		s.pos++
		for s.pos < len(s.src) && !strings.ContainsRune(" \t\r\n,]}#", rune(s.src[s.pos])) {
			s.pos++
		}
	}
	return &Value{Kind: Scalar, Span: Span{start, s.pos}}, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isDate reports whether b is a full date, YYYY-MM-DD.
func isDate(b []byte) bool {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return false
	}
	for i, c := range b {
		if i != 4 && i != 7 && !isDigit(c) {
			return false
		}
	}
	return true
}

// define records the key paths a statement defines.
func (s *scanner) define(st *Stmt) {
	switch st.Kind {
	case Header, ArrayHeader:
		segs := st.Key.Segs
		for i := 0; i < len(segs)-1; i++ {
			s.add(&Node{Kind: NodeSuperTable, Path: st.Table[:i+1], Key: segs[i].Span, Stmt: st}, false)
		}
		kind := NodeHeader
		if st.Kind == ArrayHeader {
			kind = NodeArrayHeader
		}
		s.add(&Node{Kind: kind, Path: st.Table, Key: st.Key.Span, Stmt: st}, true)
	case KeyValue:
		s.defineKeyValue(st, st.Table, st.Key, st.Value, NodeKeyValue)
	}
}

func (s *scanner) defineKeyValue(st *Stmt, table []string, k Key, v *Value, kind NodeKind) {
	path := append([]string(nil), table...)
	for i, seg := range k.Segs {
		path = append(path, seg.Name)
		if i < len(k.Segs)-1 {
			s.add(&Node{Kind: NodeDotted, Path: clone(path), Key: seg.Span, Stmt: st}, false)
		}
	}
	s.add(&Node{Kind: kind, Path: path, Key: k.Segs[len(k.Segs)-1].Span, Value: v, Stmt: st}, true)
	s.defineValue(st, path, v)
}

func (s *scanner) defineValue(st *Stmt, path []string, v *Value) {
	switch v.Kind {
	case InlineTable:
		for _, e := range v.Entries {
			s.defineKeyValue(st, path, e.Key, e.Value, NodeEntry)
		}
	case Array:
		for i, e := range v.Elems {
			p := append(clone(path), Index(i))
			s.add(&Node{Kind: NodeElem, Path: p, Key: e.Span, Value: e, Stmt: st}, true)
			s.defineValue(st, p, e)
		}
	}
}

// add records n unless its path is known; an explicit definition replaces
// an implicit one ([a.b] then [a] makes [a] the place that defines a).
func (s *scanner) add(n *Node, explicit bool) {
	k := pathKey(n.Path)
	if old, ok := s.doc.nodes[k]; ok {
		implicit := old.Kind == NodeSuperTable || old.Kind == NodeDotted
		if !explicit || !implicit {
			return
		}
	}
	n.Path = clone(n.Path)
	s.doc.nodes[k] = n
	s.doc.order = append(s.doc.order, n)
}

func clone(p []string) []string { return append([]string(nil), p...) }
