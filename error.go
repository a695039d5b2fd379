package cyberlotse

import (
	"errors"
	"fmt"
)

// Code classifies an error for the API. The values are the GraphQL
// extensions.code strings, so the presenter maps them one to one.
type Code string

const (
	EINVALID     Code = "BAD_USER_INPUT"
	ENOTFOUND    Code = "NOT_FOUND"
	EUNAUTH      Code = "UNAUTHENTICATED"
	EFORBIDDEN   Code = "FORBIDDEN"
	ECONFLICT    Code = "CONFLICT"
	ERATELIMITED Code = "RATE_LIMITED"
	ESEARCH      Code = "SEARCH_UNAVAILABLE"
	// EUNAVAILABLE: the database cannot be reached right now; the same
	// request may succeed a few seconds later (RetryAfter).
	EUNAVAILABLE Code = "UNAVAILABLE"
	EINTERNAL    Code = "INTERNAL"
)

// Error is an error a person can act on: Message is German, shown as is.
// Errors that are not of this type are internal and never shown to clients.
type Error struct {
	Code    Code
	Message string
	// Details are machine-readable facts for clients, shown as GraphQL
	// extensions (e.g. the candidates of an ambiguous postcode).
	Details map[string]any
}

func (e *Error) Error() string {
	return fmt.Sprintf("cyberlotse error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err; internal errors
// get a generic text so that nothing internal leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return MsgInternal
}
