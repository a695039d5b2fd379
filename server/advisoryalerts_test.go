package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
	cmail "github.com/cyberlotse/cyberlotse/server/mail"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// alertRig is a municipality of the test's own with one declared
// product, its advisories (under a publisher of the test's own), an SMTP
// server and a clock.
type alertRig struct {
	t         *testing.T
	db        *store.DB
	srv       *smtptest.Server
	c         *clock
	ags       cyberlotse.AGS
	vendor    string
	publisher string
	advs      *store.AdvisoryService
	product   cyberlotse.MunicipalityProduct
}

// alertAGS is the tests' municipality, Hopsten (Kreis Steinfurt): no
// other test uses it. (A municipality of the tests' own would show in
// other packages' lists of all 396 while these tests run.)
const alertAGS = cyberlotse.AGS("05566020")

func newAlertRig(t *testing.T, now time.Time) *alertRig {
	t.Helper()
	ctx := context.Background()
	r := &alertRig{t: t, db: neo4jtest.MustOpenDB(t), srv: smtptest.Start(t), c: &clock{t: now},
		ags: alertAGS, vendor: "Acme " + neo4jtest.NewID(), publisher: "https://" + neo4jtest.NewID() + ".example"}
	r.advs = store.NewAdvisoryService(r.db)
	t.Cleanup(func() {
		ctx := context.Background()
		if err := store.DeleteAdvisoriesForTest(ctx, r.db, r.publisher); err != nil {
			t.Error(err)
		}
		if err := store.DeleteAdvisoryAlertsForTest(ctx, r.db, r.ags); err != nil {
			t.Error(err)
		}
	})
	r.product = cyberlotse.MunicipalityProduct{Vendor: r.vendor, Name: "Gateway", Version: "2.1"}
	if err := r.advs.SetMunicipalityProducts(ctx, r.ags, []cyberlotse.MunicipalityProduct{r.product}); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *alertRig) alerts(owner string) *AdvisoryAlerts {
	a := NewAdvisoryAlerts(r.db, newNotifier(r.t, r.db, r.srv, owner, r.c))
	a.Municipalities = []cyberlotse.AGS{r.ags}
	return a
}

// subscribe stores a subscription through the GraphQL API's store, made
// at created.
func (r *alertRig) subscribe(email string, minCVSS float64, immediate bool, created time.Time) {
	r.t.Helper()
	_, err := store.NewAdvisoryDesk(r.db).SetAlertSubscription(context.Background(), cyberlotse.AdvisoryAlertSettings{
		AGS: r.ags, Email: cyberlotse.Email(email), MinCVSS: minCVSS, Immediate: immediate}, created)
	if err != nil {
		r.t.Fatal(err)
	}
}

// mark marks the current version of an advisory through the GraphQL
// API's store.
func (r *alertRig) mark(a *cyberlotse.Advisory, state cyberlotse.AdvisoryMarkState) {
	r.t.Helper()
	_, err := store.NewAdvisoryDesk(r.db).SetMark(context.Background(), cyberlotse.MunicipalityMark{AGS: r.ags,
		AdvisoryKey: a.Key(), State: state, Note: "geprüft", By: "isb", At: r.c.Now()})
	if err != nil {
		r.t.Fatal(err)
	}
}

// advisory stores version of advisory id, affecting the rig's product
// below 3.0.
func (r *alertRig) advisory(id, version string, cvss float64, exploit string, withdrawn bool) *cyberlotse.Advisory {
	r.t.Helper()
	a := &cyberlotse.Advisory{Publisher: r.publisher, PublisherName: "Test-CERT", TrackingID: id, Version: version,
		Title: "Remote code execution in Gateway (" + id + ")", Language: "en", Status: "final", Withdrawn: withdrawn,
		CVSSScore: cvss, CVSSVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", ExploitStatus: exploit,
		PublishedAt: r.c.Now().Add(-time.Hour), UpdatedAt: r.c.Now(), CVEs: []string{"CVE-2026-0" + version},
		Remediations: []cyberlotse.Remediation{{Category: "vendor_fix", Details: "Update to 3.0 (" + id + " v" + version + ")",
			URL: "https://vendor.example/fix"}},
		SourceURL: r.publisher + "/" + id + ".json", SHA256: neo4jtest.NewID(),
		Products: []cyberlotse.AffectedProduct{{ProductID: "P1", Vendor: r.vendor, Name: "Gateway", Range: "<3.0"}}}
	if _, _, err := r.advs.StoreAdvisory(context.Background(), a, r.c.Now()); err != nil {
		r.t.Fatal(err)
	}
	return a
}

