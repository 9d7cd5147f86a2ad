package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/ci"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/registrytest"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// pushJSON runs `wcomp push FILE REF --json` and returns its digests.
func pushJSON(t *testing.T, file, ref string, extra ...string) (manifest, layer string) {
	t.Helper()
	code, stdout, stderr := runWcomp(append([]string{"push", file, ref, "--json"}, extra...)...)
	if code != 0 {
		t.Fatalf("push %s: exit %d: %s", ref, code, stderr)
	}
	var out struct{ Digest, LayerDigest string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("push --json: %v\n%s", err, stdout)
	}
	return out.Digest, out.LayerDigest
}

// replaceMember swaps the pair project's [components.provider] table for
// the given TOML (a registry or OCI member) and appends tail.
func replaceMember(t *testing.T, dir, member, tail string) {
	t.Helper()
	path := filepath.Join(dir, "component.toml")
	text := readFile(t, path)
	table := regexp.MustCompile(`(?s)\[components\.provider\].*?\n\n`)
	if !table.MatchString(text) {
		t.Fatalf("no provider table in\n%s", text)
	}
	text = table.ReplaceAllLiteralString(text, "[components.provider]\n"+member+"\n\n")
	writeText(t, path, text+"\n"+tail)
}

// TestBuildRegistrySources: members from a real registry, as an OCI
// reference and as a package with a requirement, resolve to the highest
// matching tag; the lock records manifest and layer digests; --locked and
// --offline build from the cache; --offline with an empty cache says what
// it would need.
func TestBuildRegistrySources(t *testing.T) {
	dir := pairProject(t)
	home := registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	provider := putFile(t, home, "provider.wasm", wasmtools.DummyComponent(t, filepath.Join(dir, "wit", "pair.wit"), "provider"))
	digests := map[string][2]string{}
	for _, v := range []string{"0.1.0", "0.1.3", "0.2.0"} {
		m, l := pushJSON(t, provider, reg.Host+"/test/greeter:"+v)
		digests[v] = [2]string{m, l}
	}
	// The ecosystem's own client publishes one too: `wkg oci push`.
	wkgRef := reg.Host + "/test/wkg-greeter:0.3.1"
	runTool(t, wkgPath(t), "oci", "push", "--insecure", reg.Host, wkgRef, provider)
	code, stdout, stderr := runWcomp("pull", wkgRef, "--json", "-o", filepath.Join(t.TempDir(), "x.wasm"))
	if code != 0 {
		t.Fatalf("pull of wkg's push: %s", stderr)
	}
	var pulled struct{ Digest, LayerDigest string }
	if err := json.Unmarshal([]byte(stdout), &pulled); err != nil {
		t.Fatal(err)
	}
	digests["0.3.1"] = [2]string{pulled.Digest, pulled.LayerDigest}
	registries := "[registries]\ntest = \"" + reg.Host + "\"\n"
	cases := []struct {
		name, member, tail, version string
	}{
		{"package", `package = "test:greeter"` + "\n" + `version = "^0.1"`, registries, "0.1.3"},
		{"oci", `oci = "` + reg.Host + `/test/greeter:0.2.0"`, "", "0.2.0"},
		{"pushed by wkg", `package = "test:wkg-greeter"` + "\n" + `version = "0.3"`, registries, "0.3.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := pairProject(t)
			t.Setenv("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "cache"))
			replaceMember(t, dir, c.member, c.tail)
			manifest := filepath.Join(dir, "component.toml")
			code, _, stderr := runWcomp("build", "--manifest-path", manifest)
			if code != 0 {
				t.Fatalf("build: exit %d\n%s", code, stderr)
			}
			out, err := os.ReadFile(filepath.Join(dir, "target", "pair.wasm"))
			if err != nil {
				t.Fatal(err)
			}
			validate.Component(t, out)
			lock := readFile(t, filepath.Join(dir, "wcomp.lock"))
			want := digests[c.version]
			for _, s := range []string{`digest = "` + want[1] + `"`, `manifest = "` + want[0] + `"`} {
				if !strings.Contains(lock, s) {
					t.Errorf("wcomp.lock lacks %s:\n%s", s, lock)
				}
			}
			if c.name != "oci" && !strings.Contains(lock, `version = "`+c.version+`"`) {
				t.Errorf("wcomp.lock does not pin the highest match (%s):\n%s", c.version, lock)
			}
			if c.name == "package" {
				// A newer match is published: the lock holds until `wcomp update`.
				pushJSON(t, provider, reg.Host+"/test/greeter:0.1.4", "--annotation", "rev=2")
				if code, _, stderr := runWcomp("build", "--manifest-path", manifest); code != 0 || strings.Contains(readFile(t, filepath.Join(dir, "wcomp.lock")), "0.1.4") {
					t.Errorf("build after a newer version appeared: exit %d (the lock must stay at 0.1.3)\n%s", code, stderr)
				}
				code, _, stderr := runWcomp("update", "provider", "--manifest-path", manifest)
				if code != 0 || !strings.Contains(stderr, "component provider: version 0.1.3 → 0.1.4") || !strings.Contains(readFile(t, filepath.Join(dir, "wcomp.lock")), `version = "0.1.4"`) {
					t.Errorf("update provider: exit %d\n%s", code, stderr)
				}
			}
			// The registry is no longer needed: everything is locked and cached.
			reg.Kill()
			defer reg.Restart()
			if code, _, stderr := runWcomp("build", "--locked", "--offline", "--manifest-path", manifest); code != 0 {
				t.Errorf("build --locked --offline: exit %d\n%s", code, stderr)
			}
			t.Setenv("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "empty"))
			code, _, stderr = runWcomp("build", "--offline", "--manifest-path", manifest)
			if code != 1 || !strings.Contains(stderr, "not in the cache") || !strings.Contains(stderr, "component.toml:") {
				t.Errorf("build --offline, empty cache: exit %d\n%s", code, stderr)
			}
		})
	}
}

// wkgPath finds wkg (.ci/install.sh puts it in ~/.cargo/bin); outside CI
// a machine without it skips the test, in CI it fails.
func wkgPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("wkg"); err == nil {
		return p
	}
	if p := filepath.Join(os.Getenv("HOME"), ".cargo", "bin", "wkg"); fileExists(p) {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		if p := filepath.Join(home, ".cargo", "bin", "wkg"); fileExists(p) {
			return p
		}
	}
	ci.Skip(t, "wkg is not installed (.ci/install.sh installs it)")
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// runTool runs an outside tool, failing the test with its output.
func runTool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// buildEvents runs `wcomp build --message-format json` and returns the
// member events (compiling, cached, fresh) as "event member" strings and
// the warnings' messages. A running event (a toolchain's command) of a
// member whose events say it was not compiled fails the test.
func buildEvents(t *testing.T, dir string, args ...string) (events, warnings []string) {
	t.Helper()
	runs := map[string]int{}
	defer func() {
		for m, n := range runs {
			if !slices.Contains(events, "compiling "+m) {
				t.Errorf("%s: the toolchain ran %d times, but the member was not compiled", m, n)
			}
		}
	}()
	code, stdout, stderr := runWcomp(append([]string{"build", "-j", "1", "--message-format", "json", "--manifest-path", filepath.Join(dir, "component.toml")}, args...)...)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var ev struct{ Event, Member, Message string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		switch ev.Event {
		case "warning":
			warnings = append(warnings, ev.Member+": "+ev.Message)
		case "running":
			runs[ev.Member]++ // the toolchain ran
		case "compiling", "cached", "fresh":
			events = append(events, ev.Event+" "+ev.Member)
		}
	}
	return events, warnings
}

// checkout is a fresh copy of the pair project using the shared build
// cache at remote, with a cache directory of its own (another machine).
func checkout(t *testing.T, remote string) string {
	t.Helper()
	dir := pairProject(t)
	path := filepath.Join(dir, "component.toml")
	writeText(t, path, readFile(t, path)+"\n[cache]\nremote = \"oci://"+remote+"\"\n")
	t.Setenv("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "cache"))
	return dir
}

// TestRemoteBuildCache: two clean checkouts of one project, each with its
// own local cache, share a real registry as [cache] remote. The second
// takes every member from the cache instead of building it (no toolchain
// runs: mk.sh would leave out/ behind) and composes byte-identical
// output; an entry that is corrupt, or stored for another member, is
// ignored with a warning and the member is built.
func TestRemoteBuildCache(t *testing.T) {
	registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	remote := reg.Host + "/team/wcomp-cache"

	first := checkout(t, remote)
	events, warnings := buildEvents(t, first)
	if want := "compiling consumer,compiling provider"; strings.Join(sorted(events), ",") != want || len(warnings) > 0 {
		t.Fatalf("first checkout: events %q, warnings %q; want %s", events, warnings, want)
	}

	second := checkout(t, remote)
	events, warnings = buildEvents(t, second)
	if want := "cached consumer,cached provider"; strings.Join(sorted(events), ",") != want || len(warnings) > 0 {
		t.Errorf("second checkout: events %q, warnings %q; want %s", events, warnings, want)
	}
	for _, m := range []string{"provider", "consumer"} {
		if _, err := os.Stat(filepath.Join(second, m, "out")); err == nil {
			t.Errorf("%s's toolchain ran in the second checkout", m)
		}
	}
	if readFile(t, filepath.Join(first, "target", "pair.wasm")) != readFile(t, filepath.Join(second, "target", "pair.wasm")) {
		t.Error("the cached build's output differs from the built one")
	}
	// Adopted members are fresh from now on; --no-remote-cache builds.
	if events, _ = buildEvents(t, second); strings.Join(sorted(events), ",") != "fresh consumer,fresh provider" {
		t.Errorf("after a cached build: %q", events)
	}
	third := checkout(t, remote)
	if events, _ = buildEvents(t, third, "--no-remote-cache"); strings.Join(sorted(events), ",") != "compiling consumer,compiling provider" {
		t.Errorf("--no-remote-cache: %q", events)
	}

	// An entry stored for another member under provider's inputs.
	var fp struct{ Inputs string }
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(first, "target", "wcomp", "fingerprints", "provider.json"))), &fp); err != nil {
		t.Fatal(err)
	}
	consumer := filepath.Join(first, "target", "wcomp", "members", "consumer.wasm")
	pushJSON(t, consumer, remote+":"+strings.TrimPrefix(fp.Inputs, "sha256:"), "--force",
		"--annotation", "dev.wcomp.build.member=consumer", "--annotation", "dev.wcomp.build.inputs="+fp.Inputs)
	fourth := checkout(t, remote)
	events, warnings = buildEvents(t, fourth)
	if strings.Join(sorted(events), ",") != "cached consumer,compiling provider" || len(warnings) != 1 ||
		!strings.Contains(warnings[0], `provider: remote cache entry ignored, building instead: `) || !strings.Contains(warnings[0], `stored for member "consumer"`) {
		t.Errorf("mismatched entry: events %q, warnings %q", events, warnings)
	}

	// As a user sees it.
	human := checkout(t, remote)
	code, _, stderr := runWcomp("build", "-j", "1", "--manifest-path", filepath.Join(human, "component.toml"))
	if code != 0 || !strings.Contains(stderr, "      Cached consumer (command)\n") || !strings.Contains(stderr, "warning: member provider: remote cache entry ignored, building instead: ") {
		t.Errorf("status lines: exit %d\n%s", code, stderr)
	}

	// Every blob the registry holds corrupted on its disk.
	blobs := filepath.Join(reg.Storage, "docker", "registry", "v2", "blobs")
	n := 0
	err := filepath.Walk(blobs, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Name() != "data" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		data[len(data)/2] ^= 0xff
		n++
		return os.WriteFile(p, data, 0o644)
	})
	if err != nil || n == 0 {
		t.Fatalf("corrupting %s: %v (%d blobs)", blobs, err, n)
	}
	fifth := checkout(t, remote)
	events, warnings = buildEvents(t, fifth)
	if strings.Join(sorted(events), ",") != "compiling consumer,compiling provider" || len(warnings) != 2 {
		t.Errorf("corrupt entries: events %q, warnings %q", events, warnings)
	}
	for _, w := range warnings {
		if !strings.Contains(w, "remote cache entry ignored") || !strings.Contains(w, "digest") {
			t.Errorf("corrupt entry warning: %q", w)
		}
	}
	if readFile(t, filepath.Join(first, "target", "pair.wasm")) != readFile(t, filepath.Join(fifth, "target", "pair.wasm")) {
		t.Error("the rebuilt output differs")
	}
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	slices.Sort(s)
	return s
}

