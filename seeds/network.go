package seeds

import (
	"fmt"
	"io/fs"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// The YAML shapes of the seed files. Field names are the files' keys;
// unknown keys are an error, so that a typo does not silently drop data.

type Provenance struct {
	Sample bool   `yaml:"sample"`
	Source string `yaml:"source"`
}

func (p Provenance) domain() cyberlotse.Provenance {
	return cyberlotse.Provenance{Sample: p.Sample, Source: p.Source}
}

func loadTopics(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Topics []struct {
			ID       string   `yaml:"id"`
			Name     string   `yaml:"name"`
			Synonyms []string `yaml:"synonyms"`
		} `yaml:"topics"`
	}
	if err := readYAML(fsys, "topics.yaml", &f); err != nil {
		return err
	}
	for _, t := range f.Topics {
		n.Topics = append(n.Topics, &cyberlotse.Topic{ID: t.ID, Name: t.Name, Synonyms: t.Synonyms})
	}
	return nil
}

func loadOrganizations(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Organizations []struct {
			ID          string   `yaml:"id"`
			Name        string   `yaml:"name"`
			ShortName   string   `yaml:"shortName"`
			Kind        string   `yaml:"kind"`
			Website     string   `yaml:"website"`
			Description string   `yaml:"description"`
			Topics      []string `yaml:"topics"`
			Provenance  `yaml:",inline"`
		} `yaml:"organizations"`
	}
	if err := readYAML(fsys, "organizations.yaml", &f); err != nil {
		return err
	}
	for _, o := range f.Organizations {
		if o.Kind == string(cyberlotse.OrgPolice) {
			return fmt.Errorf("organization %s: police authorities belong in police.yaml", o.ID)
		}
		n.Organizations = append(n.Organizations, &cyberlotse.Organization{ID: o.ID, Name: o.Name,
			ShortName: o.ShortName, Kind: cyberlotse.OrganizationKind(o.Kind), Website: o.Website,
			Description: o.Description, TopicIDs: o.Topics, Provenance: o.Provenance.domain()})
	}
	return nil
}

