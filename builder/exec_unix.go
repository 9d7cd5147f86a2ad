//go:build unix

package builder

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts the command in a new process group and makes
// cancellation interrupt the whole group.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
}

// killProcessGroup kills what is left of the group once the leader has
// exited: children that ignored the interrupt or outlived their parent.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
