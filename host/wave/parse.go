package wave

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError reports malformed WAVE text with the byte offset where the
// problem was found, so a caller can point at it.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid WAVE at offset %d: %s", e.Offset, e.Msg)
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokLBrace
	tokRBrace
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokColon
	tokComma
	tokNumber
	tokLabel
	tokChar
	tokString
)

var tokenNames = [...]string{
	tokEOF: "end of input", tokLBrace: "`{`", tokRBrace: "`}`", tokLParen: "`(`",
	tokRParen: "`)`", tokLBracket: "`[`", tokRBracket: "`]`", tokColon: "`:`",
	tokComma: "`,`", tokNumber: "number", tokLabel: "label", tokChar: "char",
	tokString: "string",
}

type token struct {
	kind tokenKind
	pos  int
	text string // raw text for numbers and labels; decoded text for chars and strings
}

// lexer splits WAVE source into tokens. It decodes string and char escapes
// as it goes, so the parser only sees finished values.
type lexer struct {
	src string
	pos int
}

func (l *lexer) errorf(pos int, format string, args ...any) error {
	return &SyntaxError{Offset: pos, Msg: fmt.Sprintf(format, args...)}
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.pos++
		case strings.HasPrefix(l.src[l.pos:], "//"):
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		default:
			return
		}
	}
}

func (l *lexer) next() (token, error) {
	l.skipSpace()
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	single := map[byte]tokenKind{'{': tokLBrace, '}': tokRBrace, '(': tokLParen, ')': tokRParen,
		'[': tokLBracket, ']': tokRBracket, ':': tokColon, ',': tokComma}
	c := l.src[l.pos]
	if k, ok := single[c]; ok {
		l.pos++
		return token{kind: k, pos: start}, nil
	}
	switch {
	case c == '-' || isDigit(c):
		return l.number()
	case c == '%' || isLetter(c):
		return l.label()
	case c == '\'':
		return l.char()
	case c == '"':
		if strings.HasPrefix(l.src[l.pos:], `"""`) {
			return l.multilineString()
		}
		return l.string()
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	return token{}, l.errorf(start, "unexpected character %q", r)
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLetter(c byte) bool { return isLower(c) || isUpper(c) }

func (l *lexer) number() (token, error) {
	start := l.pos
	if strings.HasPrefix(l.src[l.pos:], "-inf") {
		l.pos += 4
		if l.pos < len(l.src) && (isLetter(l.src[l.pos]) || isDigit(l.src[l.pos]) || l.src[l.pos] == '-') {
			return token{}, l.errorf(start, "invalid number")
		}
		return token{kind: tokNumber, pos: start, text: "-inf"}, nil
	}
	if l.src[l.pos] == '-' {
		l.pos++
	}
	digits := func() int {
		n := 0
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
			n++
		}
		return n
	}
	intStart := l.pos
	if n := digits(); n == 0 {
		return token{}, l.errorf(start, "invalid number: expected digits")
	} else if n > 1 && l.src[intStart] == '0' {
		return token{}, l.errorf(start, "invalid number: leading zero")
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		l.pos++
		if digits() == 0 {
			return token{}, l.errorf(start, "invalid number: expected digits after `.`")
		}
	}
	if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		l.pos++
		if l.pos < len(l.src) && (l.src[l.pos] == '+' || l.src[l.pos] == '-') {
			l.pos++
		}
		if digits() == 0 {
			return token{}, l.errorf(start, "invalid number: expected exponent digits")
		}
	}
	if l.pos < len(l.src) && (isLetter(l.src[l.pos]) || l.src[l.pos] == '.') {
		return token{}, l.errorf(start, "invalid number")
	}
	return token{kind: tokNumber, pos: start, text: l.src[start:l.pos]}, nil
}

