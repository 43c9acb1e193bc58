package eval

import (
	"hash/crc32"
	"math"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// FlipperBuckets is the number of buckets Flipper's percentage_of_actors gate
// splits actors into: 100 per cent times its scaling factor of 1,000, so that
// percentages keep three decimals.
const FlipperBuckets = 100_000

// FlipperBucket returns the bucket Flipper puts an actor in for a feature:
// crc32(feature + actorID) % 100000, with Zlib's CRC-32 (the IEEE polynomial).
// The actor ID is Flipper's flipper_id, such as "User;42".
func FlipperBucket(feature, actorID string) uint32 {
	return flipperBucketFrom(crc32.ChecksumIEEE([]byte(feature)), actorID)
}

// flipperBucketFrom continues the CRC of the feature name (computed once, at
// compile time) over the actor ID. It reads the string byte by byte with the
// IEEE table (Sarwate's algorithm): actor IDs are short, and the []byte that
// crc32.Update takes would escape to the heap on every check.
func flipperBucketFrom(featureCRC uint32, actorID string) uint32 {
	tab := crc32.IEEETable
	crc := ^featureCRC
	for i := 0; i < len(actorID); i++ {
		crc = tab[byte(crc)^actorID[i]] ^ crc>>8
	}
	return ^crc % FlipperBuckets
}

// FlipperLimit returns the bucket limit of a Flipper percentage: an actor is in
// the cohort when its bucket is below the limit. Flipper compares the bucket with
// percentage * 1000 computed in floating point (Ruby's Float, IEEE double) from
// the percentage it stores as a string, so a percentage such as 2.007% opens
// bucket 2007 too (2.007 * 1000 is 2007.0000000000002). 0 opens no bucket; 100%
// and more open every one.
func FlipperLimit(p flagfile.Percent) uint32 {
	if p == 0 {
		return 0
	}
	if p >= flagfile.PercentMax {
		return FlipperBuckets
	}
	if p%1000 == 0 {
		return uint32(p) // an integer percentage: Ruby multiplies Integers exactly
	}
	// float64(p)/1000 is the double nearest to the decimal, as String#to_f reads it.
	return uint32(math.Ceil(float64(p) / 1000 * 1000))
}

// flipperOpen is Flipper's percentage_of_actors check for a compiled flag.
func (c *compiled) flipperOpen(actorID string) bool {
	return flipperBucketFrom(c.nameCRC, actorID) < c.flipperLimit
}
