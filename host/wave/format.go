package wave

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// keywords are labels that WAVE reserves; a case named like one is written
// with a `%` prefix so it reads back as that case.
var keywords = map[string]bool{
	"true": true, "false": true, "some": true, "none": true,
	"ok": true, "err": true, "inf": true, "nan": true,
}

// Format renders v in WAVE, byte for byte as `wasmtime run --invoke`
// prints it, so scripts can compare the two.
func Format(v Value) string {
	var b strings.Builder
	write(&b, v)
	return b.String()
}

// FormatResults renders a call's results as Wasmtime's CLI does: a single
// result alone, otherwise a parenthesised list (`()` for none).
func FormatResults(vs []Value) string {
	if len(vs) == 1 {
		return Format(vs[0])
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		write(&b, v)
	}
	b.WriteByte(')')
	return b.String()
}

func write(b *strings.Builder, v Value) {
	switch v.Kind {
	case Bool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case S8, S16, S32, S64:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case U8, U16, U32, U64:
		b.WriteString(strconv.FormatUint(v.Uint, 10))
	case F32:
		writeFloat(b, v.Float, 32)
	case F64:
		writeFloat(b, v.Float, 64)
	case Char:
		b.WriteByte('\'')
		writeChar(b, v.Char)
		b.WriteByte('\'')
	case String:
		b.WriteByte('"')
		for _, r := range v.Str {
			writeChar(b, r)
		}
		b.WriteByte('"')
	case List, Tuple:
		open, close := "[", "]"
		if v.Kind == Tuple {
			open, close = "(", ")"
		}
		b.WriteString(open)
		for i, e := range v.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			write(b, e)
		}
		b.WriteString(close)
	case Record:
		b.WriteByte('{')
		n := 0
		for _, f := range v.Fields {
			// Absent optional fields are left out, as the parser allows.
			if f.Value.Kind == Option && f.Value.Payload == nil {
				continue
			}
			if n > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(f.Name)
			b.WriteString(": ")
			write(b, f.Value)
		}
		if n == 0 {
			b.WriteByte(':')
		}
		b.WriteByte('}')
	case Variant, Enum:
		writeLabel(b, v.Str)
		writePayload(b, v.Payload)
	case Option:
		if v.Payload == nil {
			b.WriteString("none")
			return
		}
		b.WriteString("some")
		writePayload(b, v.Payload)
	case Result:
		if v.IsErr {
			b.WriteString("err")
		} else {
			b.WriteString("ok")
		}
		writePayload(b, v.Payload)
	case Flags:
		b.WriteByte('{')
		b.WriteString(strings.Join(v.Names, ", "))
		b.WriteByte('}')
	case Map:
		// WAVE has no map syntax; a list of key-value tuples is the
		// closest readable form.
		b.WriteByte('[')
		for i := 0; i+1 < len(v.Elems); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			write(b, v.Elems[i])
			b.WriteString(", ")
			write(b, v.Elems[i+1])
			b.WriteByte(')')
		}
		b.WriteByte(']')
	default:
		// Resources, futures, streams and error contexts have no WAVE
		// syntax: print an opaque marker instead of failing the call.
		desc := v.Kind.String()
		if v.Str != "" {
			desc += " " + v.Str
		}
		fmt.Fprintf(b, "<%s>", desc)
	}
}

func writePayload(b *strings.Builder, p *Value) {
	if p == nil {
		return
	}
	b.WriteByte('(')
	write(b, *p)
	b.WriteByte(')')
}

func writeLabel(b *strings.Builder, name string) {
	if keywords[name] {
		b.WriteByte('%')
	}
	b.WriteString(name)
}

// writeFloat prints the shortest decimal that reads back as the same
// float, never in exponent form (as Rust's Display does).
func writeFloat(b *strings.Builder, f float64, bits int) {
	switch {
	case math.IsNaN(f):
		b.WriteString("nan")
	case math.IsInf(f, 1):
		b.WriteString("inf")
	case math.IsInf(f, -1):
		b.WriteString("-inf")
	default:
		b.WriteString(strconv.FormatFloat(f, 'f', -1, bits))
	}
}

// writeChar escapes quotes, backslashes and the usual control characters by
// name, other control and invisible characters as \u{hex}.
func writeChar(b *strings.Builder, r rune) {
	switch r {
	case '\\':
		b.WriteString(`\\`)
	case '"':
		b.WriteString(`\"`)
	case '\'':
		b.WriteString(`\'`)
	case '\t':
		b.WriteString(`\t`)
	case '\r':
		b.WriteString(`\r`)
	case '\n':
		b.WriteString(`\n`)
	default:
		if !unicode.IsGraphic(r) || unicode.In(r, unicode.Mn, unicode.Me) {
			fmt.Fprintf(b, `\u{%x}`, r)
			return
		}
		b.WriteRune(r)
	}
}
