package localneo4j

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Without Java on the PATH the launcher says what to install.
func TestStartWithoutJavaSaysWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Start(context.Background(), Options{Home: t.TempDir(), Logger: quiet})
	if !errors.Is(err, ErrMissingTools) || !strings.Contains(err.Error(), "install Java 17") {
		t.Fatalf("err = %v", err)
	}
}

// A second server on the same home is refused with a clear message, and
// Stop leaves no process behind.
func TestStartQueryStop(t *testing.T) {
	home := t.TempDir()
	ctx := context.Background()
	srv, err := Start(ctx, Options{Home: home, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()

	driver, err := neo4j.NewDriverWithContext(srv.URI, neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	res, err := neo4j.ExecuteQuery(ctx, driver, "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition", nil, neo4j.EagerResultTransformer)
	driver.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := res.Records[0].Get("v")
	edition, _ := res.Records[0].Get("edition")
	if !strings.HasPrefix(v.(string), "5.26.") || edition != "community" {
		t.Errorf("server is %v %v, want 5.26.x community", v, edition)
	}

	if _, err := Start(ctx, Options{Home: home, Logger: quiet}); err == nil || !strings.Contains(err.Error(), "already runs") {
		t.Errorf("second server on the same home: err = %v", err)
	}

	// Killed, it comes back on the same port under Supervise.
	supervising, stopSupervising := context.WithCancel(ctx)
	defer stopSupervising()
	go srv.Supervise(supervising)
	killed := srv.PID()
	if err := syscall.Kill(killed, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	back := time.Now().Add(2 * time.Minute)
	for !answers(ctx, srv.URI) || srv.PID() == killed {
		if time.Now().After(back) {
			t.Fatalf("not back on %s two minutes after SIGKILL", srv.URI)
		}
		time.Sleep(200 * time.Millisecond) // polling the server, not waiting for a clock
	}

	pid := srv.PID()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // polling the OS, not waiting for a clock
	}
	if syscall.Kill(pid, 0) == nil {
		t.Errorf("java process %d still runs after Stop", pid)
	}
	if _, err := os.Stat(filepath.Join(home, "run", "cyberlotse-neo4j.pid")); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
}

// answers says whether a Neo4j answers a query at uri.
func answers(ctx context.Context, uri string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second) // no driver retries against a dead port
	defer cancel()
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return false
	}
	defer driver.Close(ctx)
	_, err = neo4j.ExecuteQuery(ctx, driver, "RETURN 1", nil, neo4j.EagerResultTransformer)
	return err == nil
}
