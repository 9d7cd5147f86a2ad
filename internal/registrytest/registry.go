package registrytest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

const installHint = "docker-registry is needed: run .ci/install.sh (apt-get install docker-registry), or set $DOCKER_REGISTRY to its path"

// Registry is a running docker-registry.
type Registry struct {
	// Host is host:port, e.g. 127.0.0.1:41234.
	Host string
	// Storage is the registry's storage directory.
	Storage string

	t      testing.TB
	bin    string
	config string
	auth   string // the config's auth section
	id     string // sent back in a header, to tell this registry from another
	cmd    *exec.Cmd
	exited chan struct{}
	log    *os.File
}

// Options configure Start.
type Options struct {
	// Users, if set, turns on htpasswd basic auth with these
	// user → password pairs (hashed with bcrypt, as the registry requires).
	Users map[string]string
}

// Start runs a registry for the duration of the test.
func Start(t testing.TB, opts Options) *Registry {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	r := &Registry{t: t, bin: bin, Storage: filepath.Join(dir, "storage"), config: filepath.Join(dir, "config.yml")}
	if len(opts.Users) > 0 {
		htpasswd := filepath.Join(dir, "htpasswd")
		writeHtpasswd(t, htpasswd, opts.Users)
		r.auth = fmt.Sprintf("auth:\n  htpasswd:\n    realm: wcomp-test\n    path: %s\n", htpasswd)
	}
	var err error
	if r.log, err = os.Create(filepath.Join(dir, "registry.log")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Kill()
		r.log.Close()
		if t.Failed() {
			if log, err := os.ReadFile(r.log.Name()); err == nil && len(log) > 0 {
				t.Logf("docker-registry log:\n%s", log)
			}
		}
	})
	// A port found free may be taken by another test's registry before
	// ours binds it; each registry answers with its own id, so a clash is
	// seen and another port tried.
	for attempt := 0; ; attempt++ {
		r.Host = freeAddr(t)
		r.id = fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
		r.writeConfig()
		if r.start() {
			return r
		}
		if attempt == 4 {
			t.Fatalf("docker-registry: every port tried was taken")
		}
	}
}

// writeConfig writes the registry's configuration for r.Host and r.id.
func (r *Registry) writeConfig() {
	config := fmt.Sprintf(`version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
  secret: wcomp-test-secret
  headers:
    X-Wcomp-Test-Registry: [%q]
%s`, r.Storage, r.Host, r.id, r.auth)
	if err := os.WriteFile(r.config, []byte(config), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// start runs the registry and waits until it answers; false means another
// registry answered on its port.
func (r *Registry) start() bool {
	r.t.Helper()
	cmd := exec.Command(r.bin, "serve", r.config)
	cmd.Stdout, cmd.Stderr = r.log, r.log
	cmd.Env = append(os.Environ(), "OTEL_TRACES_EXPORTER=none")
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("starting docker-registry: %v", err)
	}
	r.cmd = cmd
	r.exited = make(chan struct{})
	go func() { cmd.Wait(); close(r.exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + r.Host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.Header.Get("X-Wcomp-Test-Registry") != r.id {
				r.Kill()
				return false
			}
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				return true
			}
		}
		select {
		case <-r.exited:
			log, _ := os.ReadFile(r.log.Name())
			r.t.Fatalf("docker-registry exited at start: %s", log)
		default:
		}
		if time.Now().After(deadline) {
			r.Kill()
			r.t.Fatalf("docker-registry did not answer on %s within 15s (last error: %v)", r.Host, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the registry at once (SIGKILL), as a crash would. It is safe
// to call twice.
func (r *Registry) Kill() {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.exited
	r.cmd = nil
}

// Restart starts a killed registry again, on the same port and storage.
func (r *Registry) Restart() {
	r.t.Helper()
	r.Kill()
	if !r.start() {
		r.t.Fatalf("docker-registry: port %s was taken while the registry was down", r.Host)
	}
}

// URL is the registry's base URL.
func (r *Registry) URL() string { return "http://" + r.Host }

func binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("DOCKER_REGISTRY"); p != "" {
		return p
	}
	for _, name := range []string{"docker-registry", "registry"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/docker-registry"); err == nil {
		return "/usr/bin/docker-registry"
	}
	if testing.Short() {
		t.Skip(installHint)
	}
	t.Fatal(installHint)
	return ""
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func writeHtpasswd(t testing.TB, path string, users map[string]string) {
	t.Helper()
	var b strings.Builder
	for user, password := range users {
		hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:%s\n", user, hash)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
