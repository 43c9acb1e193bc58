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
// warnings. A flag with problems can be removed (RemoveFlag, and no other edit
// of it): its whole entry goes, as a valid flag's would, and its problems with
// it; with opts.Strict, that is allowed when no other flag has problems.
func (f *File) Apply(opts ParseOptions, edits ...Edit) ([]byte, *File, error) {
	removed, err := f.editable(opts, edits)
	if err != nil {
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
	if err := sameProblems(f, final, removed); err != nil {
		return nil, nil, err
	}
	if !sameModel(final.Flags, m.flags) {
		return nil, nil, fmt.Errorf("internal error: the edit would change more than intended (file left unchanged)")
	}
	return final.src, final, nil
}

// editable refuses edits that touch a flag with problems (every flag, for an
// edit that does not name its flags) other than by removing it, or, when
// opts.Strict is set, any problem outside the removed flags. It returns the
// names of the flags with problems that the edits remove and nothing else
// touches: the edited file no longer has their problems.
func (f *File) editable(opts ParseOptions, edits []Edit) (map[string]bool, error) {
	probs := f.Problems()
	if len(probs) == 0 {
		return nil, nil
	}
	touched := map[string]bool{} // named by an edit other than a removal
	removed := map[string]bool{}
	for _, e := range edits {
		if e.flags == nil {
			if opts.Strict {
				return nil, fmt.Errorf("%w (--strict):\n%v", ErrNotEditable, probs)
			}
			return nil, fmt.Errorf("%w:\n%v", ErrNotEditable, probs)
		}
		for _, n := range e.flags {
			if e.removes {
				removed[n] = true
			} else {
				touched[n] = true
			}
		}
	}
	var blocking, left ErrorList // left: every problem the edits leave
	var names []string
	gone := map[string]bool{}
	for _, fl := range f.Flags {
		switch {
		case len(fl.Problems) == 0:
		case touched[fl.Name]:
			blocking = append(blocking, fl.Problems...)
			left = append(left, fl.Problems...)
			if !slices.Contains(names, fl.Name) {
				names = append(names, fl.Name)
			}
		case removed[fl.Name]:
			gone[fl.Name] = true
		default:
			left = append(left, fl.Problems...)
		}
	}
	if opts.Strict && len(left) > 0 {
		return nil, fmt.Errorf("%w (--strict):\n%v", ErrNotEditable, left.Err())
	}
	if len(blocking) > 0 {
		return nil, fmt.Errorf("%w (flag %s; fix it by hand or remove it; other flags can still be edited):\n%v", ErrNotEditable, strings.Join(names, ", "), blocking.Err())
	}
	return gone, nil
}

// sameProblems checks that the edited file has exactly the problems of the
// original, in flags whose source text did not change, except those of the
// flags in removed (gone from the file: Apply's model check sees to that).
func sameProblems(old, nf *File, removed map[string]bool) error {
	var bad []*Flag
	for _, fl := range old.Flags {
		if len(fl.Problems) > 0 && !removed[fl.Name] {
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