// received is a mail as the SMTP server got it, decoded.
type received struct {
	To, Subject, MessageID, Kind, Plain, HTML string
}

func decodeMail(t *testing.T, m smtptest.Message) received {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	out := received{To: strings.Join(m.To, ","), MessageID: msg.Header.Get("Message-Id"), Kind: msg.Header.Get("X-Cyberlotse-Kind")}
	out.Subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
	var walk func(h map[string][]string, ct string, body io.Reader)
	walk = func(h map[string][]string, ct string, body io.Reader) {
		mt, params, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					return
				}
				walk(p.Header, p.Header.Get("Content-Type"), p)
			}
		}
		var enc string
		if v := h["Content-Transfer-Encoding"]; len(v) > 0 {
			enc = strings.ToLower(v[0])
		}
		switch enc {
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		b, _ := io.ReadAll(body)
		switch mt {
		case "text/plain":
			out.Plain = string(b)
		case "text/html":
			out.HTML = string(b)
		}
	}
	walk(msg.Header, msg.Header.Get("Content-Type"), msg.Body)
	return out
}

// mailsTo returns the mails received by addr, decoded, in order.
func (r *alertRig) mailsTo(addr string) []received {
	var out []received
	for _, m := range r.srv.Messages() {
		for _, to := range m.To {
			if to == addr {
				out = append(out, decodeMail(r.t, m))
			}
		}
	}
	return out
}

func (r *alertRig) run(a *AdvisoryAlerts, digest bool) AlertReport {
	r.t.Helper()
	rep, err := a.Run(context.Background(), digest)
	if err != nil {
		r.t.Fatal(err)
	}
	return rep
}

