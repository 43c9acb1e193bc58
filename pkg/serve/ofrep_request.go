package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/flagctl/flagctl/pkg/eval"
)

// The OFREP attributes flagctl evaluates, as in the OpenFeature Go provider.
const (
	// TargetingKeyAttribute is the actor ID.
	TargetingKeyAttribute = "targetingKey"
	// GroupsAttribute lists the groups: an array of strings, or one string of
	// comma-separated names.
	GroupsAttribute = "groups"
)

// OFREP error codes.
const (
	codeParseError     = "PARSE_ERROR"
	codeInvalidContext = "INVALID_CONTEXT"
	codeFlagNotFound   = "FLAG_NOT_FOUND"
	codeGeneral        = "GENERAL"
)

// requestError is a 4xx answer to a request: an OFREP error code and details
// meant for the client.
type requestError struct {
	status  int
	code    string
	details string
}

func (e *requestError) Error() string { return e.code + ": " + e.details }

// evalContext is the part of an evaluation context flagctl evaluates.
type evalContext struct {
	subject   eval.Subject
	hasGroups bool
}

// actor maps the context like the OpenFeature Go provider: the targeting key is
// the actor ID and the groups attribute its groups; groups without a targeting
// key are a subject without an ID (group gates apply to it); neither is no actor.
func (c *evalContext) actor() eval.Actor {
	if c.subject.ID == "" && !c.hasGroups {
		return nil
	}
	return &c.subject
}

// getContext returns an empty evalContext from the pool; its Groups keep
// their capacity.
func (s *Server) getContext() *evalContext {
	if c, ok := s.ctxs.Get().(*evalContext); ok {
		return c
	}
	return &evalContext{}
}

func (s *Server) putContext(c *evalContext) {
	clear(c.subject.Groups) // drop the strings
	*c = evalContext{subject: eval.Subject{Groups: c.subject.Groups[:0]}}
	s.ctxs.Put(c)
}

// bufPool recycles request and response buffers.
type bufPool struct{ p sync.Pool }

func (bp *bufPool) get() *[]byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 1024)
	return &b
}

func (bp *bufPool) put(b *[]byte) {
	if cap(*b) <= 4*MaxBodyBytes {
		bp.p.Put(b)
	}
}

// readBody reads the request body, at most MaxBodyBytes, into a pooled buffer.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (*[]byte, *requestError) {
	bp := s.bufs.get()
	b := (*bp)[:0]
	body := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			*bp = b
			s.bufs.put(bp)
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, &requestError{http.StatusRequestEntityTooLarge, codeGeneral, "the request body is larger than 64 KiB"}
			}
			return nil, &requestError{http.StatusBadRequest, codeParseError, "the request body could not be read"}
		}
	}
	*bp = b
	return bp, nil
}

// requestContext reads and decodes the request body into a pooled context.
// On failure it answers with the error (naming key, "" for bulk requests) and
// returns nil; otherwise the caller gives the context back with putContext.
func (s *Server) requestContext(w http.ResponseWriter, r *http.Request, key string) *evalContext {
	body, rerr := s.readBody(w, r)
	if rerr != nil {
		s.writeError(w, rerr.status, key, rerr.code, rerr.details)
		return nil
	}
	c := s.getContext()
	rerr = parseRequest(*body, c)
	s.bufs.put(body)
	if rerr != nil {
		s.putContext(c)
		s.writeError(w, rerr.status, key, rerr.code, rerr.details)
		return nil
	}
	return c
}

