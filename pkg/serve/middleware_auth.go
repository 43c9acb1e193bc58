package serve

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// apiKey is one configured key, kept as its SHA-256 so every comparison has
// the same length and takes the same time.
type apiKey struct {
	sum [32]byte
	env *env
	idx int
	// sse is the token of the key's events URL: an HMAC of the environment
	// name under the key, so the URL never carries the key itself.
	sse string
}

func newAPIKey(key string, e *env, idx int) apiKey {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("flagctl-sse\x00" + e.name))
	return apiKey{sum: sha256.Sum256([]byte(key)), env: e, idx: idx, sse: hex.EncodeToString(mac.Sum(nil)[:16])}
}

// ofrepHandler is a handler that knows its environment and caller's key (nil
// without keys).
type ofrepHandler func(w http.ResponseWriter, r *http.Request, e *env, k *apiKey)

// authenticated resolves the request's environment and checks its API key:
//
//   - With API keys configured, every request carries one (X-API-Key, or
//     Authorization: Bearer): missing or unknown → 401, whatever the
//     /env/NAME/ prefix names, so environment names cannot be discovered
//     without a key; a valid key on the prefix of another environment, or of
//     one not served, → 403 (the same answer for both). The key's own
//     environment is served.
//   - Without any key configured (a loopback address, or --insecure-no-auth),
//     the /env/NAME/ prefix picks the environment (404 when it is not
//     served), else Config.DefaultEnv (the first environment).
//
// The rate limit (per key, or per client IP without keys) applies after; a
// missing or unknown key is charged to the client IP.
func (s *Server) authenticated(h ofrepHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, k, ok := s.authorize(w, r, r.PathValue("env"), requestKey(r))
		if !ok {
			return
		}
		if !s.allow(w, r, k) {
			return
		}
		h(w, r, e, k)
	}
}

// authorize checks the presented key (or its absence) against the
// environment named by the request (pathName, "" for none). The key is
// checked before the name, so an unknown name is told apart from a known one
// only after authentication.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, pathName, presented string) (*env, *apiKey, bool) {
	pathEnv := s.envs[pathName]
	if !s.hasKeys {
		switch {
		case pathName == "":
			return s.def, nil, true
		case pathEnv == nil:
			s.writeError(w, http.StatusNotFound, "", "", "environment "+pathName+" is not served here")
			return nil, nil, false
		}
		return pathEnv, nil, true
	}
	// A request without a valid key is charged to its client IP, so the rate
	// limit also bounds key guessing.
	if presented == "" {
		if !s.allow(w, r, nil) {
			return nil, nil, false
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="flagctl"`)
		s.writeError(w, http.StatusUnauthorized, "", "", "an API key is required: send it as X-API-Key or Authorization: Bearer")
		return nil, nil, false
	}
	k := s.findKey(presented)
	if k == nil {
		if !s.allow(w, r, nil) {
			return nil, nil, false
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="flagctl", error="invalid_token"`)
		s.writeError(w, http.StatusUnauthorized, "", "", "the API key is not valid")
		return nil, nil, false
	}
	if pathName != "" && pathEnv != k.env {
		s.writeError(w, http.StatusForbidden, "", "", "this API key does not read environment "+pathName)
		return nil, nil, false
	}
	return k.env, k, true
}

// findKey compares presented with every key in constant time (it does not
// stop at the first match) and returns the matching one.
func (s *Server) findKey(presented string) *apiKey {
	sum := sha256.Sum256([]byte(presented))
	var found *apiKey
	for i := range s.keys {
		if subtle.ConstantTimeCompare(sum[:], s.keys[i].sum[:]) == 1 {
			found = &s.keys[i]
		}
	}
	return found
}

// findSSEToken is findKey for the token of an events URL, within e.
func (s *Server) findSSEToken(e *env, token string) *apiKey {
	var found *apiKey
	for i := range s.keys {
		k := &s.keys[i]
		if subtle.ConstantTimeCompare([]byte(token), []byte(k.sse)) == 1 && k.env == e {
			found = k
		}
	}
	return found
}

// requestKey returns the API key of a request: X-API-Key, or an
// Authorization: Bearer token.
func requestKey(r *http.Request) string {
	if k := r.Header.Get("X-API-Key"); k != "" {
		return k
	}
	if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		return strings.TrimSpace(a[7:])
	}
	return ""
}
