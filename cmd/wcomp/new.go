package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/manifest/edit"
	"github.com/wcomp/wcomp/project"
	"github.com/wcomp/wcomp/scaffold"
)

func newNewCmd() *cobra.Command {
	var lang, manifestPath string
	cmd := &cobra.Command{
		Use:   "new NAME --lang rust|python|js|go",
		Short: "Add a member to the project, ready to build",
		Long: `Add member NAME to the project: its WIT world (wit/NAME.wit), a source file
in NAME/ that implements it, the build files its toolchain expects, and its
[components.NAME] table in component.toml, where comments and layout are kept.
The member builds as it is; its world exports greet: func(name: string) ->
string, a starting point to replace with the interfaces the member shares with
the others.`,
		Example: `  wcomp new validator --lang rust
  wcomp new business --lang python`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("'wcomp new' takes the member's name: wcomp new NAME --lang %s", strings.Join(scaffold.Languages, "|"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNew(cmd.ErrOrStderr(), manifestPath, args[0], lang)
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "the member's language: "+strings.Join(scaffold.Languages, ", "))
	cmd.Flags().StringVar(&manifestPath, "manifest-path", "", "the component.toml to add the member to")
	_ = cmd.MarkFlagRequired("lang")
	return cmd
}

func runNew(stderr io.Writer, manifestPath, name, lang string) error {
	p, err := project.Load(manifestPath)
	if err != nil {
		return err
	}
	f := p.Manifest
	if m := f.Member(name); m != nil {
		return manifest.Errorf(m.Pos, "components."+name, "the project has a member %s already: choose another name", name)
	}
	m, err := scaffold.New(scaffold.Options{
		Name: name, Language: lang,
		Package: f.Package.Name.Value + "@" + f.Package.Version.Value, WITDir: f.WIT.Dir.Value,
	})
	if err != nil {
		return err
	}
	// The manifest edit is made and checked first, the files written next,
	// the manifest last: a failure leaves component.toml as it was.
	data, err := os.ReadFile(p.ManifestPath())
	if err != nil {
		return err
	}
	ed, err := edit.New(f.Filename, data)
	if err != nil {
		return err
	}
	entries := []edit.Entry{{Key: "language", Value: edit.String(m.Entry.Language)}}
	if m.Entry.Dir != m.Entry.Name {
		entries = append(entries, edit.Entry{Key: "dir", Value: edit.String(m.Entry.Dir)})
	}
	if m.Entry.World != m.Entry.Name {
		entries = append(entries, edit.Entry{Key: "world", Value: edit.String(m.Entry.World)})
	}
	if err := ed.SetMember(name, entries...); err != nil {
		return err
	}
	if _, err := ed.Parse(); err != nil {
		return err
	}
	if err := scaffold.Write(p.Dir, m); err != nil {
		return err
	}
	if err := atomicfile.WriteString(p.ManifestPath(), string(ed.Bytes())); err != nil {
		return err
	}
	say(stderr, "Adding", fmt.Sprintf("%s (%s) to %s", name, lang, f.Filename))
	for _, file := range m.Files {
		say(stderr, "Created", file.Path)
	}
	if len(f.Components) == 0 {
		fmt.Fprintf(stderr, "\nThen wcomp run --invoke '%s' builds it and prints %s\n", m.Call, m.Result)
	}
	return nil
}
