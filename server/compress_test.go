package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func TestCompressNegotiation(t *testing.T) {
	for accept, want := range map[string]string{
		"":                              "",
		"gzip":                          "gzip",
		"br":                            "br",
		"GZIP":                          "gzip",
		"x-gzip":                        "gzip",
		"gzip, deflate, br":             "br",
		"gzip, deflate, br, zstd":       "br",
		"br;q=1.0, gzip;q=1.0":          "br",
		"br;q=0.5, gzip":                "gzip",
		"br;q=0, gzip":                  "gzip",
		"br ; q=0.9 , gzip;q=0.8":       "br",
		"gzip;q=0":                      "",
		"gzip;q=abc":                    "",
		"gzip;q=2":                      "",
		"deflate":                       "",
		"zstd":                          "",
		"*":                             "br",
		"*;q=0":                         "",
		"*;q=0.9, br;q=0.8":             "gzip",
		"identity":                      "",
		"identity, gzip;q=0.5":          "",
		"identity;q=0.5, gzip;q=0.5":    "gzip",
		"gzip, identity;q=0":            "gzip",
		"br;q=0.1, identity;q=0, *;q=0": "br",
	} {
		if got := negotiateEncoding(accept); got != want {
			t.Errorf("negotiateEncoding(%q) = %q, want %q", accept, got, want)
		}
	}
}

func TestCompressibleType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                         true,
		"application/json; charset=utf-8":          true,
		"application/graphql-response+json":        true,
		"text/javascript; charset=utf-8":           true,
		"application/javascript":                   true,
		"text/html; charset=utf-8":                 true,
		"text/css; charset=utf-8":                  true,
		"text/calendar; charset=utf-8":             true,
		"text/csv; charset=utf-8":                  true,
		"text/plain; version=0.0.4; charset=utf-8": true,
		"image/svg+xml":                            true,
		"application/atom+xml":                     true,
		"image/png":                                false,
		"image/jpeg":                               false,
		"font/woff2":                               false,
		"application/zip":                          false,
		"application/octet-stream":                 false,
		"":                                         false,
		"not a type":                               false,
	} {
		if got := compressibleType(ct); got != want {
			t.Errorf("compressibleType(%q) = %v, want %v", ct, got, want)
		}
	}
}

// text returns n bytes of repetitive JSON-like text, which compresses well.
func text(n int) []byte {
	b := bytes.Repeat([]byte(`{"name":"Kalletal","ags":"05766040"},`), n/36+1)
	return b[:n]
}

// decode undoes a Content-Encoding; "" returns the body as it is.
func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return body
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip header: %v", err)
		}
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

// fetch sends one request through compress(h) over a real connection, so
// net/http's own header handling (Content-Length, sniffing) takes part.
func fetch(t *testing.T, h http.Handler, method, accept string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	srv := httptest.NewServer(compress(h))
	defer srv.Close()
	req, _ := http.NewRequest(method, srv.URL+"/x", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept-Encoding", accept)
	res, err := plainClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// plainClient never asks for gzip and decodes it on its own, as Go's
// client does for a request without Accept-Encoding.
func plainClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func TestCompressMiddleware(t *testing.T) {
	big, small := text(4000), text(500)
	write := func(ct string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.Write(body)
		}
	}
	preGzipped := func() []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(big)
		zw.Close()
		return b.Bytes()
	}()
	for _, tc := range []struct {
		name, method, accept string
		handler              http.Handler
		want                 []byte // the decoded body
		wantCoding           string
		wantType             string
	}{
		{"json, br", "GET", "gzip, deflate, br", write("application/json", big), big, "br", "application/json"},
		{"json, gzip", "GET", "gzip", write("application/json", big), big, "gzip", "application/json"},
		{"graphql-response, br", "POST", "br", write("application/graphql-response+json", big), big, "br", "application/graphql-response+json"},
		{"no Accept-Encoding", "GET", "", write("application/json", big), big, "", "application/json"},
		{"identity preferred", "GET", "gzip;q=0.5, identity", write("application/json", big), big, "", "application/json"},
		{"below threshold", "GET", "br", write("application/json", small), small, "", "application/json"},
		{"one byte below", "GET", "br", write("text/csv", text(1023)), text(1023), "", "text/csv"},
		{"exactly threshold", "GET", "br", write("text/csv", text(1024)), text(1024), "br", "text/csv"},
		{"png", "GET", "br, gzip", write("image/png", big), big, "", "image/png"},
		{"woff2", "GET", "br, gzip", write("font/woff2", big), big, "", "font/woff2"},
		{"sniffed html", "GET", "gzip", write("", append([]byte("<!doctype html><p>"), big...)), append([]byte("<!doctype html><p>"), big...), "gzip", "text/html; charset=utf-8"},
		{"no-transform", "GET", "br", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-transform")
			w.Header().Set("Content-Type", "text/plain")
			w.Write(big)
		}), big, "", "text/plain"},
		{"many small writes", "GET", "br", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
			for i := 0; i < len(big); i += 37 {
				w.Write(big[i:min(i+37, len(big))])
			}
		}), big, "br", "text/calendar; charset=utf-8"},
		{"already gzipped", "GET", "gzip, br", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(preGzipped)
		}), big, "gzip", "text/plain"}, // one layer only
		{"error status with a body", "GET", "br", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			w.Write(big)
		}), big, "br", "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := fetch(t, tc.handler, tc.method, tc.accept, nil)
			coding := res.Header.Get("Content-Encoding")
			if coding != tc.wantCoding {
				t.Errorf("Content-Encoding = %q, want %q", coding, tc.wantCoding)
			}
			if got := decode(t, coding, body); !bytes.Equal(got, tc.want) {
				t.Errorf("decoded body: %d bytes, want %d", len(got), len(tc.want))
			}
			if got := res.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
				t.Errorf("Vary = %q, want [Accept-Encoding]", got)
			}
			if got := res.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if res.ContentLength != -1 && res.ContentLength != int64(len(body)) {
				t.Errorf("Content-Length = %d for %d bytes", res.ContentLength, len(body))
			}
			if tc.wantCoding != "" && len(body) >= len(tc.want)/4 {
				t.Errorf("compressed %d bytes to %d", len(tc.want), len(body))
			}
		})
	}
}

