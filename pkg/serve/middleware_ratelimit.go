package serve

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// maxBuckets bounds the rate-limit buckets kept for callers. When the table is
// full, buckets that have refilled are dropped (a full bucket is the same as
// none); while every bucket is in use, new callers share overflowID's bucket.
// Nobody's spent tokens are ever given back.
const maxBuckets = 100000

// overflowID is the bucket new callers share while the table is full.
const overflowID = "\x00overflow"

// limiter is a token bucket per API key (or client IP without keys).
type limiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time // the last sweep for refilled buckets (at most one a second)
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	b := float64(burst)
	if b <= 0 {
		b = math.Max(1, rate)
	}
	return &limiter{rate: rate, burst: b, now: now, buckets: map[string]*bucket{}}
}

// take takes a token for id; when none is left it returns false and how long
// until one is.
func (l *limiter) take(id string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[id]
	if b == nil {
		if len(l.buckets) >= maxBuckets && now.Sub(l.swept) >= time.Second {
			l.sweep(now)
		}
		if len(l.buckets) >= maxBuckets {
			id = overflowID
			b = l.buckets[id]
		}
		if b == nil {
			b = &bucket{tokens: l.burst, last: now}
			l.buckets[id] = b
		}
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops the buckets that have refilled since their last use.
func (l *limiter) sweep(now time.Time) {
	l.swept = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for id, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, id)
		}
	}
}

// allow applies the rate limit: 429 with Retry-After (whole seconds, at least
// 1) when the caller's bucket is empty.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, k *apiKey) bool {
	if s.limiter == nil {
		return true
	}
	ok, wait := s.limiter.take(clientID(r, k))
	if ok {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	s.writeError(w, http.StatusTooManyRequests, "", "", "rate limit exceeded; retry after the Retry-After delay")
	return false
}

// clientID names the caller the limits apply to: its API key, or without one
// its client address — an IPv4 address, or an IPv6 /64 (one host usually holds
// a whole /64, so counting its addresses one by one would multiply its limit).
func clientID(r *http.Request, k *apiKey) string {
	if k != nil {
		return "key:" + strconv.Itoa(k.idx)
	}
	return clientAddr(r.RemoteAddr)
}

// clientAddr is the limited unit of a remote address "host:port".
func clientAddr(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if ip = ip.Unmap(); ip.Is6() {
		return netip.PrefixFrom(ip, 64).Masked().String()
	}
	return ip.String()
}

// openStream takes one of id's MaxStreamsPerClient stream places; when none
// is left it answers 429 with Retry-After and returns false. The caller
// gives the place back with closeStream.
func (s *Server) openStream(w http.ResponseWriter, id string) bool {
	s.streamsMu.Lock()
	n := s.streams[id]
	if n < MaxStreamsPerClient {
		s.streams[id] = n + 1
	}
	s.streamsMu.Unlock()
	if n < MaxStreamsPerClient {
		return true
	}
	who := "client address"
	if s.hasKeys {
		who = "API key"
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(streamRetryAfter.Seconds())))
	s.writeError(w, http.StatusTooManyRequests, "", "", "too many open change streams for this "+who+
		" (at most "+strconv.Itoa(MaxStreamsPerClient)+"): close one, or retry after the Retry-After delay")
	return false
}

// closeStream gives back a place taken by openStream.
func (s *Server) closeStream(id string) {
	s.streamsMu.Lock()
	if s.streams[id]--; s.streams[id] <= 0 {
		delete(s.streams, id)
	}
	s.streamsMu.Unlock()
}
