package main

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// maskAddresses wraps a log handler so that e-mail addresses in the
// message and in string and error values read "[address]". The notifier
// logs with it: it logs what SMTP servers answer, and they quote the
// recipient ("550 5.1.1 <erika@example.org>: Recipient address
// rejected"). Its log names the reminder; whom it was for stays in the
// graph.
func maskAddresses(h slog.Handler) slog.Handler { return addressMasking{h} }

type addressMasking struct{ slog.Handler }

var emailAddress = regexp.MustCompile(`[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)

func (h addressMasking) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, maskText(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h addressMasking) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a)
	}
	return addressMasking{h.Handler.WithAttrs(masked)}
}

func (h addressMasking) WithGroup(name string) slog.Handler {
	return addressMasking{h.Handler.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, maskText(v.String()))
	case slog.KindGroup:
		group := v.Group()
		masked := make([]slog.Attr, len(group))
		for i, g := range group {
			masked[i] = maskAttr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(masked...)}
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, maskText(err.Error()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func maskText(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return emailAddress.ReplaceAllString(s, "[address]")
}
