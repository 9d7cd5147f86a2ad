package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/wcomp/wcomp/manifest/internal/tomlsyntax"
)

// Parse decodes and checks a manifest. filename is used in positions and
// messages, and its directory is the project root (File.Dir). On failure
// the error is an ErrorList holding every problem found, in file order.
//
// The [compose] strings that need graph/'s syntax are checked by
// CheckCompose, which the caller runs next.
func Parse(filename string, data []byte) (*File, error) {
	p := &parser{filename: filename}
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, ErrorList{p.syntaxError(data, err)}
	}
	doc, err := tomlsyntax.Parse(data)
	if err != nil {
		return nil, ErrorList{{Filename: filename, Pos: p.top(), Err: fmt.Errorf("internal error locating keys (please report it): %w", err)}}
	}
	p.doc = doc
	p.unknownKeys(md)
	f := p.file(raw)
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Pos.Offset < p.errs[j].Pos.Offset })
		return nil, p.errs
	}
	return f, nil
}

type parser struct {
	filename string
	doc      *tomlsyntax.Doc
	errs     ErrorList
}

// syntaxError turns BurntSushi's error into a positioned Error.
func (p *parser) syntaxError(data []byte, err error) *Error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{Filename: p.filename, Pos: p.top(), Err: err}
	}
	// The text did not decode, so it is not scanned: the place is
	// BurntSushi's byte offset (which skips a byte-order mark), turned
	// into a line and column here, since its own line is one too far when
	// the offending byte is a newline.
	off := pe.Position.Start
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		off += 3
	}
	off = min(max(off, 0), len(data))
	lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
	pos := Pos{Filename: p.filename, Line: bytes.Count(data[:off], []byte("\n")) + 1, Col: off - lineStart + 1, Offset: off}
	msg := pe.Message
	if pe.Usage != "" {
		msg += " (" + firstLine(pe.Usage) + ")"
	}
	return &Error{Filename: p.filename, Pos: pos, Key: pe.LastKey, Err: errors.New("invalid TOML: " + msg)}
}

func (p *parser) errorf(pos Pos, key, format string, args ...any) {
	p.errs = append(p.errs, &Error{Filename: p.filename, Pos: pos, Key: key, Err: fmt.Errorf(format, args...)})
}

// pos converts a byte offset to a Pos.
func (p *parser) pos(offset int) Pos {
	line, col := p.doc.Position(offset)
	return Pos{Filename: p.filename, Line: line, Col: col, Offset: offset}
}

// keyPos is where the key at path is written (the header of a table).
func (p *parser) keyPos(path []string, fallback Pos) Pos {
	if n := p.doc.Lookup(path...); n != nil {
		return p.pos(n.Key.Start)
	}
	return fallback
}

// valuePos is where the value at path starts, and for a string written
// literally on one line, where its content starts.
func (p *parser) valuePos(path []string, fallback Pos) (Pos, innerPos) {
	n := p.doc.Lookup(path...)
	if n == nil {
		return fallback, innerPos{}
	}
	if n.Value == nil {
		return p.pos(n.Key.Start), innerPos{}
	}
	v := n.Value
	in := innerPos{}
	if v.Kind == tomlsyntax.String && v.Literal && !v.Multiline {
		in = innerPos{ok: true, offset: v.Span.Start + v.Quote}
	}
	return p.pos(v.Span.Start), in
}

// unknownKeys reports every key the schema does not know, in file order,
// from BurntSushi's own list of the keys it decoded. Every prefix of a key
// is checked too ([component.app] defines component), and nothing below an
// unknown key is reported again.
func (p *parser) unknownKeys(md toml.MetaData) {
	reported := map[string]bool{}
	for _, k := range md.Keys() {
		path := []string(k)
		for i := 1; i <= len(path); i++ {
			sub := path[:i]
			if reported[keyString(sub)] {
				break
			}
			kind, checked := keyKind(sub[:i-1])
			key := sub[i-1]
			if !checked || known(kind, key) {
				continue
			}
			reported[keyString(sub)] = true
			msg := "unknown key"
			if h := unknownKeyHint(kind, key); h != "" {
				msg += "; " + h
			}
			p.errorf(p.keyPos(sub, p.top()), keyString(sub), "%s", msg)
			break
		}
	}
}

func known(kind tableKind, key string) bool {
	for _, k := range schema[kind] {
		if k == key {
			return true
		}
	}
	return false
}

// keyKind says which schema applies to the keys of the table at path;
// checked is false for tables whose keys are names (members, packages,
// environment variables) and for paths below a value.
func keyKind(path []string) (kind tableKind, checked bool) {
	switch len(path) {
	case 0:
		return kindTop, true
	case 1:
		switch path[0] {
		case "package", "target", "wit", "compose", "capabilities", "run", "cache":
			return tableKind(path[0]), true
		}
	case 2:
		switch {
		case path[0] == "components":
			return kindMember, true
		case path[0] == "registries":
			return kindRegistry, true
		case path[0] == "capabilities" && path[1] == "virtual":
			return kindVirtual, true
		}
	case 3:
		switch {
		case path[0] == "components" && path[2] == "build":
			return kindBuild, true
		case path[0] == "wit" && path[1] == "dependencies":
			return kindWITDep, true
		}
	}
	return "", false
}

