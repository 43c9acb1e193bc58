package flagfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNotEditable is returned by Apply when an edit touches a flag with problems,
// and for any problem when ParseOptions.Strict is set.
var ErrNotEditable = errors.New("file has errors; fix them before editing")

// Apply applies edits in order and returns the new source and its parse. The
// receiver is not modified. Apply never re-encodes the document: it splices bytes
// (replacing scalars in place, inserting and deleting whole lines at their
// siblings' indentation), then re-parses the result and checks that it means
// exactly the edited model; anything else is an error and no bytes are returned.
// Edits that change nothing return the source unchanged.
//
// Problems in flags the edits do not touch do not block them (unless
// opts.Strict): such flags are left byte for byte as they are, and the returned
// File still reports their problems (File.Problems), for the caller to show as
// warnings.
func (f *File) Apply(opts ParseOptions, edits ...Edit) ([]byte, *File, error) {
	if err := f.editable(opts, edits); err != nil {
		return nil, nil, err
	}
	m := &model{flags: slices.Clone(f.Flags)}
	for _, e := range edits {
		if err := e.apply(m); err != nil {
			return nil, nil, err
		}
	}
	cur := f
	r := reconciler{opts: opts, skip: map[string]bool{}}
	for _, fl := range f.Flags {
		if len(fl.Problems) > 0 {
			r.skip[fl.Name] = true
		}
	}
	var err error
	for _, rn := range m.renames {
		if cur, err = r.renameKey(cur, rn[0], rn[1]); err != nil {
			return nil, nil, err
		}
	}
	if cur, err = r.run(cur, m.flags); err != nil {
		return nil, nil, err
	}
	// Every splice re-parsed the file, so cur is the parse of the final bytes.
	final := cur
	if err := sameProblems(f, final); err != nil {
		return nil, nil, err
	}
	if !sameModel(final.Flags, m.flags) {
		return nil, nil, fmt.Errorf("internal error: the edit would change more than intended (file left unchanged)")
	}
	return final.src, final, nil
}

// editable refuses edits that touch a flag with problems (every flag, for an
// edit that does not name its flags), or any problem when opts.Strict is set.
func (f *File) editable(opts ParseOptions, edits []Edit) error {
	probs := f.Problems()
	if len(probs) == 0 {
		return nil
	}
	if opts.Strict {
		return fmt.Errorf("%w (--strict):\n%v", ErrNotEditable, probs)
	}
	touched := map[string]bool{}
	for _, e := range edits {
		if e.flags == nil {
			return fmt.Errorf("%w:\n%v", ErrNotEditable, probs)
		}
		for _, n := range e.flags {
			touched[n] = true
		}
	}
	var blocking ErrorList
	var names []string
	for _, fl := range f.Flags {
		if touched[fl.Name] && len(fl.Problems) > 0 {
			blocking = append(blocking, fl.Problems...)
			if !slices.Contains(names, fl.Name) {
				names = append(names, fl.Name)
			}
		}
	}
	if len(blocking) > 0 {
		return fmt.Errorf("%w (flag %s; other flags can still be edited):\n%v", ErrNotEditable, strings.Join(names, ", "), blocking.Err())
	}
	return nil
}

// sameProblems checks that the edited file has exactly the problems of the
// original, in flags whose source text did not change.
func sameProblems(old, nf *File) error {
	var bad []*Flag
	for _, fl := range old.Flags {
		if len(fl.Problems) > 0 {
			bad = append(bad, fl)
		}
	}
	var now []*Flag
	for _, fl := range nf.Flags {
		if len(fl.Problems) > 0 {
			now = append(now, fl)
		}
	}
	if len(bad) == 0 && len(now) == 0 {
		return nil
	}
	fail := fmt.Errorf("internal error: the edited file does not validate (file left unchanged): %w", nf.Problems().Err())
	if len(bad) != len(now) {
		return fail
	}
	for i := range bad {
		if bad[i].Name != now[i].Name || len(bad[i].Problems) != len(now[i].Problems) ||
			old.entryText(bad[i]) != nf.entryText(now[i]) {
			return fail
		}
	}
	return nil
}

// entryText is the source text of a flag's entry, with its comment block.
func (f *File) entryText(fl *Flag) string {
	return string(f.src[f.lines[f.headStart(fl.key)]:f.nextLineStart(f.extent(fl.key))])
}