// An urgent advisory is mailed at once, once; a new version again; a
// withdrawn one, a handled one, one below the threshold and one that is
// not urgent not at all.
func TestAdvisoryAlertImmediate(t *testing.T) {
	r := newAlertRig(t, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	alerts := r.alerts("replica-a")
	officer := "it-sicherheit-" + neo4jtest.NewID() + "@teststadt.example"
	picky := "ciso-" + neo4jtest.NewID() + "@teststadt.example"
	later := "digest-" + neo4jtest.NewID() + "@teststadt.example"
	now := r.c.Now()
	r.c.Set(now.Add(-2 * time.Hour))
	r.advisory("OLD-1", "1", 9.9, "", false) // from before the subscriptions: the digest's
	r.c.Set(now)
	r.subscribe(officer, 0, true, r.c.Now().Add(-time.Hour))
	r.subscribe(picky, 9.9, true, r.c.Now().Add(-time.Hour))
	r.subscribe(later, 0, false, r.c.Now().Add(-time.Hour))

	crit := r.advisory("CRIT-1", "1", 9.8, "", false)
	r.advisory("MED-1", "1", 5.3, "", false)                                   // not urgent: the digest's
	r.advisory("WD-1", "1", 10, "", true)                                      // withdrawn
	r.advisory("EXP-1", "1", 6.5, "Exploit code is publicly available", false) // a known exploit
	r.advisory("NOEXP-1", "1", 6.5, "No known exploit", false)                 // none known: not urgent
	handled := r.advisory("HDL-1", "1", 9.1, "", false)
	r.mark(handled, cyberlotse.MarkHandled)

	rep := r.run(alerts, false)
	got := r.mailsTo(officer)
	if len(got) != 2 || rep.Immediate != 2 || rep.Sent.Sent != 2 {
		t.Fatalf("officer got %d mails (report %+v), want 2: CRIT-1 and EXP-1", len(got), rep)
	}
	var m received
	for _, g := range got {
		if strings.Contains(g.Subject, "CRIT-1") {
			m = g
		}
	}
	wantSubject := "Dringende Sicherheitswarnung für Hopsten: Remote code execution in Gateway (CRIT-1) (CVSS 9,8)"
	if m.Subject != wantSubject {
		t.Errorf("subject %q, want %q", m.Subject, wantSubject)
	}
	reason, ok := cyberlotse.MatchProduct(r.product, crit.Products[0])
	if !ok {
		t.Fatal("the test's product does not match")
	}
	for _, want := range []string{
		"CVSS-Basiswert: 9,8 (kritisch)",
		r.vendor + " Gateway 2.1: " + reason,
		"Update des Herstellers: Update to 3.0 (CRIT-1 v1) (https://vendor.example/fix)",
		"Hinweis im Original: " + r.publisher + "/CRIT-1.json",
		"http://cyberlotse.test/kommune/" + string(r.ags) + "/warnungen",
		"sein CVSS-Basiswert ist kritisch",
		"Test-CERT, CRIT-1, Version 1",
	} {
		if !strings.Contains(m.Plain, want) {
			t.Errorf("plain text lacks %q:\n%s", want, m.Plain)
		}
	}
	for _, want := range []string{`<h1 style="font-size:20px;line-height:1.3;margin:24px 0 8px;" lang="en">Remote code execution in Gateway (CRIT-1)</h1>`,
		`href="http://cyberlotse.test/kommune/` + string(r.ags) + `/warnungen"`, `<html lang="de">`} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
		}
	}
	if m.Kind != "ADVISORY_ALERT" {
		t.Errorf("kind %q", m.Kind)
	}
	if n := len(r.mailsTo(picky)); n != 0 {
		t.Errorf("the subscriber from CVSS 9.9 on got %d mails", n)
	}
	if n := len(r.mailsTo(later)); n != 0 {
		t.Errorf("the digest-only subscriber got %d mails at once", n)
	}

	// A second run, and a second replica, send nothing.
	r.c.Add(time.Minute)
	r.run(alerts, false)
	r.run(r.alerts("replica-b"), false)
	if n := len(r.mailsTo(officer)); n != 2 {
		t.Fatalf("after rerunning the officer has %d mails, want still 2", n)
	}

	// A new version is mailed again, with the same advisory; the handled
	// advisory's new version too (the mark was for version 1).
	r.c.Add(time.Hour)
	r.advisory("CRIT-1", "2", 9.8, "", false)
	r.advisory("HDL-1", "2", 9.1, "", false)
	r.run(alerts, false)
	got = r.mailsTo(officer)
	if len(got) != 4 {
		t.Fatalf("after version 2 the officer has %d mails, want 4", len(got))
	}
	var v2 int
	for _, g := range got[2:] {
		if strings.Contains(g.Plain, "Version 2") {
			v2++
		}
		if g.MessageID == m.MessageID {
			t.Errorf("version 2 reuses the Message-ID of version 1: %s", g.MessageID)
		}
	}
	if v2 != 2 {
		t.Errorf("%d of the new mails are about version 2", v2)
	}

	// Withdrawn: nothing more.
	r.c.Add(time.Hour)
	r.advisory("CRIT-1", "3", 9.8, "", true)
	r.run(alerts, false)
	if n := len(r.mailsTo(officer)); n != 4 {
		t.Errorf("after the withdrawal the officer has %d mails, want 4", n)
	}

	// The next digest has the rest: what is not urgent, and the urgent
	// advisory from before the subscription; nothing mailed at once.
	r.c.Set(time.Date(2026, 12, 3, 7, 0, 0, 0, berlin))
	r.run(alerts, true)
	got = r.mailsTo(officer)
	if len(got) != 5 {
		t.Fatalf("after the digest the officer has %d mails, want 5", len(got))
	}
	d := got[4]
	if d.Subject != "Sicherheitswarnungen für Hopsten: 3 neue Hinweise" {
		t.Errorf("digest subject %q", d.Subject)
	}
	for _, id := range []string{"OLD-1", "MED-1", "NOEXP-1"} {
		if !strings.Contains(d.Plain, "("+id+") ==") {
			t.Errorf("the digest lacks %s:\n%s", id, d.Plain)
		}
	}
	for _, id := range []string{"CRIT-1", "EXP-1", "HDL-1", "WD-1"} {
		if strings.Contains(d.Plain, "("+id+")") {
			t.Errorf("the digest names %s", id)
		}
	}
	if got := r.mailsTo(later); len(got) != 1 || !strings.Contains(got[0].Plain, "(HDL-1) ==") ||
		!strings.Contains(got[0].Plain, "(EXP-1) ==") || strings.Contains(got[0].Plain, "(CRIT-1)") {
		t.Errorf("the digest-only subscriber: %d mails", len(got))
	}
	if n := len(r.mailsTo(picky)); n != 1 {
		t.Errorf("the subscriber from CVSS 9.9 on has %d mails, want the digest with OLD-1", n)
	}
}

