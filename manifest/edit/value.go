package edit

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

type valueKind uint8

const (
	kindString valueKind = iota + 1
	kindBool
	kindInt
	kindArray
	kindInline
	kindTable
)

// Value is a TOML value to write.
type Value struct {
	kind    valueKind
	str     string
	b       bool
	i       int64
	items   []Value
	entries []Entry
}

// Entry is a key and its value.
type Entry struct {
	Key   string
	Value Value
}

// String is a string value, written as a basic string.
func String(s string) Value { return Value{kind: kindString, str: s} }

// Bool is a boolean value.
func Bool(b bool) Value { return Value{kind: kindBool, b: b} }

// Int is an integer value.
func Int(i int64) Value { return Value{kind: kindInt, i: i} }

// Array is an array value, written on one line.
func Array(items ...Value) Value { return Value{kind: kindArray, items: items} }

// Strings is an array of strings.
func Strings(ss ...string) Value {
	items := make([]Value, len(ss))
	for i, s := range ss {
		items[i] = String(s)
	}
	return Array(items...)
}

// Inline is an inline table, { key = value, … }.
func Inline(entries ...Entry) Value { return Value{kind: kindInline, entries: entries} }

// Table is a sub-table: as an entry of SetTable it is written as its own
// [table.key] header after the table's keys.
func Table(entries ...Entry) Value { return Value{kind: kindTable, entries: entries} }

// format writes v as TOML text. A Table is written inline: where it
// stands as a value there is no room for a header.
func (v Value) format() string {
	switch v.kind {
	case kindString:
		return quote(v.str)
	case kindBool:
		return strconv.FormatBool(v.b)
	case kindInt:
		return strconv.FormatInt(v.i, 10)
	case kindArray:
		parts := make([]string, len(v.items))
		for i, it := range v.items {
			parts[i] = it.format()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case kindInline, kindTable:
		if len(v.entries) == 0 {
			return "{}"
		}
		parts := make([]string, len(v.entries))
		for i, e := range v.entries {
			parts[i] = formatKey(e.Key) + " = " + e.Value.format()
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return `""`
}

// decoded is v as BurntSushi decodes it, for comparing with existing
// values; ok is false for tables.
func (v Value) decoded() (any, bool) {
	switch v.kind {
	case kindString:
		return v.str, true
	case kindBool:
		return v.b, true
	case kindInt:
		return v.i, true
	}
	return nil, false
}

// validate refuses what TOML cannot hold: text that is not UTF-8.
func (v Value) validate() error {
	if v.kind == kindString && !utf8.ValidString(v.str) {
		return fmt.Errorf("string %q is not valid UTF-8", v.str)
	}
	for _, it := range v.items {
		if err := it.validate(); err != nil {
			return err
		}
	}
	for _, e := range v.entries {
		if err := validateKey(e.Key); err != nil {
			return err
		}
		if err := e.Value.validate(); err != nil {
			return err
		}
	}
	return nil
}

func validateKey(k string) error {
	if !utf8.ValidString(k) {
		return fmt.Errorf("key %q is not valid UTF-8", k)
	}
	return nil
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// formatKey writes a key bare when TOML allows, else quoted.
func formatKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return quote(k)
		}
	}
	return k
}

// formatPath writes a dotted key.
func formatPath(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = formatKey(p)
	}
	return strings.Join(parts, ".")
}
