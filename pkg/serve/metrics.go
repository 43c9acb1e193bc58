package serve

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics.
type metrics struct {
	reg          *prometheus.Registry
	evaluations  *prometheus.CounterVec
	notFound     *prometheus.CounterVec
	reloads      *prometheus.CounterVec
	reloadErrors *prometheus.CounterVec
	lastReload   *prometheus.GaugeVec
	latency      *prometheus.HistogramVec
	streams      *prometheus.GaugeVec

	mu        sync.RWMutex
	observers map[routeCode]prometheus.Observer
}

type routeCode struct {
	route string
	code  int
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		reg: reg,
		evaluations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flagctl_evaluations_total",
			Help: "Flag evaluations served over OFREP, by environment, flag and result.",
		}, []string{"env", "flag", "result"}),
		notFound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flagctl_flag_not_found_total",
			Help: "Evaluations of flags that are not defined (FLAG_NOT_FOUND), by environment.",
		}, []string{"env"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flagctl_reloads_total",
			Help: "Successful loads of a flag file that changed the served flags, by environment.",
		}, []string{"env"}),
		reloadErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flagctl_reload_errors_total",
			Help: "Flag file loads that failed or found invalid flags (the last good flags are served), by environment.",
		}, []string{"env"}),
		lastReload: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "flagctl_last_reload_success_timestamp_seconds",
			Help: "Unix time of the last successful load of the flag file, by environment.",
		}, []string{"env"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "flagctl_http_request_duration_seconds",
			Help:    "HTTP request latency by route and status code.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"route", "code"}),
		streams: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "flagctl_sse_streams",
			Help: "Open SSE change streams, by environment.",
		}, []string{"env"}),
		observers: map[routeCode]prometheus.Observer{},
	}
	reg.MustRegister(m.evaluations, m.notFound, m.reloads, m.reloadErrors, m.lastReload, m.latency, m.streams,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observer returns the latency histogram of a route and code, created once.
func (m *metrics) observer(route string, code int) prometheus.Observer {
	rc := routeCode{route, code}
	m.mu.RLock()
	o := m.observers[rc]
	m.mu.RUnlock()
	if o != nil {
		return o
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if o = m.observers[rc]; o == nil {
		o = m.latency.WithLabelValues(route, strconv.Itoa(code))
		m.observers[rc] = o
	}
	return o
}

// handler serves the metrics in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
