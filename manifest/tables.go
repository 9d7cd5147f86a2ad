package manifest

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/internal/membername"
)

// file decodes every table of the manifest, reporting problems as it goes.
func (p *parser) file(raw map[string]any) *File {
	f := &File{Filename: p.filename, Dir: filepath.Dir(p.filename)}
	top := &table{p: p, m: raw, pos: p.top()}
	f.Package = p.pkg(top)
	f.Target = p.target(top)
	f.WIT = p.wit(top)
	f.Components = p.members(top)
	f.Compose = p.compose(top, f)
	f.Capabilities = p.capabilities(top)
	f.Run = p.run(top)
	f.Registries = p.registries(top)
	f.Cache = p.cache(top)
	p.duplicateDirs(f)
	return f
}

// check reports err, if any, against the string s: at the offset inside
// s that err names, else at s.
func (p *parser) check(s String, key string, err error) bool {
	if err == nil {
		return true
	}
	pos := s.Pos
	var ae *atError
	if errors.As(err, &ae) {
		pos = s.At(ae.at)
	}
	p.errorf(pos, key, "%v", err)
	return false
}

// orEmpty returns the table at key, or an empty one at the parent's place
// when it is absent, so defaults apply uniformly.
func (t *table) orEmpty(key string) *table {
	if s := t.sub(key); s != nil {
		return s
	}
	return &table{p: t.p, path: t.child(key), m: map[string]any{}, pos: t.pos}
}

// hasTable reports whether key is a table in the file, so that
// t.orEmpty(key) is not a stand-in for an absent or mistyped one.
func (t *table) hasTable(key string) bool {
	_, ok := t.m[key].(map[string]any)
	return ok
}

// required reports a missing key.
func (t *table) required(key, what string) {
	if !t.has(key) {
		t.p.errorf(t.pos, t.key(key), "missing: %s", what)
	}
}

// itemKey names element i of the list at key.
func (t *table) itemKey(key string, i int) string { return fmt.Sprintf("%s[%d]", t.key(key), i) }

// checkItems runs check on every item of the list at key, and refuses
// duplicates when unique is set.
func (t *table) checkItems(l List, key string, unique bool, check func(string) error) {
	seen := map[string]int{}
	for i, s := range l.Items {
		if s.Value == "" {
			t.p.errorf(s.Pos, t.itemKey(key, i), "empty string")
			continue
		}
		if check != nil && !t.p.check(s, t.itemKey(key, i), check(s.Value)) {
			continue
		}
		if j, dup := seen[s.Value]; dup && unique {
			t.p.errorf(s.Pos, t.itemKey(key, i), "%q is listed twice (also at %s)", s.Value, lineCol(l.Items[j].Pos))
		}
		seen[s.Value] = i
	}
}

func (p *parser) pkg(top *table) Package {
	t := top.orEmpty("package")
	present := top.hasTable("package")
	if !top.has("package") {
		p.errorf(p.top(), "package", `missing [package] table, with name = "ns:name" and version = "0.1.0"`)
	}
	pk := Package{Pos: t.pos}
	pk.Name = t.str("name", "")
	pk.Version = t.str("version", "")
	if present {
		t.required("name", `the package name, e.g. name = "example:service"`)
		t.required("version", `the package version, e.g. version = "0.1.0"`)
	}
	if pk.Name.Set {
		p.check(pk.Name, t.key("name"), checkPackageName(pk.Name.Value))
	}
	if pk.Version.Set {
		p.check(pk.Version, t.key("version"), checkVersion(pk.Version.Value))
	}
	pk.Description = t.str("description", "")
	pk.License = t.str("license", "")
	if pk.License.Set {
		p.check(pk.License, t.key("license"), checkSPDX(pk.License.Value))
	}
	pk.Authors = t.list("authors")
	t.checkItems(pk.Authors, "authors", true, nil)
	pk.Repository = t.str("repository", "")
	if pk.Repository.Set {
		p.check(pk.Repository, t.key("repository"), checkURL(pk.Repository.Value, "https", "http"))
	}
	return pk
}

