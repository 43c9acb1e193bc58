package eval

import (
	"fmt"
	"hash/crc32"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// flipperCases were computed outside Go, with Python's zlib.crc32 (the zlib C
// library Ruby's Zlib binds) and Ruby's comparison written out in Python floats:
// Zlib.crc32(feature + actor) % 100_000 < percentage * 1_000, the percentage
// read as Flipper's Typecast.to_percentage does (an Integer when whole, else a
// Float). Actors at the edge of a bucket were searched for deliberately: 2.007 *
// 1000 is 2007.0000000000002 in doubles, so Flipper opens bucket 2007 for
// 2.007%, and 12.345 * 1000 is exactly 12345.0, so bucket 12345 stays closed.
var flipperCases = []struct {
	feature, actor, pct string
	bucket              uint32
	open                bool
}{
	{"search", "User;1", "10", 97600, false},
	{"search", "User;100", "10", 28804, false},
	{"search", "User;6", "10", 8323, true},
	{"search", "User;14", "10", 10401, false},
	{"search", "User;14", "10.401", 10401, false},
	{"search", "User;14", "10.402", 10401, true},
	{"search", "User;1", "12.345", 97600, false},
	{"search", "User;9", "12.345", 12978, false},
	{"search", "User;141630", "12.345", 12345, false},
	{"search", "User;81655", "12.345", 12344, true},
	{"search", "User;330683", "2.007", 2006, true},
	{"search", "User;42310", "2.007", 2007, true},
	{"search", "User;20172", "2.007", 2008, false},
	{"search", "User;2", "50", 72922, false},
	{"search", "User;3", "50", 53836, false},
	{"search", "User;5", "99.999", 66201, true},
	{"search", "User;5", "100", 66201, true},
	{"new_checkout_enabled", "user:42", "25", 48652, false},
	{"new_checkout_enabled", "user:7", "25", 89325, false},
	{"new_checkout_enabled", "org:acme", "0.001", 42097, false},
	{"new_checkout_enabled", "User;19", "3.243", 3242, true},
	{"new_checkout_enabled", "User;19", "3.242", 3242, false},
	{"a", "b", "33.333", 3885, true},
}

func TestFlipperBucketing(t *testing.T) {
	// The CRC-32 check value from the CRC catalogue: crc32("123456789") is
	// 0xCBF43926 = 3421780262, so the bucket is 80262, however the bytes are
	// split between feature and actor.
	for _, split := range []int{0, 4, 9} {
		if got := FlipperBucket("123456789"[:split], "123456789"[split:]); got != 80262 {
			t.Errorf("FlipperBucket(%q, %q) = %d, want 80262", "123456789"[:split], "123456789"[split:], got)
		}
	}
	for _, tc := range flipperCases {
		name := fmt.Sprintf("%s/%s/%s%%", tc.feature, tc.actor, tc.pct)
		t.Run(name, func(t *testing.T) {
			if got := FlipperBucket(tc.feature, tc.actor); got != tc.bucket {
				t.Errorf("bucket = %d, want %d", got, tc.bucket)
			}
			// Straight from the reference text, independently of FlipperBucket.
			if got := crc32.ChecksumIEEE([]byte(tc.feature+tc.actor)) % 100000; got != tc.bucket {
				t.Errorf("hash/crc32 bucket = %d, want %d", got, tc.bucket)
			}
			p, err := flagfile.ParsePercent(tc.pct + "%")
			if err != nil {
				t.Fatal(err)
			}
			src := fmt.Sprintf("version: 1\nflags:\n  %s:\n    percentage_of_actors: %s\n    bucketing: flipper\n", tc.feature, p)
			f, err := flagfile.Parse("f.yaml", []byte(src), flagfile.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			e := New(f)
			if got := e.EnabledFor(tc.feature, Subject{ID: tc.actor}); got != tc.open {
				t.Errorf("EnabledFor = %v, want %v", got, tc.open)
			}
			d := e.Explain(tc.feature, Subject{ID: tc.actor})
			if d.Gate != GatePercentageOfActors || d.Enabled != tc.open || d.Score != float64(tc.bucket)/100000 {
				t.Errorf("Explain = %+v, want percentage_of_actors, %v, score %v", d, tc.open, float64(tc.bucket)/100000)
			}
			if e.Enabled(tc.feature) {
				t.Error("open without an actor (Flipper needs an actor)")
			}
		})
	}
}

// TestFlipperBucketingIsPerFlag: without the key, the same flag uses the SHA-256
// score; the two schemes disagree on some actors.
func TestFlipperBucketingIsPerFlag(t *testing.T) {
	src := "version: 1\nflags:\n  search:\n    percentage_of_actors: 50%\n    bucketing: flipper\n  other:\n    percentage_of_actors: 50%\n"
	f, err := flagfile.Parse("f.yaml", []byte(src), flagfile.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := New(f)
	differ := 0
	for i := 0; i < 200; i++ {
		id := fmt.Sprintf("User;%d", i)
		if got, want := e.EnabledFor("search", Subject{ID: id}), FlipperBucket("search", id) < 50000; got != want {
			t.Fatalf("%s: flipper flag = %v, want %v", id, got, want)
		}
		if got, want := e.EnabledFor("other", Subject{ID: id}), Score(id, "other") <= 0.5; got != want {
			t.Fatalf("%s: default flag = %v, want %v", id, got, want)
		}
		if FlipperBucket("search", id) < 50000 != (Score(id, "search") <= 0.5) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("the two schemes agree on every actor; the test proves nothing")
	}
}

func TestFlipperLimit(t *testing.T) {
	tests := []struct {
		p    flagfile.Percent
		want uint32
	}{
		{0, 0}, {1, 1}, {10000, 10000}, {12345, 12345}, {2007, 2008}, {2011, 2012}, {99999, 99999}, {100000, 100000},
	}
	for _, tt := range tests {
		if got := FlipperLimit(tt.p); got != tt.want {
			t.Errorf("FlipperLimit(%s) = %d, want %d", tt.p, got, tt.want)
		}
	}
}
