package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// etagCacheSize bounds the bulk ETags remembered per flag set (one per
// context); past it the cache starts over.
const etagCacheSize = 10000

// etagCache remembers, per context, the ETag of the bulk response for one flag
// set, so that a matching If-None-Match is answered without evaluating. It is
// only used for deterministic flag sets: the same context then always gives the
// same body.
type etagCache struct {
	mu sync.Mutex
	m  map[[32]byte]string
}

func (c *etagCache) get(k [32]byte) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *etagCache) put(k [32]byte, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= etagCacheSize {
		c.m = make(map[[32]byte]string)
	}
	c.m[k] = v
}

// evaluateBulk is POST /ofrep/v1/evaluate/flags: every flag for one context
// (client-side providers), sorted by key, with a strong ETag over the body.
func (s *Server) evaluateBulk(w http.ResponseWriter, r *http.Request, e *env, k *apiKey) {
	set := s.loadedSet(w, e)
	if set == nil {
		return
	}
	if r.URL.RawQuery != "" {
		if set = s.awaitConfig(w, r, e, set); set == nil {
			return
		}
	}
	c := s.requestContext(w, r, "")
	if c == nil {
		return
	}
	defer s.putContext(c)
	inm := r.Header.Get("If-None-Match")
	var ck [32]byte
	if set.deterministic {
		ck = s.cacheKey(c, k)
		if inm != "" {
			if etag, ok := set.etags.get(ck); ok && etagMatch(inm, etag) {
				s.notModified(w, etag)
				return
			}
		}
	}
	a := c.actor()
	out := s.bufs.get()
	b := append(*out, `{"flags":[`...)
	for i, name := range set.names {
		if i > 0 {
			b = append(b, ',')
		}
		d := set.ev.Explain(name, a)
		if d.Enabled {
			set.counters[name].on.Inc()
		} else {
			set.counters[name].off.Inc()
		}
		b = appendEvaluation(b, d, !d.Enabled && set.ev.SwitchedOff(name), set.version)
	}
	b = append(b, `],"metadata":{"environment":"`...)
	b = append(b, e.name...)
	b = append(b, `","version":"`...)
	b = append(b, set.version...)
	b = append(b, `"},"eventStreams":[{"type":"sse","endpoint":{"requestUri":`...)
	b = appendString(b, s.eventsURI(e, k))
	b = append(b, `},"inactivityDelaySec":`...)
	b = appendInt(b, InactivityDelaySec)
	b = append(b, "}]}"...)
	*out = b
	etag := bodyETag(b)
	if set.deterministic {
		set.etags.put(ck, etag)
	}
	if inm != "" && etagMatch(inm, etag) {
		s.bufs.put(out)
		s.notModified(w, etag)
		return
	}
	h := w.Header()
	h["Content-Type"] = s.hJSON
	h["Cache-Control"] = s.hNoCache
	h.Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	s.bufs.put(out)
}

func (s *Server) notModified(w http.ResponseWriter, etag string) {
	h := w.Header()
	h.Set("ETag", etag)
	h["Cache-Control"] = s.hNoCache
	w.WriteHeader(http.StatusNotModified)
}

// bodyETag is the strong ETag of a response body: the first 128 bits of its
// SHA-256, quoted. Identical bodies give identical ETags on every replica.
func bodyETag(body []byte) string {
	sum := sha256.Sum256(body)
	var b [34]byte
	b[0] = '"'
	hex.Encode(b[1:33], sum[:16])
	b[33] = '"'
	return string(b[:])
}

// cacheKey identifies what the bulk body depends on besides the flag set: the
// actor ID, the groups and the caller's key (the events URL carries a token).
// It is the SHA-256 of every part, length-prefixed (IDs and groups may hold
// any byte, and two contexts with different answers must never share a key),
// so an entry stays small whatever the size of the context.
func (s *Server) cacheKey(c *evalContext, k *apiKey) [32]byte {
	bp := s.bufs.get()
	b := appendPart(*bp, c.subject.ID)
	for _, g := range c.subject.Groups {
		b = appendPart(b, g)
	}
	b = append(b, ';')
	if k != nil {
		b = strconv.AppendInt(b, int64(k.idx), 10)
	}
	sum := sha256.Sum256(b)
	*bp = b
	s.bufs.put(bp)
	return sum
}

// appendPart appends s with its length: "LEN:s".
func appendPart(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// etagMatch is the weak comparison of If-None-Match (RFC 9110 13.1.2): "*" or
// any listed tag equal to etag once W/ is ignored.
func etagMatch(header, etag string) bool {
	for header != "" {
		header = strings.TrimLeft(header, " \t,")
		if header == "" {
			return false
		}
		if header[0] == '*' {
			return true
		}
		header = strings.TrimPrefix(header, "W/")
		end := len(header)
		if header[0] == '"' {
			if i := strings.IndexByte(header[1:], '"'); i >= 0 {
				end = i + 2
			}
		} else if i := strings.IndexByte(header, ','); i >= 0 {
			end = i
		}
		if header[:end] == etag {
			return true
		}
		header = header[end:]
	}
	return false
}

// awaitConfig honours flagConfigEtag / flagConfigLastModified (ADR-0008): a
// re-fetch triggered by an SSE event names the flag configuration it wants.
// When this replica has not loaded it yet, the request waits for a reload (at
// most RefetchWait); a replica still behind a newer flagConfigLastModified then
// answers 503 with Retry-After, so that the client retries rather than caching
// old flags. Otherwise the current flags are served.
func (s *Server) awaitConfig(w http.ResponseWriter, r *http.Request, e *env, set *flagSet) *flagSet {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "", codeParseError, "the query string could not be parsed")
		return nil
	}
	want := q.Get("flagConfigEtag")
	lm, lmErr := parseLastModified(q.Get("flagConfigLastModified"))
	if lmErr != nil {
		s.writeError(w, http.StatusBadRequest, "", codeParseError, "flagConfigLastModified must be Unix seconds or an RFC 3339 date-time")
		return nil
	}
	if want == "" || want == set.etag || strings.Trim(want, `"`) == strings.Trim(set.etag, `"`) {
		return set
	}
	timer := time.NewTimer(s.refetchWait)
	defer timer.Stop()
	for {
		ch := e.wait()
		if set = e.set.Load(); strings.Trim(want, `"`) == strings.Trim(set.etag, `"`) {
			return set
		}
		select {
		case <-ch:
			continue
		case <-r.Context().Done():
			return nil
		case <-s.closing:
		case <-timer.C:
		}
		break
	}
	if lm > set.loaded {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, http.StatusServiceUnavailable, "", "", "this replica has not loaded the requested flag configuration yet; retry")
		return nil
	}
	return set
}

// parseLastModified reads Unix seconds or an RFC 3339 date-time; "" is 0.
func parseLastModified(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return 0, err
	}
	return t.Unix(), nil
}
