// Package localneo4j runs a real Neo4j 5.26 Community server for
// development and tests: the jars come from Maven Central through Maven
// (cached in ~/.m2), the server listens on 127.0.0.1 only, and its data
// lives under a home directory such as var/neo4j.
package localneo4j

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

//go:embed pom.xml
var pom []byte

// Options configure a local server.
type Options struct {
	Home        string // data, logs and the cached classpath; created if missing
	Port        int    // Bolt port; 0 picks a free one
	HeapMB      int    // default 512
	PageCacheMB int    // default 128
	Fresh       bool   // delete the data directory first (throwaway test servers)
	Logger      *slog.Logger
	// StartTimeout bounds the wait for the first successful query.
	StartTimeout time.Duration
}

// Server is a running local Neo4j.
type Server struct {
	URI  string
	Home string
	log  *slog.Logger

	// What a restart needs: the same port, classpath and memory.
	port         int
	cp           string
	heapMB       int
	startTimeout time.Duration

	mu      sync.Mutex
	proc    *process // the current Java process
	stopped bool     // Stop was called: an exit is expected
}

// process is one run of the Java process.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // the exit error, once done is closed
}

// ErrMissingTools says what to install, or how to avoid the local server.
var ErrMissingTools = errors.New("install Java 17 (or newer) and Maven, or set NEO4J_URI to use an existing Neo4j")

// Start fetches the jars if needed, starts the server and waits until it
// answers a Bolt query.
func Start(ctx context.Context, o Options) (*Server, error) {
	o = withDefaults(o)
	if err := checkJava(ctx); err != nil {
		return nil, err
	}
	home, err := filepath.Abs(o.Home)
	if err != nil {
		return nil, err
	}
	if o.Fresh {
		if err := os.RemoveAll(filepath.Join(home, "data")); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{"conf", "data", "logs", "plugins", "run"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			return nil, err
		}
	}
	if err := refuseSecondServer(home); err != nil {
		return nil, err
	}
	cp, err := classpath(ctx, home, o.Logger)
	if err != nil {
		return nil, err
	}
	port := o.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	if err := writeConf(home, port, o.PageCacheMB); err != nil {
		return nil, err
	}
	s := &Server{URI: fmt.Sprintf("bolt://127.0.0.1:%d", port), Home: home, log: o.Logger,
		port: port, cp: cp, heapMB: o.HeapMB, startTimeout: o.StartTimeout}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// start launches the Java process and waits until it answers.
func (s *Server) start(ctx context.Context) error {
	p, err := s.launch()
	if err != nil {
		return err
	}
	if err := s.awaitReady(ctx, p); err != nil {
		s.kill(p)
		return err
	}
	return nil
}

// Supervise restarts the server on the same home and port whenever its
// process exits unexpectedly, until ctx ends or Stop is called: after 1 s,
// then 2 s, 4 s … up to 30 s between failed attempts. Clients connected to
// URI reconnect on their own.
func (s *Server) Supervise(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.Done():
		}
		if s.isStopped() {
			return
		}
		s.log.Error("local Neo4j stopped unexpectedly; restarting it", "home", s.Home, "err", s.current().err)
		for wait := time.Second; ; wait = min(2*wait, 30*time.Second) {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			if s.isStopped() {
				return
			}
			err := refuseSecondServer(s.Home)
			if err == nil {
				err = s.start(ctx)
			}
			if err == nil {
				s.log.Info("local Neo4j is back", "uri", s.URI)
				break
			}
			if ctx.Err() != nil || s.isStopped() {
				return // shutting down, not a failed restart
			}
			s.log.Error("restarting the local Neo4j failed; trying again", "err", err, "next_in", min(2*wait, 30*time.Second))
		}
	}
}

func (s *Server) current() *process {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.proc
}

func (s *Server) isStopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

// PID is the process id of the current Java process (for drills).
func (s *Server) PID() int { return s.current().cmd.Process.Pid }

