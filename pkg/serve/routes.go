package serve

import "net/http"

// routes wires every route in one place. The OFREP API is served at the root
// (the environment comes from the API key, else the default) and under
// /env/NAME/ (an OFREP base URL per environment); its routes get CORS.
func (s *Server) routes() {
	mux := http.NewServeMux()
	s.mux = mux
	preflight := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent) // answered by cors for allowed origins
	})
	for _, prefix := range []string{"", "/env/{env}"} {
		mux.Handle("POST "+prefix+"/ofrep/v1/evaluate/flags/{key}", s.cors(s.authenticated(s.evaluateFlag)))
		mux.Handle("POST "+prefix+"/ofrep/v1/evaluate/flags", s.cors(s.authenticated(s.evaluateBulk)))
		mux.Handle("OPTIONS "+prefix+"/ofrep/", s.cors(preflight))
	}
	mux.Handle("GET /ofrep/v1/events", s.cors(http.HandlerFunc(s.events)))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	s.handler = s.observe(mux)
}
