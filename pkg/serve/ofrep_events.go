package serve

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// sseRetryMillis (2 s) is the reconnection delay suggested to SSE clients.
const sseRetryMillis = "2000"

// eventsURI is the request URI of e's change stream for the caller of key k.
// Browsers' EventSource cannot send headers, so with API keys the URI carries
// a token derived from the key (never the key). It is relative, so every
// replica behind one address advertises the same URI (and the same ETag).
func (s *Server) eventsURI(e *env, k *apiKey) string {
	u := "/ofrep/v1/events?env=" + e.name
	if k != nil {
		u += "&token=" + k.sse
	}
	return u
}

// events is GET /ofrep/v1/events (ADR-0008): a Server-Sent Events stream that
// sends a refetchEvaluation message, with the new flag configuration ETag and
// load time, every time a reload changes the environment's flags. The event
// id is that ETag: a client reconnecting with a Last-Event-ID other than the
// current configuration gets an event at once (it missed a change), on any
// replica. Comments keep idle proxies from closing the stream; shutdown ends
// it cleanly. Each API key (or client IP without keys) may hold
// MaxStreamsPerClient streams at once; one more gets 429.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	e, k, ok := s.eventsEnv(w, r)
	if !ok {
		return
	}
	id := clientID(r, k)
	if !s.openStream(w, id) {
		return
	}
	defer s.closeStream(id)
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives WriteTimeout
	rc.SetReadDeadline(time.Time{})  // and ReadTimeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("retry: " + sseRetryMillis + "\n: flagctl change stream for " + e.name + "\n\n")); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	open := s.metrics.streams.WithLabelValues(e.name)
	open.Inc()
	defer open.Dec()
	sent := strings.Trim(r.Header.Get("Last-Event-ID"), `"`)
	if sent == "" {
		if set := e.set.Load(); set != nil {
			sent = strings.Trim(set.etag, `"`)
		}
	}
	keepAlive := time.NewTicker(s.cfg.KeepAlive)
	defer keepAlive.Stop()
	for {
		ch := e.wait()
		if set := e.set.Load(); set != nil && strings.Trim(set.etag, `"`) != sent {
			if !s.sendRefetch(w, rc, set) {
				return
			}
			sent = strings.Trim(set.etag, `"`)
		}
		select {
		case <-ch:
		case <-keepAlive.C:
			if _, err := w.Write([]byte(": keep-alive\n\n")); err != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.closing:
			return // the response ends; EventSource reconnects to another replica
		}
	}
}

// sendRefetch writes one refetchEvaluation event.
func (s *Server) sendRefetch(w http.ResponseWriter, rc *http.ResponseController, set *flagSet) bool {
	b := make([]byte, 0, 160)
	b = append(b, "id: "...)
	b = append(b, strings.Trim(set.etag, `"`)...)
	b = append(b, "\nevent: message\ndata: {\"type\":\"refetchEvaluation\",\"etag\":"...)
	b = appendString(b, set.etag)
	b = append(b, `,"lastModified":`...)
	b = appendInt(b, set.loaded)
	b = append(b, "}\n\n"...)
	if _, err := w.Write(b); err != nil {
		return false
	}
	return rc.Flush() == nil
}

// eventsEnv authenticates a stream: the env query parameter (or the default
// environment without keys) and, with keys, the URL's token or an API key of
// that environment. Like authenticated, the key (or token) is checked before
// the environment name: without a valid one the answer is 401 whatever env
// names.
func (s *Server) eventsEnv(w http.ResponseWriter, r *http.Request) (*env, *apiKey, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "", codeParseError, "the query string could not be parsed")
		return nil, nil, false
	}
	name := q.Get("env")
	if tok := q.Get("token"); tok != "" && s.hasKeys {
		var k *apiKey
		if e := s.envs[name]; e != nil {
			k = s.findSSEToken(e, tok)
		}
		if k == nil {
			if !s.allow(w, r, nil) { // charged to the client IP, like a bad key
				return nil, nil, false
			}
			s.writeError(w, http.StatusUnauthorized, "", "", "the stream token is not valid")
			return nil, nil, false
		}
		return k.env, k, s.allow(w, r, k) // the token's key's rate limit
	}
	e, k, ok := s.authorize(w, r, name, requestKey(r))
	if !ok {
		return nil, nil, false
	}
	return e, k, s.allow(w, r, k)
}
