package flagfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; a valid file formats to a file with the same
// model, and formatting is idempotent; edits on valid files keep them valid; a
// flag with problems can be removed, leaving exactly the others' problems.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"edit", "invalid", "format"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
		for _, p := range files {
			data, _ := os.ReadFile(p)
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data, ParseOptions{})
		if err != nil {
			if file != nil {
				checkFuzzRemoveBroken(t, file, data)
			}
			return
		}
		out, err := file.Format()
		if err != nil {
			t.Fatalf("Format of a valid file: %v", err)
		}
		again, err := Parse("fuzz.yaml", out, ParseOptions{})
		if err != nil {
			t.Fatalf("formatted file does not parse: %v\n%s\n--- from\n%s", err, out, data)
		}
		if !sameModel(file.Flags, again.Flags) || again.Environment != file.Environment {
			t.Fatalf("format changed the model:\n%s\n--- from\n%s", out, data)
		}
		out2, _ := again.Format()
		if string(out2) != string(out) {
			t.Fatalf("format not idempotent:\n%s\n---\n%s", out, out2)
		}
		if len(file.Flags) > 0 {
			checkFuzzEdit(t, file, data)
		}
	})
}

// checkFuzzEdit edits the first flag of a valid file and checks that the result
// parses without problems, means exactly the intended model, and keeps every
// comment line of the input outside the edited flag.
func checkFuzzEdit(t *testing.T, file *File, data []byte) {
	fl := file.Flags[0]
	edits := []Edit{SetActor(fl.Name, "user:fuzz", true), SetBoolean(fl.Name, true)}
	out, _, err := file.Apply(ParseOptions{}, edits...)
	if err != nil {
		if errors.Is(err, ErrNotEditable) && strings.Contains(err.Error(), "flow style") {
			return
		}
		t.Fatalf("edit of a valid file failed: %v\n%s", err, data)
	}
	got, err := Parse("fuzz.yaml", out, ParseOptions{})
	if err != nil {
		t.Fatalf("edited file does not parse: %v\n%s\n--- from\n%s", err, out, data)
	}
	want := &model{}
	for _, f := range file.Flags {
		want.flags = append(want.flags, f.Clone())
	}
	for _, e := range edits {
		if err := e.apply(want); err != nil {
			t.Fatal(err)
		}
	}
	if !sameModel(got.Flags, want.flags) || got.Environment != file.Environment || got.Version != file.Version {
		t.Fatalf("edit changed the model beyond the edit:\n%s\n--- from\n%s", out, data)
	}
	checkCommentsKept(t, file, got, []*Flag{fl}, out, data)
}

// checkFuzzRemoveBroken removes the first flag with problems (every entry of
// its name) and checks that the result parses with exactly the problems of
// the other flags, means the model without the removed entries, and keeps
// every comment line outside them.
func checkFuzzRemoveBroken(t *testing.T, file *File, data []byte) {
	var name string
	for _, fl := range file.Flags {
		if len(fl.Problems) > 0 {
			name = fl.Name
			break
		}
	}
	if file.Problems().Err() == nil {
		t.Fatalf("Parse returned a file and an error, but no flag has problems:\n%s", data)
	}
	out, nf, err := file.Apply(ParseOptions{}, RemoveFlag(name))
	if err != nil {
		if errors.Is(err, ErrNotEditable) && strings.Contains(err.Error(), "flow style") {
			return
		}
		if knownRemovalLimit(file, err) {
			return
		}
		t.Fatalf("removing broken flag %q failed: %v\n%s", name, err, data)
	}
	got, _ := Parse("fuzz.yaml", out, ParseOptions{})
	if got == nil {
		t.Fatalf("file without broken flag %q does not parse:\n%s\n--- from\n%s", name, out, data)
	}
	removed := removedEntries(file, name)
	var kept []*Flag
	wantProblems := 0
	for _, fl := range file.Flags {
		if fl.Name != name {
			kept = append(kept, fl)
			wantProblems += len(fl.Problems)
		}
	}
	if len(got.Problems()) != wantProblems || len(nf.Problems()) != wantProblems {
		t.Fatalf("removing %q left %d problems, want %d (the other flags'):\n%v\n%s\n--- from\n%s", name, len(got.Problems()), wantProblems, got.Problems(), out, data)
	}
	if !sameModel(got.Flags, kept) || got.Environment != file.Environment || got.Version != file.Version {
		t.Fatalf("removing %q changed more than the flag:\n%s\n--- from\n%s", name, out, data)
	}
	checkCommentsKept(t, file, got, removed, out, data)
}

// knownRemovalLimit reports whether removing flag name failed safely (the
// file left unchanged) on a layout the fast parser does not read: there,
// entries can end outside their extent (a tag, a flow collection or a value
// continued at the key's indentation or less), for valid flags as for broken
// ones, and the removal is refused. In the fast parser's subset (the layout
// flagctl writes and people write by hand) every removal must work.
func knownRemovalLimit(file *File, err error) bool {
	return !file.fast && strings.Contains(err.Error(), "internal error: edit produced an unparsable file (file left unchanged)")
}

// removedEntries returns the entries RemoveFlag(name) removes: every flag of
// that name.
func removedEntries(file *File, name string) []*Flag {
	var out []*Flag
	for _, fl := range file.Flags {
		if fl.Name == name {
			out = append(out, fl)
		}
	}
	return out
}

// checkCommentsKept checks that every comment line of file outside the
// entries of flags (comment block above included) is in got, as many times as
// it occurs.
func checkCommentsKept(t *testing.T, file, got *File, flags []*Flag, out, data []byte) {
	have := map[string]int{}
	for i := 0; i < got.numLines(); i++ {
		if got.isComment(i) {
			have[strings.TrimSpace(got.lineText(i))]++
		}
	}
	inFlag := func(i int) bool {
		for _, fl := range flags {
			if i >= file.headStart(fl.key) && i <= file.extent(fl.key) {
				return true
			}
		}
		return false
	}
	for i := 0; i < file.numLines(); i++ {
		if !inFlag(i) && file.isComment(i) {
			c := strings.TrimSpace(file.lineText(i))
			if have[c] == 0 {
				t.Fatalf("comment line %d %q lost:\n%s\n--- from\n%s", i+1, c, out, data)
			}
			have[c]--
		}
	}
}
