package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/mmapfile"
	"github.com/wcomp/wcomp/policy"
)

// composeFlags are the flags of `wcomp compose`.
type composeFlags struct {
	plugs      []string
	wires      []string
	imports    []string
	exports    []string
	keep       []string
	noAutoPlug bool
	noShare    bool
	output     string
	name       string
	policy     policy.Flags
}

// newComposeCmd builds `wcomp compose`: link a root component with plug
// components into one component file.
func newComposeCmd() *cobra.Command {
	var f composeFlags
	var w wacFlags
	cmd := &cobra.Command{
		Use:   "compose [NAME=]ROOT.wasm [--plug [NAME=]P.wasm …] -o OUT.wasm",
		Short: "Link components into one, plugging imports with matching exports",
		Long: `Link a root component with plug components into one component.

Every import of the root (and of each plug, transitively) that a member exports
is plugged, exact names first, then semver-compatible ones; every link is
type-checked. Imports several members still need are merged into one import at
the highest compatible version. Member code is embedded unchanged. The result
exports the root's exports, unless --export says otherwise.

Members are named by their file stem (business.wasm → business) in the flags
below, in messages and in the output's name section. NAME=FILE names a member
explicitly: to tell apart two files with the same stem, or to instantiate one
component twice (the same FILE under two names is embedded once).

  --wire C:IMPORT=P:EXPORT   give member C's import IMPORT member P's export
                             EXPORT (C:IMPORT=P passes the whole instance P)
  --import NAME              the result imports NAME, typed as the members'
                             imports of that name, and every member importing
                             it takes it from there rather than from a plug
  --import NAME=C:IMPORT     the result imports NAME, typed as C's IMPORT, and
                             passes it to C (repeat NAME to pass it to several)
  --export I:NAME[=AS]       export member I's export NAME, as AS; I=AS exports
                             the whole instance I. The first --export replaces
                             the root's exports.
  --keep I                   instantiate I even if nothing uses it (a plug that
                             plugs nothing is an error otherwise)
  --no-auto-plug             plug nothing by name: what no --wire or --import
                             gives becomes an import of the result
  --no-share-modules         embed every member whole. By default a core module
                             (or nested component) that several members hold
                             byte for byte, as every componentize-py member
                             holds CPython, is stored once in the result, and
                             each member refers to it by an outer alias

A capability policy (--allow, --deny, --stub, --grant, --virtual-env) is
judged on what the result would import, member by member, before anything is
written: a denied import fails with the audit table (wcomp audit), naming the
member and the capability. Stubbed imports are served by generated deny-stubs
and --virtual-env by a generated wasi:cli/environment, each wired only to the
member imports it replaces, so the result no longer imports them. --grant
MEMBER=P,… lets MEMBER bring in only what the patterns match, whatever the
other members may.

The same inputs give the same bytes, whatever -o is.`,
		Example: `  wcomp compose business.wasm --plug validator.wasm -o app.wasm
  wcomp compose app.wasm --plug a.wasm --plug b.wasm \
      --wire app:example:svc/store=b:example:svc/store --keep a -o out.wasm
  wcomp compose app.wasm --plug outer=wrap.wasm --plug inner=wrap.wasm --plug base.wasm \
      --wire app:example:svc/x=outer:example:svc/x \
      --wire outer:example:svc/x=inner:example:svc/x \
      --wire inner:example:svc/x=base:example:svc/x -o out.wasm
  wcomp compose a.wasm --plug b.wasm --export a:example:svc/x \
      --export b:example:svc/y=example:svc/z -o bundle.wasm
  wcomp compose business.wasm --plug enricher.wasm --plug validator.wasm \
      --stub 'wasi:filesystem/*' --stub 'wasi:sockets/*' --stub 'wasi:http/*' -o app.wasm
  wcomp compose business.wasm --plug enricher.wasm --plug validator.wasm \
      --allow 'wasi:*' --grant enricher='wasi:cli/*,wasi:io/*,wasi:clocks/*' -o app.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isWAC(args[0]) {
				return runComposeWAC(cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], f, &w)
			}
			return runCompose(cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.plugs, "plug", nil, "a component whose exports plug the others' imports, as FILE or NAME=FILE (repeatable)")
	fl.StringArrayVar(&f.wires, "wire", nil, "an explicit link CONSUMER:IMPORT=PROVIDER[:EXPORT] between member names (repeatable); overrides auto-plugging")
	fl.StringArrayVar(&f.imports, "import", nil, "an explicit import of the result, NAME or NAME=MEMBER:IMPORT (repeatable)")
	fl.StringArrayVar(&f.exports, "export", nil, "export MEMBER:NAME[=AS], or a whole member as MEMBER=AS (repeatable; default: the root's exports)")
	fl.StringArrayVar(&f.keep, "keep", nil, "instantiate this member even if nothing uses it (repeatable)")
	fl.BoolVar(&f.noAutoPlug, "no-auto-plug", false, "plug nothing by name; only --wire and --import link members")
	fl.BoolVar(&f.noShare, "no-share-modules", false, "embed every member whole, even core modules identical across members")
	fl.StringVarP(&f.output, "output", "o", "", "where to write the composed component (required)")
	fl.StringVar(&f.name, "name", "", "the composed component's name in its name section (default: the root member's name)")
	w.register(cmd, fl)
	addPolicyFlags(cmd, &f.policy)
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

// memberArg is one member as given on the command line.
type memberArg struct {
	compose.MemberArg
	spec string // as typed, for messages: "validator.wasm", "v2=validator.wasm"
	role string // "root" or "plug"
}

func (m memberArg) String() string { return m.role + " " + m.spec }

func parseMember(role, spec string) (memberArg, error) {
	m, err := compose.ParseMemberArg(spec)
	if err != nil {
		return memberArg{}, fmt.Errorf("%s %w", role, err)
	}
	return memberArg{MemberArg: m, spec: spec, role: role}, nil
}

// parseSpec reads the graph flags. Every flag that does not parse is
// reported, each with its column.
func parseSpec(f composeFlags, root string) (graph.Spec, error) {
	var errs graph.ErrorList
	spec := graph.Spec{
		Wires:   parseAll(&errs, "--wire", f.wires, graph.ParseWire),
		Imports: parseAll(&errs, "--import", f.imports, graph.ParseImport),
		Exports: parseAll(&errs, "--export", f.exports, func(s string) (graph.ExportSpec, error) {
			e, err := graph.ParseExport(s)
			if err != nil && !strings.ContainsAny(s, ":=") && s != "" {
				// `--export NAME` was how one chose a root export before
				// exports could come from any member.
				err = fmt.Errorf("%w (the root's export %s is %s:%s)", err, s, root, s)
			}
			return e, err
		}),
		Keep: parseAll(&errs, "--keep", f.keep, graph.ParseKeep),
	}
	if len(errs) > 0 {
		return spec, errs
	}
	return spec, nil
}

// parseAll parses each value of a repeated flag, adding the failures to
// errs.
func parseAll[T any](errs *graph.ErrorList, flag string, values []string, parse func(string) (T, error)) []T {
	var out []T
	for _, v := range values {
		x, err := parse(v)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s %w", flag, err))
			continue
		}
		out = append(out, x)
	}
	return out
}

// flagErrors names the flag of every graph.SpecError in err, as the user
// typed it (`--wire a:x=b:y: …`), and the flag that keeps an unused plug.
func flagErrors(err error) error {
	var list graph.ErrorList
	if errors.As(err, &list) {
		out := make(graph.ErrorList, len(list))
		for i, e := range list {
			out[i] = flagErrors(e)
		}
		return out
	}
	var se *graph.SpecError
	if errors.As(err, &se) {
		return fmt.Errorf("--%s %s: %w", se.Field, se.Item, se.Err)
	}
	var unused *graph.UnusedError
	if errors.As(err, &unused) {
		return fmt.Errorf("%w (--keep %s)", err, unused.Instance)
	}
	return err
}

func runCompose(stdout, stderr io.Writer, rootSpec string, f composeFlags) error {
	// Everything that can be checked without reading a member is checked
	// first: member names, the graph flags and the output path.
	root, err := parseMember("root", rootSpec)
	if err != nil {
		return err
	}
	members := []memberArg{root}
	for _, spec := range f.plugs {
		m, err := parseMember("plug", spec)
		if err != nil {
			return err
		}
		members = append(members, m)
	}
	inputs := make([]compose.Input, len(members))
	for i, m := range members {
		inputs[i] = compose.Input{Name: m.Name, Path: m.Path}
	}
	if err := compose.CheckNames(inputs[0], inputs[1:]); err != nil {
		var dup *compose.DuplicateNameError
		if errors.As(err, &dup) {
			return fmt.Errorf("%w, e.g. --plug NAME=FILE", err)
		}
		return err
	}
	spec, err := parseSpec(f, root.Name)
	if err != nil {
		return err
	}
	opts := compose.Options{
		Wires: spec.Wires, Imports: spec.Imports, Exports: spec.Exports, Keep: spec.Keep,
		NoAutoPlug: f.noAutoPlug, NoShareModules: f.noShare, Name: f.name, Version: composeVersion(),
	}
	if err := checkOutputPath(f.output); err != nil {
		return err
	}
	name := f.name
	if name == "" {
		name = root.Name
	}
	run, err := newPolicyRun(f.policy, name)
	if err != nil {
		return err
	}
	if run != nil {
		opts.Resolve = run.resolve
	}

	var inputMaps inputMaps
	defer inputMaps.close()
	for i, m := range members {
		mf, err := inputMaps.open(m.Path, func() (*mmapfile.File, error) { return openMember(m) })
		if err != nil {
			return err
		}
		inputs[i].Bytes = mf.Bytes()
	}
	opts.Root, opts.Plugs = inputs[0], inputs[1:]
	res, err := compose.Compose(opts)
	if err != nil {
		if perr := run.failure(stderr); perr != nil {
			return perr
		}
		return flagErrors(err)
	}
	if err := inputMaps.write(f.output, res); err != nil {
		return err
	}
	printComposeSummary(stdout, f.output, res, members, run.outcome())
	return nil
}

// policyRun enforces `wcomp compose`'s policy flags in place of
// Graph.Resolve (policy.EnforceGraph), for member files and WAC
// documents alike, and keeps the outcome for the summary.
type policyRun struct {
	pol      *policy.Policy
	name     string
	enforced *policy.Enforced
	// err is the policy's own error (a violation, a grant to a member
	// the graph lacks): reported as it is, not as a graph error.
	err error
}

// newPolicyRun compiles the policy flags; without any it returns nil,
// and the composition is resolved as usual. name names the composition
// in the report (a WAC document's is known only once it is read: set
// it before resolving).
func newPolicyRun(f policy.Flags, name string) (*policyRun, error) {
	pol, err := f.Policy()
	if err != nil || pol == nil {
		return nil, err
	}
	return &policyRun{pol: pol, name: name}, nil
}

func (r *policyRun) resolve(g *graph.Graph) (*graph.Plan, error) {
	e, err := policy.EnforceGraph(g, r.name, r.pol)
	if err != nil {
		// EnforceGraph returns nothing with the graph's own errors.
		if e != nil {
			r.enforced, r.err = e, err
		}
		return nil, err
	}
	r.enforced = e
	return e.Plan, nil
}

// failure returns the policy's error of a composition that failed, after
// printing the audit table of a violation to w (it says who brings in
// each capability, and why it is refused; the error line after it names
// the violations); nil when the failure was not the policy's.
func (r *policyRun) failure(w io.Writer) error {
	if r == nil || r.err == nil {
		return nil
	}
	if policy.IsViolation(r.err) && r.enforced.Report != nil {
		io.WriteString(w, r.enforced.Report.Table(policy.TableOptions{Color: useColor(w)}))
	}
	return r.err
}

// outcome is what the policy did, for the summary (nil without one).
func (r *policyRun) outcome() *policy.Enforced {
	if r == nil {
		return nil
	}
	return r.enforced
}

// openMember maps a member's file; errors name its role and file once
// ("root business.wasm: no such file or directory").
func openMember(m memberArg) (*mmapfile.File, error) {
	if st, err := os.Stat(m.Path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a component file", m)
	}
	mf, err := mmapfile.Open(m.Path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in m already
		}
		return nil, fmt.Errorf("%s: %w", m, err)
	}
	return mf, nil
}

// checkOutputPath rejects an -o that cannot be written as a file, before
// any work is done.
func checkOutputPath(out string) error {
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return fmt.Errorf("-o %s: names a directory; give the output file, e.g. -o %s", out, filepath.Join(out, "app.wasm"))
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return fmt.Errorf("-o %s: is a directory; give the output file, e.g. -o %s", out, filepath.Join(out, "app.wasm"))
	}
	dir := filepath.Dir(out)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("-o %s: directory %s does not exist", out, dir)
	case !st.IsDir():
		return fmt.Errorf("-o %s: %s is not a directory", out, dir)
	}
	return nil
}

func printComposeSummary(w io.Writer, out string, res *compose.Result, members []memberArg, enforced *policy.Enforced) {
	fmt.Fprintf(w, "composed %s (%s)\n", out, humanSize(res.Size()))
	// A member named with NAME=FILE shows its file, so the summary says
	// which file each name stands for.
	files := map[string]string{}
	for _, m := range members {
		if m.Name != compose.StemName(m.Path) {
			files[m.Name] = m.Path
		}
	}
	shown := make([]string, len(res.Members))
	for i, n := range res.Members {
		shown[i] = n
		if p, ok := files[n]; ok {
			shown[i] = n + "=" + p
		}
	}
	fmt.Fprintf(w, "  members:   %s\n", strings.Join(shown, ", "))
	// The policy's wires are listed under policy, by generated member.
	byPolicy := map[string]bool{}
	if enforced != nil {
		for _, wire := range enforced.Wires {
			byPolicy[wire.Consumer+"."+wire.Import] = true
		}
	}
	links := slices.DeleteFunc(slices.Clone(res.Links), func(l compose.Link) bool { return byPolicy[l.Consumer+"."+l.Import] })
	if len(links) == 0 {
		fmt.Fprintf(w, "  plugged:   none\n")
	}
	for i, l := range links {
		label := "  plugged:  "
		if i > 0 {
			label = "            "
		}
		fmt.Fprintf(w, "%s %s\n", label, l)
	}
	if enforced != nil {
		printPolicySummary(w, out, enforced)
	}
	fmt.Fprintf(w, "  imports:   %d remaining", len(res.Imports))
	if len(res.Imports) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(res.Imports, ", "))
	}
	fmt.Fprintln(w)
	if enforced != nil {
		if replaced := enforced.Replaced(); len(replaced) > 0 {
			fmt.Fprintf(w, "  replaced:  %d by the policy (%s)\n", len(replaced), strings.Join(replaced, ", "))
		}
	}
	fmt.Fprintf(w, "  exports:   %s\n", strings.Join(res.Exports, ", "))
	for _, n := range res.Notes {
		fmt.Fprintf(w, "  note:      %s\n", n)
	}
}

// printPolicySummary says what the policy did: the verdicts by status,
// and what each generated member serves.
func printPolicySummary(w io.Writer, out string, e *policy.Enforced) {
	counts := map[policy.Status]int{}
	for _, row := range e.Report.Rows {
		counts[row.Status]++
	}
	var parts []string
	for _, s := range []policy.Status{policy.StatusAllowed, policy.StatusStubbed, policy.StatusVirtual} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	fmt.Fprintf(w, "  policy:    %s (wcomp audit %s shows them)\n", strings.Join(parts, ", "), out)
	// NAME (KIND) serves CONSUMER's I1, I2; OTHER's I3
	for _, m := range e.Members {
		var consumers []string
		imports := map[string][]string{}
		for _, wire := range e.Wires {
			if wire.Provider != m.Name {
				continue
			}
			if _, seen := imports[wire.Consumer]; !seen {
				consumers = append(consumers, wire.Consumer)
			}
			imports[wire.Consumer] = append(imports[wire.Consumer], wire.Import)
		}
		parts := make([]string, len(consumers))
		for i, c := range consumers {
			parts[i] = c + "'s " + strings.Join(imports[c], ", ")
		}
		fmt.Fprintf(w, "             %s (%s) serves %s\n", m.Name, m.Kind, strings.Join(parts, "; "))
	}
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// composeVersion is wcomp's version as recorded in the producers section:
// the module version of this build, or "dev" for a source-tree build.
func composeVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "dev"
}
