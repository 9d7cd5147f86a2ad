package registry

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"oras.land/oras-go/v2/registry/remote/auth"
)

// WKGConfig is what wcomp reads of wkg's config.toml
// ($XDG_CONFIG_HOME/wasm-pkg/config.toml): how namespaces map to
// registries, and per-registry protocol and credentials. Keys wcomp does
// not use are ignored, so a newer wkg's config still loads.
type WKGConfig struct {
	// Path is the file the config was read from.
	Path string

	DefaultRegistry          string                 `toml:"default_registry"`
	NamespaceRegistries      map[string]WKGMapping  `toml:"namespace_registries"`
	PackageRegistryOverrides map[string]WKGMapping  `toml:"package_registry_overrides"`
	Registries               map[string]WKGRegistry `toml:"registry"`
}

// WKGMapping is one namespace_registries or package_registry_overrides
// entry: a registry name, or a table with the registry's metadata inline
// (the same fields as its /.well-known/wasm-pkg/registry.json).
type WKGMapping struct {
	Registry string
	// Metadata is set for the inline-table form.
	Metadata *RegistryMetadata
}

// UnmarshalTOML accepts both forms: "registry" and { registry, metadata }.
func (m *WKGMapping) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		m.Registry = v
		return nil
	case map[string]any:
		reg, ok := v["registry"].(string)
		if !ok {
			return errors.New(`a table mapping needs registry = "…"`)
		}
		m.Registry = reg
		if meta, ok := v["metadata"].(map[string]any); ok {
			md, err := metadataFromTOML(meta)
			if err != nil {
				return err
			}
			m.Metadata = md
		}
		return nil
	}
	return fmt.Errorf("want a registry name or a table, found %T", v)
}

// WKGRegistry is one [registry."name"] table; only its oci part matters here.
type WKGRegistry struct {
	OCI struct {
		// Auth is { username, password } or base64 of "username:password".
		Auth     any    `toml:"auth"`
		Protocol string `toml:"protocol"`
	} `toml:"oci"`
}

// RegistryMetadata is a registry's /.well-known/wasm-pkg/registry.json, or
// the same inline in wkg's config: where its packages live in OCI.
type RegistryMetadata struct {
	PreferredProtocol string `json:"preferredProtocol,omitempty"`
	OCI               struct {
		Registry        string `json:"registry,omitempty"`
		NamespacePrefix string `json:"namespacePrefix,omitempty"`
	} `json:"oci"`
	// The older flat spelling, still read by wkg.
	OCIRegistry        string `json:"ociRegistry,omitempty"`
	OCINamespacePrefix string `json:"ociNamespacePrefix,omitempty"`
}

// ociLocation is where the metadata puts packages, for a registry called name.
func (m *RegistryMetadata) ociLocation(name string) (Location, error) {
	loc := Location{Registry: name}
	if m == nil {
		return loc, nil
	}
	if p := m.PreferredProtocol; p != "" && p != "oci" {
		return Location{}, fmt.Errorf("registry %s serves packages over %q; wcomp speaks only OCI", name, p)
	}
	switch {
	case m.OCI.Registry != "":
		loc.Registry = m.OCI.Registry
	case m.OCIRegistry != "":
		loc.Registry = m.OCIRegistry
	}
	switch {
	case m.OCI.NamespacePrefix != "":
		loc.Prefix = m.OCI.NamespacePrefix
	case m.OCINamespacePrefix != "":
		loc.Prefix = m.OCINamespacePrefix
	}
	return loc, nil
}

func metadataFromTOML(v map[string]any) (*RegistryMetadata, error) {
	md := &RegistryMetadata{}
	str := func(m map[string]any, key string) (string, error) {
		switch s := m[key].(type) {
		case nil:
			return "", nil
		case string:
			return s, nil
		default:
			return "", fmt.Errorf("metadata %s: want a string, found %T", key, s)
		}
	}
	var err error
	if md.PreferredProtocol, err = str(v, "preferredProtocol"); err != nil {
		return nil, err
	}
	if md.OCIRegistry, err = str(v, "ociRegistry"); err != nil {
		return nil, err
	}
	if md.OCINamespacePrefix, err = str(v, "ociNamespacePrefix"); err != nil {
		return nil, err
	}
	if oci, ok := v["oci"].(map[string]any); ok {
		if md.OCI.Registry, err = str(oci, "registry"); err != nil {
			return nil, err
		}
		if md.OCI.NamespacePrefix, err = str(oci, "namespacePrefix"); err != nil {
			return nil, err
		}
	}
	return md, nil
}

// WKGConfigPath is where wkg keeps its config: $WKG_CONFIG_FILE, else
// $XDG_CONFIG_HOME/wasm-pkg/config.toml, else ~/.config/wasm-pkg/config.toml.
func WKGConfigPath(getenv func(string) string) string {
	if p := getenv("WKG_CONFIG_FILE"); p != "" {
		return p
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "wasm-pkg", "config.toml")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "wasm-pkg", "config.toml")
}

// LoadWKGConfig reads wkg's config at path. A missing file is no config
// (nil, nil); a malformed one is an error naming file:line:col.
func LoadWKGConfig(path string) (*WKGConfig, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading wkg's config: %w", err)
	}
	return ParseWKGConfig(path, data)
}

// ParseWKGConfig parses the text of a wkg config; path is for messages.
func ParseWKGConfig(path string, data []byte) (*WKGConfig, error) {
	c := &WKGConfig{Path: path}
	if _, err := toml.Decode(string(data), c); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %s", path, pe.Position.Line, pe.Position.Col, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, r := range c.Registries {
		if _, err := decodeWKGAuth(r.OCI.Auth); err != nil {
			return nil, fmt.Errorf("%s: [registry.%q.oci] auth: %w", path, name, err)
		}
	}
	return c, nil
}

func decodeWKGAuth(v any) (*auth.Credential, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		raw, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			if raw, err = base64.RawStdEncoding.DecodeString(v); err != nil {
				return nil, errors.New(`want base64 of "username:password"`)
			}
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok {
			return nil, errors.New(`the base64 text decodes to no "username:password"`)
		}
		return &auth.Credential{Username: user, Password: pass}, nil
	case map[string]any:
		user, _ := v["username"].(string)
		pass, _ := v["password"].(string)
		if user == "" || pass == "" {
			return nil, errors.New("want { username = …, password = … }")
		}
		return &auth.Credential{Username: user, Password: pass}, nil
	}
	return nil, fmt.Errorf("want a table or a base64 string, found %T", v)
}

// credential is the auth wkg's config gives host, if any.
func (c *WKGConfig) credential(host string) (auth.Credential, bool) {
	if c == nil {
		return auth.EmptyCredential, false
	}
	r, ok := c.Registries[host]
	if !ok {
		return auth.EmptyCredential, false
	}
	cred, err := decodeWKGAuth(r.OCI.Auth)
	if err != nil || cred == nil {
		return auth.EmptyCredential, false
	}
	return *cred, true
}

// plainHTTP reports whether wkg's config sets protocol = "http" for host.
func (c *WKGConfig) plainHTTP(host string) bool {
	if c == nil {
		return false
	}
	r, ok := c.Registries[host]
	return ok && r.OCI.Protocol == "http"
}