// HEAD, 204 and 304 carry no body to compress; the response still says
// that it varies by Accept-Encoding.
func TestCompressSkipsBodylessResponses(t *testing.T) {
	big := text(4000)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("status") {
		case "204":
			w.WriteHeader(http.StatusNoContent)
		case "304":
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Write(big)
		}
	})
	srv := httptest.NewServer(compress(h))
	defer srv.Close()
	for _, tc := range []struct{ method, query string }{{"HEAD", ""}, {"GET", "?status=204"}, {"GET", "?status=304"}} {
		req, _ := http.NewRequest(tc.method, srv.URL+"/"+tc.query, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if ce := res.Header.Get("Content-Encoding"); ce != "" || res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s %s: Content-Encoding %q, Vary %q", tc.method, tc.query, ce, res.Header.Get("Vary"))
		}
	}
}

// A file served by http.ServeContent: the encoded variant loses its
// Content-Length and Accept-Ranges and gets a weak ETag; revalidating with
// that ETag gives a 304 with the same weak ETag; a range request gets the
// plain bytes of the range.
func TestCompressServeContentValidators(t *testing.T) {
	big := text(8000)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Etag", `"v1"`)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(w, r, "app.js", time.Time{}, bytes.NewReader(big))
	})
	res, body := fetch(t, h, "GET", "br", nil)
	if res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Etag") != `W/"v1"` ||
		res.Header.Get("Accept-Ranges") != "" || res.ContentLength == 8000 ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("encoded: %d bytes, headers %v", len(body), res.Header)
	}
	if !bytes.Equal(decode(t, "br", body), big) {
		t.Error("decoded body differs")
	}

	res, _ = fetch(t, h, "GET", "br", http.Header{"If-None-Match": {`W/"v1"`}})
	if res.StatusCode != http.StatusNotModified || res.Header.Get("Etag") != `W/"v1"` || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("revalidation: %d, headers %v", res.StatusCode, res.Header)
	}

	res, body = fetch(t, h, "GET", "", nil)
	if res.Header.Get("Etag") != `"v1"` || res.ContentLength != 8000 || !bytes.Equal(body, big) {
		t.Errorf("plain: %d bytes, headers %v", len(body), res.Header)
	}

	res, body = fetch(t, h, "GET", "br", http.Header{"Range": {"bytes=0-1999"}})
	if res.StatusCode != http.StatusPartialContent || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, big[:2000]) {
		t.Errorf("range: %d, %d bytes, headers %v", res.StatusCode, len(body), res.Header)
	}
}

// Vary from the handler is kept and not repeated.
func TestCompressVaryMerges(t *testing.T) {
	for _, vary := range []string{"Origin", "accept-encoding", "Origin, Accept-Encoding"} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", vary)
			w.Header().Set("Content-Type", "text/plain")
			w.Write(text(2000))
		})
		res, _ := fetch(t, h, "GET", "gzip", nil)
		got := strings.Join(res.Header.Values("Vary"), ", ")
		if strings.Count(strings.ToLower(got), "accept-encoding") != 1 || !strings.HasPrefix(got, vary) {
			t.Errorf("handler Vary %q: got %q", vary, got)
		}
	}
}