func (p *parser) target(top *table) Target {
	t := top.orEmpty("target")
	tg := Target{Pos: t.pos, Set: top.hasTable("target")}
	tg.World = t.str("world", "")
	if tg.Set {
		t.required("world", `the world the result must conform to, e.g. world = "wasi:cli/command@0.2.x"`)
	}
	if tg.World.Set {
		ref, err := parseWorld(tg.World.Value, true)
		if p.check(tg.World, t.key("world"), err) {
			tg.Ref = ref
		}
	}
	return tg
}

func (p *parser) wit(top *table) WIT {
	t := top.orEmpty("wit")
	w := WIT{Pos: t.pos}
	w.Dir = t.str("dir", "wit")
	if w.Dir.Set {
		p.check(w.Dir, t.key("dir"), checkPath(w.Dir.Value, "", inProject))
	}
	deps := t.sub("dependencies")
	if deps == nil {
		return w
	}
	for _, name := range deps.keys() {
		if d := p.witDependency(deps, name); d != nil {
			w.Dependencies = append(w.Dependencies, d)
		}
	}
	return w
}

func (p *parser) witDependency(deps *table, name string) *WITDependency {
	d := &WITDependency{Name: name, Pos: deps.keyPos(name)}
	if err := checkPackageName(name); err != nil {
		p.errorf(d.Pos, deps.key(name), "%v", unwrapAt(err))
	}
	switch v := deps.m[name].(type) {
	case string:
		d.Kind = DepRegistry
		d.Version = deps.str(name, "")
		unset := String{Pos: d.Version.Pos}
		d.Path, d.URL, d.Digest, d.Subdir = unset, unset, unset, unset
		if req, err := parseReq(v); p.check(d.Version, deps.key(name), err) {
			d.Req = req
		}
		return d
	case map[string]any:
	default:
		deps.typeError(name, `a version requirement ("0.2.x") or a table ({ path = "…" })`, v)
		return nil
	}
	t := deps.sub(name)
	kinds := p.sources(t, kindWITDep, []string{"version", "path", "url"}, `set one of version, path or url, e.g. { path = "../types/wit" }`,
		"a WIT dependency has one source (version, path or url)")
	switch kinds {
	case "version":
		d.Kind = DepRegistry
	case "path":
		d.Kind = DepPath
	case "url":
		d.Kind = DepURL
	}
	d.Version = t.str("version", "")
	if d.Version.Set {
		if req, err := parseReq(d.Version.Value); p.check(d.Version, t.key("version"), err) {
			d.Req = req
		}
	}
	d.Path = t.str("path", "")
	if d.Path.Set {
		p.check(d.Path, t.key("path"), checkPath(d.Path.Value, "", anywhere))
	}
	d.URL = t.str("url", "")
	d.Digest = t.str("digest", "")
	d.Subdir = t.str("subdir", "")
	if d.URL.Set {
		p.check(d.URL, t.key("url"), checkURL(d.URL.Value, "https", "http"))
	}
	if kinds == "url" && !t.has("digest") && !t.has("sha256") {
		p.errorf(t.keyPos("url"), t.key("url"), `needs digest = "sha256:<hex>": a URL dependency is pinned by the digest of its bytes`)
	}
	if d.Digest.Set {
		p.check(d.Digest, t.key("digest"), checkDigest(d.Digest.Value))
	}
	if d.Subdir.Set {
		p.check(d.Subdir, t.key("subdir"), checkPath(d.Subdir.Value, "", inProject))
	}
	if kinds != "" && kinds != "url" {
		for _, k := range []string{"digest", "subdir"} {
			if t.has(k) {
				p.errorf(t.keyPos(k), t.key(k), "goes with url; this dependency's source is %s", kinds)
			}
		}
	}
	return d
}

// sources finds which of the source keys t sets, reports none or several,
// and returns the first (in file order), or "".
func (p *parser) sources(t *table, kind tableKind, keys []string, none, several string) string {
	var set []string
	for _, k := range keys {
		if t.has(k) {
			set = append(set, k)
		}
	}
	sort.SliceStable(set, func(i, j int) bool { return t.keyPos(set[i]).Offset < t.keyPos(set[j]).Offset })
	switch len(set) {
	case 0:
		if !misspelt(t, kind, keys) {
			p.errorf(t.pos, keyString(t.path), "no source: %s", none)
		}
		return ""
	case 1:
		return set[0]
	}
	first := t.keyPos(set[0])
	for _, k := range set[1:] {
		p.errorf(t.keyPos(k), t.key(k), "%s, and this one already has %s (at %s)", several, set[0], lineCol(first))
	}
	return ""
}

