package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/validate"
)

// chainExample is examples/polyglot-chain/component.toml with its members
// taken prebuilt from the fixtures (the same sources), so a test builds
// it in seconds; withPolicy false drops its [capabilities] and the
// enricher's grant.
func chainExample(t *testing.T, withPolicy bool) string {
	t.Helper()
	text := readFile(t, "../../examples/polyglot-chain/component.toml")
	for _, m := range []struct{ name, lang string }{{"validator", "rust"}, {"enricher", "js"}, {"business", "python"}} {
		from := fmt.Sprintf("[components.%s]\nlanguage = %q\n", m.name, m.lang)
		if !strings.Contains(text, from) {
			t.Fatalf("the example has no %q", from)
		}
		text = strings.Replace(text, from, fmt.Sprintf("[components.%s]\npath = %q\n", m.name, fixture.Path(t, m.name)), 1)
	}
	if !withPolicy {
		text = text[:strings.Index(text, "\n# Nothing is inherited")+1]
		text = regexp.MustCompile(`(?m)^capabilities = .*\n`).ReplaceAllString(text, "")
	}
	return text
}

// projectDir writes component.toml into a fresh project directory, with a
// cache of its own, and makes it the working directory.
func projectDir(t *testing.T, manifest string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("NO_COLOR", "1")
	writeText(t, filepath.Join(dir, "component.toml"), manifest)
	t.Chdir(dir)
	return dir
}

// The chain example's policy, built by `wcomp build`: the result's
// imports (as wasm-tools reads them) are the unpoliced chain's minus
// exactly the stubbed interfaces and wasi:cli/environment (virtual); it
// validates, and `wcomp run` runs it without --http. `wcomp audit` shows
// who brings in what, by the manifest's member names.
func TestBuildChainPolicy(t *testing.T) {
	if testing.Short() {
		t.Skip("composes and runs the 29 MB service")
	}
	plain, policed := chainExample(t, false), chainExample(t, true)
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	projectDir(t, plain)
	if code, _, stderr := runWcomp("build"); code != 0 {
		t.Fatalf("build without the policy: exit %d\n%s", code, stderr)
	}
	before := witImports(t, "target/service-chain.wasm")

	writeText(t, "component.toml", policed)
	code, _, stderr := runWcomp("build")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	replaced := []string{"wasi:filesystem/preopens@", "wasi:sockets/instance-network@", "wasi:sockets/tcp-create-socket@",
		"wasi:sockets/udp-create-socket@", "wasi:http/outgoing-handler@", "wasi:cli/environment@"}
	want := fmt.Sprintf("     Checked capabilities: %d allowed, 1 virtual, 5 stubbed\n", len(before)-len(replaced))
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "   Composing service-chain") {
		t.Errorf("build's output lacks %q:\n%s", want, stderr)
	}
	after := witImports(t, "target/service-chain.wasm")
	var kept []string
	for _, name := range before {
		if !hasPrefixAny(name, replaced) {
			kept = append(kept, name)
		}
	}
	if len(kept) != len(before)-len(replaced) || !sameStrings(after, kept) {
		t.Errorf("imports: %d without the policy, %d with it:\n  %v\nwant the first minus the stubbed and virtual ones:\n  %v", len(before), len(after), after, kept)
	}
	t.Logf("imports of the chain (wasm-tools component wit): %d → %d under the example's [capabilities]", len(before), len(after))
	validate.Component(t, []byte(readFile(t, "target/service-chain.wasm")))

	code, stdout, stderr := runWcomp("run")
	if code != 0 || stdout != chainRun {
		t.Errorf("wcomp run (no --http): exit %d, stdout %q, want %q\n%s", code, stdout, chainRun, stderr)
	}
	// A no-op build stays a no-op, the policy included.
	if code, _, stderr = runWcomp("build"); code != 0 || strings.Contains(stderr, "Composing") || strings.Contains(stderr, "Checked") {
		t.Errorf("no-op build: exit %d\n%s", code, stderr)
	}

	code, stdout, stderr = runWcomp("audit")
	if code != 0 {
		t.Fatalf("audit: exit %d\n%s", code, stderr)
	}
	golden.Check(t, filepath.Join(testdata, "audit-chain.txt"), stdout)
	// The golden's shared line, against what wasm-tools finds stored once.
	shared := sharedByWasmTools(t, []byte(readFile(t, "target/service-chain.wasm")))
	t.Logf("stored once, as wasm-tools reads the chain: %+v", shared)
	checkSharedLine(t, "wcomp audit", stdout, shared)
	code, stdout, stderr = runWcomp("audit", "--json")
	if code != 0 {
		t.Fatalf("audit --json: exit %d\n%s", code, stderr)
	}
	golden.Check(t, filepath.Join(testdata, "audit-chain.json"), stdout)
	checkSharedJSON(t, "wcomp audit --json", stdout, shared)
}

