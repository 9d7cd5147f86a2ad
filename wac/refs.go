package wac

// Packages lists the packages the document refers to, other than its own,
// each once (by name and version) at its first reference, in document
// order. A driver can fetch or build exactly these before Resolve, or
// tell a user which member a document names that the project lacks.
func (d *Document) Packages() []PackageRef {
	var refs []PackageRef
	seen := map[string]bool{}
	add := func(name, version string, s Span) {
		if name == d.Package.Name {
			return
		}
		key := packageKey(name, version)
		if !seen[key] {
			seen[key] = true
			refs = append(refs, PackageRef{Name: name, Version: version, Span: s})
		}
	}
	path := func(p *PackagePath) { add(p.Package, p.Version, p.NameSpan) }
	var items func(nodes []Node)
	var expr func(e *Expr)
	node := func(n Node) {
		switch n := n.(type) {
		case *PackagePath:
			path(n)
		case *InlineInterface:
			items(n.Items)
		}
	}
	items = func(nodes []Node) {
		for _, n := range nodes {
			switch n := n.(type) {
			case *UseDecl:
				node(n.Path)
			case *WorldExtern:
				if named, ok := n.Path.(*NamedExtern); ok {
					node(named.Type)
				} else {
					node(n.Path)
				}
			case *IncludeDecl:
				node(n.World)
			}
		}
	}
	expr = func(e *Expr) {
		switch p := e.Primary.(type) {
		case *NewExpr:
			add(p.Package.Name, p.Package.Version, p.Package.Span)
			for _, a := range p.Args {
				if na, ok := a.(*NamedArg); ok {
					expr(na.Expr)
				}
			}
		case *NestedExpr:
			expr(p.Inner)
		}
	}
	if d.Targets != nil {
		path(d.Targets)
	}
	for _, st := range d.Stmts {
		switch st := st.(type) {
		case *ImportStmt:
			node(st.Type)
		case *LetStmt:
			expr(st.Expr)
		case *ExportStmt:
			expr(st.Expr)
		case *InterfaceDecl:
			items(st.Items)
		case *WorldDecl:
			items(st.Items)
		}
	}
	return refs
}
