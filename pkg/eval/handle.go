package eval

// Flag is a handle to one flag of an Evaluator: checks through it skip hashing
// the name. It stays valid across reloads — a flag removed by a reload evaluates
// false (Explain: undefined) and comes back when re-added. The zero Flag is an
// undefined flag. Handles are small values, safe for concurrent use; their
// checks take no lock and allocate nothing.
type Flag struct {
	e    *Evaluator
	idx  int
	name string
}

// Flag returns the handle of the flag called name, defined or not. Each name gets
// a stable index the first time it is asked for; every snapshot, including those
// built by later reloads, keeps its flags in a slice by that index.
func (e *Evaluator) Flag(name string) Flag {
	e.mu.Lock()
	defer e.mu.Unlock()
	if i, ok := e.index[name]; ok {
		return Flag{e, i, name}
	}
	if e.index == nil {
		e.index = map[string]int{}
	}
	i := len(e.names)
	e.index[name] = i
	e.names = append(e.names, name)
	e.publishLocked()
	return Flag{e, i, name}
}

// Name returns the flag's name (the raw key in the flag file).
func (f Flag) Name() string { return f.name }

func (f Flag) compiled() *compiled {
	if f.e == nil {
		return nil
	}
	s := f.e.snap.Load()
	if f.idx < len(s.byIndex) {
		return s.byIndex[f.idx]
	}
	return nil
}

// Enabled is Evaluator.Enabled for this flag.
func (f Flag) Enabled() bool {
	c := f.compiled()
	if f.e != nil && f.e.observer != nil {
		return f.e.observe(c, f.name, nil)
	}
	if c == nil {
		return false
	}
	on, _, _ := c.decide(nil)
	return on
}

// EnabledFor is Evaluator.EnabledFor for this flag.
func (f Flag) EnabledFor(a Actor) bool {
	c := f.compiled()
	if f.e != nil && f.e.observer != nil {
		return f.e.observe(c, f.name, a)
	}
	if c == nil {
		return false
	}
	on, _, _ := c.decide(a)
	return on
}

// Explain is Evaluator.Explain for this flag.
func (f Flag) Explain(a Actor) Decision {
	if f.e == nil {
		return Decision{Flag: f.name, Gate: GateUndefined}
	}
	return f.e.Explain(f.name, a)
}
