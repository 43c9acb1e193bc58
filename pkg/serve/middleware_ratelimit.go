package serve

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxBuckets bounds the rate-limit buckets kept for client IPs; past it the
// table starts over (everyone gets a full bucket).
const maxBuckets = 100000

// limiter is a token bucket per API key (or client IP without keys).
type limiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
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
		if len(l.buckets) >= maxBuckets {
			l.buckets = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[id] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// allow applies the rate limit: 429 with Retry-After (whole seconds, at least
// 1) when the caller's bucket is empty.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, k *apiKey) bool {
	if s.limiter == nil {
		return true
	}
	var id string
	if k != nil {
		id = "key:" + strconv.Itoa(k.idx)
	} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		id = host
	} else {
		id = r.RemoteAddr
	}
	ok, wait := s.limiter.take(id)
	if ok {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	s.writeError(w, http.StatusTooManyRequests, "", "", "rate limit exceeded; retry after the Retry-After delay")
	return false
}