// A member brings in only what it is granted, even when the others may
// have more: under allow wasi:* the enricher, granted cli, io, clocks and
// random, may not bring in wasi:filesystem, which the business and the
// validator may. The build fails with the table and errors at the grant,
// naming the enricher only, and writes nothing; wcomp audit shows the
// same table on stdout and exits 1.
func TestBuildGrantViolation(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the 29 MB service's members")
	}
	text := chainExample(t, false) + "\n[capabilities]\nallow = [\"wasi:*\"]\n"
	text = strings.Replace(text, "[components.enricher]\n", "[components.enricher]\ncapabilities = [\"wasi:cli/*\", \"wasi:io/*\", \"wasi:clocks/*\", \"wasi:random/*\"]\n", 1)
	projectDir(t, text)
	line := 1 + strings.Count(text[:strings.Index(text, "capabilities = [")], "\n")
	code, stdout, stderr := runWcomp("build")
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	var errs []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "error: ") || strings.HasPrefix(l, "       component.toml") {
			errs = append(errs, l)
		}
	}
	if len(errs) == 0 {
		t.Fatalf("no error lines:\n%s", stderr)
	}
	at := fmt.Sprintf("component.toml:%d:16: components.enricher.capabilities: member enricher imports ", line)
	for _, want := range []string{"wasi:filesystem/types@0.2.12", "wasi:filesystem/preopens@0.2.12", "wasi:http/types@0.2.10", "wasi:http/outgoing-handler@0.2.10"} {
		if !strings.Contains(stderr, at+want+", which is denied (not granted to enricher)") {
			t.Errorf("stderr lacks the error %q:\n%s", at+want, stderr)
		}
	}
	for _, l := range errs {
		if strings.Contains(l, "business") || strings.Contains(l, "validator") {
			t.Errorf("an error names another member: %s", l)
		}
	}
	if !regexp.MustCompile(`(?m)^wasi:filesystem/types +0\.2\.12 +.*enricher \(denied\).* +denied`).MatchString(stderr) {
		t.Errorf("the table does not show the enricher's wasi:filesystem/types denied:\n%s", stderr)
	}
	if _, err := os.Stat("target/service-chain.wasm"); !os.IsNotExist(err) {
		t.Errorf("target/service-chain.wasm was written (%v)", err)
	}
	code, stdout, _ = runWcomp("audit")
	if code != 1 || !strings.Contains(stdout, "Capabilities of service-chain:") || !strings.Contains(stdout, "denied") {
		t.Errorf("audit: exit %d\n%s", code, stdout)
	}
}

// [capabilities.virtual] composes in a wasi:cli/environment with exactly
// its variables and arguments: echo prints them, not [run]'s or the
// command line's, and the result no longer imports the interface.
func TestBuildVirtualEnv(t *testing.T) {
	projectDir(t, fmt.Sprintf(`[package]
name = "example:echo"
version = "0.1.0"

[components.echo]
path = %q

[capabilities.virtual]
env = { WCOMP_ECHO = "from the policy" }
args = ["echo", "virtual-arg"]

[run]
env = { WCOMP_ECHO = "from [run]" }
`, fixture.Path(t, "echo")))
	code, stdout, stderr := runWcomp("run", "--", "from-the-command-line")
	if want := "arg: virtual-arg\nenv: from the policy\n"; code != 0 || stdout != want {
		t.Errorf("exit %d, stdout %q, want %q\n%s", code, stdout, want, stderr)
	}
	if !strings.Contains(stderr, "     Checked capabilities: ") || !strings.Contains(stderr, " 1 virtual\n") {
		t.Errorf("no capabilities line:\n%s", stderr)
	}
	imports := witImports(t, "target/echo.wasm")
	if slices.ContainsFunc(imports, func(s string) bool { return strings.HasPrefix(s, "wasi:cli/environment@") }) {
		t.Errorf("the result still imports wasi:cli/environment: %v", imports)
	}
	validate.Component(t, []byte(readFile(t, "target/echo.wasm")))
}

// Outside a project, wcomp audit without FILE says both ways to use it.
func TestAuditOutsideProject(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, stderr := runWcomp("audit")
	if code == 0 || !strings.Contains(stderr, "wcomp audit audits a component file (wcomp audit FILE) or, without one, the project: no component.toml found") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	code, _, stderr = runWcomp("audit", "--deny", "wasi:*")
	if code == 0 || !strings.Contains(stderr, "apply to a FILE") {
		t.Errorf("policy flags without FILE: exit %d\n%s", code, stderr)
	}
}