// misspelt reports whether t has an unknown key that looks like one of
// keys: then "no source" would only repeat the did-you-mean hint.
func misspelt(t *table, kind tableKind, keys []string) bool {
	for k := range t.m {
		if known(kind, k) {
			continue
		}
		if s := suggest(k, keys); s != "" {
			return true
		}
	}
	return false
}

// lineCol is a short reference to another place in the same file.
func lineCol(p Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// languageAliases are names users reach for that mean a valid language.
var languageAliases = map[string]Language{
	"javascript": JS, "typescript": JS, "ts": JS, "node": JS,
	"py": Python, "python3": Python,
	"rs":     Rust,
	"golang": Go, "tinygo": Go,
	"sh": Command, "shell": Command, "make": Command, "custom": Command,
}

var sourceKinds = map[string]SourceKind{
	"language": SourceBuild, "path": SourcePath, "url": SourceURL, "oci": SourceOCI, "package": SourceRegistry,
}

func (p *parser) members(top *table) []*Member {
	t := top.sub("components")
	if t == nil {
		return nil
	}
	var out []*Member
	for _, name := range t.keys() {
		if err := membername.Check(name); err != nil {
			p.errorf(t.keyPos(name), t.key(name), "%v", err)
		}
		if _, ok := t.m[name].(map[string]any); !ok {
			t.typeError(name, "a table ([components."+name+"] with language = … or path = …)", t.m[name])
			continue
		}
		out = append(out, p.member(t.sub(name), name))
	}
	return out
}

func (p *parser) member(t *table, name string) *Member {
	m := &Member{Name: name, Pos: t.pos}
	src := p.sources(t, kindMember, []string{"language", "path", "url", "oci", "package"},
		"set language to build it from source, or one of path, url, oci or package for a prebuilt component",
		"a member has one source (language, path, url, oci or package)")
	m.Source = sourceKinds[src]

	m.Language = t.str("language", "")
	if m.Language.Set {
		p.check(m.Language, t.key("language"), checkLanguage(m.Language.Value))
	}
	// dir and world default to the name only where they mean something:
	// for members built from source.
	def := ""
	if t.has("language") {
		def = name
	}
	m.Dir = t.str("dir", def)
	if m.Dir.Set {
		p.check(m.Dir, t.key("dir"), checkPath(m.Dir.Value, "", inProject))
	}
	m.World = t.str("world", def)
	if m.World.Set {
		_, err := parseWorld(m.World.Value, false)
		p.check(m.World, t.key("world"), err)
	}
	m.Artifact = t.str("artifact", "")
	if m.Artifact.Set {
		p.check(m.Artifact, t.key("artifact"), checkPath(m.Artifact.Value, m.Dir.Value, inProject))
	}
	m.Module = t.str("module", "")
	m.Entry = t.str("entry", "")
	if m.Entry.Set {
		p.check(m.Entry, t.key("entry"), checkPath(m.Entry.Value, m.Dir.Value, inProject))
	}
	m.DisableFeatures = t.list("disable-features")
	t.checkItems(m.DisableFeatures, "disable-features", true, checkJSFeature)
	m.Build = p.build(t, m)

	m.Path = t.str("path", "")
	if m.Path.Set {
		p.check(m.Path, t.key("path"), checkPath(m.Path.Value, "", anywhere))
	}
	m.URL = t.str("url", "")
	if m.URL.Set {
		p.check(m.URL, t.key("url"), checkURL(m.URL.Value, "https", "http"))
	}
	if m.Source == SourceURL && !t.has("digest") && !t.has("sha256") {
		p.errorf(t.keyPos("url"), t.key("url"), `needs digest = "sha256:<hex>": a URL member is pinned by the digest of its bytes`)
	}
	m.Digest = t.str("digest", "")
	if m.Digest.Set {
		p.check(m.Digest, t.key("digest"), checkDigest(m.Digest.Value))
	}
	m.OCI = t.str("oci", "")
	if m.OCI.Set {
		p.check(m.OCI, t.key("oci"), checkOCI(m.OCI.Value))
	}
	m.Package = t.str("package", "")
	if m.Package.Set {
		p.check(m.Package, t.key("package"), checkPackageName(m.Package.Value))
		if !t.has("version") {
			p.errorf(t.keyPos("package"), t.key("package"), `needs version, the requirement to resolve, e.g. version = "^1.2"`)
		}
	}
	m.Version = t.str("version", "")
	if m.Version.Set {
		if req, err := parseReq(m.Version.Value); p.check(m.Version, t.key("version"), err) {
			m.Req = req
		}
	}
	m.Capabilities = t.list("capabilities")
	t.checkItems(m.Capabilities, "capabilities", true, checkPattern)

	if m.Source != 0 {
		p.memberKeysFit(t, m)
	}
	return m
}

// memberKeysFit refuses keys that do not apply to the member's source and
// language, and asks for those a `command` member cannot do without.
func (p *parser) memberKeysFit(t *table, m *Member) {
	if m.Source != SourceBuild {
		for _, k := range []string{"dir", "world", "artifact", "module", "entry", "disable-features", "build"} {
			if t.has(k) {
				p.errorf(t.keyPos(k), t.key(k), "only for members built from source (with language); this member's source is %s", m.Source)
			}
		}
	}
	if t.has("digest") && m.Source != SourceURL {
		p.errorf(t.keyPos("digest"), t.key("digest"), "goes with url; this member's source is %s", m.Source)
	}
	if t.has("version") && m.Source != SourceRegistry {
		p.errorf(t.keyPos("version"), t.key("version"), "goes with package (a registry member); this member's source is %s", m.Source)
	}
	if m.Source != SourceBuild {
		return
	}
	lang := m.Language.Value
	if m.Module.Set && lang != Python {
		p.errorf(t.keyPos("module"), t.key("module"), "only for python members; this one is %s", lang)
	}
	if m.Entry.Set && lang != JS {
		p.errorf(t.keyPos("entry"), t.key("entry"), "only for js members; this one is %s", lang)
	}
	if m.DisableFeatures.Set && lang != JS {
		p.errorf(t.keyPos("disable-features"), t.key("disable-features"), "only for js members (componentize-js features); this one is %s", lang)
	}
	if lang == Command {
		if !m.Build.Command.Set {
			p.errorf(m.Pos, keyString(t.path), `language "command" needs build.command, the command that builds the component`)
		}
		if !m.Artifact.Set {
			p.errorf(m.Pos, keyString(t.path), `language "command" needs artifact, the file the command writes`)
		}
	}
}

func checkLanguage(s string) error {
	for _, l := range Languages() {
		if s == l {
			return nil
		}
	}
	hint := ""
	if l, ok := languageAliases[strings.ToLower(s)]; ok {
		hint = fmt.Sprintf("; did you mean %s?", l)
	} else if l := suggest(s, Languages()); l != "" {
		hint = fmt.Sprintf("; did you mean %s?", l)
	}
	return fmt.Errorf("unknown language %q%s (expected %s)", s, hint, joinOr(Languages(), "or"))
}

func (p *parser) build(mt *table, m *Member) Build {
	t := mt.orEmpty("build")
	b := Build{Pos: t.pos, Set: mt.hasTable("build")}
	b.Command = p.command(t)
	b.Workdir = t.str("workdir", ".")
	if b.Workdir.Set {
		p.check(b.Workdir, t.key("workdir"), checkPath(b.Workdir.Value, m.Dir.Value, inProject))
	}
	b.Watch = t.list("watch")
	t.checkItems(b.Watch, "watch", true, func(g string) error { return checkGlob(g, m.Dir.Value) })
	b.Env = t.strMap("env")
	p.checkEnvNames(b.Env, t.key("env"))
	return b
}

func (p *parser) command(t *table) BuildCommand {
	c := BuildCommand{Pos: t.pos, Shell: String{Pos: t.pos}, Argv: List{Pos: t.pos}}
	switch v := t.m["command"].(type) {
	case nil:
		return c
	case string:
		c.Shell = t.str("command", "")
		c.Pos, c.Set = c.Shell.Pos, true
		if strings.TrimSpace(v) == "" {
			p.errorf(c.Pos, t.key("command"), "empty command")
		}
	case []any:
		c.Argv = t.list("command")
		c.Pos, c.Set = c.Argv.Pos, true
		if len(v) == 0 {
			p.errorf(c.Pos, t.key("command"), `empty command: write the program and its arguments, e.g. ["make", "wasm"]`)
		} else if len(c.Argv.Items) > 0 && c.Argv.Items[0].Value == "" {
			p.errorf(c.Argv.Items[0].Pos, t.itemKey("command", 0), "empty program name")
		}
	default:
		t.typeError("command", "a string (run with sh -c) or an array of strings (argv)", v)
	}
	return c
}

// checkEnvNames checks environment variable names: [A-Za-z_][A-Za-z0-9_]*.
func (p *parser) checkEnvNames(m Map, key string) {
	for _, e := range m.Entries {
		ok := e.Key != ""
		for i := 0; i < len(e.Key); i++ {
			c := e.Key[i]
			if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && i > 0) {
				ok = false
			}
		}
		if !ok {
			p.errorf(e.KeyPos, key+"."+keyString([]string{e.Key}), "invalid environment variable name %q (expected letters, digits and _, not starting with a digit)", e.Key)
		}
	}
}

