package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/cyberlotse/cyberlotse/server/localneo4j"
)

// neo4jCommand runs the local Neo4j on its own: in the foreground (start)
// or around another command (exec), which is how `make test` gets a
// throwaway server that never touches the `make run` data.
func neo4jCommand(ctx context.Context, m *Main, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: server neo4j start | server neo4j exec [--home DIR] [--fresh] -- CMD ARGS…")
	}
	fs := flag.NewFlagSet("neo4j "+args[0], flag.ContinueOnError)
	home := fs.String("home", m.Config.LocalHome, "home directory of the server (data, logs)")
	port := fs.Int("port", 0, "Bolt port (0: a free one for exec, NEO4J_LOCAL_PORT for start)")
	fresh := fs.Bool("fresh", false, "delete the data directory first")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "start":
		p := *port
		if p == 0 {
			p = m.Config.LocalPort
		}
		srv, err := localneo4j.Start(ctx, localneo4j.Options{Home: *home, Port: p, Fresh: *fresh, Logger: m.Logger,
			HeapMB: m.Config.LocalHeapMB, PageCacheMB: m.Config.LocalPageCacheMB})
		if err != nil {
			return err
		}
		defer srv.Stop()
		fmt.Printf("Neo4j läuft unter %s – Strg-C beendet.\n", srv.URI)
		select {
		case <-ctx.Done():
		case <-srv.Done():
			return errors.New("Neo4j stopped unexpectedly")
		}
		return nil
	case "exec":
		cmdArgs := fs.Args()
		if len(cmdArgs) == 0 {
			return errors.New("neo4j exec: name the command to run after --")
		}
		srv, err := localneo4j.Start(ctx, localneo4j.Options{Home: *home, Port: *port, Fresh: *fresh, Logger: m.Logger,
			HeapMB: m.Config.LocalHeapMB, PageCacheMB: m.Config.LocalPageCacheMB})
		if err != nil {
			return err
		}
		defer srv.Stop()
		cmd := exec.CommandContext(ctx, cmdArgs[0], cmdArgs[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		// NEO4J_PID lets a benchmark count the CPU seconds Neo4j spent.
		cmd.Env = append(os.Environ(), "NEO4J_URI="+srv.URI, "NEO4J_USER=", "NEO4J_PASSWORD=",
			"NEO4J_PID="+strconv.Itoa(srv.PID()))
		err = cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exitCode(exit.ExitCode())
		}
		return err
	}
	return fmt.Errorf("unknown neo4j command %q (start or exec)", args[0])
}
