package main

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// minCompressSize is the smallest body worth compressing: below about 1 KiB
// the encoding's framing and the CPU cost eat what little it saves.
const minCompressSize = 1024

// Levels, measured on this machine. Assets (the web's 71 KB bundle,
// cached by browsers for a year): gzip 5 gives 24.0 KB in 2.2 ms of CPU;
// brotli 5 gives 23.2 KB in 3.3 ms, while brotli 4 (24.5 KB) would lose to
// gzip and brotli 11 (21.6 KB) takes 100 times as long. API answers (JSON)
// are made and compressed on every request, so they get cheaper levels:
// the 35 KB rollout matrix takes 0.46 ms at gzip 5 (3.3 KB) and 0.18 ms at
// gzip 3 (3.8 KB), 1.1 ms at brotli 5 (2.9 KB) and 0.33 ms at brotli 2
// (3.5 KB). brotliWindow, 256 KiB, covers our responses and keeps a pooled
// brotli writer at about 2.5 MB instead of 10 with the default window.
const (
	gzipLevel       = 5
	brotliLevel     = 5
	gzipLevelJSON   = 3
	brotliLevelJSON = 2
	brotliWindow    = 18
)

// encoder is what *gzip.Writer and *brotli.Writer have in common.
type encoder interface {
	io.WriteCloser
	Flush() error
	Reset(io.Writer)
}

// encoding is a coding at a level: for assets or for JSON.
type encoding struct {
	coding string // "br" or "gzip"
	json   bool
}

// encoders hold idle writers per encoding: a fresh one allocates its
// window and hash tables, megabytes for brotli.
var encoders = map[encoding]*sync.Pool{
	{"br", false}:   brotliPool(brotliLevel),
	{"br", true}:    brotliPool(brotliLevelJSON),
	{"gzip", false}: gzipPool(gzipLevel),
	{"gzip", true}:  gzipPool(gzipLevelJSON),
}

func brotliPool(quality int) *sync.Pool {
	return &sync.Pool{New: func() any {
		return brotli.NewWriterOptions(nil, brotli.WriterOptions{Quality: quality, LGWin: brotliWindow})
	}}
}

func gzipPool(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, level) // the levels are valid
		return w
	}}
}

// compressibleTypes are the media types that shrink under gzip and brotli;
// everything else (images, fonts as woff2, archives) is compressed already
// or unknown, and goes out as it is.
var compressibleTypes = map[string]bool{
	"application/javascript":   true,
	"application/x-javascript": true,
	"application/ecmascript":   true,
	"application/json":         true,
	"application/xml":          true,
	"application/wasm":         true,
	"image/svg+xml":            true,
	"image/x-icon":             true,
	"font/ttf":                 true,
	"font/otf":                 true,
}

// compress encodes responses with brotli or gzip, whichever the client
// prefers in Accept-Encoding (brotli on a tie), when they are worth it: a
// compressible type, at least minCompressSize bytes, not encoded already.
// It holds back the first bytes to decide, so a handler that sets no
// Content-Length still gets the choice right; a Flush before that decides
// on the bytes so far. Vary: Accept-Encoding goes on every response, as
// every response might have been compressed for another client.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &compressWriter{ResponseWriter: w, ifNoneMatch: r.Header.Get("If-None-Match")}
		if r.Method != http.MethodHead {
			cw.coding = negotiateEncoding(strings.Join(r.Header.Values("Accept-Encoding"), ","))
		}
		next.ServeHTTP(cw, r)
		// Not deferred: after a panic the response must stay cut off, not
		// be completed from the buffer as if all were well.
		cw.finish()
	})
}

// negotiateEncoding picks "br", "gzip" or "" (no coding) for an
// Accept-Encoding value per RFC 9110 § 12.5.3: the highest q wins, q=0
// excludes, "*" stands for codings not named, and an explicit identity
// with a higher q than both means "rather not". No header means no coding.
func negotiateEncoding(accept string) string {
	weights := map[string]float64{}
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "x-gzip" {
			coding = "gzip" // the old name, RFC 9110 § 8.4.1.3
		}
		if coding != "" {
			weights[coding] = qValue(params)
		}
	}
	weight := func(coding string) float64 {
		if q, ok := weights[coding]; ok {
			return q
		}
		return weights["*"] // 0 when there is no "*" either
	}
	best, bestQ := "", 0.0
	for _, coding := range []string{"br", "gzip"} {
		if q := weight(coding); q > bestQ {
			best, bestQ = coding, q
		}
	}
	if q, ok := weights["identity"]; ok && q > bestQ {
		return ""
	}
	return best
}

// qValue reads the q parameter of one Accept-Encoding entry: 1 when it is
// missing, 0 when it is malformed, so a garbled entry never wins.
func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// compressibleType reports whether a Content-Type value names a
// compressible media type: text/*, JSON and XML of any flavour
// (application/graphql-response+json, application/atom+xml), scripts, SVG.
func compressibleType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mediaType, "text/") || compressibleTypes[mediaType] ||
		strings.HasSuffix(mediaType, "+json") || strings.HasSuffix(mediaType, "+xml")
}