func (p *parser) compose(top *table, f *File) Compose {
	t := top.orEmpty("compose")
	c := Compose{Pos: t.pos}
	c.Root = t.str("root", "")
	if c.Root.Set {
		p.checkMemberRef(f, c.Root, t.key("root"))
	}
	c.AutoPlug = t.boolean("auto-plug", true)
	c.Wires = t.list("wires")
	t.checkItems(c.Wires, "wires", true, nil)
	c.Imports = t.list("imports")
	t.checkItems(c.Imports, "imports", true, nil)
	c.Exports = t.list("exports")
	t.checkItems(c.Exports, "exports", true, nil)
	c.Instances = t.list("instances")
	t.checkItems(c.Instances, "instances", true, nil)
	for i, s := range c.Instances.Items {
		if s.Value != "" {
			p.checkMemberRef(f, s, t.itemKey("instances", i))
		}
	}
	c.ShareModules = t.boolean("share-modules", true)
	c.WAC = t.str("wac", "")
	if c.WAC.Set {
		p.check(c.WAC, t.key("wac"), checkPath(c.WAC.Value, "", inProject))
		for _, k := range []string{"root", "auto-plug", "wires", "imports", "exports", "instances"} {
			if t.has(k) {
				p.errorf(t.keyPos(k), t.key(k), "not with wac: the WAC document %s describes the whole graph (only share-modules goes beside it)", c.WAC.Value)
			}
		}
	}
	return c
}