// loadPolice turns the three levels of police responsibility into police
// organizations and assigns every municipality its Kreispolizeibehörde.
func loadPolice(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Source struct {
			KpbVo  string `yaml:"kpbVo"`
			KhstVo string `yaml:"khstVo"`
		} `yaml:"source"`
		Authorities []struct {
			ID                   string   `yaml:"id"`
			Name                 string   `yaml:"name"`
			Kind                 string   `yaml:"kind"`
			Seat                 string   `yaml:"seat"`
			Website              string   `yaml:"website"`
			Districts            []string `yaml:"districts"`
			Municipalities       []string `yaml:"municipalities"`
			ExceptMunicipalities []string `yaml:"exceptMunicipalities"`
			Kriminalhauptstelle  string   `yaml:"kriminalhauptstelle"`
			Verified             bool     `yaml:"verified"`
			Note                 string   `yaml:"note"`
		} `yaml:"authorities"`
		Kriminalhauptstellen []struct {
			ID           string `yaml:"id"`
			CybercrimeHq string `yaml:"cybercrimeHq"`
			Verified     bool   `yaml:"verified"`
		} `yaml:"kriminalhauptstellen"`
	}
	if err := readYAML(fsys, "police.yaml", &f); err != nil {
		return err
	}
	hq := map[string]string{}
	for _, k := range f.Kriminalhauptstellen {
		hq[k.ID] = k.CybercrimeHq
	}
	byAGS := municipalityIndex(n)
	for _, a := range f.Authorities {
		source := f.Source.KpbVo + "; " + f.Source.KhstVo
		if !a.Verified {
			source += " — Hinweis: " + a.Note
		}
		n.Organizations = append(n.Organizations, &cyberlotse.Organization{ID: a.ID, Name: a.Name,
			Kind: cyberlotse.OrgPolice, Seat: a.Seat, Website: a.Website,
			KriminalhauptstelleID: a.Kriminalhauptstelle, CybercrimeHQID: hq[a.ID],
			Provenance: cyberlotse.Provenance{Source: source}})
		except := map[string]bool{}
		for _, ags := range a.ExceptMunicipalities {
			except[ags] = true
		}
		assign := func(m *cyberlotse.Municipality) error {
			if m.PoliceID != "" {
				return fmt.Errorf("municipality %s (%s) is assigned to both %s and %s", m.AGS, m.Name, m.PoliceID, a.ID)
			}
			m.PoliceID = a.ID
			return nil
		}
		for _, m := range n.Municipalities {
			if contains(a.Districts, string(m.DistrictKey)) && !except[string(m.AGS)] {
				if err := assign(m); err != nil {
					return err
				}
			}
		}
		for _, ags := range a.Municipalities {
			m, ok := byAGS[cyberlotse.AGS(ags)]
			if !ok {
				return fmt.Errorf("authority %s: unknown AGS %q", a.ID, ags)
			}
			if err := assign(m); err != nil {
				return err
			}
		}
	}
	for _, m := range n.Municipalities {
		if m.PoliceID == "" {
			return fmt.Errorf("municipality %s (%s) has no police authority", m.AGS, m.Name)
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func loadContacts(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Contacts []struct {
			ID             string `yaml:"id"`
			Name           string `yaml:"name"`
			Role           string `yaml:"role"`
			Organization   string `yaml:"organization"`
			Email          string `yaml:"email"`
			Phone          string `yaml:"phone"`
			Availability   string `yaml:"availability"`
			ResponsibleFor []struct {
				Level string `yaml:"level"`
				Key   string `yaml:"key"`
			} `yaml:"responsibleFor"`
			Audiences  []string `yaml:"audiences"`
			Topics     []string `yaml:"topics"`
			Provenance `yaml:",inline"`
		} `yaml:"contacts"`
	}
	if err := readYAML(fsys, "contacts.yaml", &f); err != nil {
		return err
	}
	for _, c := range f.Contacts {
		contact := &cyberlotse.Contact{ID: c.ID, Name: c.Name, Role: c.Role, OrganizationID: c.Organization,
			Email: c.Email, Phone: c.Phone, Availability: c.Availability, TopicIDs: c.Topics,
			Provenance: c.Provenance.domain()}
		for _, r := range c.ResponsibleFor {
			contact.Responsibilities = append(contact.Responsibilities,
				cyberlotse.Responsibility{Level: cyberlotse.Level(r.Level), Key: r.Key})
		}
		for _, a := range c.Audiences {
			contact.Audiences = append(contact.Audiences, cyberlotse.Audience(a))
		}
		n.Contacts = append(n.Contacts, contact)
	}
	return nil
}

func loadRegions(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Regions []struct {
			ID             string   `yaml:"id"`
			Name           string   `yaml:"name"`
			Kind           string   `yaml:"kind"`
			SatelliteOf    string   `yaml:"satelliteOf"`
			Since          string   `yaml:"since"`
			Municipalities []string `yaml:"municipalities"`
			ManagedBy      string   `yaml:"managedBy"`
			Partners       []string `yaml:"partners"`
			Description    string   `yaml:"description"`
			Provenance     `yaml:",inline"`
		} `yaml:"regions"`
	}
	if err := readYAML(fsys, "regions.yaml", &f); err != nil {
		return err
	}
	for _, r := range f.Regions {
		region := &cyberlotse.Region{ID: r.ID, Name: r.Name, Kind: cyberlotse.RegionKind(r.Kind),
			SatelliteOfID: r.SatelliteOf, ManagerID: r.ManagedBy, PartnerIDs: r.Partners,
			Description: r.Description, Provenance: r.Provenance.domain()}
		if r.Since != "" {
			t, err := time.ParseInLocation(time.DateOnly, r.Since, berlin)
			if err != nil {
				return fmt.Errorf("region %s: since %q is not YYYY-MM-DD", r.ID, r.Since)
			}
			region.Since = &t
		}
		for _, ags := range r.Municipalities {
			n.RegionMembers[r.ID] = append(n.RegionMembers[r.ID], cyberlotse.AGS(ags))
		}
		n.Regions = append(n.Regions, region)
	}
	return nil
}

func loadMeasures(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Measures []struct {
			Code       string   `yaml:"code"`
			Title      string   `yaml:"title"`
			Summary    string   `yaml:"summary"`
			Category   string   `yaml:"category"`
			Topics     []string `yaml:"topics"`
			Provenance `yaml:",inline"`
		} `yaml:"measures"`
	}
	if err := readYAML(fsys, "measures.yaml", &f); err != nil {
		return err
	}
	for _, m := range f.Measures {
		if _, err := cyberlotse.ParseMeasureCode(m.Code); err != nil {
			return fmt.Errorf("measure %q: %w", m.Code, err)
		}
		n.Measures = append(n.Measures, &cyberlotse.Measure{Code: m.Code, Title: m.Title, Summary: m.Summary,
			Category: cyberlotse.MeasureCategory(m.Category), TopicIDs: m.Topics, Provenance: m.Provenance.domain()})
	}
	return nil
}

