// Package model holds the GraphQL-only types: scalars, connections and the
// inputs gqlgen generates. Domain types are bound from the module root.
package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Berlin is the local time zone of every time the API speaks.
var Berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// DateTime is an RFC 3339 timestamp, written in Europe/Berlin local time.
type DateTime = time.Time

// MarshalDateTime writes t as RFC 3339 with the Berlin offset.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.In(Berlin).Format(time.RFC3339)))
	})
}

// UnmarshalDateTime reads an RFC 3339 timestamp; the offset is required so
// that no instant is ambiguous.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, cyberlotse.Errorf(cyberlotse.EINVALID, "DateTime muss ein Text nach RFC 3339 sein, z. B. 2025-09-04T18:00:00+02:00.")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, cyberlotse.Errorf(cyberlotse.EINVALID, "„%s“ ist kein Zeitpunkt nach RFC 3339 mit Offset, z. B. 2025-09-04T18:00:00+02:00.", s)
	}
	return t, nil
}

// Date is a calendar date; it is carried as midnight Europe/Berlin.
type Date = time.Time

// MarshalDate writes t as YYYY-MM-DD in Berlin.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.In(Berlin).Format(time.DateOnly)))
	})
}

// UnmarshalDate reads YYYY-MM-DD as midnight in Berlin.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, cyberlotse.Errorf(cyberlotse.EINVALID, "Date muss ein Text der Form JJJJ-MM-TT sein.")
	}
	t, err := time.ParseInLocation(time.DateOnly, s, Berlin)
	if err != nil {
		return time.Time{}, cyberlotse.Errorf(cyberlotse.EINVALID, "„%s“ ist kein Datum der Form JJJJ-MM-TT.", s)
	}
	return t, nil
}