// checkMemberRef reports a member name that no [components.NAME] declares.
func (p *parser) checkMemberRef(f *File, s String, key string) {
	if err := unknownMember(f, s.Value); err != nil {
		p.errorf(s.Pos, key, "%v", err)
	}
}

// unknownMember returns an error unless name is a member of f.
func unknownMember(f *File, name string) error {
	if f.Member(name) != nil {
		return nil
	}
	names := make([]string, len(f.Components))
	for i, m := range f.Components {
		names[i] = m.Name
	}
	switch {
	case len(names) == 0:
		return fmt.Errorf("unknown member %q: no [components.NAME] tables are declared", name)
	case suggest(name, names) != "":
		return fmt.Errorf("unknown member %q; did you mean %s?", name, suggest(name, names))
	}
	return fmt.Errorf("unknown member %q (members: %s)", name, strings.Join(names, ", "))
}

func (p *parser) capabilities(top *table) Capabilities {
	t := top.orEmpty("capabilities")
	c := Capabilities{Pos: t.pos}
	for _, l := range []struct {
		key  string
		list *List
	}{{"allow", &c.Allow}, {"deny", &c.Deny}, {"stub", &c.Stub}} {
		*l.list = t.list(l.key)
		t.checkItems(*l.list, l.key, true, checkPattern)
	}
	vt := t.orEmpty("virtual")
	v := Virtual{Pos: vt.pos, Set: t.hasTable("virtual")}
	v.Env = vt.strMap("env")
	p.checkEnvNames(v.Env, vt.key("env"))
	v.Args = vt.list("args")
	vt.checkItems(v.Args, "args", false, nil)
	v.Files = vt.strMap("files")
	for _, e := range v.Files.Entries {
		key := vt.key("files") + "." + keyString([]string{e.Key})
		if !strings.HasPrefix(e.Key, "/") {
			p.errorf(e.KeyPos, key, "the guest path %q must be absolute, e.g. \"/data\"", e.Key)
		}
		p.check(e.Value, key, checkPath(e.Value.Value, "", inProject))
	}
	c.Virtual = v
	return c
}