// A flushed part reaches the client, decodable, before the handler ends.
func TestCompressStreamsOnFlush(t *testing.T) {
	part1, part2 := text(3000), text(500)
	proceed := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(part1)
		w.(http.Flusher).Flush()
		<-proceed
		w.Write(part2)
	})
	srv := httptest.NewServer(compress(h))
	defer srv.Close()
	defer close(proceed)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "br")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
	}
	br := brotli.NewReader(res.Body)
	got := make([]byte, len(part1))
	if _, err := io.ReadFull(br, got); err != nil || !bytes.Equal(got, part1) {
		t.Fatalf("first part before the handler ended: %v", err)
	}
	proceed <- struct{}{}
	rest, err := io.ReadAll(br)
	if err != nil || !bytes.Equal(rest, part2) {
		t.Errorf("second part: %d bytes, %v", len(rest), err)
	}
}

// A Flush before the threshold sends the bytes as they are: the handler
// wants them out now.
func TestCompressFlushBelowThresholdStaysPlain(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("data: 1\n\n"))
		http.NewResponseController(w).Flush()
		w.Write(text(3000))
	})
	res, body := fetch(t, h, "GET", "br", nil)
	if res.Header.Get("Content-Encoding") != "" || len(body) != 9+3000 {
		t.Errorf("Content-Encoding %q, %d bytes", res.Header.Get("Content-Encoding"), len(body))
	}
}

// Pooled writers start clean for every response, in both codings.
func TestCompressPooledWritersAreReset(t *testing.T) {
	for i := 0; i < 20; i++ {
		body := text(1500 + 97*i)
		coding := []string{"br", "gzip"}[i%2]
		res, got := fetch(t, write200("application/json", body), "GET", coding, nil)
		if res.Header.Get("Content-Encoding") != coding || !bytes.Equal(decode(t, coding, got), body) {
			t.Fatalf("round %d (%s): wrong body", i, coding)
		}
	}
}

// JSON answers are compressed at the cheaper levels, assets at the
// stronger ones: each response is byte for byte what a writer at that
// level makes of the body.
func TestCompressLevelsByType(t *testing.T) {
	body := []byte(strings.Repeat(`{"region":{"name":"Bergisches Städtedreieck"},"cells":[{"measure":{"code":"M03"},"status":"LIVE","progress":40}]},`, 200))
	encode := func(coding string, level int) []byte {
		var buf bytes.Buffer
		var w io.WriteCloser
		if coding == "gzip" {
			w, _ = gzip.NewWriterLevel(&buf, level)
		} else {
			w = brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: level, LGWin: brotliWindow})
		}
		w.Write(body)
		w.Close()
		return buf.Bytes()
	}
	for _, c := range []struct {
		contentType, coding string
		level               int
	}{
		{"application/json", "gzip", gzipLevelJSON},
		{"application/graphql-response+json; charset=utf-8", "gzip", gzipLevelJSON},
		{"application/json", "br", brotliLevelJSON},
		{"text/javascript; charset=utf-8", "gzip", gzipLevel},
		{"text/javascript; charset=utf-8", "br", brotliLevel},
	} {
		_, got := fetch(t, write200(c.contentType, body), "GET", c.coding, nil)
		if want := encode(c.coding, c.level); !bytes.Equal(got, want) {
			t.Errorf("%s as %s: %d bytes, want the %d bytes of level %d", c.contentType, c.coding, len(got), len(want), c.level)
		}
	}
	if gzipLevelJSON == gzipLevel || brotliLevelJSON == brotliLevel {
		t.Fatal("the levels for JSON and assets are the same: the test above cannot tell them apart")
	}
}

func write200(ct string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	})
}

