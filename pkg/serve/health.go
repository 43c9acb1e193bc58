package serve

import (
	"encoding/json"
	"net/http"
	"time"
)

// healthz is GET /healthz: the process is up.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// EnvStatus is one environment in the /readyz answer.
type EnvStatus struct {
	Name   string `json:"name"`
	Loaded bool   `json:"loaded"`
	// Version is the SHA-256 of the served file content.
	Version string `json:"version,omitempty"`
	Flags   int    `json:"flags"`
	// LastReload is the time of the last successful load (RFC 3339).
	LastReload string `json:"lastReload,omitempty"`
	// Stale is the problem of the file on disk when the served flags are the
	// last good ones (the file, or some of its flags, are invalid).
	Stale string `json:"stale,omitempty"`
	// Error is why the file could not be loaded at all.
	Error string `json:"error,omitempty"`
}

// Readiness is the /readyz answer.
type Readiness struct {
	Ready        bool        `json:"ready"`
	Environments []EnvStatus `json:"environments"`
}

// Readiness reports every environment: ready when all are loaded. A stale
// file does not make the server unready — it serves the last good flags, on
// every replica alike — but it is reported.
func (s *Server) Readiness() Readiness {
	rd := Readiness{Ready: true}
	for _, e := range s.order {
		st := EnvStatus{Name: e.name}
		if set := e.set.Load(); set != nil {
			st.Loaded, st.Version, st.Flags = true, set.version, len(set.names)
		} else {
			rd.Ready = false
		}
		if t := e.reloaded.Load(); t != 0 {
			st.LastReload = time.Unix(t, 0).UTC().Format(time.RFC3339)
		}
		if p := e.stale.Load(); p != nil {
			st.Stale = *p
		}
		if p := e.loadErr.Load(); p != nil && !st.Loaded {
			st.Error = *p
		}
		rd.Environments = append(rd.Environments, st)
	}
	return rd
}

// readyz is GET /readyz: 200 when every environment is loaded, else 503.
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	rd := s.Readiness()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !rd.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(rd)
}