func withDefaults(o Options) Options {
	if o.Home == "" {
		o.Home = "var/neo4j"
	}
	if o.HeapMB == 0 {
		o.HeapMB = 512
	}
	if o.PageCacheMB == 0 {
		o.PageCacheMB = 128
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = 3 * time.Minute
	}
	return o
}

var javaVersion = regexp.MustCompile(`version "(\d+)`)

func checkJava(ctx context.Context) error {
	if _, err := exec.LookPath("java"); err != nil {
		return fmt.Errorf("local Neo4j: java not found on PATH: %w", ErrMissingTools)
	}
	out, err := exec.CommandContext(ctx, "java", "-version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("local Neo4j: java -version failed: %v: %w", err, ErrMissingTools)
	}
	m := javaVersion.FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("local Neo4j: cannot read the Java version from %q: %w", firstLine(out), ErrMissingTools)
	}
	if v, _ := strconv.Atoi(string(m[1])); v < 17 {
		return fmt.Errorf("local Neo4j: Java %d is too old, Neo4j 5.26 needs 17 or 21: %w", v, ErrMissingTools)
	}
	return nil
}

// classpath returns the server's classpath, resolving it with Maven once
// per pom (the jars stay in ~/.m2; the list is cached under home).
func classpath(ctx context.Context, home string, log *slog.Logger) (string, error) {
	sum := sha256.Sum256(pom)
	cache := filepath.Join(home, "classpath-"+hex.EncodeToString(sum[:6])+".txt")
	if b, err := os.ReadFile(cache); err == nil && jarsPresent(string(b)) {
		return string(b), nil
	}
	if _, err := exec.LookPath("mvn"); err != nil {
		return "", fmt.Errorf("local Neo4j: mvn not found on PATH: %w", ErrMissingTools)
	}
	pomPath := filepath.Join(home, "pom.xml")
	if err := os.WriteFile(pomPath, pom, 0o644); err != nil {
		return "", err
	}
	log.Info("fetching the Neo4j jars from Maven Central (first run only)", "pom", pomPath)
	cmd := exec.CommandContext(ctx, "mvn", "-B", "-q", "-f", pomPath, "dependency:build-classpath",
		"-Dmdep.outputFile="+cache+".tmp")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("local Neo4j: mvn dependency:build-classpath failed: %v\n%s", err, tail(out.String(), 2000))
	}
	if err := os.Rename(cache+".tmp", cache); err != nil {
		return "", err
	}
	b, err := os.ReadFile(cache)
	return string(b), err
}

