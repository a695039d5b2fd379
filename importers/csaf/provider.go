package csaf

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
	"github.com/gocsaf/csaf/v3/util"
)

// maxDocument bounds what is read of one fetched file.
const maxDocument = 32 << 20

// Provider is the source for a CSAF provider: its provider-metadata.json,
// then its ROLIE feeds or, without them, its directory listing
// (changes.csv), read by the CSAF library. Incremental: only documents
// changed after Since are fetched. The OpenPGP keys named in the metadata
// (public_openpgp_keys) are loaded, so that every document's signature is
// checked.
type Provider struct {
	URL   string
	Keys  *Keys
	files []gocsaf.AdvisoryFile
	http  *http.Client
}

// OpenProvider reads the provider metadata at metadataURL (https://…) and
// lists the documents changed after since (all if since is zero).
func OpenProvider(client *http.Client, metadataURL string, since time.Time) (*Provider, error) {
	lpmd := gocsaf.NewProviderMetadataLoader(client).Load(metadataURL)
	if !lpmd.Valid() {
		var msgs []string
		for _, m := range lpmd.Messages {
			msgs = append(msgs, m.Message)
		}
		return nil, fmt.Errorf("Anbieter-Metadaten %s unbrauchbar: %s", metadataURL, strings.Join(msgs, "; "))
	}
	p := &Provider{URL: metadataURL, http: client}
	expr := util.NewPathEval()
	var keys []gocsaf.PGPKey
	if err := expr.Extract("$.public_openpgp_keys", util.ReMarshalMatcher(&keys), true, lpmd.Document); err != nil {
		return nil, fmt.Errorf("Anbieter-Metadaten %s: public_openpgp_keys: %w", metadataURL, err)
	}
	var armored []string
	for _, k := range keys {
		if k.URL == nil {
			continue
		}
		b, err := p.get(context.Background(), *k.URL)
		if err != nil {
			return nil, fmt.Errorf("OpenPGP-Schlüssel %s: %w", *k.URL, err)
		}
		if err := checkFingerprint(string(b), string(k.Fingerprint)); err != nil {
			return nil, fmt.Errorf("OpenPGP-Schlüssel %s: %w", *k.URL, err)
		}
		armored = append(armored, string(b))
	}
	if len(armored) > 0 {
		var err error
		if p.Keys, err = LoadKeys(armored...); err != nil {
			return nil, err
		}
	}
	base, err := url.Parse(metadataURL)
	if err != nil {
		return nil, err
	}
	afp := gocsaf.NewAdvisoryFileProcessor(client, expr, lpmd.Document, base)
	if !since.IsZero() {
		afp.AgeAccept = func(t time.Time) bool { return t.After(since) }
	}
	if err := afp.Process(func(_ gocsaf.TLPLabel, files []gocsaf.AdvisoryFile) error {
		p.files = append(p.files, files...)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("Anbieter %s: %w", metadataURL, err)
	}
	return p, nil
}

func (p *Provider) Len() int { return len(p.files) }

// Documents fetches each listed document with its hashes and signature. A
// hash or signature that is listed but cannot be fetched is recorded on
// the document (it is then rejected); the directory layout's optional
// files that answer 404 count as not published. An unreachable document
// ends the import with an error.
func (p *Provider) Documents(ctx context.Context) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		for _, f := range p.files {
			data, err := p.get(ctx, f.URL())
			if err != nil {
				if !yield(Document{}, fmt.Errorf("%s: %w", f.URL(), err)) {
					return
				}
				continue
			}
			d := Document{Source: f.URL(), Data: data, Sums: map[string]string{}}
			for alg, u := range map[string]string{"sha256": f.SHA256URL(), "sha512": f.SHA512URL()} {
				if u == "" {
					continue
				}
				b, err := p.get(ctx, u)
				if err == errNotFound && f.IsDirectory() {
					continue
				}
				if err == nil {
					var sum string
					if sum, err = hashFrom(b); err == nil {
						d.Sums[alg] = sum
						continue
					}
				}
				d.SumErrors = append(d.SumErrors, fmt.Sprintf("%s-Datei nicht lesbar: %v", alg, err))
			}
			if u := f.SignURL(); u != "" {
				if b, err := p.get(ctx, u); err == nil {
					d.Signature = b
				}
			}
			if !yield(d, nil) {
				return
			}
		}
	}
}

var errNotFound = fmt.Errorf("nicht gefunden (404)")

func (p *Provider) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	res, err := p.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, errNotFound
	case res.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("HTTP %s", res.Status)
	}
	return io.ReadAll(io.LimitReader(res.Body, maxDocument))
}