// publishDigest runs `wcomp publish --json` in dir and returns the result.
func publish(t *testing.T, dir string, args ...string) (code int, out publishOutput, stderr string) {
	t.Helper()
	code, stdout, stderr := runWcomp(append([]string{"publish", "--json", "--manifest-path", filepath.Join(dir, "component.toml")}, args...)...)
	if code == 0 {
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("publish --json: %v\n%s", err, stdout)
		}
	}
	return code, out, stderr
}

// TestPublish: `wcomp publish` builds and pushes the composed component
// under [package] version with [package]'s annotations; publishing again
// changes nothing, different content needs --force, and a clean checkout
// of the same sources publishes the same manifest digest (the created time
// is SOURCE_DATE_EPOCH's).
func TestPublish(t *testing.T) {
	registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	setup := func() string {
		dir := pairProject(t)
		path := filepath.Join(dir, "component.toml")
		text := strings.Replace(readFile(t, path), "version = \"0.1.0\"\n", "version = \"0.1.0\"\ndescription = \"A greeter and its user\"\nlicense = \"Apache-2.0\"\n", 1)
		writeText(t, path, text+"\n[registries]\ntest = \""+reg.Host+"/acme/\"\n")
		return dir
	}
	dir := setup()
	code, first, stderr := publish(t, dir)
	if code != 0 {
		t.Fatalf("publish: exit %d\n%s", code, stderr)
	}
	if first.Reference != reg.Host+"/acme/test/pair:0.1.0" || first.Version != "0.1.0" || first.Unchanged || !strings.Contains(stderr, "   Published test:pair@0.1.0 to "+first.Reference) {
		t.Errorf("publish: %+v\n%s", first, stderr)
	}
	code, pulledJSON, stderr := runWcomp("pull", first.Reference, "--json", "-o", filepath.Join(t.TempDir(), "pair.wasm"))
	if code != 0 {
		t.Fatalf("pull: %s", stderr)
	}
	var pulled struct {
		Digest      string
		File        string
		Annotations map[string]string
	}
	if err := json.Unmarshal([]byte(pulledJSON), &pulled); err != nil {
		t.Fatal(err)
	}
	if pulled.Digest != first.Digest || pulled.Annotations["org.opencontainers.image.version"] != "0.1.0" ||
		pulled.Annotations["org.opencontainers.image.description"] != "A greeter and its user" || pulled.Annotations["org.opencontainers.image.licenses"] != "Apache-2.0" {
		t.Errorf("pulled: %+v", pulled)
	}
	if readFile(t, pulled.File) != readFile(t, filepath.Join(dir, "target", "pair.wasm")) {
		t.Error("the published component differs from target/pair.wasm")
	}
	byWKG := filepath.Join(t.TempDir(), "by-wkg.wasm")
	runTool(t, wkgPath(t), "oci", "pull", "--insecure", reg.Host, first.Reference, "-o", byWKG)
	if readFile(t, byWKG) != readFile(t, filepath.Join(dir, "target", "pair.wasm")) {
		t.Error("wkg pulled something else than target/pair.wasm")
	}

	// Reproducible: again, and from a clean checkout.
	if code, again, _ := publish(t, dir); code != 0 || !again.Unchanged || again.Digest != first.Digest {
		t.Errorf("publish again: exit %d %+v", code, again)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(t.TempDir(), "cache"))
	if code, clean, _ := publish(t, setup()); code != 0 || !clean.Unchanged || clean.Digest != first.Digest {
		t.Errorf("publish from a clean checkout: exit %d %+v, want digest %s", code, clean, first.Digest)
	}

	// Different content under the same version.
	writeText(t, filepath.Join(dir, "provider", "src.txt"), "provider v2\n")
	code, _, stderr = publish(t, dir)
	if code != 1 || !strings.Contains(stderr, "tag 0.1.0 is already published as manifest "+first.Digest) || !strings.Contains(stderr, "--force") {
		t.Errorf("publish over a published version: exit %d\n%s", code, stderr)
	}
	code, forced, stderr := publish(t, dir, "--force")
	if code != 0 || forced.Replaced != first.Digest || forced.Digest == first.Digest {
		t.Errorf("publish --force: exit %d %+v\n%s", code, forced, stderr)
	}
	// Another SOURCE_DATE_EPOCH is another artifact.
	t.Setenv("SOURCE_DATE_EPOCH", "1764633600")
	if code, later, _ := publish(t, dir, "--force"); code != 0 || later.Digest == forced.Digest {
		t.Errorf("publish with another SOURCE_DATE_EPOCH: exit %d %+v", code, later)
	}
}

