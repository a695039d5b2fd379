package neo4jtest

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// LogDirEnv names the directory where tests write their logs. `make test`
// sets it, and after all tests scans the files for the attendees' e-mail
// addresses and names (logscan): the service must log ids, never who.
const LogDirEnv = "CYBERLOTSE_TEST_LOG_DIR"

var testLogger = openTestLogger()

// Logger is the logger tests give the code under test: slog's text
// handler at debug level, so that every log call is formatted as in
// production, writing to a file of this test binary's own in
// $CYBERLOTSE_TEST_LOG_DIR, or to nowhere when that is unset. It is also
// slog's default logger in every test binary that imports this package,
// for the code that is given no logger.
func Logger() *slog.Logger { return testLogger }

func openTestLogger() *slog.Logger {
	var w io.Writer = io.Discard
	if dir := os.Getenv(LogDirEnv); dir != "" {
		name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test") + "-*.log"
		f, err := os.CreateTemp(dir, name)
		if err != nil {
			// A missing directory must not pass unnoticed: the scan would
			// find nothing to complain about.
			panic("neo4jtest: " + LogDirEnv + ": " + err.Error())
		}
		w = f // closed when the test binary exits
	}
	l := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	slog.SetDefault(l)
	return l
}