func loadOffers(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Offers []struct {
			ID          string   `yaml:"id"`
			Name        string   `yaml:"name"`
			Kind        string   `yaml:"kind"`
			Provider    string   `yaml:"provider"`
			Eligibility string   `yaml:"eligibility"`
			SizeClasses []string `yaml:"sizeClasses"`
			Description string   `yaml:"description"`
			URL         string   `yaml:"url"`
			Measures    []string `yaml:"measures"`
			Topics      []string `yaml:"topics"`
			Regions     []string `yaml:"regions"`
			// Status (AVAILABLE, ANNOUNCED, REQUESTED) with the source of
			// that status and its date (YYYY, YYYY-MM or YYYY-MM-DD).
			Status       string `yaml:"status"`
			StatusSource string `yaml:"statusSource"`
			StatusDate   string `yaml:"statusDate"`
			Provenance   `yaml:",inline"`
		} `yaml:"offers"`
	}
	if err := readYAML(fsys, "offers.yaml", &f); err != nil {
		return err
	}
	for _, o := range f.Offers {
		offer := &cyberlotse.Offer{ID: o.ID, Name: o.Name, Kind: o.Kind, ProviderID: o.Provider,
			Eligibility: cyberlotse.Eligibility(o.Eligibility), Description: o.Description, URL: o.URL,
			MeasureCodes: o.Measures, TopicIDs: o.Topics, RegionIDs: o.Regions, Provenance: o.Provenance.domain(),
			Status: cyberlotse.OfferStatus(o.Status), StatusSource: strings.TrimSpace(o.StatusSource), StatusDate: o.StatusDate}
		switch offer.Status {
		case cyberlotse.OfferAvailable, cyberlotse.OfferAnnounced, cyberlotse.OfferRequested:
		default:
			return fmt.Errorf("offer %s: status %q is not AVAILABLE, ANNOUNCED or REQUESTED", o.ID, o.Status)
		}
		if offer.StatusSource == "" {
			return fmt.Errorf("offer %s: statusSource is missing", o.ID)
		}
		if offer.StatusDate != "" && !cyberlotse.ValidStatusDate(offer.StatusDate) {
			return fmt.Errorf("offer %s: statusDate %q is not YYYY, YYYY-MM or YYYY-MM-DD", o.ID, o.StatusDate)
		}
		for _, c := range o.SizeClasses {
			offer.SizeClasses = append(offer.SizeClasses, cyberlotse.SizeClass(c))
		}
		n.Offers = append(n.Offers, offer)
	}
	return nil
}

func loadEvents(fsys fs.FS, n *cyberlotse.Network) error {
	var f struct {
		Events []struct {
			ID               string   `yaml:"id"`
			Title            string   `yaml:"title"`
			Description      string   `yaml:"description"`
			StartsAt         string   `yaml:"startsAt"`
			EndsAt           string   `yaml:"endsAt"`
			Format           string   `yaml:"format"`
			Mode             string   `yaml:"mode"`
			Venue            string   `yaml:"venue"`
			AGS              string   `yaml:"ags"`
			OnlineURL        string   `yaml:"onlineUrl"`
			Capacity         *int     `yaml:"capacity"`
			Organizer        string   `yaml:"organizer"`
			Regions          []string `yaml:"regions"`
			Measures         []string `yaml:"measures"`
			Topics           []string `yaml:"topics"`
			RegistrationNote string   `yaml:"registrationNote"`
			// Audiences: COMPANY, MUNICIPALITY; absent: companies only.
			Audiences  []string `yaml:"audiences"`
			Provenance `yaml:",inline"`
		} `yaml:"events"`
	}
	if err := readYAML(fsys, "events.yaml", &f); err != nil {
		return err
	}
	for _, e := range f.Events {
		starts, err := localTime(e.StartsAt)
		if err != nil {
			return fmt.Errorf("event %s: startsAt: %w", e.ID, err)
		}
		ev := &cyberlotse.Event{ID: e.ID, Title: e.Title, Description: e.Description, StartsAt: starts,
			Format: cyberlotse.EventFormat(e.Format), Mode: cyberlotse.EventMode(e.Mode), Venue: e.Venue,
			AGS: cyberlotse.AGS(e.AGS), OnlineURL: e.OnlineURL, Capacity: e.Capacity,
			Status: cyberlotse.EventScheduled, RegistrationNote: strings.TrimSpace(e.RegistrationNote),
			OrganizerID: e.Organizer, RegionIDs: e.Regions, MeasureCodes: e.Measures, TopicIDs: e.Topics,
			Provenance: e.Provenance.domain()}
		for _, a := range e.Audiences {
			if a != string(cyberlotse.AudienceCompany) && a != string(cyberlotse.AudienceMunicipality) {
				return fmt.Errorf("event %s: audience %q is not COMPANY or MUNICIPALITY", e.ID, a)
			}
			ev.Audiences = append(ev.Audiences, cyberlotse.Audience(a))
		}
		if e.EndsAt != "" {
			ends, err := localTime(e.EndsAt)
			if err != nil {
				return fmt.Errorf("event %s: endsAt: %w", e.ID, err)
			}
			ev.EndsAt = &ends
		}
		n.Events = append(n.Events, ev)
	}
	return nil
}

// localTime parses "YYYY-MM-DD HH:MM" as Europe/Berlin wall-clock time.
func localTime(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not \"YYYY-MM-DD HH:MM\" (Europe/Berlin)", s)
	}
	return t, nil
}
