package importer

import "testing"

// TestFWFPercentageOfTimeRatioOne: FunWithFlags opens a percentage-of-time
// gate when a random float in [0, 1) is <= the ratio, so a ratio of 1.0 is
// always on; --verify must not call the imported 100% a difference.
func TestFWFPercentageOfTimeRatioOne(t *testing.T) {
	tests := []struct {
		name                string
		csv                 string
		wantOn, wantRandom  bool
		wantDiffs, wantFlag int
	}{
		{"ratio 1", "flag_name,gate_type,target,enabled\nfull_time,percentage,time/1.0,t\n", true, false, 0, 1},
		{"ratio 1 as an integer", "flag_name,gate_type,target,enabled\nfull_time,percentage,time/1,t\n", true, false, 0, 1},
		{"ratio 0.5", "flag_name,gate_type,target,enabled\nhalf_time,percentage,time/0.5,t\n", false, true, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadFunWithFlagsCSV("t.csv", []byte(tt.csv), "production")
			if err != nil {
				t.Fatal(err)
			}
			fl := res.Flags["production"][0]
			m := res.Models["production"][fl.Name]
			for _, id := range []string{"", "user:1"} {
				if on, random := m.Decide(id, nil); on != tt.wantOn || random != tt.wantRandom {
					t.Errorf("Decide(%q) = %v, %v; want %v, %v", id, on, random, tt.wantOn, tt.wantRandom)
				}
			}
			dir := t.TempDir()
			_, files := writeResult(t, res, dir, Options{})
			checked, diffs := Verify(res, files, GenerateActors("user:%d", 50))
			if checked != tt.wantFlag || len(diffs) != tt.wantDiffs {
				t.Errorf("Verify: %d checked, %d differences, want %d, %d", checked, len(diffs), tt.wantFlag, tt.wantDiffs)
				if len(diffs) > 0 {
					t.Errorf("first: %s", diffs[0])
				}
			}
		})
	}
}
