package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/generated"
)

// Limits bound what one request may ask for.
type Limits struct {
	MaxDepth      int // nesting of selection sets
	MaxComplexity int // the summed weights of Complexity, about 10 µs each
}

// DefaultLimits allow every query the web, the load generator and the
// documented examples make with room to spare (the largest, the web's
// rollout matrix, weighs about 7,000), and about half a second of server
// work per request: up to 11 matchmakings as the web asks them, never 50.
var DefaultLimits = Limits{MaxDepth: 12, MaxComplexity: 50_000}

// NewHandler returns the GraphQL HTTP handler: POST and GET per the
// GraphQL-over-HTTP spec, with limits, a query cache and the error
// presentation of DESIGN.md. Wrap it in r.Middleware for the loaders.
func NewHandler(r *Resolver, limits Limits, logger *slog.Logger) *handler.Server {
	srv := handler.New(NewSchema(r))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	configure(srv, r, limits, logger)
	return srv
}

// streamPing keeps idle streams open through proxies.
const streamPing = 15 * time.Second

// NewStreamHandler serves subscriptions (and any operation) as streams:
// GraphQL over Server-Sent Events (the graphql-sse protocol, a POST with
// Accept: text/event-stream) and graphql-ws over WebSocket, whose
// connection_init payload may carry the bearer token (ws.Init). See
// streams.go for why these transports are our own.
func NewStreamHandler(r *Resolver, limits Limits, logger *slog.Logger, ws GraphQLWS) *handler.Server {
	srv := handler.New(NewSchema(r))
	srv.AddTransport(SSE{Ping: streamPing})
	if ws.Ping == 0 {
		ws.Ping = streamPing
	}
	srv.AddTransport(ws)
	configure(srv, r, limits, logger)
	return srv
}

// configure gives a handler the limits, caches, extensions, error
// presentation and metrics every transport shares.
func configure(srv *handler.Server, r *Resolver, limits Limits, logger *slog.Logger) {
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	// Query texts by hash: the web's 17 operations are 5.5 KB; 1,000
	// entries leave room for other apps without one client evicting all.
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(&limitsExtension{limits: limits})
	srv.SetErrorPresenter(presentError(logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p))
		return errors.New("panic in resolver")
	})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		start := time.Now()
		oc := graphql.GetOperationContext(ctx)
		resp := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			res := resp(ctx)
			took := time.Since(start)
			logger.DebugContext(ctx, "graphql", "operation", oc.OperationName, "duration", took)
			if r.ObserveOperation != nil {
				var codes []string
				if res != nil {
					for _, e := range res.Errors {
						if c, ok := e.Extensions["code"].(string); ok {
							codes = append(codes, c)
						}
					}
				}
				name := oc.OperationName
				if name == "" && oc.Operation != nil {
					name = oc.Operation.Name
				}
				if name == "" {
					name = "anonymous"
				}
				r.ObserveOperation(name, took, codes)
			}
			return res
		}
	})
	r.matrixCacheOnce.Do(func() { r.matrixCache = newMatrixCache(r.Rollouts, r.ObserveMatrixAnswer) })
	if r.matrixCache != nil {
		srv.AroundRootFields(r.matrixCache.aroundRootFields)
	}
	// Registered last, so innermost: right around the execution.
	if r.fanout == nil {
		r.fanout = newLiveFanout(r.ObserveLiveUpdate)
	}
	srv.AroundOperations(r.fanout.aroundOperations)
}

// NewSchema returns the executable schema over r with the directives and
// the field weights of Complexity.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{Resolvers: r,
		Directives: generated.DirectiveRoot{HasRole: HasRole}, Complexity: Complexity()})
}

