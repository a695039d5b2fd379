package main

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
)

// Config is read from the environment; every value has a default that
// works on a fresh machine.
type Config struct {
	Host     string // HOST, default 127.0.0.1
	Port     int    // PORT, default 8080
	LogLevel slog.Level
	LogJSON  bool // LOG_FORMAT=json

	// NEO4J_URI and friends point at an existing Neo4j 5 server, cluster or
	// Aura (neo4j://, neo4j+s://, bolt://). Empty: start the local one.
	Neo4jURI      string
	Neo4jUser     string
	Neo4jPassword string
	Neo4jDatabase string
	// The local server: NEO4J_LOCAL_HOME (var/neo4j), NEO4J_LOCAL_PORT (7687).
	LocalHome string
	LocalPort int

	MaxBodyBytes int64 // GRAPHQL_MAX_BODY_BYTES, default 1 MiB
}

// ConfigFromEnv reads the configuration; a malformed value is an error.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Host:          or(getenv("HOST"), "127.0.0.1"),
		Neo4jURI:      getenv("NEO4J_URI"),
		Neo4jUser:     getenv("NEO4J_USER"),
		Neo4jPassword: getenv("NEO4J_PASSWORD"),
		Neo4jDatabase: getenv("NEO4J_DATABASE"),
		LocalHome:     or(getenv("NEO4J_LOCAL_HOME"), "var/neo4j"),
		LogJSON:       strings.EqualFold(getenv("LOG_FORMAT"), "json"),
	}
	var err error
	if c.Port, err = intVar(getenv, "PORT", 8080); err != nil {
		return c, err
	}
	if c.LocalPort, err = intVar(getenv, "NEO4J_LOCAL_PORT", 7687); err != nil {
		return c, err
	}
	body, err := intVar(getenv, "GRAPHQL_MAX_BODY_BYTES", 1<<20)
	if err != nil {
		return c, err
	}
	c.MaxBodyBytes = int64(body)
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, not %q", getenv("LOG_LEVEL"))
	}
	return c, nil
}

func (c Config) Logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a whole number, not %q", name, v)
	}
	return n, nil
}
