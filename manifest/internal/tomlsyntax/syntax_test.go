package tomlsyntax

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// seeds are valid TOML documents that exercise the corners of the syntax
// the scanner must follow; they also seed the fuzz test.
var seeds = []string{
	"a = 1\n",
	"\xef\xbb\xbfname = \"bom\"\n",
	"a = 1\r\nb = 'x'\r\n",
	"[t]\nu = { v = 1,\n  w = [1,\n  2], } # trailing comma (TOML 1.1)\n[t.s]\n",
	"x.y.z = 1\n\"q.r\" = 2\n'lit' . \"k\\u00e9y\" = 3\n",
	"[[arr]]\nk = 1\n[[arr]]\nk = 2\n",
	"d1 = 1979-05-27 07:32:00Z\nd2 = 1979-05-27\nt = 07:32:00\nd3 = 1979-05-27T07:32:00-08:00\n",
	"s = \"\"\"\none \"two\" \\\n   three\"\"\"\"\"\nl = '''x''y'''''\n",
	"a = [ # c\n  \"x\", # d\n  [1, [2]],\n  { k = \"v\" },\n]\n",
	"e = \"tab\\there \\x41 \\e \\U0001F600\"\n",
	"[a.b]\n[a]\nc = 1\n",
	"n = [inf, -inf, nan, +1_000, 0x1F, 1e3, true, false]\n",
	"[ spaced . 'header' ]  # comment\nk=1",
}

func decode(t *testing.T, src string) (map[string]any, toml.MetaData, bool) {
	var m map[string]any
	md, err := toml.Decode(src, &m)
	if err != nil {
		return nil, md, false
	}
	return m, md, true
}

// checkAgainstBurntSushi is the scanner's contract: every key BurntSushi
// decodes has a node, and every single-line string the scanner decodes
// equals BurntSushi's value.
func checkAgainstBurntSushi(t *testing.T, src string) {
	t.Helper()
	m, md, ok := decode(t, src)
	if !ok {
		return
	}
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	have := map[string]bool{}
	for _, n := range d.Nodes() {
		var plain []string
		for _, p := range n.Path {
			if !IsIndex(p) {
				plain = append(plain, p)
			}
		}
		have[strings.Join(plain, "\x00")] = true
		if n.Key.Start < 0 || n.Key.End > len(src) || n.Key.Start > n.Key.End {
			t.Fatalf("%q: node %q has span %v", src, n.Path, n.Key)
		}
		v := n.Value
		if v == nil || v.Kind != String || v.Multiline || !utf8.ValidString(src) {
			continue
		}
		if got, ok := lookupValue(m, n.Path); ok && got != v.Text {
			t.Fatalf("%q: %q decodes to %q, BurntSushi says %q", src, n.Path, v.Text, got)
		}
		if v.Literal && src[v.Span.Start+v.Quote:v.Span.End-v.Quote] != v.Text {
			t.Fatalf("%q: literal %q is not its text", src, n.Path)
		}
	}
	for _, k := range md.Keys() {
		if !have[strings.Join(k, "\x00")] {
			t.Fatalf("%q: key %q has no node", src, k.String())
		}
	}
	for _, st := range d.Stmts {
		if st.Line.Start > st.Line.End || st.Line.End > len(src) {
			t.Fatalf("%q: statement line span %v", src, st.Line)
		}
	}
}

// lookupValue walks BurntSushi's decoded value along a scanner path.
func lookupValue(m map[string]any, path []string) (any, bool) {
	var cur any = m
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[p]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			var i int
			if !IsIndex(p) {
				return nil, false
			}
			for _, r := range p[len(indexPrefix):] {
				i = i*10 + int(r-'0')
			}
			if i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func TestAgainstBurntSushi(t *testing.T) {
	for _, src := range seeds {
		if _, _, ok := decode(t, src); !ok {
			t.Fatalf("seed does not decode: %q", src)
		}
		checkAgainstBurntSushi(t, src)
	}
}

func TestPositions(t *testing.T) {
	src := "# c\n[components.validator]\nlanguage = \"rust\"\nbuild.watch = [\"src/**\",\n  \"Cargo.toml\"]\n"
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path      []string
		kind      NodeKind
		line, col int
	}{
		{[]string{"components"}, NodeSuperTable, 2, 2},
		{[]string{"components", "validator"}, NodeHeader, 2, 1},
		{[]string{"components", "validator", "language"}, NodeKeyValue, 3, 1},
		{[]string{"components", "validator", "build"}, NodeDotted, 4, 1},
		{[]string{"components", "validator", "build", "watch"}, NodeKeyValue, 4, 7},
		{[]string{"components", "validator", "build", "watch", Index(1)}, NodeElem, 5, 3},
	}
	for _, tt := range tests {
		n := d.Lookup(tt.path...)
		if n == nil {
			t.Errorf("no node for %q", tt.path)
			continue
		}
		line, col := d.Position(n.Key.Start)
		if n.Kind != tt.kind || line != tt.line || col != tt.col {
			t.Errorf("%q: kind %d at %d:%d, want kind %d at %d:%d", tt.path, n.Kind, line, col, tt.kind, tt.line, tt.col)
		}
	}
	if n := d.Lookup("components", "validator", "language"); n.Value.Text != "rust" || !n.Value.Literal {
		t.Errorf("language value: %+v", n.Value)
	}
	// Statements span whole lines, so an editor can cut them out.
	if got := src[d.Stmts[2].Line.Start:d.Stmts[2].Line.End]; got != "build.watch = [\"src/**\",\n  \"Cargo.toml\"]\n" {
		t.Errorf("statement text %q", got)
	}
}

func FuzzAgainstBurntSushi(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkAgainstBurntSushi(t, src)
	})
}