// The digest goes out at 7:00 Berlin time, once per slot, with the new
// matches from the subscriber's threshold on that no mark settles; a
// subscription made after a slot waits for the next one.
func TestAdvisoryDigestAtSeven(t *testing.T) {
	berlinTime := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, berlin) }
	r := newAlertRig(t, berlinTime(1, 12, 0))
	alerts := r.alerts("replica-a")
	officer := "it-" + neo4jtest.NewID() + "@teststadt.example"
	r.subscribe(officer, 4.0, false, r.c.Now())

	r.advisory("D-CRIT", "1", 9.8, "", false) // not immediate for this subscriber: in the digest
	r.advisory("D-MED", "1", 5.0, "", false)
	r.advisory("D-LOW", "1", 3.1, "", false) // below the threshold
	done := r.advisory("D-DONE", "1", 7.5, "", false)
	r.mark(done, cyberlotse.MarkNotAffected)
	r.mark(r.advisory("D-STALE", "1", 6.1, "", false), cyberlotse.MarkHandled)
	r.advisory("D-STALE", "2", 6.1, "", false) // the mark is for version 1

	r.c.Set(berlinTime(2, 6, 59))
	r.run(alerts, true)
	if n := len(r.mailsTo(officer)); n != 0 {
		t.Fatalf("%d mails before 7:00", n)
	}
	r.c.Set(berlinTime(2, 7, 0))
	rep := r.run(alerts, true)
	got := r.mailsTo(officer)
	if len(got) != 1 || rep.Digests != 1 {
		t.Fatalf("%d mails at 7:00 (report %+v), want one digest", len(got), rep)
	}
	d := got[0]
	if want := "Sicherheitswarnungen für Hopsten: 3 neue Hinweise"; d.Subject != want {
		t.Errorf("subject %q, want %q", d.Subject, want)
	}
	if d.Kind != "ADVISORY_DIGEST" {
		t.Errorf("kind %q", d.Kind)
	}
	iCrit, iStale, iMed := strings.Index(d.Plain, "(D-CRIT) =="), strings.Index(d.Plain, "(D-STALE) =="), strings.Index(d.Plain, "(D-MED) ==")
	if iCrit < 0 || iStale < 0 || iMed < 0 || !(iCrit < iStale && iStale < iMed) {
		t.Errorf("digest lacks D-CRIT, D-STALE, D-MED in that order:\n%s", d.Plain)
	}
	for _, absent := range []string{"D-LOW", "D-DONE"} {
		if strings.Contains(d.Plain, absent) {
			t.Errorf("digest names %s", absent)
		}
	}

	// Once per slot: later runs that day send nothing, also with news.
	r.c.Set(berlinTime(2, 7, 1))
	r.run(alerts, true)
	r.c.Set(berlinTime(2, 9, 0))
	r.advisory("D-NEW", "1", 6.0, "", false)
	r.run(alerts, true)
	r.c.Set(berlinTime(3, 6, 59))
	r.run(alerts, true)
	if n := len(r.mailsTo(officer)); n != 1 {
		t.Fatalf("%d mails before the next 7:00, want 1", n)
	}
	r.c.Set(berlinTime(3, 7, 0))
	r.run(r.alerts("replica-b"), true)
	got = r.mailsTo(officer)
	if len(got) != 2 || got[1].Subject != "Sicherheitswarnungen für Hopsten: 1 neuer Hinweis" || !strings.Contains(got[1].Plain, "(D-NEW) ==") {
		t.Fatalf("the second digest: %d mails, last %+v", len(got), got[len(got)-1].Subject)
	}
	// Nothing new: no mail.
	r.c.Set(berlinTime(4, 7, 0))
	r.run(alerts, true)
	if n := len(r.mailsTo(officer)); n != 2 {
		t.Errorf("a digest without news was sent: %d mails", n)
	}
}