// presentError gives every error an extensions.code. Domain errors show
// their German message; GraphQL syntax and validation errors keep their
// text and become BAD_USER_INPUT; anything else is logged and shown as a
// generic internal error, so that nothing internal leaks.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var domain *cyberlotse.Error
		if errors.As(err, &domain) {
			switch domain.Code {
			case cyberlotse.ESEARCH:
				logger.WarnContext(ctx, "search unavailable", "err", err)
			case cyberlotse.EUNAVAILABLE:
				askToRetryLater(ctx)
			}
			gerr.Message = domain.Message
			setCode(gerr, string(domain.Code))
			for k, v := range domain.Details {
				gerr.Extensions[k] = v
			}
			return gerr
		}
		if gerr.Extensions != nil {
			if code, ok := gerr.Extensions["code"].(string); ok {
				switch code {
				case "PERSISTED_QUERY_NOT_FOUND":
					// Apollo's clients resend the query text on this code
					// and message (automatic persisted queries).
					return gerr
				case errcode.ParseFailed, errcode.ValidationFailed, "COMPLEXITY_LIMIT_EXCEEDED":
					gerr.Extensions["reason"] = code
					gerr.Message = "Ungültige Abfrage: " + gerr.Message
					setCode(gerr, string(cyberlotse.EINVALID))
					return gerr
				}
			}
		}
		var own *gqlerror.Error
		if errors.As(err, &own) && own.Err == nil {
			// gqlgen's own errors describe the request (an unknown enum
			// value, a missing argument), not our internals.
			setCode(gerr, string(cyberlotse.EINVALID))
			return gerr
		}
		if errors.Is(err, context.Canceled) {
			// The client went away; nothing to fix on our side.
			logger.DebugContext(ctx, "request cancelled", "path", gerr.Path.String())
		} else {
			logger.ErrorContext(ctx, "internal error", "err", err, "path", gerr.Path.String())
		}
		return &gqlerror.Error{
			Message:    cyberlotse.MsgInternal,
			Path:       gerr.Path,
			Extensions: map[string]any{"code": string(cyberlotse.EINTERNAL)},
		}
	}
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// limitsExtension rejects operations that nest too deep or cost too much
// before any resolver runs.
type limitsExtension struct {
	limits Limits
	es     graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*limitsExtension)(nil)

func (l *limitsExtension) ExtensionName() string { return "CyberlotseLimits" }

func (l *limitsExtension) Validate(es graphql.ExecutableSchema) error {
	l.es = es
	return nil
}

func (l *limitsExtension) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	if d := depth(op.SelectionSet, oc.Doc.Fragments, 0); d > l.limits.MaxDepth {
		err := gqlerror.Errorf("Die Abfrage ist %d Ebenen tief; erlaubt sind höchstens %d. Teilen Sie sie in mehrere Abfragen auf.", d, l.limits.MaxDepth)
		err.Extensions = map[string]any{"code": string(cyberlotse.EINVALID), "reason": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	if c := complexity.Calculate(ctx, l.es, op, oc.Variables); c > l.limits.MaxComplexity {
		err := gqlerror.Errorf("Die Abfrage ist zu aufwendig (Komplexität %d, erlaubt %d). Fragen Sie weniger Felder, kleinere Seiten (first) oder weniger Aliasse ab, oder verteilen Sie die Abfrage auf mehrere Anfragen.", c, l.limits.MaxComplexity)
		err.Extensions = map[string]any{"code": string(cyberlotse.EINVALID), "reason": "COMPLEXITY_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

// depth returns the deepest nesting of set, following fragments; a
// fragment cycle is a validation error elsewhere, seen guards against it.
// Introspection's __Type.ofType does not count: it unwraps one list or
// non-null at a time, a chain without fan-out that ends after the few
// wrappers a type has, and the introspection query of GraphiQL and other
// tools nests it 8 times, which would make it 15 levels deep instead of 6.
// (Introspection that fans out, fields of types of fields …, gqlparser's
// validation refuses.)
func depth(set ast.SelectionSet, frags ast.FragmentDefinitionList, level int) int {
	max := level
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			switch {
			case len(s.SelectionSet) == 0:
				d = level + 1
			case s.Name == "ofType" && s.ObjectDefinition != nil && s.ObjectDefinition.Name == "__Type":
				d = depth(s.SelectionSet, frags, level)
			default:
				d = depth(s.SelectionSet, frags, level+1)
			}
		case *ast.InlineFragment:
			d = depth(s.SelectionSet, frags, level)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil && level < 100 {
				d = depth(f.SelectionSet, frags, level)
			}
		}
		if d > max {
			max = d
		}
	}
	return max
}
