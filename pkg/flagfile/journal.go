package flagfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A multi-file update is committed by its journal: once every temporary file
// is written and synced, a journal listing each (temporary file, flag file)
// pair is written, synced and renamed into place in the directory of every
// file, and only then are the files replaced; the journal is removed after the
// last replace. If the process dies in between (SIGKILL, power loss), the next
// write of any of those files finds the journal under its lock and completes
// the replaces: an update reaches every file or none.
const (
	journalPrefix  = ".flagctl-commit.tmp-"
	journalPartial = journalPrefix + "part-"
)

type journalEntry struct {
	Tmp    string `json:"tmp"`
	Real   string `json:"real"`
	Backup string `json:"backup,omitempty"`
}

// writeJournals writes the journal of ps into the directory of each file and
// returns the journals' names.
func writeJournals(ps []*pending) ([]string, error) {
	entries := make([]journalEntry, len(ps))
	dirs := map[string]bool{}
	var order []string
	for i, p := range ps {
		entries[i] = journalEntry{Tmp: p.tmp, Real: p.real, Backup: p.backup}
		if d := filepath.Dir(p.real); !dirs[d] {
			dirs[d] = true
			order = append(order, d)
		}
	}
	data, err := json.Marshal(entries)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, dir := range order {
		name, err := writeJournal(dir, data)
		if err != nil {
			removeAll(names)
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

func writeJournal(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, journalPartial+"*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	name := filepath.Join(dir, fmt.Sprintf("%s%d-%d", journalPrefix, os.Getpid(), time.Now().UnixNano()))
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	syncDir(dir)
	return name, nil
}

func removeAll(names []string) {
	for _, n := range names {
		os.Remove(n)
	}
}

// completeJournals finishes the updates a killed writer committed in dir (see
// journalPrefix) and removes journals that were never committed. It is called
// with the lock of a file in dir held, before stale temporary files are
// removed. A journal entry is followed only when both files sit in the same
// directory and the temporary file is named for its flag file.
func completeJournals(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		switch {
		case !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), journalPrefix):
			continue
		case strings.HasPrefix(e.Name(), journalPartial):
			os.Remove(name) // never committed
			continue
		}
		data, err := ReadFile(name, 1<<20)
		if err != nil {
			continue
		}
		var js []journalEntry
		if json.Unmarshal(data, &js) != nil {
			continue
		}
		named := func(tmp, real string) bool {
			return filepath.Dir(tmp) == filepath.Dir(real) && strings.HasPrefix(filepath.Base(tmp), tempPrefix(real))
		}
		for _, j := range js {
			if !named(j.Tmp, j.Real) {
				continue
			}
			if st, err := os.Lstat(j.Tmp); err == nil && st.Mode().IsRegular() {
				os.Rename(j.Tmp, j.Real)
			}
			if j.Backup != "" && named(j.Backup, j.Real) {
				os.Remove(j.Backup)
			}
		}
		os.Remove(name)
		syncDir(dir)
	}
}
