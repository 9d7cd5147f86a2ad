package wac

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Parse parses a WAC document. It stops at the first error, an *Error:
// in a language where later statements name earlier ones, what follows a
// syntax error rarely means what it says.
func Parse(f *File) (*Document, error) {
	toks, err := tokenize(f)
	if err != nil {
		return nil, err
	}
	// End of file is reported just after the last token, where the missing
	// text would go, not on the blank line below it.
	if n := len(toks); n > 1 {
		end := toks[n-2].span.End
		toks[n-1].span = Span{end, end}
	}
	p := &parser{file: f, toks: toks}
	return p.document()
}

// parser is a recursive-descent parser with two tokens of lookahead. While
// it tries alternatives at one position it collects what they expected, so
// a failure can say "expected A, B or C, found D".
type parser struct {
	file     *File
	toks     []token
	i        int
	expected []string
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peek2() token {
	if p.i+1 < len(p.toks) {
		return p.toks[p.i+1]
	}
	return p.toks[len(p.toks)-1]
}

// at reports whether the next token is of kind k, recording k as
// expected if it is not.
func (p *parser) at(k tokenKind) bool {
	if p.peek().kind == k {
		return true
	}
	p.expect(k.String())
	return false
}

// expect records a description of something the current position accepts.
func (p *parser) expect(what string) {
	for _, e := range p.expected {
		if e == what {
			return
		}
	}
	p.expected = append(p.expected, what)
}

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	p.expected = p.expected[:0]
	return t
}

// take consumes a token of kind k or fails.
func (p *parser) take(k tokenKind) (token, error) {
	if !p.at(k) {
		return token{}, p.unexpected()
	}
	return p.advance(), nil
}

func (p *parser) text(t token) string { return p.file.Src[t.span.Start:t.span.End] }