// TestAddCommand: `wcomp add` writes registry members and WIT
// dependencies into a commented component.toml, leaving the rest as it
// was, and pins them in wcomp.lock; refusals leave both files alone.
func TestAddCommand(t *testing.T) {
	dir := pairProject(t)
	home := registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	provider := putFile(t, home, "provider.wasm", wasmtools.DummyComponent(t, filepath.Join(dir, "wit", "pair.wit"), "provider"))
	for _, v := range []string{"0.1.0", "0.1.3", "0.2.0"} {
		pushJSON(t, provider, reg.Host+"/test/greeter:"+v)
	}
	types := putFile(t, home, "types.wit", []byte("package test:types@0.1.0;\n\ninterface names {\n  type name = string;\n}\n"))
	pushJSON(t, putFile(t, home, "types.wasm", wasmtools.EncodeWIT(t, types)), reg.Host+"/test/types:0.1.0")

	path := filepath.Join(dir, "component.toml")
	writeText(t, path, "# The pair, as a team writes it.\n"+strings.Replace(readFile(t, path), "[components.provider]", "# Made here.\n[components.provider]  # the greeter", 1)+
		"\n[registries]\ntest = \""+reg.Host+"\"  # the team's registry\n")
	steps := []string{
		"add test:greeter",
		"add test:greeter@^0.1 --name old-greeter",
		"add --oci " + reg.Host + "/test/greeter:0.1.0 --name pinned",
		"add test:types --wit",
		"add test:greeter",
		"add test:types --wit",
		"add test:nothing",
		"add test:greeter@^3 --name newest",
		"add --oci " + reg.Host + "/test/greeter:9.9.9 --name missing",
		"add --oci " + reg.Host + "/test/my_greeter:0.1.0",
		"add test:greeter --name Greeter",
	}
	var b strings.Builder
	for _, step := range steps {
		code, stdout, stderr := runWcomp(append(strings.Fields(step), "--manifest-path", path)...)
		fmt.Fprintf(&b, "$ wcomp %s\n%s%s[exit %d]\n\n", step, stdout, stderr, code)
	}
	fmt.Fprintf(&b, "-- component.toml --\n%s", readFile(t, path))
	got := strings.ReplaceAll(mask(b.String(), dir), reg.Host, "$REGISTRY")
	golden.Check(t, "testdata/add.txt", got)

	lock := readFile(t, filepath.Join(dir, "wcomp.lock"))
	for _, want := range []string{`name = "greeter"`, `version = "0.2.0"`, `name = "old-greeter"`, `version = "0.1.3"`, `name = "pinned"`, `name = "test:types"`} {
		if !strings.Contains(lock, want) {
			t.Errorf("wcomp.lock lacks %s:\n%s", want, lock)
		}
	}
}

