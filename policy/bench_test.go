package policy

import (
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/fixture"
)

// Tracing the 30 MB service reads only component-level sections.
func BenchmarkTraceService(b *testing.B) {
	svc := composeService(b, fixture.Read(b, "business"), fixture.Read(b, "enricher"), fixture.Read(b, "validator"))
	b.SetBytes(int64(len(svc)))
	for b.Loop() {
		if _, err := TraceComponent(svc, "svc"); err != nil {
			b.Fatal(err)
		}
	}
}

// Generating the business member's stub of wasi:filesystem and
// wasi:sockets: 9 interfaces, 4 imported dependencies.
func BenchmarkGenerateStub(b *testing.B) {
	ct, err := component.DecodeType(fixture.Read(b, "business"))
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, imp := range ct.Imports {
		if n, ok := component.InterfaceName(imp.Name); ok && (n.Package == "filesystem" || n.Package == "sockets") {
			names = append(names, imp.Name)
		}
	}
	for b.Loop() {
		if _, err := GenerateStub(ct, names); err != nil {
			b.Fatal(err)
		}
	}
}
