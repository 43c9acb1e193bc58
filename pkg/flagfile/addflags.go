package flagfile

import "fmt"

// AddFlags appends new flags at the end of the file, in order, like one AddFlag
// per flag, but checks names against a set: importing ten thousand flags costs
// one pass, and Apply adds them in a single splice.
func AddFlags(fls ...*Flag) Edit {
	add := make([]*Flag, len(fls))
	for i, fl := range fls {
		add[i] = fl.Clone()
	}
	return Edit{desc: fmt.Sprintf("add %d flags", len(add)), apply: func(m *model) error {
		have := make(map[string]bool, len(m.flags)+len(add))
		for _, fl := range m.flags {
			have[fl.Name] = true
		}
		for _, fl := range add {
			if !ValidFlagName(fl.Name) {
				return fmt.Errorf("bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", fl.Name)
			}
			if have[fl.Name] {
				return &Error{Kind: ErrFlagExists, Flag: fl.Name, Msg: fmt.Sprintf("flag %q already exists", fl.Name)}
			}
			if fl.PercentageOfActors != 0 && fl.PercentageOfTime != 0 {
				return fmt.Errorf("flag %q sets both percentage gates", fl.Name)
			}
			have[fl.Name] = true
			m.flags = append(m.flags, fl.Clone())
		}
		return nil
	}}
}
