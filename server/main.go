// Command server is Cyberlotse: the GraphQL API, its migrations, seeds and
// the launcher of a local Neo4j. Run `server help` for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

const usage = `Cyberlotse – usage: server <command> [flags]

Commands:
  serve [--seed]   migrate, optionally seed, and serve the API on http://HOST:PORT
  migrate          apply the Neo4j migrations in schema/neo4j
  seed [--scale N] load the reference data from seeds/ (idempotent); --scale adds N invented companies
                   with events, contacts, registrations and rollouts for benchmarks (marked sample)
  neo4j start      run the local Neo4j in the foreground until Ctrl-C
  neo4j exec [--home DIR] [--fresh] -- CMD ARGS…
                   start a local Neo4j, run CMD with NEO4J_URI set, stop Neo4j
  loadgen [--url U] [--clients 16] [--warmup 40s] [--duration 30s] [--only Q,…] [--json FILE]
                   drive the benchmark query mix against a running server (make bench)
  livebench [--url U] [--subscribers 5000] [--participants 1000] [--votes 500] [--questions 1]
            [--duration 60s] [--json FILE]
                   drive one live session (subscribers over graphql-ws and graphql-sse, votes,
                   questions) against a running server with TRUST_PROXY=true (make bench-live)
  import KIND SOURCE [--dry-run] [--report FILE]
                   companies|contacts FILE.csv, events FILE.ics|URL --organizer ID [--feed K]
                   [--horizon 365d], measures FILE.yaml (see importers/README.md),
                   advisories DIR|https://…/provider-metadata.json [--keys KEY.asc] (CSAF 2.0)
  reindex          rebuild the search fields in Neo4j and, with MEILI_URL, the Meilisearch index
  recount          repair the registration counts kept on the events (after a rolling upgrade
                   across migration 0007, or a change made by hand)
  loadgen --growth FILES…   print how latency grew over bench result files (make bench-growth)
  token --role R [--org IDS] [--region IDS] [--company ID] [--ttl 8h]
                   print a bearer token signed with JWT_SECRET (or var/jwt.secret)
  help             show this text

Configuration comes from the environment; see README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	var exit exitCode
	switch {
	case errors.As(err, &exit):
		os.Exit(int(exit))
	case err != nil:
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// exitCode passes a child's exit status through `neo4j exec`.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Print(usage)
		return exitCode(2)
	}
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	m := NewMain(cfg)
	defer m.Close()
	switch args[0] {
	case "serve":
		return m.serveCommand(ctx, args[1:])
	case "migrate":
		if err := m.OpenDB(ctx); err != nil {
			return err
		}
		return m.Migrate(ctx)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		scale := fs.Int("scale", 0, "also load N invented companies (and events, contacts, registrations) for benchmarks")
		seed := fs.Uint64("seed", 1, "seed value of the scale data")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if err := m.OpenDB(ctx); err != nil {
			return err
		}
		if err := m.Migrate(ctx); err != nil {
			return err
		}
		if err := m.Seed(ctx); err != nil {
			return err
		}
		if *scale > 0 {
			return seedScale(ctx, m, *scale, *seed)
		}
		return nil
	case "neo4j":
		return neo4jCommand(ctx, m, args[1:])
	case "token":
		return tokenCommand(m, args[1:])
	case "import":
		return importCommand(ctx, m, args[1:], os.Stdout)
	case "loadgen":
		return loadgenCommand(ctx, m, args[1:])
	case "livebench":
		return liveBenchCommand(ctx, m, args[1:])
	case "reindex":
		if err := m.OpenDB(ctx); err != nil {
			return err
		}
		if err := m.Migrate(ctx); err != nil {
			return err
		}
		return m.Reindex(ctx)
	case "recount":
		if err := m.OpenDB(ctx); err != nil {
			return err
		}
		if err := m.Migrate(ctx); err != nil {
			return err
		}
		fixed, err := store.NewRegistrationService(m.DB, m.NewID, berlin).RecountRegistrations(ctx, func(done, total int) {
			fmt.Fprintf(os.Stderr, "\revents checked: %d/%d", done, total)
		})
		fmt.Fprintln(os.Stderr)
		if err == nil {
			fmt.Printf("registration counts corrected on %d events\n", fixed)
		}
		return err
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