func (p *parser) run(top *table) Run {
	t := top.orEmpty("run")
	r := Run{Pos: t.pos}
	r.Args = t.list("args")
	r.Env = t.strMap("env")
	p.checkEnvNames(r.Env, t.key("env"))
	dirs := t.list("dirs")
	for i, s := range dirs.Items {
		d, err := parseRunDir(s.Value)
		if err == nil {
			err = checkPath(d.Host, "", anywhere)
		}
		if !p.check(s, t.itemKey("dirs", i), err) {
			continue
		}
		d.Text = s
		r.Dirs = append(r.Dirs, d)
	}
	return r
}

func (p *parser) registries(top *table) []*Registry {
	t := top.sub("registries")
	if t == nil {
		return nil
	}
	var out []*Registry
	for _, ns := range t.keys() {
		r := &Registry{Namespace: ns, Pos: t.keyPos(ns)}
		if err := checkNamespace(ns); err != nil {
			p.errorf(r.Pos, t.key(ns), "%v", err)
		}
		switch v := t.m[ns].(type) {
		case string:
			s := t.str(ns, "")
			host, prefix, err := parseRegistryLocation(v)
			if !p.check(s, t.key(ns), err) {
				continue
			}
			r.Registry = String{Value: host, Pos: s.Pos, Set: true}
			r.Prefix = String{Value: prefix, Pos: s.Pos, Set: prefix != ""}
		case map[string]any:
			rt := t.sub(ns)
			r.Registry = rt.str("registry", "")
			rt.required("registry", `the registry host, e.g. registry = "ghcr.io"`)
			if r.Registry.Set {
				p.check(r.Registry, rt.key("registry"), checkRegistryHost(r.Registry.Value))
			}
			r.Prefix = rt.str("prefix", "")
			if r.Prefix.Set {
				prefix, err := normalizePrefix(r.Prefix.Value)
				if p.check(r.Prefix, rt.key("prefix"), err) {
					r.Prefix.Value = prefix
				}
			}
		default:
			t.typeError(ns, `a registry ("ghcr.io/acme/") or a table ({ registry = "ghcr.io", prefix = "acme/" })`, v)
			continue
		}
		out = append(out, r)
	}
	return out
}

func (p *parser) cache(top *table) Cache {
	t := top.orEmpty("cache")
	c := Cache{Pos: t.pos}
	c.Remote = t.str("remote", "")
	if top.hasTable("cache") {
		t.required("remote", `the shared cache's repository, e.g. remote = "oci://ghcr.io/acme/wcomp-cache"`)
	}
	if c.Remote.Set {
		host, repo, err := parseRemoteCache(c.Remote.Value)
		if p.check(c.Remote, t.key("remote"), err) {
			c.Registry, c.Repository = host, repo
		}
	}
	return c
}

// duplicateDirs refuses two members built from the same directory: their
// builds would race on the same outputs.
func (p *parser) duplicateDirs(f *File) {
	seen := map[string]*Member{}
	for _, m := range f.Components {
		if m.Source != SourceBuild {
			continue
		}
		dir := path.Clean(m.Dir.Value)
		if first, dup := seen[dir]; dup {
			key := keyString([]string{"components", m.Name, "dir"})
			how := ""
			if !m.Dir.Set {
				key, how = keyString([]string{"components", m.Name}), " (the default: the member's name)"
			}
			p.errorf(m.Dir.Pos, key, "directory %q%s is also the directory of member %s (at %s)", m.Dir.Value, how, first.Name, lineCol(first.Pos))
			continue
		}
		seen[dir] = m
	}
}