// 7:00 is local time on the days daylight saving time begins and ends.
func TestAdvisoryDigestAcrossDST(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		created, before, at7 time.Time
	}{
		// Sunday, 28 March 2027: 2:00 CET becomes 3:00 CEST; 7:00 CEST is 5:00 UTC.
		{"spring", time.Date(2027, 3, 27, 12, 0, 0, 0, time.UTC), time.Date(2027, 3, 28, 4, 59, 0, 0, time.UTC),
			time.Date(2027, 3, 28, 5, 0, 0, 0, time.UTC)},
		// Sunday, 31 October 2027: 3:00 CEST becomes 2:00 CET; 7:00 CET is 6:00 UTC.
		{"autumn", time.Date(2027, 10, 30, 12, 0, 0, 0, time.UTC), time.Date(2027, 10, 31, 5, 59, 0, 0, time.UTC),
			time.Date(2027, 10, 31, 6, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cyberlotse.DigestSlot(tc.at7, berlin); !got.Equal(tc.at7) {
				t.Errorf("DigestSlot(%v) = %v", tc.at7, got)
			}
			r := newAlertRig(t, tc.created)
			alerts := r.alerts("replica-a")
			officer := "dst-" + neo4jtest.NewID() + "@teststadt.example"
			r.subscribe(officer, 0, false, tc.created)
			r.advisory("DST-1", "1", 7.2, "", false)
			r.c.Set(tc.before)
			r.run(alerts, true)
			if n := len(r.mailsTo(officer)); n != 0 {
				t.Fatalf("%d mails at %v (6:59 in Berlin)", n, tc.before)
			}
			r.c.Set(tc.at7)
			r.run(alerts, true)
			if n := len(r.mailsTo(officer)); n != 1 {
				t.Fatalf("%d mails at %v (7:00 in Berlin), want 1", n, tc.at7)
			}
		})
	}
}

