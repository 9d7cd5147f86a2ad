// Package wac reads WAC documents, the composition language of the
// Bytecode Alliance's wac tool (its LANGUAGE.md), and turns them into a
// composition graph.
//
// A document goes through three stages, each with its own file:
//
//   - lexer.go and parser.go turn the text into a Document, an AST whose
//     nodes carry byte offsets (Span) into the source;
//   - types.go resolves the type declarations of the document (interfaces,
//     worlds, records, variants, resources, aliases, …) into the semantic
//     types of package component, so they compare and encode like types
//     decoded from a binary;
//   - resolve.go evaluates the statements (imports, `let x = new pkg:name
//     {…}`, access, export) against the packages the document refers to,
//     which a PackageResolver supplies as bytes: components, or WIT
//     packages encoded as components (`wasm-tools component wit DIR
//     --wasm`). It builds the composition through graph's API.
//
// Every error is an *Error positioned at file:line:col, printed with the
// source line and a caret under the offending text. Positions stay byte
// offsets until an error is printed.
//
// The package does no I/O of its own: the source comes in as bytes and the
// packages through the resolver, so the CLI, the project driver and the
// tests each supply their own. A driver with its members' bytes in hand
// composes a document like this:
//
//	comp, err := wac.Load(ctx, "app.wac", src, wac.Packages{
//		"example:business":  businessWasm,
//		"example:validator": validatorWasm,
//	})
//	plan, err := comp.Plan()
//	res, err := compose.Encode(plan, compose.EncodeOptions{Name: "app"})
//
// Document.Packages lists the packages a document names, so a driver can
// tell which members it needs, or report one it lacks, before resolving.
// Print errors with Format (message, then the source excerpt).
package wac
