//go:build !unix

package builder

import "os/exec"

// On systems without process groups, cancellation stops the tool itself.
func ownProcessGroup(cmd *exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd) {}
