package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// matrixVersioner is implemented by a rollout service that answers the
// matrix from in-memory snapshots: the version changes whenever one of the
// snapshots the matrix reads (the network with the measures and contacts,
// the rollouts with their reach) is replaced.
type matrixVersioner interface {
	MatrixVersion() any
}

// matrixCache keeps the executed answers of rolloutMatrix. Executing the
// 20 × 13 cells through gqlgen costs about 13 ms of CPU (a goroutine per
// cell, field collection and a closure per field), while the data changes
// only when a rollout, a reach snapshot or the network does. An answer is
// kept per query, variables, field and viewer scope, for one version of
// the snapshots; a selection that reaches beyond them (a region's members,
// a contact's organization, anything not in matrixFields) is executed
// every time.
type matrixCache struct {
	versions matrixVersioner
	observe  func(kept bool) // nil: not observed
	mu       sync.Mutex
	version  any
	answers  map[matrixKey][]byte
}

// maxMatrixAnswers bounds the cache: the answers are 35 KB for all 20
// regions, so at most about 2 MB.
const maxMatrixAnswers = 64

type matrixKey struct {
	query [sha256.Size]byte // the document and the operation name
	vars  string            // the variables as JSON (map keys sorted)
	field string            // alias and position of the root field
	scope string            // the viewer's roles and claims
}

// matrixFields are the fields whose values come from the matrix's
// snapshots alone, by type.
var matrixFields = map[string]map[string]bool{
	"RolloutRow": fieldNames("region", "cells"),
	"Rollout": fieldNames("region", "measure", "status", "nextStatuses", "progress", "responsibleContact",
		"milestones", "notes", "version", "recorded", "updatedAt", "updatedBy", "reach"),
	"Reach":     fieldNames("events", "registrations", "companies", "satellites", "asOf"),
	"Milestone": fieldNames("title", "due", "done"),
	"Region":    fieldNames("id", "slug", "name", "kind", "since", "description", "isSample", "source"),
	"Measure":   fieldNames("id", "code", "title", "summary", "category", "isSample", "source"),
	"Contact":   fieldNames("id", "slug", "name", "role", "email", "phone", "availability", "isSample", "source"),
}

func fieldNames(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func newMatrixCache(rollouts any, observe func(kept bool)) *matrixCache {
	v, ok := rollouts.(matrixVersioner)
	if !ok {
		return nil
	}
	if observe == nil {
		observe = func(bool) {}
	}
	return &matrixCache{versions: v, observe: observe, answers: map[matrixKey][]byte{}}
}

// aroundRootFields answers rolloutMatrix from the cache or executes it and
// keeps the answer when it came without errors.
func (c *matrixCache) aroundRootFields(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rf := graphql.GetRootFieldContext(ctx)
	if rf == nil || rf.Field.Name != "rolloutMatrix" || rf.Field.ObjectDefinition == nil || rf.Field.ObjectDefinition.Name != "Query" {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx)
	key, ok := matrixKeyOf(ctx, op, rf.Field)
	if !ok || !withinMatrix(op, rf.Field.Selections, "RolloutRow") {
		c.observe(false)
		return next(ctx)
	}
	version := c.versions.MatrixVersion()
	if answer, ok := c.get(version, key); ok {
		c.observe(true)
		return rawJSON(answer)
	}
	c.observe(false)
	var buf bytes.Buffer
	next(ctx).MarshalGQL(&buf)
	if hasErrorsUnder(ctx, rf.Field.Alias) {
		return rawJSON(buf.Bytes())
	}
	c.put(version, key, buf.Bytes())
	return rawJSON(buf.Bytes())
}

func (c *matrixCache) get(version any, key matrixKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil, false
	}
	answer, ok := c.answers[key]
	return answer, ok
}

// put keeps an answer computed for version; one from an older version
// than the cache's (a slow request) is dropped.
func (c *matrixCache) put(version any, key matrixKey, answer []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		if version != c.versions.MatrixVersion() {
			return
		}
		c.version, c.answers = version, map[matrixKey][]byte{}
	}
	if len(c.answers) >= maxMatrixAnswers {
		clear(c.answers)
	}
	c.answers[key] = answer
}

func matrixKeyOf(ctx context.Context, op *graphql.OperationContext, field graphql.CollectedField) (matrixKey, bool) {
	vars, err := json.Marshal(op.Variables)
	if err != nil {
		return matrixKey{}, false
	}
	id := cyberlotse.IdentityFromContext(ctx)
	scope := "anonymous"
	if id != nil {
		// Everything the answer may depend on but the subject: viewers
		// alike share answers.
		scope = fmt.Sprintf("%q %q %q %q %q", id.Roles, id.RegionIDs, id.OrganizationIDs, id.CompanyID, id.AGS)
	}
	pos := 0
	if field.Position != nil {
		pos = field.Position.Start
	}
	return matrixKey{
		query: sha256.Sum256([]byte(op.RawQuery + "\x00" + op.OperationName)),
		vars:  string(vars),
		field: fmt.Sprintf("%s@%d", field.Alias, pos),
		scope: scope,
	}, true
}

// withinMatrix reports whether a selection on typeName reads only
// matrixFields, through fragments too.
func withinMatrix(op *graphql.OperationContext, sel ast.SelectionSet, typeName string) bool {
	allowed := matrixFields[typeName]
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			if !allowed[s.Name] || s.Definition == nil {
				return false
			}
			if len(s.SelectionSet) > 0 && !withinMatrix(op, s.SelectionSet, s.Definition.Type.Name()) {
				return false
			}
		case *ast.InlineFragment:
			if s.TypeCondition != "" && s.TypeCondition != typeName {
				return false
			}
			if !withinMatrix(op, s.SelectionSet, typeName) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || s.Definition.TypeCondition != typeName ||
				!withinMatrix(op, s.Definition.SelectionSet, typeName) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// hasErrorsUnder reports whether an error was recorded at or below the
// root field alias.
func hasErrorsUnder(ctx context.Context, alias string) bool {
	for _, e := range graphql.GetErrors(ctx) {
		if len(e.Path) == 0 {
			return true
		}
		if name, ok := e.Path[0].(ast.PathName); ok && string(name) == alias {
			return true
		}
	}
	return false
}

// rawJSON writes an answer executed before.
func rawJSON(b []byte) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { w.Write(b) })
}
