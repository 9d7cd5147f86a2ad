package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

type loginFlags struct {
	user          string
	password      string
	passwordStdin bool
	insecure      bool
}

func newLoginCmd() *cobra.Command {
	var f loginFlags
	cmd := &cobra.Command{
		Use:   "login REGISTRY",
		Short: "Save credentials for an OCI registry",
		Long: `Check a user name and password (or token) against a registry and save them
where Docker keeps logins: the credential helper that Docker's config.json
names, else config.json itself ($DOCKER_CONFIG, else ~/.docker). docker,
oras and wkg then find the same login.

Without -u and -p the user name and password are asked for on the terminal.
In scripts, pipe the password in with --password-stdin.`,
		Example: `  wcomp login ghcr.io -u octocat
  echo "$TOKEN" | wcomp login ghcr.io -u octocat --password-stdin`,
		Args: oneRegistry,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLogin(cmd, args[0], f)
		},
	}
	cmd.Flags().StringVarP(&f.user, "username", "u", "", "user name")
	cmd.Flags().StringVarP(&f.password, "password", "p", "", "password or token (visible to other users of this machine: prefer --password-stdin)")
	cmd.Flags().BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from standard input")
	insecureFlag(cmd.Flags(), &f.insecure)
	return cmd
}

func newLogoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logout REGISTRY",
		Short: "Remove the saved credentials for an OCI registry",
		Args:  oneRegistry,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := newRegistrySession(cmd, false, "")
			if err != nil {
				return err
			}
			defer s.close()
			if err := s.client.Logout(s.ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed the login for %s\n", args[0])
			return nil
		},
	}
}

func oneRegistry(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("'wcomp %s' takes one registry host, e.g. ghcr.io, got %d arguments", cmd.Name(), len(args))
	}
	if strings.Contains(args[0], "/") {
		return fmt.Errorf("'wcomp %s' takes a registry host such as ghcr.io or localhost:5000, not %q", cmd.Name(), args[0])
	}
	return nil
}

func runLogin(cmd *cobra.Command, host string, f loginFlags) error {
	if f.password != "" && f.passwordStdin {
		return errors.New("give the password with -p or --password-stdin, not both")
	}
	in := cmd.InOrStdin()
	if f.passwordStdin {
		if f.user == "" {
			return errors.New("--password-stdin needs the user name too (-u)")
		}
		data, err := io.ReadAll(in)
		if err != nil {
			return fmt.Errorf("reading the password from standard input: %w", err)
		}
		f.password = strings.TrimRight(string(data), "\r\n")
	}
	if f.user == "" || f.password == "" {
		tty, ok := in.(*os.File)
		if !ok || !term.IsTerminal(tty.Fd()) {
			return errors.New("no terminal to ask for credentials on: pass -u and --password-stdin")
		}
		stderr := cmd.ErrOrStderr()
		if f.user == "" {
			fmt.Fprint(stderr, "Username: ")
			line, err := bufio.NewReader(tty).ReadString('\n')
			if err != nil {
				return fmt.Errorf("reading the user name: %w", err)
			}
			f.user = strings.TrimSpace(line)
		}
		if f.password == "" {
			fmt.Fprint(stderr, "Password: ")
			pw, err := term.ReadPassword(tty.Fd())
			fmt.Fprintln(stderr)
			if err != nil {
				return fmt.Errorf("reading the password: %w", err)
			}
			f.password = string(pw)
		}
	}
	if f.user == "" || f.password == "" {
		return errors.New("a user name and a password are both needed")
	}
	s, err := newRegistrySession(cmd, f.insecure, "")
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.client.Login(s.ctx, host, f.user, f.password); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Login succeeded: saved the credentials of %s for %s\n", f.user, host)
	return nil
}
