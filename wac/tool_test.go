package wac

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// runTool runs a command and returns its stdout, or its stderr as the
// error.
func runTool(tool string, args ...string) ([]byte, error) {
	cmd := exec.Command(tool, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v: %s", tool, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}