func (p *parser) errorAt(s Span, format string, args ...any) *Error {
	return &Error{File: p.file, Span: s, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports the next token against everything expected here.
func (p *parser) unexpected() error {
	t := p.peek()
	return p.errorAt(t.span, "expected %s, found %s", orList(p.expected), p.describe(t))
}

func orList(items []string) string {
	switch len(items) {
	case 0:
		return "something else"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// describe names a token as found in the source.
func (p *parser) describe(t token) string {
	switch {
	case t.kind == tokEOF:
		return "end of file"
	case t.kind == tokIdent:
		return "identifier `" + p.text(t) + "`"
	case t.kind == tokString:
		return "string " + p.text(t)
	case t.kind == tokPackageName:
		return "package name `" + p.text(t) + "`"
	case t.kind == tokPackagePath:
		return "package path `" + p.text(t) + "`"
	case t.kind.isKeyword():
		return "keyword " + t.kind.String()
	}
	return t.kind.String()
}

func span(from, to Span) Span { return Span{from.Start, to.End} }

func (p *parser) document() (*Document, error) {
	doc := &Document{File: p.file}
	if _, err := p.take(kwPackage); err != nil {
		return nil, err
	}
	name, err := p.packageName()
	if err != nil {
		return nil, err
	}
	doc.Package = name
	if p.at(kwTargets) {
		p.advance()
		path, err := p.packagePath()
		if err != nil {
			return nil, err
		}
		doc.Targets = path
	}
	if _, err := p.take(tokSemicolon); err != nil {
		return nil, err
	}
	for p.peek().kind != tokEOF {
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		doc.Stmts = append(doc.Stmts, st)
	}
	return doc, nil
}

func (p *parser) statement() (Stmt, error) {
	switch {
	case p.at(kwImport):
		return p.importStmt()
	case p.at(kwLet):
		return p.letStmt()
	case p.at(kwExport):
		return p.exportStmt()
	case p.at(kwInterface):
		return p.interfaceDecl()
	case p.at(kwWorld):
		return p.worldDecl()
	}
	if p.atTypeDecl(false) {
		d, err := p.typeDecl()
		if err != nil {
			return nil, err
		}
		return d.(Stmt), nil
	}
	if t := p.peek(); t.kind == kwPackage {
		return nil, p.errorAt(t.span, "a document has one `package` directive, at its start")
	}
	p.expected = append(p.expected[:0], "a statement (import, let, export, or a type declaration)")
	return nil, p.unexpected()
}

func (p *parser) ident() (Ident, error) {
	t, err := p.take(tokIdent)
	if err != nil {
		return Ident{}, err
	}
	return Ident{Name: strings.TrimPrefix(p.text(t), "%"), Span: t.span}, nil
}

func (p *parser) stringLit() (StringLit, error) {
	t, err := p.take(tokString)
	if err != nil {
		return StringLit{}, err
	}
	s := p.text(t)
	return StringLit{Value: s[1 : len(s)-1], Span: t.span}, nil
}

// externName parses an identifier or a string.
func (p *parser) externName() (ExternName, error) {
	if p.at(tokIdent) {
		id, _ := p.ident()
		return ExternName{Value: id.Name, Span: id.Span}, nil
	}
	if p.at(tokString) {
		s, _ := p.stringLit()
		return ExternName{Value: s.Value, Span: s.Span, Quoted: true}, nil
	}
	return ExternName{}, p.unexpected()
}

// version checks the text after '@', which starts at offset start.
func (p *parser) version(v string, start, end int) error {
	if err := component.CheckVersion(v); err != nil {
		e := p.errorAt(Span{start, end}, "`%s` is not a valid semantic version", v)
		e.Err = err
		return e
	}
	return nil
}

func (p *parser) packageName() (PackageName, error) {
	t, err := p.take(tokPackageName)
	if err != nil {
		return PackageName{}, err
	}
	s := p.text(t)
	n := PackageName{Name: s, Span: t.span}
	if at := strings.IndexByte(s, '@'); at >= 0 {
		n.Name, n.Version = s[:at], s[at+1:]
		if err := p.version(n.Version, t.span.Start+at+1, t.span.End); err != nil {
			return PackageName{}, err
		}
	}
	return n, nil
}

func (p *parser) packagePath() (*PackagePath, error) {
	t, err := p.take(tokPackagePath)
	if err != nil {
		return nil, err
	}
	s := p.text(t)
	body := s
	path := &PackagePath{Span: t.span}
	if at := strings.IndexByte(s, '@'); at >= 0 {
		body, path.Version = s[:at], s[at+1:]
		if err := p.version(path.Version, t.span.Start+at+1, t.span.End); err != nil {
			return nil, err
		}
	}
	slash := strings.IndexByte(body, '/')
	path.Package = body[:slash]
	path.NameSpan = Span{t.span.Start, t.span.Start + slash}
	off := t.span.Start + slash + 1
	for _, seg := range strings.Split(body[slash+1:], "/") {
		path.Segments = append(path.Segments, Ident{Name: strings.TrimPrefix(seg, "%"), Span: Span{off, off + len(seg)}})
		off += len(seg) + 1
	}
	return path, nil
}

// delimited parses items until the closing token close, which it does not
// consume. With commas, items are separated by ',' and a trailing ',' is
// allowed. atItem reports (and records as expected) whether an item
// starts at the current token.
func (p *parser) delimited(close tokenKind, commas bool, atItem func() bool, item func() error) error {
	for {
		if p.at(close) {
			return nil
		}
		if !atItem() {
			return p.unexpected()
		}
		if err := item(); err != nil {
			return err
		}
		if p.at(close) {
			return nil
		}
		if commas {
			if _, err := p.take(tokComma); err != nil {
				return err
			}
		}
	}
}

// braced parses '{' delimited '}' and returns the span of the '}'.
func (p *parser) braced(commas bool, atItem func() bool, item func() error) (Span, error) {
	if _, err := p.take(tokLBrace); err != nil {
		return Span{}, err
	}
	if err := p.delimited(tokRBrace, commas, atItem, item); err != nil {
		return Span{}, err
	}
	t, err := p.take(tokRBrace)
	return t.span, err
}

func (p *parser) importStmt() (*ImportStmt, error) {
	kw := p.advance()
	st := &ImportStmt{}
	var err error
	if st.ID, err = p.ident(); err != nil {
		return nil, err
	}
	if p.at(kwAs) {
		p.advance()
		n, err := p.externName()
		if err != nil {
			return nil, err
		}
		st.As = &n
	}
	if _, err := p.take(tokColon); err != nil {
		return nil, err
	}
	switch {
	case p.atFunc():
		st.Type, err = p.funcType()
	case p.at(kwInterface):
		st.Type, err = p.inlineInterface()
	case p.at(tokPackagePath):
		st.Type, err = p.packagePath()
	case p.at(tokIdent):
		var id Ident
		id, err = p.ident()
		st.Type = &id
	default:
		return nil, p.unexpected()
	}
	if err != nil {
		return nil, err
	}
	if err := p.end(&st.Span, kw.span); err != nil {
		return nil, err
	}
	return st, nil
}

func (p *parser) letStmt() (*LetStmt, error) {
	kw := p.advance()
	st := &LetStmt{}
	var err error
	if st.ID, err = p.ident(); err != nil {
		return nil, err
	}
	if _, err := p.take(tokEquals); err != nil {
		return nil, err
	}
	if st.Expr, err = p.expr(); err != nil {
		return nil, err
	}
	if err := p.end(&st.Span, kw.span); err != nil {
		return nil, err
	}
	return st, nil
}

func (p *parser) exportStmt() (*ExportStmt, error) {
	kw := p.advance()
	st := &ExportStmt{}
	var err error
	if st.Expr, err = p.expr(); err != nil {
		return nil, err
	}
	switch {
	case p.at(tokEllipsis):
		s := p.advance().span
		st.Spread = &s
	case p.at(kwAs):
		p.advance()
		n, err := p.externName()
		if err != nil {
			return nil, err
		}
		st.As = &n
	}
	if err := p.end(&st.Span, kw.span); err != nil {
		return nil, err
	}
	return st, nil
}

func (p *parser) expr() (*Expr, error) {
	e := &Expr{}
	switch {
	case p.at(kwNew):
		n, err := p.newExpr()
		if err != nil {
			return nil, err
		}
		e.Primary = n
	case p.at(tokLParen):
		open := p.advance()
		inner, err := p.expr()
		if err != nil {
			return nil, err
		}
		close, err := p.take(tokRParen)
		if err != nil {
			return nil, err
		}
		e.Primary = &NestedExpr{Inner: inner, Span: span(open.span, close.span)}
	case p.at(tokIdent):
		id, _ := p.ident()
		e.Primary = &id
	default:
		return nil, p.unexpected()
	}
	e.Span = e.Primary.NodeSpan()
	for {
		switch {
		case p.at(tokDot):
			dot := p.advance()
			id, err := p.ident()
			if err != nil {
				return nil, err
			}
			e.Postfix = append(e.Postfix, &AccessExpr{ID: id, Span: span(dot.span, id.Span)})
		case p.at(tokLBracket):
			open := p.advance()
			s, err := p.stringLit()
			if err != nil {
				return nil, err
			}
			close, err := p.take(tokRBracket)
			if err != nil {
				return nil, err
			}
			e.Postfix = append(e.Postfix, &NamedAccessExpr{Name: s, Span: span(open.span, close.span)})
		default:
			if n := len(e.Postfix); n > 0 {
				e.Span.End = e.Postfix[n-1].NodeSpan().End
			}
			return e, nil
		}
	}
}

func (p *parser) newExpr() (*NewExpr, error) {
	kw := p.advance()
	n := &NewExpr{}
	var err error
	if n.Package, err = p.packageName(); err != nil {
		return nil, err
	}
	atArg := func() bool {
		a := p.at(tokEllipsis)
		b := p.at(tokIdent)
		c := p.at(tokString)
		return a || b || c
	}
	close, err := p.braced(true, atArg, func() error {
		switch {
		case p.peek().kind == tokEllipsis:
			dots := p.advance()
			if k := p.peek().kind; k == tokComma || k == tokRBrace {
				n.Args = append(n.Args, &FillArg{Span: dots.span})
				return nil
			}
			id, err := p.ident()
			if err != nil {
				return err
			}
			n.Args = append(n.Args, &SpreadArg{ID: id, Span: span(dots.span, id.Span)})
		case p.peek2().kind == tokColon:
			name, err := p.externName()
			if err != nil {
				return err
			}
			p.advance() // ':'
			e, err := p.expr()
			if err != nil {
				return err
			}
			n.Args = append(n.Args, &NamedArg{Name: name, Expr: e})
		default:
			id, err := p.ident()
			if err != nil {
				return err
			}
			n.Args = append(n.Args, &InferredArg{ID: id})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	n.Span = span(kw.span, close)
	return n, nil
}

// atFunc reports whether a function type starts here: `func` or
// `async func`.
func (p *parser) atFunc() bool {
	if p.peek().kind == tokIdent && p.text(p.peek()) == "async" && p.peek2().kind == kwFunc {
		return true
	}
	return p.at(kwFunc)
}

func (p *parser) funcType() (*FuncType, error) {
	f := &FuncType{Span: p.peek().span}
	if p.peek().kind == tokIdent { // async
		p.advance()
		f.Async = true
	}
	if _, err := p.take(kwFunc); err != nil {
		return nil, err
	}
	params, end, err := p.paramList()
	if err != nil {
		return nil, err
	}
	f.Params = params
	if p.at(tokArrow) {
		p.advance()
		if !p.atType() {
			return nil, p.unexpected()
		}
		if f.Result, err = p.typ(); err != nil {
			return nil, err
		}
		end = f.Result.NodeSpan()
	}
	f.Span.End = end.End
	return f, nil
}

// paramList parses '(' named-type, … ')' and returns the span of ')'.
func (p *parser) paramList() ([]NamedType, Span, error) {
	if _, err := p.take(tokLParen); err != nil {
		return nil, Span{}, err
	}
	var params []NamedType
	err := p.delimited(tokRParen, true, func() bool { return p.at(tokIdent) }, func() error {
		nt, err := p.namedType()
		params = append(params, nt)
		return err
	})
	if err != nil {
		return nil, Span{}, err
	}
	close, err := p.take(tokRParen)
	return params, close.span, err
}

func (p *parser) namedType() (NamedType, error) {
	id, err := p.ident()
	if err != nil {
		return NamedType{}, err
	}
	if _, err := p.take(tokColon); err != nil {
		return NamedType{}, err
	}
	if !p.atType() {
		return NamedType{}, p.unexpected()
	}
	t, err := p.typ()
	return NamedType{ID: id, Type: t}, err
}

var primKinds = []tokenKind{kwU8, kwS8, kwU16, kwS16, kwU32, kwS32, kwU64, kwS64, kwF32, kwF64, kwChar, kwBool, kwString}

// atType reports whether a value type starts here; if not, "a type" is
// what was expected.
func (p *parser) atType() bool {
	switch p.peek().kind {
	case kwU8, kwS8, kwU16, kwS16, kwU32, kwS32, kwU64, kwS64, kwF32, kwF64, kwChar, kwBool, kwString,
		kwTuple, kwList, kwOption, kwResult, kwBorrow, tokIdent:
		return true
	}
	p.expect("a type")
	return false
}

// typ parses a value type; the caller has checked atType.
func (p *parser) typ() (Node, error) {
	t := p.peek()
	for _, k := range primKinds {
		if t.kind == k {
			p.advance()
			return &PrimType{Kind: k, Span: t.span}, nil
		}
	}
	switch t.kind {
	case kwTuple:
		p.advance()
		if _, err := p.take(tokLAngle); err != nil {
			return nil, err
		}
		tu := &TupleType{}
		if !p.atType() {
			return nil, p.unexpected()
		}
		err := p.delimited(tokRAngle, true, p.atType, func() error {
			e, err := p.typ()
			tu.Types = append(tu.Types, e)
			return err
		})
		if err != nil {
			return nil, err
		}
		close, err := p.take(tokRAngle)
		tu.Span = span(t.span, close.span)
		return tu, err
	case kwList, kwOption:
		p.advance()
		elem, close, err := p.angled()
		if err != nil {
			return nil, err
		}
		if t.kind == kwList {
			return &ListType{Elem: elem, Span: span(t.span, close)}, nil
		}
		return &OptionType{Elem: elem, Span: span(t.span, close)}, nil
	case kwResult:
		p.advance()
		r := &ResultType{Span: t.span}
		if !p.at(tokLAngle) {
			return r, nil
		}
		p.advance()
		part := func() (Node, error) {
			if p.at(tokUnderscore) {
				p.advance()
				return nil, nil
			}
			if !p.atType() {
				return nil, p.unexpected()
			}
			return p.typ()
		}
		var err error
		if r.Ok, err = part(); err != nil {
			return nil, err
		}
		if p.at(tokComma) {
			p.advance()
			if r.Err, err = part(); err != nil {
				return nil, err
			}
		}
		close, err := p.take(tokRAngle)
		if err != nil {
			return nil, err
		}
		r.Span = span(t.span, close.span)
		return r, nil
	case kwBorrow:
		p.advance()
		if _, err := p.take(tokLAngle); err != nil {
			return nil, err
		}
		id, err := p.ident()
		if err != nil {
			return nil, err
		}
		close, err := p.take(tokRAngle)
		if err != nil {
			return nil, err
		}
		return &BorrowType{Resource: id, Span: span(t.span, close.span)}, nil
	case tokIdent:
		// stream<T> and future<T> come from WIT; without '<' the words
		// are ordinary names, as LANGUAGE.md's `let stream = …` needs.
		if name := p.text(t); (name == "stream" || name == "future") && p.peek2().kind == tokLAngle {
			p.advance()
			elem, close, err := p.angled()
			if err != nil {
				return nil, err
			}
			if name == "stream" {
				return &StreamType{Elem: elem, Span: span(t.span, close)}, nil
			}
			return &FutureType{Elem: elem, Span: span(t.span, close)}, nil
		}
		id, err := p.ident()
		return &id, err
	}
	return nil, p.unexpected()
}

// angled parses '<' type '>' and returns the span of '>'.
func (p *parser) angled() (Node, Span, error) {
	if _, err := p.take(tokLAngle); err != nil {
		return nil, Span{}, err
	}
	if !p.atType() {
		return nil, Span{}, p.unexpected()
	}
	elem, err := p.typ()
	if err != nil {
		return nil, Span{}, err
	}
	close, err := p.take(tokRAngle)
	return elem, close.span, err
}

// atTypeDecl reports whether a type declaration starts here; resources
// are declarations only inside interfaces and worlds.
func (p *parser) atTypeDecl(resources bool) bool {
	a := resources && p.at(kwResource)
	b := p.at(kwVariant)
	c := p.at(kwRecord)
	d := p.at(kwFlags)
	e := p.at(kwEnum)
	f := p.at(kwType)
	return a || b || c || d || e || f
}

// typeDecl parses a declaration that atTypeDecl found.
func (p *parser) typeDecl() (TypeDecl, error) {
	kw := p.advance()
	id, err := p.ident()
	if err != nil {
		return nil, err
	}
	switch kw.kind {
	case kwResource:
		return p.resourceDecl(kw, id)
	case kwVariant:
		d := &VariantDecl{ID: id}
		close, err := p.braced(true, func() bool { return p.at(tokIdent) }, func() error {
			cid, err := p.ident()
			if err != nil {
				return err
			}
			c := VariantCase{ID: cid}
			if p.at(tokLParen) {
				p.advance()
				if !p.atType() {
					return p.unexpected()
				}
				if c.Type, err = p.typ(); err != nil {
					return err
				}
				if _, err := p.take(tokRParen); err != nil {
					return err
				}
			}
			d.Cases = append(d.Cases, c)
			return nil
		})
		if err != nil {
			return nil, err
		}
		d.Span = span(kw.span, close)
		return d, p.nonEmpty(len(d.Cases), close, "a variant needs at least one case")
	case kwRecord:
		d := &RecordDecl{ID: id}
		close, err := p.braced(true, func() bool { return p.at(tokIdent) }, func() error {
			f, err := p.namedType()
			d.Fields = append(d.Fields, f)
			return err
		})
		if err != nil {
			return nil, err
		}
		d.Span = span(kw.span, close)
		return d, p.nonEmpty(len(d.Fields), close, "a record needs at least one field")
	case kwFlags, kwEnum:
		var names []Ident
		close, err := p.braced(true, func() bool { return p.at(tokIdent) }, func() error {
			n, err := p.ident()
			names = append(names, n)
			return err
		})
		if err != nil {
			return nil, err
		}
		if kw.kind == kwFlags {
			d := &FlagsDecl{ID: id, Flags: names, Span: span(kw.span, close)}
			return d, p.nonEmpty(len(names), close, "flags need at least one flag")
		}
		d := &EnumDecl{ID: id, Cases: names, Span: span(kw.span, close)}
		return d, p.nonEmpty(len(names), close, "an enum needs at least one case")
	}
	// type id = …;
	d := &TypeAlias{ID: id}
	if _, err := p.take(tokEquals); err != nil {
		return nil, err
	}
	if p.atFunc() {
		if d.Func, err = p.funcType(); err != nil {
			return nil, err
		}
	} else if p.atType() {
		if d.Type, err = p.typ(); err != nil {
			return nil, err
		}
	} else {
		return nil, p.unexpected()
	}
	if err := p.end(&d.Span, kw.span); err != nil {
		return nil, err
	}
	return d, nil
}

func (p *parser) nonEmpty(n int, close Span, msg string) error {
	if n == 0 {
		return p.errorAt(close, "%s", msg)
	}
	return nil
}

func (p *parser) resourceDecl(kw token, id Ident) (TypeDecl, error) {
	d := &ResourceDecl{ID: id}
	if p.at(tokSemicolon) {
		d.Span = span(kw.span, p.advance().span)
		return d, nil
	}
	if !p.at(tokLBrace) {
		return nil, p.unexpected()
	}
	atMethod := func() bool {
		a := p.at(kwConstructor)
		b := p.at(tokIdent)
		return a || b
	}
	close, err := p.braced(false, atMethod, func() error {
		m := ResourceMethod{Span: p.peek().span}
		if p.peek().kind == kwConstructor {
			t := p.advance()
			m.Constructor = true
			m.ID = Ident{Name: "constructor", Span: t.span}
			params, end, err := p.paramList()
			if err != nil {
				return err
			}
			m.Func = FuncType{Params: params, Span: span(t.span, end)}
		} else {
			var err error
			if m.ID, err = p.ident(); err != nil {
				return err
			}
			if _, err := p.take(tokColon); err != nil {
				return err
			}
			if p.at(kwStatic) {
				p.advance()
				m.Static = true
			}
			if !p.atFunc() {
				return p.unexpected()
			}
			f, err := p.funcType()
			if err != nil {
				return err
			}
			m.Func = *f
		}
		end, err := p.take(tokSemicolon)
		if err != nil {
			return err
		}
		m.Span.End = end.span.End
		d.Methods = append(d.Methods, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Span = span(kw.span, close)
	return d, nil
}

func (p *parser) interfaceDecl() (*InterfaceDecl, error) {
	kw := p.advance()
	id, err := p.ident()
	if err != nil {
		return nil, err
	}
	items, close, err := p.interfaceItems()
	if err != nil {
		return nil, err
	}
	return &InterfaceDecl{ID: id, Items: items, Span: span(kw.span, close)}, nil
}

func (p *parser) inlineInterface() (*InlineInterface, error) {
	kw := p.advance()
	items, close, err := p.interfaceItems()
	if err != nil {
		return nil, err
	}
	return &InlineInterface{Items: items, Span: span(kw.span, close)}, nil
}

func (p *parser) interfaceItems() ([]Node, Span, error) {
	var items []Node
	atItem := func() bool {
		a := p.at(kwUse)
		b := p.at(tokIdent)
		c := p.atTypeDecl(true)
		return a || b || c
	}
	close, err := p.braced(false, atItem, func() error {
		switch p.peek().kind {
		case kwUse:
			u, err := p.useDecl()
			items = append(items, u)
			return err
		case tokIdent:
			e, err := p.interfaceExport()
			items = append(items, e)
			return err
		}
		d, err := p.typeDecl()
		items = append(items, d)
		return err
	})
	return items, close, err
}

func (p *parser) interfaceExport() (*InterfaceExport, error) {
	id, _ := p.ident()
	e := &InterfaceExport{ID: id}
	if _, err := p.take(tokColon); err != nil {
		return nil, err
	}
	switch {
	case p.atFunc():
		f, err := p.funcType()
		if err != nil {
			return nil, err
		}
		e.Func = f
	case p.at(tokIdent):
		ref, _ := p.ident()
		e.Ref = &ref
	default:
		return nil, p.unexpected()
	}
	if err := p.end(&e.Span, id.Span); err != nil {
		return nil, err
	}
	return e, nil
}

// pathOrIdent parses what names an interface or world: a package path or
// a local name.
func (p *parser) pathOrIdent() (Node, error) {
	if p.at(tokPackagePath) {
		return p.packagePath()
	}
	if p.at(tokIdent) {
		id, _ := p.ident()
		return &id, nil
	}
	return nil, p.unexpected()
}

// end takes the `;` that ends a statement or item begun at start, and
// sets *s to the span from start to it.
func (p *parser) end(s *Span, start Span) error {
	t, err := p.take(tokSemicolon)
	*s = span(start, t.span)
	return err
}

func (p *parser) useDecl() (*UseDecl, error) {
	kw := p.advance()
	path, err := p.pathOrIdent()
	if err != nil {
		return nil, err
	}
	u := &UseDecl{Path: path}
	if _, err := p.take(tokDot); err != nil {
		return nil, err
	}
	_, err = p.braced(true, func() bool { return p.at(tokIdent) }, func() error {
		id, err := p.ident()
		if err != nil {
			return err
		}
		item := UseItem{ID: id}
		if p.at(kwAs) {
			p.advance()
			as, err := p.ident()
			if err != nil {
				return err
			}
			item.As = &as
		}
		u.Items = append(u.Items, item)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := p.end(&u.Span, kw.span); err != nil {
		return nil, err
	}
	return u, nil
}

func (p *parser) worldDecl() (*WorldDecl, error) {
	kw := p.advance()
	id, err := p.ident()
	if err != nil {
		return nil, err
	}
	w := &WorldDecl{ID: id}
	atItem := func() bool {
		a := p.at(kwUse)
		b := p.at(kwImport)
		c := p.at(kwExport)
		d := p.at(kwInclude)
		e := p.atTypeDecl(true)
		return a || b || c || d || e
	}
	close, err := p.braced(false, atItem, func() error {
		var item Node
		var err error
		switch p.peek().kind {
		case kwUse:
			item, err = p.useDecl()
		case kwImport, kwExport:
			item, err = p.worldExtern()
		case kwInclude:
			item, err = p.includeDecl()
		default:
			item, err = p.typeDecl()
		}
		w.Items = append(w.Items, item)
		return err
	})
	if err != nil {
		return nil, err
	}
	w.Span = span(kw.span, close)
	return w, nil
}

func (p *parser) worldExtern() (*WorldExtern, error) {
	kw := p.advance()
	x := &WorldExtern{Export: kw.kind == kwExport}
	switch {
	case p.at(tokPackagePath):
		path, err := p.packagePath()
		if err != nil {
			return nil, err
		}
		x.Path = path
	case p.at(tokIdent):
		id, _ := p.ident()
		if p.peek().kind != tokColon {
			x.Path = &id
			break
		}
		p.advance()
		named := &NamedExtern{ID: id}
		var err error
		switch {
		case p.atFunc():
			named.Type, err = p.funcType()
		case p.at(kwInterface):
			named.Type, err = p.inlineInterface()
		case p.at(tokIdent):
			var ref Ident
			ref, err = p.ident()
			named.Type = &ref
		default:
			return nil, p.unexpected()
		}
		if err != nil {
			return nil, err
		}
		x.Path = named
	default:
		return nil, p.unexpected()
	}
	if err := p.end(&x.Span, kw.span); err != nil {
		return nil, err
	}
	return x, nil
}

func (p *parser) includeDecl() (*IncludeDecl, error) {
	kw := p.advance()
	world, err := p.pathOrIdent()
	if err != nil {
		return nil, err
	}
	inc := &IncludeDecl{World: world}
	if p.at(kwWith) {
		p.advance()
		_, err := p.braced(true, func() bool { return p.at(tokIdent) }, func() error {
			from, err := p.ident()
			if err != nil {
				return err
			}
			if _, err := p.take(kwAs); err != nil {
				return err
			}
			to, err := p.ident()
			if err != nil {
				return err
			}
			inc.With = append(inc.With, IncludeRename{From: from, To: to})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if err := p.end(&inc.Span, kw.span); err != nil {
		return nil, err
	}
	return inc, nil
}
