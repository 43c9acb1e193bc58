//go:build (amd64 || arm64 || 386 || ppc64le) && !purego

package eval

import "unsafe"

// le64 reads the first 8 bytes of s as one word. These processors load
// unaligned words in hardware, and a direct load keeps the callers small enough
// to inline. The byte order is the machine's: the words only ever meet other
// words read the same way in the same process.
func le64(s string) uint64 {
	_ = s[7]
	return *(*uint64)(unsafe.Pointer(unsafe.StringData(s)))
}

// le32 reads the first 4 bytes of s as one word (see le64).
func le32(s string) uint64 {
	_ = s[3]
	return uint64(*(*uint32)(unsafe.Pointer(unsafe.StringData(s))))
}

// le64at reads bytes i to i+8 of s as one word (see le64). The caller makes
// sure they are in s: there is no bounds check, which keeps shortKeyOf inlined.
func le64at(s string, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), i))
}
