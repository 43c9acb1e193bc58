package serve

import "net/http"

// routes wires every route in one place. The OFREP API is served at the root
// (the environment comes from the API key, else the default) and under
// /env/NAME/ (an OFREP base URL per environment).
func (s *Server) routes() {
	mux := http.NewServeMux()
	s.mux = mux
	ofrep := http.NewServeMux()
	for _, prefix := range []string{"", "/env/{env}"} {
		ofrep.Handle("POST "+prefix+"/ofrep/v1/evaluate/flags/{key}", s.authenticated(s.evaluateFlag))
		ofrep.Handle("POST "+prefix+"/ofrep/v1/evaluate/flags", s.authenticated(s.evaluateBulk))
		ofrep.HandleFunc("OPTIONS "+prefix+"/ofrep/", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNoContent) // a preflight from an origin not allowed
		})
	}
	ofrep.HandleFunc("GET /ofrep/v1/events", s.events)
	api := s.cors(ofrep)
	mux.Handle("/ofrep/", api)
	mux.Handle("/env/", api)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	s.handler = s.observe(mux)
}
