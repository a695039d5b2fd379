//go:build tools

// This file pins the code generator in go.mod (make generate runs it).
package cyberlotse

import _ "github.com/99designs/gqlgen"
