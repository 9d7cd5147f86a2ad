package wasmtools

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Nested is a core module or component as `wasm-tools objdump` lists it.
type Nested struct {
	Module   bool // a core module; otherwise a component
	Level    int  // 1 for the outermost component's own sections, 2 inside those, …
	From, To int  // its bytes in the binary, without the section header
}

// Bytes returns the item's bytes in wasm, the binary it was listed from.
func (n Nested) Bytes(wasm []byte) []byte { return wasm[n.From:n.To] }

// Size is the item's length in bytes.
func (n Nested) Size() int { return n.To - n.From }

var objdumpNested = regexp.MustCompile(`^( *)(module|component) +\| +0x([0-9a-f]+) - +0x([0-9a-f]+) \|`)

// NestedItems lists the core modules and components wasm nests, at any
// depth, in the order `wasm-tools objdump` lists them (their order in the
// binary), so that tests' expectations do not come from wcomp's scanner.
func NestedItems(t testing.TB, wasm []byte) []Nested {
	t.Helper()
	var items []Nested
	for _, line := range strings.Split(Objdump(t, wasm), "\n") {
		m := objdumpNested.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		from, err1 := strconv.ParseUint(m[3], 16, 64)
		to, err2 := strconv.ParseUint(m[4], 16, 64)
		if err1 != nil || err2 != nil || from > to || to > uint64(len(wasm)) {
			t.Fatalf("wasm-tools objdump: bad range in %q", line)
		}
		items = append(items, Nested{Module: m[2] == "module", Level: len(m[1]) / 2, From: int(from), To: int(to)})
	}
	return items
}

// StoredOnce is a top-level core module or component of a binary that
// nested components (at any depth) refer to by outer aliases: what a
// composer stored once for several users.
type StoredOnce struct {
	Nested
	Uses int // the outer aliases that name it
}

var (
	// "  (core module (;3;)" or "  (component (;1;)": a definition in the
	// outermost component's own sections (imports and aliases begin
	// "(import" and "(alias").
	printTopDef = regexp.MustCompile(`^  \((core module|component) \(;(\d+);\)`)
	// "(alias outer 2 1 (core module (;0;)))".
	printOuterAlias = regexp.MustCompile(`^( *)\(alias outer (\d+) (\d+) \((core module|component) `)
)

// OuterUses lists what wasm's own sections define and its nested
// components alias from it, as wasm-tools reads the binary: the aliases
// from `wasm-tools print --skeleton` of the binary without its names
// (`strip --all`), each at a depth its indentation gives, and the items'
// byte ranges from `wasm-tools objdump`. Modules come first, then
// components, each in index order.
func OuterUses(t testing.TB, wasm []byte) []StoredOnce {
	t.Helper()
	stripped, err := run(Path(t), wasm, "strip", "--all", "-")
	if err != nil {
		t.Fatal(err)
	}
	printed, err := run(Path(t), stripped, "print", "--skeleton", "-")
	if err != nil {
		t.Fatal(err)
	}
	// The index of each top-level definition, in binary order.
	defs := map[bool][]int{}
	uses := map[bool]map[int]int{true: {}, false: {}}
	for _, line := range strings.Split(string(printed), "\n") {
		if m := printTopDef.FindStringSubmatch(line); m != nil {
			i, _ := strconv.Atoi(m[2])
			defs[m[1] == "core module"] = append(defs[m[1] == "core module"], i)
			continue
		}
		m := printOuterAlias.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// The body of a component at depth d (the outermost is 0) is
		// indented 2(d+1) spaces; an alias there reaches the outermost
		// component when its count is d.
		count, _ := strconv.Atoi(m[2])
		index, _ := strconv.Atoi(m[3])
		if depth := len(m[1])/2 - 1; count == depth && depth > 0 {
			uses[m[4] == "core module"][index]++
		}
	}
	top := map[bool][]Nested{}
	for _, it := range NestedItems(t, wasm) {
		if it.Level == 1 {
			top[it.Module] = append(top[it.Module], it)
		}
	}
	var out []StoredOnce
	for _, module := range []bool{true, false} {
		if len(defs[module]) != len(top[module]) {
			t.Fatalf("wasm-tools print lists %d top-level definitions (module %v), objdump %d", len(defs[module]), module, len(top[module]))
		}
		for k, index := range defs[module] {
			if n := uses[module][index]; n > 0 {
				out = append(out, StoredOnce{Nested: top[module][k], Uses: n})
				delete(uses[module], index)
			}
		}
		if len(uses[module]) > 0 {
			t.Fatalf("outer aliases (module %v) name top-level items that are not definitions: %v", module, uses[module])
		}
	}
	return out
}
