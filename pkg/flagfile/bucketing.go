package flagfile

import "fmt"

// Bucketing names how a flag's percentage_of_actors gate assigns actors to the
// cohort. The zero Bucketing is flagctl's own (FunWithFlags' SHA-256 score).
type Bucketing string

// The bucketing schemes.
const (
	// BucketingDefault is flagctl's SHA-256 score, shared with FunWithFlags.
	BucketingDefault Bucketing = ""
	// BucketingFlipper is Flipper's: an actor is in the cohort when
	// crc32(flag name + actor ID) % 100000 < percentage * 1000. Flags imported
	// from Flipper carry it so the same actors stay enabled.
	BucketingFlipper Bucketing = "flipper"
)

// bucketings lists the values a flag file may write after "bucketing:".
var bucketings = []string{string(BucketingFlipper)}

// ParseBucketing parses the value of a flag's bucketing key.
func ParseBucketing(s string) (Bucketing, error) {
	for _, b := range bucketings {
		if s == b {
			return Bucketing(s), nil
		}
	}
	return "", fmt.Errorf("unknown bucketing %q; the only one is flipper (remove the key for flagctl's own)%s", s, DidYouMean(s, bucketings))
}

// SetBucketing sets how the flag's percentage_of_actors gate buckets actors;
// BucketingDefault removes the key.
func SetBucketing(name string, b Bucketing) Edit {
	return flagEdit(name, fmt.Sprintf("%s: bucketing %q", name, b), func(fl *Flag) error {
		if b != BucketingDefault {
			if _, err := ParseBucketing(string(b)); err != nil {
				return err
			}
		}
		fl.Bucketing = b
		return nil
	})
}