// TestPublishWIT: `wcomp publish --wit` publishes the project's WIT
// package encoded as wasm; wasm-tools validates it and reads it back as
// the WIT its own encoding gives; a second project then takes it as a
// registry WIT dependency, vendors it and builds against it.
func TestPublishWIT(t *testing.T) {
	registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	registries := "\n[registries]\ntest = \"" + reg.Host + "/acme/\"\n"
	dir := pairProject(t)
	manifest := filepath.Join(dir, "component.toml")
	writeText(t, manifest, readFile(t, manifest)+registries)
	code, out, stderr := publish(t, dir, "--wit")
	if code != 0 {
		t.Fatalf("publish --wit: exit %d\n%s", code, stderr)
	}
	if out.Kind != "wit" || out.Reference != reg.Host+"/acme/test/pair:0.1.0" {
		t.Errorf("publish --wit: %+v", out)
	}
	pulled := filepath.Join(t.TempDir(), "pair-wit.wasm")
	if code, _, stderr := runWcomp("pull", out.Reference, "-o", pulled); code != 0 {
		t.Fatalf("pull: %s", stderr)
	}
	wasm := []byte(readFile(t, pulled))
	if err := wasmtools.Validate(t, wasm); err != nil {
		t.Fatalf("wasm-tools validate: %v", err)
	}
	byWKG := filepath.Join(t.TempDir(), "by-wkg.wasm")
	runTool(t, wkgPath(t), "oci", "pull", "--insecure", reg.Host, out.Reference, "-o", byWKG)
	if readFile(t, byWKG) != string(wasm) {
		t.Error("wkg pulled something else than wcomp did")
	}
	if got, want := wasmtools.ComponentWIT(t, wasm), wasmtools.ComponentWIT(t, wasmtools.EncodeWIT(t, filepath.Join(dir, "wit"))); got != want {
		t.Errorf("wasm-tools reads the published package as\n%s\nwant (its own encoding)\n%s", got, want)
	}
	if code, again, _ := publish(t, dir, "--wit"); code != 0 || !again.Unchanged || again.Digest != out.Digest {
		t.Errorf("publish --wit again: exit %d %+v", code, again)
	}

	// A second project uses it.
	app := t.TempDir()
	writeText(t, filepath.Join(app, "mk.sh"), readFile(t, filepath.Join(dir, "mk.sh")))
	writeText(t, filepath.Join(app, "consumer", "src.txt"), "consumer of a published package\n")
	writeText(t, filepath.Join(app, "wit", "app.wit"), "package test:app@0.1.0;\n\nworld consumer {\n  import test:pair/greeter@0.1.0;\n  export run: func() -> string;\n}\n")
	writeText(t, filepath.Join(app, "component.toml"), `[package]
name = "test:app"
version = "0.1.0"

[wit.dependencies]
"test:pair" = "0.1"

[components.consumer]
language = "command"
artifact = "out/consumer.wasm"
build.command = ["sh", "../mk.sh", "consumer"]
build.watch = ["src.txt"]
`+registries)
	code, _, stderr = runWcomp("build", "--manifest-path", filepath.Join(app, "component.toml"))
	if code != 0 {
		t.Fatalf("build of the project that uses the package: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(app, "wit", "deps", "test-pair-0.1.0", "package.wit")); err != nil {
		t.Errorf("the package was not vendored: %v\n%s", err, stderr)
	}
	lock := readFile(t, filepath.Join(app, "wcomp.lock"))
	if !strings.Contains(lock, `name = "test:pair"`) || !strings.Contains(lock, `manifest = "`+out.Digest+`"`) || !strings.Contains(lock, `digest = "`+out.LayerDigest+`"`) {
		t.Errorf("wcomp.lock does not pin the published package (%s, layer %s):\n%s", out.Digest, out.LayerDigest, lock)
	}
	built, err := os.ReadFile(filepath.Join(app, "target", "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if wit := wasmtools.ComponentWIT(t, built); !strings.Contains(wit, "import test:pair/greeter@0.1.0;") {
		t.Errorf("the built component does not import the package's interface:\n%s", wit)
	}
}

// TestRemoteBuildCacheUploadRefused: a remote cache that refuses uploads
// (a read-only token, here a 403 from a proxy in front of the registry)
// costs a warning per member, never the build.
func TestRemoteBuildCacheUploadRefused(t *testing.T) {
	registryEnv(t)
	reg := registrytest.Start(t, registrytest.Options{})
	proxy := registrytest.NewProxy(t, reg.Host)
	proxy.Inject(registrytest.Fault{Method: "POST", Action: registrytest.Status, Status: 403})
	dir := checkout(t, proxy.Host+"/team/wcomp-cache")
	events, warnings := buildEvents(t, dir)
	if strings.Join(sorted(events), ",") != "compiling consumer,compiling provider" || len(warnings) != 2 {
		t.Fatalf("events %q, warnings %q", events, warnings)
	}
	for _, w := range warnings {
		if !strings.Contains(w, "storing the build in the remote cache failed") || !strings.Contains(w, "403") {
			t.Errorf("warning %q", w)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "target", "pair.wasm")); err != nil {
		t.Error(err)
	}
}