// label lexes `%?word(-word)*`. As in WIT identifiers, each word is all
// lower case or all upper case (digits allowed), and the first word starts
// with a letter.
func (l *lexer) label() (token, error) {
	start := l.pos
	if l.src[l.pos] == '%' {
		l.pos++
	}
	for first := true; ; first = false {
		wordStart := l.pos
		for l.pos < len(l.src) && (isLetter(l.src[l.pos]) || isDigit(l.src[l.pos])) {
			l.pos++
		}
		word := l.src[wordStart:l.pos]
		switch {
		case word == "":
			return token{}, l.errorf(wordStart, "invalid label: expected a word")
		case first && !isLetter(word[0]):
			return token{}, l.errorf(wordStart, "invalid label: must start with a letter")
		case strings.ToLower(word) != word && strings.ToUpper(word) != word:
			return token{}, l.errorf(wordStart, "invalid label %q: each word must be all lower-case or all upper-case", word)
		}
		if l.pos < len(l.src) && l.src[l.pos] == '-' {
			l.pos++
			continue
		}
		break
	}
	return token{kind: tokLabel, pos: start, text: l.src[start:l.pos]}, nil
}

// escape decodes one escape sequence starting at the backslash at l.pos.
func (l *lexer) escape() (rune, error) {
	start := l.pos
	l.pos++ // backslash
	if l.pos >= len(l.src) {
		return 0, l.errorf(start, "unterminated escape")
	}
	c := l.src[l.pos]
	l.pos++
	switch c {
	case '\'', '"', '\\':
		return rune(c), nil
	case 't':
		return '\t', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 'u':
		if l.pos >= len(l.src) || l.src[l.pos] != '{' {
			return 0, l.errorf(start, "invalid unicode escape: expected `{`")
		}
		end := strings.IndexByte(l.src[l.pos:], '}')
		if end < 0 {
			return 0, l.errorf(start, "invalid unicode escape: missing `}`")
		}
		hex := l.src[l.pos+1 : l.pos+end]
		l.pos += end + 1
		if len(hex) == 0 || len(hex) > 6 {
			return 0, l.errorf(start, "invalid unicode escape %q", hex)
		}
		n, err := strconv.ParseUint(hex, 16, 32)
		if err != nil || !utf8.ValidRune(rune(n)) {
			return 0, l.errorf(start, "invalid unicode escape: %q is not a Unicode scalar value", hex)
		}
		return rune(n), nil
	}
	return 0, l.errorf(start, "invalid escape `\\%c`", c)
}

func (l *lexer) char() (token, error) {
	start := l.pos
	l.pos++ // opening quote
	if l.pos >= len(l.src) {
		return token{}, l.errorf(start, "unterminated char")
	}
	var r rune
	switch c := l.src[l.pos]; c {
	case '\\':
		var err error
		if r, err = l.escape(); err != nil {
			return token{}, err
		}
	case '\'', '\n':
		return token{}, l.errorf(start, "empty char")
	default:
		var size int
		r, size = utf8.DecodeRuneInString(l.src[l.pos:])
		if r == utf8.RuneError && size <= 1 {
			return token{}, l.errorf(l.pos, "invalid UTF-8")
		}
		l.pos += size
	}
	if l.pos >= len(l.src) || l.src[l.pos] != '\'' {
		return token{}, l.errorf(start, "char must hold exactly one character")
	}
	l.pos++
	return token{kind: tokChar, pos: start, text: string(r)}, nil
}