// isJSON reports whether a Content-Type value names JSON of any flavour
// (application/json, application/graphql-response+json).
func isJSON(contentType string) bool {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// compressWriter decides on the first minCompressSize bytes, or on the
// headers alone when they tell enough, and then either encodes or passes
// everything through.
type compressWriter struct {
	http.ResponseWriter
	coding      string // negotiated: "br", "gzip", or "" for none
	ifNoneMatch string // of the request, for the ETag of a 304

	status  int    // 0 until the handler writes the header
	buf     []byte // the body held back while undecided
	decided bool
	enc     encoder  // nil when the body goes out as it is
	encKey  encoding // the pool enc goes back to
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (cw *compressWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }

func (cw *compressWriter) WriteHeader(code int) {
	if cw.status != 0 {
		return
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		cw.ResponseWriter.WriteHeader(code) // 103 Early Hints and the like
		return
	}
	cw.status = code
	switch {
	case !cw.mayCompress():
		cw.commit(false)
	case cw.Header().Get("Content-Type") != "" && contentLength(cw.Header()) >= minCompressSize:
		cw.commit(true)
	}
}

func (cw *compressWriter) Write(p []byte) (int, error) {
	if cw.status == 0 {
		cw.WriteHeader(http.StatusOK)
	}
	if cw.decided {
		return cw.out().Write(p)
	}
	cw.buf = append(cw.buf, p...)
	if len(cw.buf) < minCompressSize {
		return len(p), nil
	}
	if err := cw.decide(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush sends what the handler wrote so far, encoded or not: streaming
// responses keep streaming.
func (cw *compressWriter) Flush() {
	if cw.status == 0 {
		cw.WriteHeader(http.StatusOK)
	}
	if !cw.decided {
		cw.decide()
	}
	if cw.enc != nil {
		cw.enc.Flush()
	}
	http.NewResponseController(cw.ResponseWriter).Flush()
}

// finish completes the response after the handler returned.
func (cw *compressWriter) finish() {
	if cw.status == 0 {
		// Nothing written: net/http sends an empty 200 with these headers.
		addVary(cw.Header())
		return
	}
	if !cw.decided {
		cw.decide()
	}
	if cw.enc != nil {
		cw.enc.Close()
		cw.enc.Reset(io.Discard) // no reference to this response in the pool
		encoders[cw.encKey].Put(cw.enc)
		cw.enc = nil
	}
}

// mayCompress reports whether what the headers say so far allows encoding.
func (cw *compressWriter) mayCompress() bool {
	h := cw.Header()
	ct, typed := h["Content-Type"]
	switch {
	case cw.coding == "",
		cw.status == http.StatusNoContent, cw.status == http.StatusNotModified,
		cw.status == http.StatusPartialContent, cw.status < 200,
		h.Get("Content-Encoding") != "", // e.g. /metrics: Prometheus gzips itself
		h.Get("Content-Range") != "",
		strings.Contains(strings.ToLower(h.Get("Cache-Control")), "no-transform"),
		typed && (len(ct) == 0 || !compressibleType(ct[0])),
		h.Get("Content-Length") != "" && contentLength(h) < minCompressSize:
		return false
	}
	return true
}

// decide commits on the bytes held back: too few, and they go out as
// they are.
func (cw *compressWriter) decide() error {
	h := cw.Header()
	if _, typed := h["Content-Type"]; !typed && len(cw.buf) > 0 {
		// What net/http would sniff; with a Content-Encoding it no longer does.
		h.Set("Content-Type", http.DetectContentType(cw.buf))
	}
	cw.commit(cw.mayCompress() && len(cw.buf) >= minCompressSize)
	buf := cw.buf
	cw.buf = nil
	if len(buf) == 0 {
		return nil
	}
	_, err := cw.out().Write(buf)
	return err
}

// commit writes the header, for an encoded body or a plain one.
func (cw *compressWriter) commit(encode bool) {
	cw.decided = true
	h := cw.Header()
	addVary(h)
	if encode {
		h.Set("Content-Encoding", cw.coding)
		h.Del("Content-Length")
		h.Del("Accept-Ranges") // ranges would count bytes of the plain body
		weakenETag(h)
		cw.encKey = encoding{cw.coding, isJSON(h.Get("Content-Type"))}
		cw.enc = encoders[cw.encKey].Get().(encoder)
		cw.enc.Reset(cw.ResponseWriter)
	} else if cw.status == http.StatusNotModified && cw.revalidatesEncoded(h.Get("Etag")) {
		// The client holds the encoded variant; a cache may only
		// refresh it with the validator it holds.
		weakenETag(h)
	}
	cw.ResponseWriter.WriteHeader(cw.status)
}

// revalidatesEncoded reports whether the request's If-None-Match carries
// the weak form that commit gave etag on an encoded response.
func (cw *compressWriter) revalidatesEncoded(etag string) bool {
	return cw.coding != "" && etag != "" && !strings.HasPrefix(etag, "W/") &&
		strings.Contains(cw.ifNoneMatch, "W/"+etag)
}

func (cw *compressWriter) out() io.Writer {
	if cw.enc != nil {
		return cw.enc
	}
	return cw.ResponseWriter
}

// weakenETag marks a strong ETag weak: the encoded bytes differ from the
// plain ones, which a strong validator would promise to be the same
// (RFC 9110 § 8.8.3). If-None-Match compares weakly, so revalidation
// still works.
func weakenETag(h http.Header) {
	if etag := h.Get("Etag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		h.Set("Etag", "W/"+etag)
	}
}

// addVary adds Accept-Encoding to Vary unless it is there already.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for _, field := range strings.Split(v, ",") {
			field = strings.TrimSpace(field)
			if field == "*" || strings.EqualFold(field, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// contentLength is the handler's Content-Length, or -1 when it set none.
func contentLength(h http.Header) int64 {
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
