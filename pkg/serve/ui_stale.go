package serve

import (
	"sync"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/stale"
)

// staleCache keeps the stale findings of the last set of files the list page
// showed: they change only when a file does.
type staleCache struct {
	mu       sync.Mutex
	key      string
	findings map[string][]stale.Finding
}

// staleFindings returns the flag-debt findings by flag for snaps: expired,
// fully rolled out and dead flags, judged by the files' created: and
// expires: dates (no git walk and no source scan on a page view: `flagctl
// stale` does those).
func (u *ui) staleFindings(snaps []*snapshot, today flagfile.Date) map[string][]stale.Finding {
	key := today.String()
	var envs []stale.Env
	for _, s := range snaps {
		key += s.Env + ":" + s.HashHex() + ";"
		if s.File != nil {
			envs = append(envs, stale.Env{Name: s.Env, Path: s.File.Path, File: s.File})
		}
	}
	c := &u.stale
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key == key && c.findings != nil {
		return c.findings
	}
	cfg := stale.DefaultConfig()
	cfg.Severity[stale.Unreferenced] = stale.SeverityOff
	cfg.Severity[stale.UndefinedRef] = stale.SeverityOff
	out := map[string][]stale.Finding{}
	found, err := stale.Check(stale.Input{Envs: envs, Today: today}, cfg)
	if err != nil {
		u.s.log.Warn("dashboard: stale findings", "error", err.Error())
	}
	for _, f := range found {
		out[f.Flag] = append(out[f.Flag], f)
	}
	c.key, c.findings = key, out
	return out
}