// keyString prints a key path as TOML writes it: components.validator,
// wit.dependencies."wasi:cli".
func keyString(path []string) string { return toml.Key(path).String() }

func (p *parser) top() Pos { return Pos{Filename: p.filename, Line: 1, Col: 1} }

// table is a decoded TOML table and where it is.
type table struct {
	p    *parser
	path []string
	m    map[string]any
	pos  Pos
}

func (t *table) child(key string) []string {
	return append(append([]string(nil), t.path...), key)
}

func (t *table) has(key string) bool { _, ok := t.m[key]; return ok }

func (t *table) keyPos(key string) Pos { return t.p.keyPos(t.child(key), t.pos) }

func (t *table) key(key string) string { return keyString(t.child(key)) }

// typeError reports that the value at key has the wrong type.
func (t *table) typeError(key string, want string, v any) {
	pos, _ := t.p.valuePos(t.child(key), t.pos)
	t.p.errorf(pos, t.key(key), "expected %s, found %s", want, typeName(v))
}

// sub returns the table at key, or nil if it is absent or not a table.
func (t *table) sub(key string) *table {
	v, ok := t.m[key]
	if !ok {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.typeError(key, "a table", v)
		return nil
	}
	return &table{p: t.p, path: t.child(key), m: m, pos: t.keyPos(key)}
}

// scalar returns the value at key when it has type T; set is false when
// the key is absent or (reported here) of another type, and then pos is
// the table's.
func scalar[T any](t *table, key, want string) (v T, pos Pos, in innerPos, set bool) {
	raw, ok := t.m[key]
	if !ok {
		return v, t.pos, innerPos{}, false
	}
	if v, ok = raw.(T); !ok {
		t.typeError(key, want, raw)
		return v, t.pos, innerPos{}, false
	}
	pos, in = t.p.valuePos(t.child(key), t.pos)
	return v, pos, in, true
}

// str returns the string at key; absent, it is def at the table's place.
func (t *table) str(key, def string) String {
	s, pos, in, set := scalar[string](t, key, "a string")
	if !set {
		s = def
	}
	return String{Value: s, Pos: pos, Set: set, inner: in}
}

func (t *table) boolean(key string, def bool) Bool {
	b, pos, _, set := scalar[bool](t, key, "true or false")
	if !set {
		b = def
	}
	return Bool{Value: b, Pos: pos, Set: set}
}

// list returns the array of strings at key.
func (t *table) list(key string) List {
	v, ok := t.m[key]
	if !ok {
		return List{Pos: t.pos}
	}
	arr, ok := v.([]any)
	if !ok {
		t.typeError(key, "an array of strings", v)
		return List{Pos: t.pos}
	}
	path := t.child(key)
	pos, _ := t.p.valuePos(path, t.pos)
	l := List{Pos: pos, Set: true}
	for i, e := range arr {
		epath := append(append([]string(nil), path...), tomlsyntax.Index(i))
		epos, in := t.p.valuePos(epath, pos)
		s, ok := e.(string)
		if !ok {
			t.p.errorf(epos, fmt.Sprintf("%s[%d]", t.key(key), i), "expected a string, found %s", typeName(e))
			continue
		}
		l.Items = append(l.Items, String{Value: s, Pos: epos, Set: true, inner: in})
	}
	return l
}

// strMap returns the table of strings at key, in file order.
func (t *table) strMap(key string) Map {
	sub := t.sub(key)
	if sub == nil {
		return Map{Pos: t.pos}
	}
	m := Map{Pos: sub.pos, Set: true}
	for _, k := range sub.keys() {
		s := sub.str(k, "")
		if !s.Set {
			continue // a type error, reported
		}
		m.Entries = append(m.Entries, Entry{Key: k, KeyPos: sub.keyPos(k), Value: s})
	}
	return m
}

// keys returns the table's keys in file order.
func (t *table) keys() []string {
	keys := make([]string, 0, len(t.m))
	offsets := make(map[string]int, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
		offsets[k] = t.keyPos(k).Offset
	}
	sort.Slice(keys, func(i, j int) bool {
		if offsets[keys[i]] != offsets[keys[j]] {
			return offsets[keys[i]] < offsets[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// typeName describes a decoded TOML value for messages.
func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("a string (%q)", truncate(v))
	case int64:
		return fmt.Sprintf("an integer (%d)", v)
	case float64:
		return "a float"
	case bool:
		return fmt.Sprintf("a boolean (%v)", v)
	case time.Time:
		return "a date-time"
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
