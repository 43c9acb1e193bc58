package cmd

import (
	"fmt"
	"net/netip"
	"path/filepath"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/serve"
)

// The `serve.ui:` keys of .flagctl.yaml (the dashboard, `serve --ui`).
const (
	cfgUIUsersFile      = "serve.ui.users_file"      // YAML file of users (name, email, password_hash, roles)
	cfgUITrustedProxies = "serve.ui.trusted_proxies" // addresses/CIDRs whose X-Forwarded-User is believed
	cfgUIProxyRoles     = "serve.ui.proxy_roles"     // env (or "*") -> role of proxy users not in the users file
	cfgUIProtected      = "serve.ui.protected"       // environments that need the flag name typed to confirm
	cfgUIReadOnly       = "serve.ui.read_only"       // show, never change
	cfgUISecureCookies  = "serve.ui.secure_cookies"  // Secure cookies (behind HTTPS)
	cfgUISessionKeyFile = "serve.ui.session_key_file"
	cfgUIInsecureNoAuth = "serve.ui.insecure_no_auth"
)

// maxUsersFile (1 MiB) bounds the dashboard's users file.
const maxUsersFile = 1 << 20

// usersFile is the format of serve.ui.users_file.
type usersFile struct {
	Users []serve.User `yaml:"users"`
}

// serveUIConfig builds the dashboard's configuration from the flags and
// .flagctl.yaml.
func serveUIConfig(v *viper.Viper, cfg *Config, opts *ServeOptions) (*serve.UIConfig, error) {
	ui := &serve.UIConfig{
		ReadOnly:       opts.ReadOnly || v.GetBool(cfgUIReadOnly),
		Protected:      splitList(v.GetStringSlice(cfgUIProtected)),
		SecureCookies:  v.GetBool(cfgUISecureCookies),
		InsecureNoAuth: opts.UIInsecureNoAuth || v.GetBool(cfgUIInsecureNoAuth),
	}
	abs := func(p string) string {
		if !filepath.IsAbs(p) {
			return filepath.Join(cfg.Root, p)
		}
		return p
	}
	if path := v.GetString(cfgUIUsersFile); path != "" {
		data, err := flagfile.ReadFile(abs(path), maxUsersFile)
		if err != nil {
			return nil, fileErr(fmt.Errorf("%s: %w", cfgUIUsersFile, err))
		}
		var uf usersFile
		if err := yaml.Unmarshal(data, &uf); err != nil {
			return nil, fileErr(fmt.Errorf("%s: %s: %w (write users: [{name, email, password_hash, roles: {ENV: viewer|editor}}])", cfgUIUsersFile, path, err))
		}
		ui.Users = uf.Users
	}
	for _, p := range splitList(v.GetStringSlice(cfgUITrustedProxies)) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, usageErr("%s: %q is not an address or CIDR", cfgUITrustedProxies, p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		ui.TrustedProxies = append(ui.TrustedProxies, prefix)
	}
	if roles := v.GetStringMapString(cfgUIProxyRoles); len(roles) > 0 {
		ui.ProxyRoles = map[string]serve.Role{}
		for env, r := range roles {
			if r != string(serve.RoleViewer) && r != string(serve.RoleEditor) {
				return nil, usageErr("%s.%s: %q is not viewer or editor", cfgUIProxyRoles, env, r)
			}
			ui.ProxyRoles[env] = serve.Role(r)
		}
	}
	if path := v.GetString(cfgUISessionKeyFile); path != "" {
		key, err := flagfile.ReadFile(abs(path), 4096)
		if err != nil {
			return nil, fileErr(fmt.Errorf("%s: %w", cfgUISessionKeyFile, err))
		}
		if len(key) < 32 {
			return nil, usageErr("%s: the key must be at least 32 bytes (head -c 32 /dev/urandom > FILE)", cfgUISessionKeyFile)
		}
		ui.SessionKey = key
	}
	if opts.Commit || opts.Push != "" || opts.Propose {
		ui.Git = &serve.GitConfig{Dir: cfg.Dir, Push: opts.Push, Propose: opts.Propose}
	}
	return ui, nil
}
