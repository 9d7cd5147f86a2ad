package component

import "testing"

func TestParseName(t *testing.T) {
	tests := []struct {
		in      string
		want    Name
		wantErr string
	}{
		{in: "run", want: Name{Kind: NameLabel, Label: "run"}},
		{in: "get-JSON", want: Name{Kind: NameLabel, Label: "get-JSON"}},
		{in: "A1-2-3", want: Name{Kind: NameLabel, Label: "A1-2-3"}},
		{in: "m1x3d-4CR0NYMS", want: Name{Kind: NameLabel, Label: "m1x3d-4CR0NYMS"}},
		{in: "[constructor]blob", want: Name{Kind: NameConstructor, Resource: "blob"}},
		{in: "[method]blob.read-all", want: Name{Kind: NameMethod, Resource: "blob", Func: "read-all"}},
		{in: "[static]blob.merge", want: Name{Kind: NameStatic, Resource: "blob", Func: "merge"}},
		{in: "wasi:http/types", want: Name{Kind: NameInterface, Namespace: "wasi", Package: "http", Interface: "types"}},
		{in: "wasi:io/streams@0.2.0", want: Name{Kind: NameInterface, Namespace: "wasi", Package: "io", Interface: "streams", Version: "0.2.0"}},
		{in: "my-ns:my-pkg/my-iface@1.2.3-rc.1+build.5", want: Name{Kind: NameInterface, Namespace: "my-ns", Package: "my-pkg", Interface: "my-iface", Version: "1.2.3-rc.1+build.5"}},
		{in: "a:b:c/d/e@1.0.0", want: Name{Kind: NameInterface, Namespace: "a:b", Package: "c", Interface: "d/e", Version: "1.0.0"}},
		{in: "", wantErr: `invalid name "": empty name`},
		{in: "Run-fast", wantErr: `fragment "Run" mixes upper and lower case`},
		{in: "a--b", wantErr: "empty fragment"},
		{in: "-a", wantErr: "empty fragment"},
		{in: "a-", wantErr: "empty fragment"},
		{in: "1a", wantErr: "must start with a letter"},
		{in: "a_b", wantErr: `character '_'`},
		{in: "[async]f", wantErr: "unknown annotation [async]"},
		{in: "[async method]r.m", wantErr: "unknown annotation [async method]"},
		{in: "[method]r", wantErr: "[method] needs resource.function"},
		{in: "[constructor", wantErr: "missing ']'"},
		{in: "[static]r.Bad-name", wantErr: `function "Bad-name"`},
		{in: "url=<https://x>", wantErr: "is not kebab case"},
		{in: "integrity=<sha256-abc>", wantErr: "is not kebab case"},
		{in: "locked-dep=<a:b@1.0.0>", wantErr: `"0>" is not a number`},
		{in: "wasi/http", wantErr: "missing ':'"},
		{in: "Wasi:http/types", wantErr: "namespace or package"},
		{in: "WASI:http/types", wantErr: "must be lowercase"},
		{in: "wasi:http/types@1", wantErr: "expected MAJOR.MINOR.PATCH"},
		{in: "wasi:http/types@0.2", wantErr: "expected MAJOR.MINOR.PATCH"},
		{in: "wasi:http/types@01.0.0", wantErr: "leading zero"},
		{in: "wasi:http/types@1.0.0-", wantErr: "pre-release: empty identifier"},
		{in: "wasi:http/types@1.0.0-01", wantErr: "pre-release"},
		{in: "wasi:http/types@1.0.0+b_1", wantErr: "build metadata"},
		{in: "wasi:http/", wantErr: "interface"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseName(tt.in)
			if tt.wantErr != "" {
				if err == nil || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseName(%q) = %+v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseName(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseName(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
		})
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestParseNameAgreesWithWasmTools builds a component importing a func
// under each name and checks that wasm-tools' validator accepts exactly the
// names ParseName accepts. (Resource-annotated names need a resource in
// scope and are covered by TestParseName and names.wat.)
func TestParseNameAgreesWithWasmTools(t *testing.T) {
	names := []string{
		"run", "get-JSON", "A-b", "a-B", "a1-2", "a--b", "-a", "1a", "aB", "a_b", "[async]f",
		"url=<https://x>", "integrity=<sha256-abc>", "locked-dep=<a:b@1.0.0>",
		"wasi:io/streams@0.2.0", "a:b/c@1", "a:b/c@0.2", "a:b/c@01.0.0", "a:b/c@1.0.0-rc.1+b.2",
		"a:b:c/d/e", "a:b/c/d", "A:b/c", "a:b/C", "a-b:c-d/e-F",
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			var e Encoder
			e.Types([]TypeDef{{Func: &FuncType{}}})
			e.Imports([]Import{{Name: ExternName{Name: n}, Type: ExternType{Kind: ExternFunc}}})
			b, err := e.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			werr := validateAll(t, b)
			_, perr := ParseName(n)
			if (werr == nil) != (perr == nil) {
				t.Errorf("wasm-tools accepts=%v (%v), ParseName err=%v", werr == nil, werr, perr)
			}
		})
	}
}

func TestInterfaceName(t *testing.T) {
	tests := []struct {
		in                  string
		ns, pkg, iface, ver string
		ok                  bool
	}{
		{"wasi:io/streams@0.2.0", "wasi", "io", "streams", "0.2.0", true},
		{"wasi:io/streams", "wasi", "io", "streams", "", true},
		{"a:b:c/d@1.0.0-rc.1+meta", "a:b", "c", "d", "1.0.0-rc.1+meta", true},
		{"run", "", "", "", "", false},
		{"[method]r.m", "", "", "", "", false},
		{"wasi:io", "", "", "", "", false},
		{":io/x", "", "", "", "", false},
	}
	for _, tt := range tests {
		n, ok := InterfaceName(tt.in)
		if ok != tt.ok || n.Namespace != tt.ns || n.Package != tt.pkg || n.Interface != tt.iface || n.Version != tt.ver {
			t.Errorf("InterfaceName(%q) = %+v, %v", tt.in, n, ok)
		}
	}
}