// parseRequest decodes an OFREP evaluation request, {"context": {...}}, into
// the attributes flagctl evaluates. Other attributes are accepted and ignored.
func parseRequest(body []byte, c *evalContext) *requestError {
	if !json.Valid(body) {
		return &requestError{http.StatusBadRequest, codeParseError, `the request body is not valid JSON; send {"context": {"targetingKey": "user:42"}}`}
	}
	p := scanner{b: body}
	p.ws()
	if !p.is('{') {
		return &requestError{http.StatusBadRequest, codeParseError, `the request body must be a JSON object: {"context": {...}}`}
	}
	found := false
	err := p.object(func(key []byte) *requestError {
		if string(key) != "context" {
			p.skip()
			return nil
		}
		found = true
		// a repeated key replaces the earlier one, as in encoding/json
		c.subject.ID, c.subject.Groups, c.hasGroups = "", c.subject.Groups[:0], false
		if !p.is('{') {
			if p.is('n') { // "context": null is no context
				p.skip()
				return nil
			}
			return &requestError{http.StatusBadRequest, codeInvalidContext, `"context" must be an object`}
		}
		return p.object(func(attr []byte) *requestError {
			switch string(attr) {
			case TargetingKeyAttribute:
				switch {
				case p.is('"'):
					c.subject.ID = p.str()
				case p.is('n'):
					c.subject.ID = ""
					p.skip()
				default:
					return &requestError{http.StatusBadRequest, codeInvalidContext, `"targetingKey" must be a string`}
				}
			case GroupsAttribute:
				return p.groups(c)
			default:
				p.skip()
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if !found {
		return &requestError{http.StatusBadRequest, codeInvalidContext, `the request has no "context" object: send {"context": {"targetingKey": "user:42"}}`}
	}
	return nil
}

// scanner reads JSON that json.Valid accepted.
type scanner struct {
	b []byte
	i int
}

func (p *scanner) ws() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *scanner) is(c byte) bool { return p.i < len(p.b) && p.b[p.i] == c }

// object calls fn for each key (raw, without quotes: compare it with
// string(key) == "…", which does not allocate), positioned on its value; fn
// consumes the value.
func (p *scanner) object(fn func(key []byte) *requestError) *requestError {
	p.i++ // {
	for {
		p.ws()
		if p.is('}') {
			p.i++
			p.ws()
			return nil
		}
		if p.is(',') {
			p.i++
			p.ws()
		}
		key := p.raw()
		p.ws()
		p.i++ // :
		p.ws()
		if err := fn(key); err != nil {
			return err
		}
		p.ws()
	}
}

// raw reads a string and returns its bytes between the quotes, escapes
// undecoded (keys with escapes match nothing flagctl reads).
func (p *scanner) raw() []byte {
	start := p.i
	p.skipString()
	return p.b[start+1 : p.i-1]
}

func (p *scanner) skipString() {
	p.i++
	for p.i < len(p.b) && p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	p.i++
}

// str reads a string. Valid UTF-8 without escapes is copied as it is; the
// rest is decoded as encoding/json does (invalid UTF-8 becomes U+FFFD).
func (p *scanner) str() string {
	start := p.i
	p.skipString()
	raw := p.b[start:p.i]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	json.Unmarshal(raw, &s) // valid JSON: cannot fail
	return s
}

// skip skips one value.
func (p *scanner) skip() {
	depth := 0
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '"':
			p.skipString()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				p.i++
				return
			}
		case ',':
			if depth == 0 {
				return
			}
		}
		p.i++
	}
}

// groups reads the groups attribute: an array of strings or a comma-separated
// string; null is no groups.
func (p *scanner) groups(c *evalContext) *requestError {
	bad := &requestError{http.StatusBadRequest, codeInvalidContext, `"groups" must be an array of strings (or one comma-separated string)`}
	c.subject.Groups = c.subject.Groups[:0]
	switch {
	case p.is('n'):
		p.skip()
	case p.is('"'):
		for _, g := range strings.Split(p.str(), ",") {
			if g = strings.TrimSpace(g); g != "" {
				c.subject.Groups = append(c.subject.Groups, g)
			}
		}
	case p.is('['):
		p.i++
		for {
			p.ws()
			if p.is(']') {
				p.i++
				break
			}
			if p.is(',') {
				p.i++
				p.ws()
			}
			if !p.is('"') {
				return bad
			}
			c.subject.Groups = append(c.subject.Groups, p.str())
		}
	default:
		return bad
	}
	c.hasGroups = len(c.subject.Groups) > 0
	return nil
}