func (l *lexer) string() (token, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	for {
		if l.pos >= len(l.src) || l.src[l.pos] == '\n' {
			return token{}, l.errorf(start, "unterminated string")
		}
		switch c := l.src[l.pos]; c {
		case '"':
			l.pos++
			return token{kind: tokString, pos: start, text: b.String()}, nil
		case '\\':
			r, err := l.escape()
			if err != nil {
				return token{}, err
			}
			b.WriteRune(r)
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
}

// multilineString lexes `"""`, a line break, lines, and a closing `"""` on
// a line of its own; the closing line's indentation is removed from every
// line.
func (l *lexer) multilineString() (token, error) {
	start := l.pos
	end := strings.Index(l.src[start+3:], `"""`)
	if end < 0 {
		return token{}, l.errorf(start, `unterminated multi-line string`)
	}
	body := l.src[start+3 : start+3+end]
	l.pos = start + 3 + end + 3
	body = strings.TrimPrefix(body, "\r")
	if !strings.HasPrefix(body, "\n") {
		return token{}, l.errorf(start, `opening """ must be followed immediately by a newline`)
	}
	lines := strings.Split(body[1:], "\n")
	indent := lines[len(lines)-1]
	if strings.Trim(indent, " ") != "" {
		return token{}, l.errorf(l.pos-3, `closing """ must be on a line preceded only by spaces`)
	}
	lines = lines[:len(lines)-1]
	var b strings.Builder
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if !strings.HasPrefix(line, indent) && strings.TrimLeft(line, " ") != "" {
			return token{}, l.errorf(start, "multi-line string line %d is indented less than the closing quotes", i+1)
		}
		line = strings.TrimPrefix(line, indent)
		sub := lexer{src: line}
		for sub.pos < len(line) {
			if line[sub.pos] == '\\' {
				r, err := sub.escape()
				if err != nil {
					return token{}, l.errorf(start, "in multi-line string: %v", err)
				}
				b.WriteRune(r)
				continue
			}
			b.WriteByte(line[sub.pos])
			sub.pos++
		}
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return token{kind: tokString, pos: start, text: b.String()}, nil
}

// nodeKind classifies an untyped WAVE node. Bools, enums, variants,
// options and results cannot be told apart without a type, so labels and
// keywords stay distinct until a Type is applied.
type nodeKind uint8

const (
	nodeNumber nodeKind = iota
	nodeChar
	nodeString
	nodeTrue
	nodeFalse
	nodeLabel       // enum case or payload-less variant case
	nodeCasePayload // variant case with a payload: children[0]
	nodeSome
	nodeNone
	nodeOk  // children: optional payload
	nodeErr // children: optional payload
	nodeTuple
	nodeList
	nodeFlags  // labels in names
	nodeRecord // names[i] labels children[i]
)

// Node is an untyped WAVE value: parsed, but not yet checked against a type.
type Node struct {
	kind     nodeKind
	pos      int
	text     string // number literal, decoded char/string, or label without `%`
	names    []string
	children []*Node
}

type parser struct {
	lex lexer
	tok token
}

func newParser(src string, offset int) (*parser, error) {
	p := &parser{lex: lexer{src: src, pos: offset}}
	return p, p.advance()
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) expect(k tokenKind) error {
	if p.tok.kind != k {
		return p.unexpected("expected " + tokenNames[k])
	}
	return p.advance()
}

func (p *parser) unexpected(want string) error {
	got := tokenNames[p.tok.kind]
	if p.tok.kind == tokLabel || p.tok.kind == tokNumber {
		got = "`" + p.tok.text + "`"
	}
	return &SyntaxError{Offset: p.tok.pos, Msg: want + ", found " + got}
}

// ParseValue parses one WAVE value without a type.
func ParseValue(src string) (*Node, error) {
	p, err := newParser(src, 0)
	if err != nil {
		return nil, err
	}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected("expected end of input")
	}
	return n, nil
}

func (p *parser) value() (*Node, error) {
	t := p.tok
	switch t.kind {
	case tokNumber:
		return &Node{kind: nodeNumber, pos: t.pos, text: t.text}, p.advance()
	case tokChar:
		return &Node{kind: nodeChar, pos: t.pos, text: t.text}, p.advance()
	case tokString:
		return &Node{kind: nodeString, pos: t.pos, text: t.text}, p.advance()
	case tokLabel:
		return p.labelValue()
	case tokLParen:
		children, err := p.sequence(tokLParen, tokRParen)
		return &Node{kind: nodeTuple, pos: t.pos, children: children}, err
	case tokLBracket:
		children, err := p.sequence(tokLBracket, tokRBracket)
		return &Node{kind: nodeList, pos: t.pos, children: children}, err
	case tokLBrace:
		return p.braced()
	}
	return nil, p.unexpected("expected a value")
}

func (p *parser) labelValue() (*Node, error) {
	t := p.tok
	if err := p.advance(); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(t.text, "%") {
		switch t.text {
		case "true":
			return &Node{kind: nodeTrue, pos: t.pos}, nil
		case "false":
			return &Node{kind: nodeFalse, pos: t.pos}, nil
		case "inf", "nan":
			return &Node{kind: nodeNumber, pos: t.pos, text: t.text}, nil
		case "none":
			return &Node{kind: nodeNone, pos: t.pos}, nil
		case "some":
			payload, err := p.payload(t, true)
			if err != nil {
				return nil, err
			}
			return &Node{kind: nodeSome, pos: t.pos, children: payload}, nil
		case "ok", "err":
			payload, err := p.payload(t, false)
			if err != nil {
				return nil, err
			}
			kind := nodeOk
			if t.text == "err" {
				kind = nodeErr
			}
			return &Node{kind: kind, pos: t.pos, children: payload}, nil
		}
	}
	name := strings.TrimPrefix(t.text, "%")
	if p.tok.kind != tokLParen {
		return &Node{kind: nodeLabel, pos: t.pos, text: name}, nil
	}
	payload, err := p.payload(t, true)
	if err != nil {
		return nil, err
	}
	return &Node{kind: nodeCasePayload, pos: t.pos, text: name, children: payload}, nil
}

// payload parses `(value)` after a case label; required says whether it
// must be present.
func (p *parser) payload(label token, required bool) ([]*Node, error) {
	if p.tok.kind != tokLParen {
		if required {
			return nil, p.unexpected("expected `(` and a payload after `" + label.text + "`")
		}
		return nil, nil
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expect(tokRParen); err != nil {
		return nil, err
	}
	return []*Node{v}, nil
}

// sequence parses comma-separated values between open and close, allowing
// a trailing comma.
func (p *parser) sequence(open, close tokenKind) ([]*Node, error) {
	if err := p.expect(open); err != nil {
		return nil, err
	}
	var out []*Node
	for p.tok.kind != close {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.tok.kind == tokComma {
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		}
		if p.tok.kind != close {
			return nil, p.unexpected("expected `,` or " + tokenNames[close])
		}
	}
	return out, p.advance()
}

// braced parses flags `{a, b}`, the empty flags `{}`, records `{a: 1}` and
// the empty record `{:}`.
func (p *parser) braced() (*Node, error) {
	start := p.tok.pos
	if err := p.advance(); err != nil {
		return nil, err
	}
	switch p.tok.kind {
	case tokRBrace:
		return &Node{kind: nodeFlags, pos: start}, p.advance()
	case tokColon:
		if err := p.advance(); err != nil {
			return nil, err
		}
		return &Node{kind: nodeRecord, pos: start}, p.expect(tokRBrace)
	}
	n := &Node{pos: start}
	for p.tok.kind != tokRBrace {
		if p.tok.kind != tokLabel {
			return nil, p.unexpected("expected a field or flag name")
		}
		name := strings.TrimPrefix(p.tok.text, "%")
		if err := p.advance(); err != nil {
			return nil, err
		}
		isField := p.tok.kind == tokColon
		if len(n.names) == 0 {
			n.kind = nodeFlags
			if isField {
				n.kind = nodeRecord
			}
		} else if isField != (n.kind == nodeRecord) {
			return nil, p.unexpected("cannot mix record fields and flags")
		}
		n.names = append(n.names, name)
		if isField {
			if err := p.advance(); err != nil {
				return nil, err
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, v)
		}
		if p.tok.kind == tokComma {
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		}
		if p.tok.kind != tokRBrace {
			return nil, p.unexpected("expected `,` or `}`")
		}
	}
	return n, p.advance()
}

// Call is a parsed WAVE function call such as `add(1, 2)`: the function
// name as written and its untyped arguments.
type Call struct {
	Name string
	Args []*Node
}

// ParseCall parses `name(args...)`. The name is everything before the
// first `(`, trimmed; callers decide what names mean.
func ParseCall(src string) (*Call, error) {
	open := strings.IndexByte(src, '(')
	if open < 0 {
		return nil, &SyntaxError{Offset: len(src), Msg: "expected `(` after the function name"}
	}
	name := strings.TrimSpace(src[:open])
	if name == "" {
		return nil, &SyntaxError{Offset: 0, Msg: "missing function name"}
	}
	p, err := newParser(src, open)
	if err != nil {
		return nil, err
	}
	args, err := p.sequence(tokLParen, tokRParen)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected("expected end of input after `)`")
	}
	return &Call{Name: name, Args: args}, nil
}

// TypeError reports a WAVE value that does not fit its type.
type TypeError struct {
	Offset int
	Msg    string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("invalid value at offset %d: %s", e.Offset, e.Msg)
}

func typeErr(n *Node, format string, args ...any) error {
	return &TypeError{Offset: n.pos, Msg: fmt.Sprintf(format, args...)}
}

// Params types the call's arguments against the function's parameter
// types. As in Wasmtime's CLI, trailing option-typed parameters may be
// left out and mean none, but an empty argument list `()` is only accepted
// by a function without parameters.
func (c *Call) Params(types []*Type) ([]Value, error) {
	if len(c.Args) == 0 && len(types) > 0 {
		return nil, &TypeError{Offset: len(c.Name),
			Msg: fmt.Sprintf("no arguments given, but %s takes %d", c.Name, len(types))}
	}
	if len(c.Args) > len(types) {
		return nil, &TypeError{Offset: c.Args[len(types)].pos,
			Msg: fmt.Sprintf("too many arguments: %s takes %d, got %d", c.Name, len(types), len(c.Args))}
	}
	out := make([]Value, 0, len(types))
	for i, ty := range types {
		if i >= len(c.Args) {
			if ty.Kind != Option {
				return nil, &TypeError{Offset: len(c.Name),
					Msg: fmt.Sprintf("missing argument %d of type %s: %s takes %d, got %d", i+1, ty, c.Name, len(types), len(c.Args))}
			}
			out = append(out, Value{Kind: Option})
			continue
		}
		v, err := c.Args[i].Typed(ty)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Typed converts the untyped node to a value of type t.
func (n *Node) Typed(t *Type) (Value, error) {
	v := Value{Kind: t.Kind}
	switch t.Kind {
	case Bool:
		switch n.kind {
		case nodeTrue:
			v.Bool = true
		case nodeFalse:
		default:
			return v, typeErr(n, "expected a bool")
		}
	case S8, S16, S32, S64:
		if n.kind != nodeNumber {
			return v, typeErr(n, "expected %s", t.Kind)
		}
		i, err := strconv.ParseInt(n.text, 10, intBits(t.Kind))
		if err != nil {
			return v, typeErr(n, "%q is not a valid %s", n.text, t.Kind)
		}
		v.Int = i
	case U8, U16, U32, U64:
		if n.kind != nodeNumber {
			return v, typeErr(n, "expected %s", t.Kind)
		}
		u, err := strconv.ParseUint(n.text, 10, intBits(t.Kind))
		if err != nil {
			return v, typeErr(n, "%q is not a valid %s", n.text, t.Kind)
		}
		v.Uint = u
	case F32, F64:
		if n.kind != nodeNumber {
			return v, typeErr(n, "expected %s", t.Kind)
		}
		bits := 64
		if t.Kind == F32 {
			bits = 32
		}
		f, err := strconv.ParseFloat(n.text, bits)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return v, typeErr(n, "%q is not a valid %s", n.text, t.Kind)
		}
		v.Float = f
	case Char:
		if n.kind != nodeChar {
			return v, typeErr(n, "expected a char")
		}
		v.Char, _ = utf8.DecodeRuneInString(n.text)
	case String:
		if n.kind != nodeString {
			return v, typeErr(n, "expected a string")
		}
		v.Str = n.text
	case List:
		if n.kind != nodeList {
			return v, typeErr(n, "expected a list")
		}
		v.Elems = make([]Value, 0, len(n.children))
		for i, c := range n.children {
			e, err := c.Typed(t.Elem)
			if err != nil {
				return v, fmt.Errorf("list element %d: %w", i, err)
			}
			v.Elems = append(v.Elems, e)
		}
	case Tuple:
		if n.kind != nodeTuple {
			return v, typeErr(n, "expected a tuple")
		}
		if len(n.children) != len(t.Tuple) {
			return v, typeErr(n, "expected a tuple of %d values, got %d", len(t.Tuple), len(n.children))
		}
		for i, c := range n.children {
			e, err := c.Typed(t.Tuple[i])
			if err != nil {
				return v, fmt.Errorf("tuple element %d: %w", i, err)
			}
			v.Elems = append(v.Elems, e)
		}
	case Record:
		return n.typedRecord(t)
	case Variant:
		name, payload, ok := n.caseLabel()
		if !ok {
			return v, typeErr(n, "expected a variant case of %s", t)
		}
		for _, c := range t.Cases {
			if c.Name == name {
				v.Str = name
				p, err := n.typedPayload(name, c.Payload, payload)
				v.Payload = p
				return v, err
			}
		}
		return v, typeErr(n, "unknown case %q of %s", name, t)
	case Enum:
		name, payload, ok := n.caseLabel()
		if !ok || payload != nil {
			return v, typeErr(n, "expected a case of %s", t)
		}
		for _, c := range t.Names {
			if c == name {
				v.Str = name
				return v, nil
			}
		}
		return v, typeErr(n, "unknown case %q of %s", name, t)
	case Option:
		switch n.kind {
		case nodeNone:
			return v, nil
		case nodeSome:
			p, err := n.children[0].Typed(t.Elem)
			v.Payload = &p
			return v, err
		}
		if t.Elem.Kind == Option || t.Elem.Kind == Result {
			return v, typeErr(n, "expected `some(...)` or `none` for %s", t)
		}
		p, err := n.Typed(t.Elem)
		v.Payload = &p
		return v, err
	case Result:
		var payload *Node
		if len(n.children) > 0 {
			payload = n.children[0]
		}
		switch n.kind {
		case nodeOk:
			p, err := n.typedPayload("ok", t.Ok, payload)
			v.Payload = p
			return v, err
		case nodeErr:
			v.IsErr = true
			p, err := n.typedPayload("err", t.Err, payload)
			v.Payload = p
			return v, err
		}
		if t.Ok == nil || t.Ok.Kind == Option || t.Ok.Kind == Result {
			return v, typeErr(n, "expected `ok` or `err` for %s", t)
		}
		p, err := n.Typed(t.Ok)
		v.Payload = &p
		return v, err
	case Flags:
		if n.kind != nodeFlags {
			return v, typeErr(n, "expected flags like {a, b} for %s", t)
		}
		set := map[string]bool{}
		for _, name := range n.names {
			if !contains(t.Names, name) {
				return v, typeErr(n, "unknown flag %q of %s", name, t)
			}
			set[name] = true
		}
		// Keep the type's order so printing is canonical.
		for _, name := range t.Names {
			if set[name] {
				v.Names = append(v.Names, name)
			}
		}
	default:
		return v, typeErr(n, "values of type %s cannot be written in WAVE", t.Kind)
	}
	return v, nil
}

func (n *Node) typedRecord(t *Type) (Value, error) {
	v := Value{Kind: Record}
	if n.kind != nodeRecord {
		return v, typeErr(n, "expected a record like {name: value} (or {:} when empty) for %s", t)
	}
	given := map[string]*Node{}
	for i, name := range n.names {
		if _, dup := given[name]; dup {
			return v, typeErr(n, "field %q given twice", name)
		}
		if !hasField(t.Fields, name) {
			return v, typeErr(n, "unknown field %q of %s", name, t)
		}
		given[name] = n.children[i]
	}
	for _, f := range t.Fields {
		c, ok := given[f.Name]
		if !ok {
			if f.Type.Kind != Option {
				return v, typeErr(n, "missing field %q", f.Name)
			}
			v.Fields = append(v.Fields, FieldValue{Name: f.Name, Value: Value{Kind: Option}})
			continue
		}
		fv, err := c.Typed(f.Type)
		if err != nil {
			return v, fmt.Errorf("field %q: %w", f.Name, err)
		}
		v.Fields = append(v.Fields, FieldValue{Name: f.Name, Value: fv})
	}
	return v, nil
}

// caseLabel returns the case name and payload of a label-like node. Bare
// keywords (true, none, ok, ...) are not labels: such case names must be
// written with a `%` prefix, which the lexer already removed.
func (n *Node) caseLabel() (string, *Node, bool) {
	switch n.kind {
	case nodeLabel:
		return n.text, nil, true
	case nodeCasePayload:
		return n.text, n.children[0], true
	}
	return "", nil, false
}

func (n *Node) typedPayload(caseName string, t *Type, payload *Node) (*Value, error) {
	switch {
	case t == nil && payload == nil:
		return nil, nil
	case t == nil:
		return nil, typeErr(n, "case %q takes no payload", caseName)
	case payload == nil:
		return nil, typeErr(n, "case %q needs a payload of type %s", caseName, t)
	}
	p, err := payload.Typed(t)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func intBits(k Kind) int {
	switch k {
	case S8, U8:
		return 8
	case S16, U16:
		return 16
	case S32, U32:
		return 32
	}
	return 64
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

func hasField(fields []Field, name string) bool {
	for _, f := range fields {
		if f.Name == name {
			return true
		}
	}
	return false
}
