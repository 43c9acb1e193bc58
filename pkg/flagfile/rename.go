package flagfile

import "fmt"

// RenameFlag renames a flag in place: only its key changes, so its position,
// the comments above and inside it and its body stay. Renaming to a name the
// file already has is an error.
func RenameFlag(old, new string) Edit {
	return Edit{desc: fmt.Sprintf("%s: rename to %s", old, new), flags: []string{old, new}, apply: func(m *model) error {
		fl, err := m.find(old)
		if err != nil {
			return err
		}
		if !ValidFlagName(new) {
			return fmt.Errorf("bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", new)
		}
		if old == new {
			return nil
		}
		for _, have := range m.flags {
			if have.Name == new {
				return &Error{Kind: ErrFlagExists, Flag: new, Msg: fmt.Sprintf("flag %q already exists", new)}
			}
		}
		fl.Name = new
		m.renames = append(m.renames, [2]string{old, new})
		return nil
	}}
}

// renameKey rewrites the key of flag old as new, in place.
func (r *reconciler) renameKey(f *File, old, new string) (*File, error) {
	fl := f.Flag(old)
	if fl == nil {
		return nil, fmt.Errorf("internal error: rename of %q: no such flag in the source (file left unchanged)", old)
	}
	end, ok := f.scalarEnd(fl.key)
	if !ok {
		return nil, &Error{Pos: Pos{File: f.Path, Line: fl.key.Line, Column: fl.key.Column}, Flag: old,
			Msg: fmt.Sprintf("cannot rename flag %q: write its key on one line, as a plain or quoted scalar", old)}
	}
	// Quoted where YAML 1.1 would read the plain name as something else ("yes",
	// "off", "null"), as create writes it.
	return r.splice(f, f.offset(fl.key.Line, fl.key.Column), end, scalar(new, quoteMinimal))
}
