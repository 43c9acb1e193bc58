package serve

import (
	"encoding/hex"
	"html/template"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/stale"
)

// fileCacheSize is how many parsed file versions the dashboard keeps: the
// current one of each environment and the recent ones pages were rendered
// from, so a conflict can show what changed since.
const fileCacheSize = 64

// fileCache keeps parsed flag files by content hash.
type fileCache struct {
	mu    sync.Mutex
	files map[[32]byte]*flagfile.File
	order [][32]byte
}

func (c *fileCache) get(h [32]byte) *flagfile.File {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files[h]
}

func (c *fileCache) put(h [32]byte, f *flagfile.File) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[[32]byte]*flagfile.File{}
	}
	if _, ok := c.files[h]; ok {
		return
	}
	if len(c.order) >= fileCacheSize {
		delete(c.files, c.order[0])
		c.order = c.order[1:]
	}
	c.files[h] = f
	c.order = append(c.order, h)
}

// snapshot is one environment's file as a page shows it.
type snapshot struct {
	Env  string
	File *flagfile.File
	Hash [32]byte
	Err  error // the file could not be read or parsed
}

// HashHex is the hash forms carry.
func (s *snapshot) HashHex() string { return hex.EncodeToString(s.Hash[:]) }

// read reads and parses the current file of env (cached by content).
func (u *ui) read(e *env) *snapshot {
	data, err := flagfile.ReadFile(e.path, 0)
	if err != nil {
		return &snapshot{Env: e.name, Err: err}
	}
	h := flagfile.Hash(data)
	if f := u.files.get(h); f != nil {
		return &snapshot{Env: e.name, File: f, Hash: h}
	}
	f, err := flagfile.Parse(e.path, data, flagfile.ParseOptions{})
	if f == nil {
		return &snapshot{Env: e.name, Hash: h, Err: err}
	}
	u.files.put(h, f)
	return &snapshot{Env: e.name, File: f, Hash: h}
}

// State is how much of a flag is on in one environment.
type State string

// The states, coloured like FunWithFlags.UI.
const (
	StateOn      State = "on"      // the boolean gate is on and no gate turns anyone off
	StatePartly  State = "partly"  // on for some actors, groups or a percentage
	StateOff     State = "off"     // on for no one
	StateMissing State = "missing" // the environment does not define the flag
	// StateInvalid: the flag's text in the file is invalid; the server answers
	// with its last good state (or not at all) until the file is fixed.
	StateInvalid State = "invalid"
)

// effective is fl with its ramps and schedule applied at now: the gates in
// effect, which is what the dashboard's states describe.
func effective(fl *flagfile.Flag, now time.Time) *flagfile.Flag {
	if fl != nil && fl.Timed() {
		return fl.At(now)
	}
	return fl
}

// flagState classifies fl (nil = not defined) by the gates in effect at now.
func flagState(fl *flagfile.Flag, now time.Time) State {
	if fl == nil {
		return StateMissing
	}
	if len(fl.Problems) > 0 {
		return StateInvalid
	}
	fl = effective(fl, now)
	anyOff, anyOn := false, false
	for _, g := range append(append([]flagfile.Gate(nil), fl.Actors...), fl.Groups...) {
		if g.Enabled {
			anyOn = true
		} else {
			anyOff = true
		}
	}
	if fl.BooleanOn() {
		if anyOff {
			return StatePartly
		}
		return StateOn
	}
	if anyOn || fl.PercentageOfActors != 0 || fl.PercentageOfTime != 0 {
		if fl.PercentageOfActors == flagfile.PercentMax || fl.PercentageOfTime == flagfile.PercentMax {
			if !anyOff {
				return StateOn
			}
		}
		return StatePartly
	}
	return StateOff
}

// cell is one flag in one environment on the list page.
type cell struct {
	Env   string
	State State
}

// row is one flag on the list page: its metadata from the first environment
// that defines it, and its state in every environment.
type row struct {
	Name        string
	Description string
	Owner       string
	Kind        string
	Expires     string
	Expired     bool
	Cells       []cell
	Stale       []stale.Finding
	// HTML is the row rendered by the "row" template (escaped there).
	HTML template.HTML
}

// rows builds the list page's rows from the environments' snapshots, in the
// order of the first file that defines each flag, then by name.
func rows(snaps []*snapshot, today flagfile.Date, now time.Time) []*row {
	byName := map[string]*row{}
	var out []*row
	for i, s := range snaps {
		if s.File == nil {
			continue
		}
		for _, fl := range s.File.Flags {
			r := byName[fl.Name]
			if r == nil {
				r = &row{Name: fl.Name, Cells: make([]cell, len(snaps))}
				for j := range snaps {
					r.Cells[j] = cell{Env: snaps[j].Env, State: StateMissing}
				}
				byName[fl.Name] = r
				out = append(out, r)
			}
			if r.Description == "" {
				r.Description = fl.Description
			}
			if r.Owner == "" {
				r.Owner = fl.Owner
			}
			if r.Kind == "" {
				r.Kind = string(fl.Kind)
			}
			if r.Expires == "" && !fl.Expires.IsZero() {
				r.Expires = fl.Expires.String()
				r.Expired = fl.Expires.Before(today)
			}
			r.Cells[i].State = flagState(fl, now)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// listFilter is the list page's filter, from its query string.
type listFilter struct {
	Q     string // substring of the name or description
	Owner string
	Kind  string
	State string // a State: the flag has it in at least one environment
	Env   string // restricts State to one environment
}

func (f listFilter) match(r *row) bool {
	if f.Q != "" && !strings.Contains(strings.ToLower(r.Name+" "+r.Description), strings.ToLower(f.Q)) {
		return false
	}
	if f.Owner != "" && !strings.EqualFold(r.Owner, f.Owner) {
		return false
	}
	if f.Kind != "" && r.Kind != f.Kind {
		return false
	}
	if f.State != "" {
		for _, c := range r.Cells {
			if string(c.State) == f.State && (f.Env == "" || f.Env == c.Env) {
				return true
			}
		}
		return false
	}
	return true
}
