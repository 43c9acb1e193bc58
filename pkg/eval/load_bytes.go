//go:build !(amd64 || arm64 || 386 || ppc64le) || purego

package eval

// le64 reads the first 8 bytes of s, little-endian, a byte at a time: other
// processors may trap on unaligned loads. The purego build tag selects this
// file everywhere (make unit tests the package both ways).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// le32 reads the first 4 bytes of s, little-endian (see le64).
func le32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// le64at reads bytes i to i+8 of s (see le64).
func le64at(s string, i int) uint64 { return le64(s[i:]) }