// Prometheus gzips /metrics itself: that passes through once; a client
// that takes only brotli gets it from the middleware.
func TestCompressLeavesPrometheusGzipAlone(t *testing.T) {
	h := promhttp.Handler()
	res, body := fetch(t, h, "GET", "gzip", nil)
	if res.Header.Get("Content-Encoding") != "gzip" || !bytes.Contains(decode(t, "gzip", body), []byte("go_goroutines")) {
		t.Errorf("gzip: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	res, body = fetch(t, h, "GET", "br", nil)
	if res.Header.Get("Content-Encoding") != "br" || !bytes.Contains(decode(t, "br", body), []byte("go_goroutines")) {
		t.Errorf("br: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}

// End to end against the seeded Neo4j: a page of 100 municipalities comes
// back in brotli, and the web's bundle in gzip with its year-long cache.
func TestCompressEndToEnd(t *testing.T) {
	base := MustRunMain(t)
	client := plainClient()
	do := func(req *http.Request, accept string) (*http.Response, []byte) {
		t.Helper()
		req.Header.Set("Accept-Encoding", accept)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}

	query := `{"query":"{ municipalities(first: 100) { nodes { name ags } } }"}`
	sizes := map[string]int{}
	for _, accept := range []string{"br", "gzip", ""} {
		req, _ := http.NewRequest("POST", base+"/graphql", strings.NewReader(query))
		req.Header.Set("Content-Type", "application/json")
		res, body := do(req, accept)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != accept || res.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("Accept-Encoding %q: %d, headers %v", accept, res.StatusCode, res.Header)
		}
		var out struct {
			Data struct {
				Municipalities struct {
					Nodes []struct{ Name, Ags string }
				}
			}
		}
		if err := json.Unmarshal(decode(t, accept, body), &out); err != nil {
			t.Fatalf("Accept-Encoding %q: %v", accept, err)
		}
		nodes := out.Data.Municipalities.Nodes
		if len(nodes) != 100 || nodes[0].Name != "Aachen" || nodes[0].Ags != "05334002" || nodes[1].Name != "Ahaus" {
			t.Fatalf("Accept-Encoding %q: %d nodes, first %+v", accept, len(nodes), nodes)
		}
		sizes[accept] = len(body)
	}
	t.Logf("100 municipalities: %d bytes plain, %d gzip, %d brotli", sizes[""], sizes["gzip"], sizes["br"])
	if sizes["br"] > sizes[""]/3 || sizes["gzip"] > sizes[""]/3 {
		t.Errorf("100 municipalities: %d bytes plain, %d gzip, %d brotli", sizes[""], sizes["gzip"], sizes["br"])
	}

	req, _ := http.NewRequest("GET", base+"/", nil)
	_, page := do(req, "")
	bundle := regexp.MustCompile(`src="(/assets/index-[^"]+\.js)"`).FindSubmatch(page)
	if bundle == nil {
		t.Fatalf("no script in / (is the web built? make web): %.300s", page)
	}
	req, _ = http.NewRequest("GET", base+string(bundle[1]), nil)
	plain, plainBody := do(req, "")
	req, _ = http.NewRequest("GET", base+string(bundle[1]), nil)
	res, body := do(req, "gzip")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("GET %s gzip: %d, headers %v", bundle[1], res.StatusCode, res.Header)
	}
	if plain.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || plain.Header.Get("Content-Encoding") != "" {
		t.Errorf("GET %s plain: headers %v", bundle[1], plain.Header)
	}
	if !bytes.Equal(decode(t, "gzip", body), plainBody) {
		t.Errorf("GET %s: gzip decodes to something else than the plain bundle", bundle[1])
	}
	req, _ = http.NewRequest("GET", base+string(bundle[1]), nil)
	_, brBody := do(req, "br")
	t.Logf("%s: %d bytes plain, %d gzip, %d brotli", bundle[1], len(plainBody), len(body), len(brBody))
	if len(body) > len(plainBody)/2 {
		t.Errorf("GET %s: %d bytes plain, %d gzip", bundle[1], len(plainBody), len(body))
	}
}

// Automatic persisted queries (Apollo's protocol, gqlgen's extension): a
// hash alone is unknown at first; with the query it is stored; then the
// hash alone is enough, by POST and by GET.
func TestAutomaticPersistedQueries(t *testing.T) {
	base := MustRunMain(t)
	client := &http.Client{Timeout: 10 * time.Second}
	query := `{ municipalities { totalCount } }`
	sum := sha256.Sum256([]byte(query))
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
	post := func(body string) string {
		t.Helper()
		res, err := client.Post(base+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	get := func(params url.Values) string {
		t.Helper()
		res, err := client.Get(base + "/graphql?" + params.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	const want = `{"data":{"municipalities":{"totalCount":396}}}`

	// Apollo's client resends with the query on this message and code.
	const notFound = `"message":"PersistedQueryNotFound","extensions":{"code":"PERSISTED_QUERY_NOT_FOUND"}`
	if got := get(url.Values{"extensions": {ext}}); !strings.Contains(got, notFound) {
		t.Errorf("GET hash before the query: %s", got)
	}
	if got := post(`{"extensions":` + ext + `}`); !strings.Contains(got, notFound) {
		t.Errorf("POST hash before the query: %s", got)
	}
	wrong := strings.Replace(ext, `"sha256Hash":"`, `"sha256Hash":"00`, 1)
	if got := post(`{"query":"` + query + `","extensions":` + wrong + `}`); !strings.Contains(got, "provided APQ hash does not match query") {
		t.Errorf("POST with a wrong hash: %s", got)
	}
	if got := post(`{"query":"` + query + `","extensions":` + ext + `}`); got != want {
		t.Errorf("POST hash and query: %s", got)
	}
	if got := post(`{"extensions":` + ext + `}`); got != want {
		t.Errorf("POST hash only: %s", got)
	}
	if got := get(url.Values{"extensions": {ext}}); got != want {
		t.Errorf("GET hash only: %s", got)
	}
}