func jarsPresent(cp string) bool {
	for _, p := range strings.Split(cp, string(os.PathListSeparator)) {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return cp != ""
}

// refuseSecondServer stops a second server on the same data directory,
// which Neo4j would refuse later with a less clear "store locked" error.
func refuseSecondServer(home string) error {
	b, err := os.ReadFile(pidFile(home))
	if err != nil {
		return nil
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if pid > 0 && syscall.Kill(pid, 0) == nil {
		if cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); bytes.Contains(cmdline, []byte("CommunityEntryPoint")) {
			return fmt.Errorf("local Neo4j: another server (pid %d) already runs on %s; stop it first (kill %d)", pid, home, pid)
		}
	}
	return os.Remove(pidFile(home))
}

func pidFile(home string) string { return filepath.Join(home, "run", "cyberlotse-neo4j.pid") }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeConf writes neo4j.conf. Neo4j validates it strictly: an unknown key
// aborts the start with exit code 3.
func writeConf(home string, port, pageCacheMB int) error {
	conf := fmt.Sprintf(`# Written by Cyberlotse's local Neo4j launcher; changes are overwritten.
server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:%[1]d
server.bolt.advertised_address=127.0.0.1:%[1]d
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=false
dbms.usage_report.enabled=false
server.directories.data=data
server.directories.logs=logs
server.directories.plugins=plugins
server.directories.run=run
server.memory.pagecache.size=%[2]dm
db.tx_log.preallocate=false
db.tx_log.rotation.retention_policy=keep_none
`, port, pageCacheMB)
	return os.WriteFile(filepath.Join(home, "conf", "neo4j.conf"), []byte(conf), 0o644)
}

func (s *Server) launch() (*process, error) {
	args := []string{
		fmt.Sprintf("-Xms%dm", s.heapMB), fmt.Sprintf("-Xmx%dm", s.heapMB),
		"-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC",
		// No -XX:TieredStopAtLevel=1: it saved little start-up time (7.2 s
		// with C2 against 6.7–7.9 s) but halved steady-state speed
		// (matchmaking 45 ms instead of 77 ms one at a time, 78 instead
		// of 47 requests/s under the bench's load).
		"-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
		"--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
		"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
		"-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
		"-cp", s.cp, "org.neo4j.server.CommunityEntryPoint",
		"--home-dir=" + s.Home, "--config-dir=" + filepath.Join(s.Home, "conf"),
	}
	p := &process{cmd: exec.Command("java", args...), done: make(chan struct{})}
	p.cmd.Dir = s.Home
	logf, err := os.OpenFile(filepath.Join(s.Home, "logs", "console.log"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	// Own process group: Ctrl-C in the terminal reaches us, and we stop
	// Neo4j cleanly. Pdeathsig ends it if we die without cleaning up.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := p.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("local Neo4j: start java: %w", err)
	}
	os.WriteFile(pidFile(s.Home), []byte(strconv.Itoa(p.cmd.Process.Pid)), 0o644)
	go func() {
		p.err = p.cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	s.mu.Lock()
	s.proc = p
	s.mu.Unlock()
	s.log.Info("local Neo4j starting", "pid", p.cmd.Process.Pid, "uri", s.URI, "home", s.Home)
	return p, nil
}

// awaitReady polls with a real query: an open port is not a ready server.
func (s *Server) awaitReady(ctx context.Context, p *process) error {
	timeout := s.startTimeout
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	driver, err := neo4j.NewDriverWithContext(s.URI, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	start := time.Now()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return fmt.Errorf("local Neo4j exited during start-up (%v); last lines of %s:\n%s",
				p.err, filepath.Join(s.Home, "logs"), s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("local Neo4j did not answer within %s; last log lines:\n%s", timeout, s.logTail())
		case <-tick.C:
			// One attempt per tick: the driver's own retries would keep
			// trying a refused port for up to 30 s after it opened.
			attempt, cancelAttempt := context.WithTimeout(ctx, time.Second)
			_, err := neo4j.ExecuteQuery(attempt, driver, "RETURN 1", nil, neo4j.EagerResultTransformer)
			cancelAttempt()
			if err == nil {
				s.log.Info("local Neo4j ready", "uri", s.URI, "startup", time.Since(start).Round(time.Millisecond))
				return nil
			}
		}
	}
}

// Stop shuts the server down with SIGTERM (a clean shutdown) and kills it
// if it has not exited after 30 seconds.
func (s *Server) Stop() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	s.stopped = true
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	s.kill(p)
	s.log.Info("local Neo4j stopped", "home", s.Home)
	return nil
}

// kill ends one process: SIGTERM, then SIGKILL after 30 seconds.
func (s *Server) kill(p *process) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
	os.Remove(pidFile(s.Home))
}

// Done is closed when the current server process has exited.
func (s *Server) Done() <-chan struct{} { return s.current().done }

func (s *Server) logTail() string {
	var b strings.Builder
	for _, name := range []string{"console.log", "neo4j.log"} {
		f, err := os.Open(filepath.Join(s.Home, "logs", name))
		if err != nil {
			continue
		}
		data, _ := io.ReadAll(f)
		f.Close()
		b.WriteString(tail(string(data), 1500))
	}
	return b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func firstLine(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	if sc.Scan() {
		return sc.Text()
	}
	return ""
}
