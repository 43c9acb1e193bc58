package serve

import (
	"net/http"
	"strconv"
)

// evaluateFlag is POST /ofrep/v1/evaluate/flags/{key}: one flag for one
// context (server-side providers).
func (s *Server) evaluateFlag(w http.ResponseWriter, r *http.Request, e *env, _ *apiKey) {
	key := r.PathValue("key")
	set := s.loadedSet(w, e)
	if set == nil {
		return
	}
	c := s.requestContext(w, r, key)
	if c == nil {
		return
	}
	defer s.putContext(c)
	d := set.ev.Explain(key, c.actor())
	counters := set.counters[key]
	if counters == nil { // undefined: no metric series per unknown name
		s.metrics.notFound.WithLabelValues(e.name).Inc()
		msg := "flag " + strconv.Quote(key) + " is not defined in environment " + e.name
		if p := set.ev.Problem(key); p != "" {
			msg = "flag " + strconv.Quote(key) + " is invalid in environment " + e.name + "'s flag file and has no last good state to serve: " + p
		}
		s.writeError(w, http.StatusNotFound, key, codeFlagNotFound, msg)
		return
	}
	if d.Enabled {
		counters.on.Inc()
	} else {
		counters.off.Inc()
	}
	out := s.bufs.get()
	*out = appendEvaluation(*out, d, !d.Enabled && set.ev.SwitchedOff(key), set.version)
	h := w.Header()
	h["Content-Type"] = s.hJSON
	h["Cache-Control"] = s.hNoStore
	w.WriteHeader(http.StatusOK)
	w.Write(*out)
	s.bufs.put(out)
}

// loadedSet returns e's flag set, or answers 503 when the file has not been
// loaded yet (Config.WaitForFiles).
func (s *Server) loadedSet(w http.ResponseWriter, e *env) *flagSet {
	set := e.set.Load()
	if set == nil {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, http.StatusServiceUnavailable, "", "", "the flags of environment "+e.name+" are not loaded yet")
	}
	return set
}

// writeError answers an OFREP error: evaluationFailure / flagNotFound with a
// key, bulkEvaluationFailure or generalErrorResponse without.
func (s *Server) writeError(w http.ResponseWriter, status int, key, code, details string) {
	out := s.bufs.get()
	*out = appendFailure(*out, key, code, details)
	h := w.Header()
	h["Content-Type"] = s.hJSON
	h["Cache-Control"] = s.hNoStore
	w.WriteHeader(status)
	w.Write(*out)
	s.bufs.put(out)
}