// Two replicas queueing and sending at the same time send every alert
// once.
func TestAdvisoryAlertsTwoReplicas(t *testing.T) {
	r := newAlertRig(t, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	const subscribers, advisories = 20, 3
	var people []string
	for i := range subscribers {
		p := fmt.Sprintf("person%d-%s@teststadt.example", i, neo4jtest.NewID())
		people = append(people, p)
		r.subscribe(p, 0, true, r.c.Now().Add(-time.Hour))
	}
	for i := range advisories {
		r.advisory(fmt.Sprintf("TWO-%d", i), "1", 9.0+float64(i)/10, "", false)
	}
	a, b := r.alerts("replica-a"), r.alerts("replica-b")
	a.Notifier.Policy.Batch, b.Notifier.Policy.Batch = 4, 4 // both replicas get to send
	start := time.Now()
	var wg sync.WaitGroup
	reps := make([]AlertReport, 2)
	for i, x := range []*AdvisoryAlerts{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if reps[i], err = x.Run(context.Background(), false); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if q := reps[0].Immediate + reps[1].Immediate; q != subscribers*advisories {
		t.Errorf("queued %d alerts, want %d: %+v", q, subscribers*advisories, reps)
	}
	if s := reps[0].Sent.Sent + reps[1].Sent.Sent; s != subscribers*advisories {
		t.Errorf("sent %d alerts, want %d: %+v", s, subscribers*advisories, reps)
	}
	ids := map[string]bool{}
	for _, p := range people {
		got := r.mailsTo(p)
		if len(got) != advisories {
			t.Errorf("%s got %d mails, want %d", p, len(got), advisories)
		}
		for _, g := range got {
			if ids[g.MessageID] {
				t.Errorf("Message-ID %s twice", g.MessageID)
			}
			ids[g.MessageID] = true
		}
	}
	t.Logf("%d alerts queued and sent by two replicas in %v: %+v", subscribers*advisories, elapsed.Round(time.Millisecond), reps)
}

// The scheduled import mails an urgent advisory at once: a local CSAF
// provider publishes it, the import job fetches it and sends the alert.
func TestAdvisoryImportAlertsAtOnce(t *testing.T) {
	r := newAlertRig(t, time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	m := importMain(t)
	p := newLocalProvider(t, r.publisher)
	url := p.base + "provider-metadata.json"
	t.Cleanup(func() {
		if err := store.DeleteAdvisoryProviderForTest(context.Background(), m.DB, url); err != nil {
			t.Error(err)
		}
	})
	officer := "import-" + neo4jtest.NewID() + "@teststadt.example"
	r.subscribe(officer, 7.0, true, r.c.Now())
	// Signatures are checked at the import's clock, which must not lie
	// before the test key was made.
	now := time.Now().UTC().Truncate(time.Second).Add(time.Hour)
	m.Now = func() time.Time { return now }
	p.publish(t, "2026/crit.json", csaf.TestAdvisory{Publisher: r.publisher, TrackingID: "IMP-CRIT", Vendor: r.vendor,
		Product: "Gateway", Range: "vers:generic/<3.0", Score: 9.8}.JSON(), now.Add(-time.Hour), false)
	p.publish(t, "2026/med.json", csaf.TestAdvisory{Publisher: r.publisher, TrackingID: "IMP-MED", Vendor: r.vendor,
		Product: "Gateway", Range: "vers:generic/<3.0", Score: 7.5}.JSON(), now.Add(-time.Hour), false)

	alerts := r.alerts("replica-a")
	m.fetchAdvisories(context.Background(), url, alerts)
	got := r.mailsTo(officer)
	if len(got) != 1 || !strings.Contains(got[0].Subject, "Dringende Sicherheitswarnung für Hopsten: ") ||
		!strings.Contains(got[0].Plain, "IMP-CRIT, Version 1") || !strings.Contains(got[0].Plain, "Hinweis im Original: "+p.base+"2026/crit.json") {
		t.Fatalf("after the import the officer has %d mails: %+v", len(got), got)
	}
	// The next fetch brings nothing new: no mail.
	m.fetchAdvisories(context.Background(), url, alerts)
	if n := len(r.mailsTo(officer)); n != 1 {
		t.Errorf("after the second fetch the officer has %d mails, want 1", n)
	}
}

// An alert queued for a version that is withdrawn or replaced before it
// goes out is skipped, not sent.
func TestAdvisoryAlertSkippedWhenWithdrawnBeforeSending(t *testing.T) {
	r := newAlertRig(t, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	officer := "skip-" + neo4jtest.NewID() + "@teststadt.example"
	r.subscribe(officer, 0, true, r.c.Now().Add(-time.Hour))
	r.advisory("SKIP-1", "1", 9.6, "", false)
	alerts := r.alerts("replica-a")
	if n, err := alerts.QueueImmediate(ctx); err != nil || n != 1 {
		t.Fatalf("queued %d, %v", n, err)
	}
	r.c.Add(time.Minute)
	r.advisory("SKIP-1", "2", 9.6, "", true)
	rep, err := alerts.Notifier.RunOnce(ctx)
	if err != nil || rep != (RunReport{}) {
		t.Fatalf("sent %+v, %v", rep, err)
	}
	states, err := store.NewAdvisoryAlertService(r.db).AlertStatesForTest(ctx, r.ags)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 {
		t.Fatalf("alerts %v", states)
	}
	for id, st := range states {
		if st != "SKIPPED" {
			t.Errorf("alert %s is %s, want SKIPPED", id, st)
		}
	}
	if n := len(r.mailsTo(officer)); n != 0 {
		t.Errorf("%d mails", n)
	}
}

// BenchmarkAdvisoryAlerts (-benchtime 1x): 50 municipalities of the benchmark's own
// with one subscriber each and one declared product, 100 advisories of
// that product (10 urgent): the immediate run (queue and send 10 mails
// per subscriber), the digest (one mail each with the other 90), and an
// idle run once everything is told.
func BenchmarkAdvisoryAlerts(b *testing.B) {
	const munis, advisories, urgent = 50, 100, 10
	ctx := context.Background()
	db := neo4jtest.MustOpenDB(b)
	srv := smtptest.Start(b)
	c := &clock{t: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	advs := store.NewAdvisoryService(db)
	vendor, publisher := "Acme "+neo4jtest.NewID(), "https://"+neo4jtest.NewID()+".example"
	var agss []cyberlotse.AGS
	desk := store.NewAdvisoryDesk(db)
	all, err := db.AllMunicipalityAGSForTest(ctx)
	if err != nil {
		b.Fatal(err)
	}
	// Municipalities of the Münster region, which no test uses.
	for _, ags := range all {
		if strings.HasPrefix(string(ags), "055") && ags != alertAGS && len(agss) < munis {
			agss = append(agss, ags)
		}
	}
	for i, ags := range agss {
		if err := advs.SetMunicipalityProducts(ctx, ags, []cyberlotse.MunicipalityProduct{{Vendor: vendor, Name: "Gateway", Version: "2.1"}}); err != nil {
			b.Fatal(err)
		}
		if _, err := desk.SetAlertSubscription(ctx, cyberlotse.AdvisoryAlertSettings{AGS: ags,
			Email: cyberlotse.Email(fmt.Sprintf("isb%d@bench.example", i)), Immediate: true}, c.Now().Add(-time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() {
		_ = store.DeleteAdvisoriesForTest(context.Background(), db, publisher)
		for _, ags := range agss {
			_ = store.DeleteAdvisoryAlertsForTest(context.Background(), db, ags)
		}
	})
	for i := range advisories {
		score := 5.0
		if i < urgent {
			score = 9.5
		}
		a := &cyberlotse.Advisory{Publisher: publisher, TrackingID: fmt.Sprintf("B-%d", i), Version: "1", Title: "Bench",
			CVSSScore: score, UpdatedAt: c.Now(), SHA256: neo4jtest.NewID(),
			Products: []cyberlotse.AffectedProduct{{ProductID: "P1", Vendor: vendor, Name: "Gateway", Range: "<3.0"}}}
		if _, _, err := advs.StoreAdvisory(ctx, a, c.Now()); err != nil {
			b.Fatal(err)
		}
	}
	sender, err := cmail.NewSMTPSender(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	alerts := NewAdvisoryAlerts(db, &Notifier{Reminders: store.NewReminderService(db),
		Composer: &cmail.Composer{From: cmail.DefaultFrom, Now: c.Now}, Sender: sender, BaseURL: "http://cyberlotse.test",
		Owner: "bench", Policy: cyberlotse.DefaultReminderPolicy, Now: c.Now, Logger: quiet})
	alerts.Municipalities = agss
	if b.N > 1 {
		b.Fatal("each alert is told once: run with -benchtime 1x")
	}
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		rep, err := alerts.Run(ctx, false)
		if err != nil || rep.Immediate != munis*urgent || rep.Sent.Sent != munis*urgent {
			b.Fatalf("immediate: %+v %v", rep, err)
		}
		immediate := time.Since(start)
		c.Set(time.Date(2026, 12, 3, 7, 0, 0, 0, berlin))
		start = time.Now()
		rep, err = alerts.Run(ctx, true)
		if err != nil || rep.Digests != munis || rep.Sent.Sent != munis {
			b.Fatalf("digest: %+v %v", rep, err)
		}
		digest := time.Since(start)
		start = time.Now()
		if rep, err = alerts.Run(ctx, true); err != nil || rep != (AlertReport{}) {
			b.Fatalf("idle: %+v %v", rep, err)
		}
		b.Logf("%d subscribers, %d advisories: immediate run %v (%d mails), digest run %v (%d mails), idle run %v",
			munis, advisories, immediate.Round(time.Millisecond), munis*urgent, digest.Round(time.Millisecond), munis,
			time.Since(start).Round(time.Millisecond))
	}
}
