// Command logscan checks that the logs written during `make test` hold no
// attendee's e-mail address or name: the service logs ids and counts,
// never who registered.
//
//	go run ./graph/neo4j/neo4jtest/logscan [-src .] [-v] DIR...
//
// It reads every file under the DIRs (the tests' logs, see
// neo4jtest.Logger, and the browser tests' server log) and looks for what
// the tests give attendees, collected from the test sources under -src
// (*_test.go and web/e2e/*.js):
//
//   - e-mail addresses in every domain the tests use, except the
//     domains of senders, organizers, mail servers and calendar ids
//     (notAttendeeDomains);
//   - names and company names where tests register attendees or address
//     mail to them (Attendee{Name: …}, attendee: {name: …}, CompanyName,
//     To: Address{Name: …}, the name fields the browser tests fill in),
//     with the parts made at run time (ids, fmt verbs) as wildcards.
//
// It exits 1 naming file and line of each hit, or when there were no logs
// to scan.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// notAttendeeDomains are the e-mail domains of the tests that no attendee
// has: the sender, the organizers, SMTP servers in URLs and the ids of
// imported calendar events.
var notAttendeeDomains = map[string]bool{
	"cyberlotse.invalid": true, "cyberlotse.example": true, "kalletal.example": true,
	"veranstaltungen.kalletal.example": true, "mail.example.org": true,
}

var (
	domainInSource = regexp.MustCompile(`[A-Za-z0-9._%+-]*@([a-z0-9-]+(?:\.[a-z0-9-]+)+)`)
	// Where tests name attendees; the name expression follows the match.
	nameSites = []*regexp.Regexp{
		regexp.MustCompile(`Attendee\{Name:\s*`),
		regexp.MustCompile(`To\s*[:=]\s*(?:\w+\.)?Address\{Name:\s*`),
		regexp.MustCompile(`CompanyName:\s*`),
		regexp.MustCompile(`(?i)attendee:\s*\{\s*name:\s*`),
		regexp.MustCompile(`companyName:\s*`),
		regexp.MustCompile(`getByRole\("textbox", \{ name: "(?:Name|Firma \(optional\))"[^)]*\)\.fill\(`),
		regexp.MustCompile(`myData: \{ name: `),
	}
	fmtVerb         = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	jsTemplateValue = regexp.MustCompile(`\$\{[^}]*\}`)
)

func main() {
	src := flag.String("src", ".", "the repository, whose tests are read for attendee data")
	verbose := flag.Bool("v", false, "list what is looked for")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: logscan [-src DIR] [-v] LOGDIR...")
		os.Exit(2)
	}
	domains, names, err := collect(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "logscan:", err)
		os.Exit(1)
	}
	if *verbose {
		fmt.Printf("attendee e-mail domains: %s\nnames: %s\n", strings.Join(domains, ", "), strings.Join(names, " | "))
	}
	rep, err := scan(flag.Args(), matcher(domains, names))
	if err != nil {
		fmt.Fprintln(os.Stderr, "logscan:", err)
		os.Exit(1)
	}
	for _, h := range rep.Hits {
		fmt.Println(h)
	}
	fmt.Printf("logscan: %d lines in %d log files scanned for addresses in %d attendee domains and %d attendee names: %d found\n",
		rep.Lines, rep.Files, len(domains), len(names), len(rep.Hits))
	if len(rep.Hits) > 0 || rep.Lines == 0 {
		if rep.Lines == 0 {
			fmt.Println("logscan: no log lines; did the tests run with CYBERLOTSE_TEST_LOG_DIR set?")
		}
		os.Exit(1)
	}
}

// collect reads the test sources under root: the attendees' e-mail
// domains and regular expressions of their names.
func collect(root string) (domains, names []string, err error) {
	var files []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "var", ".git", "dist":
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, "_test.go") ||
			(filepath.Base(filepath.Dir(path)) == "e2e" && strings.HasSuffix(path, ".js")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	seenDomain, seenName := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		text := string(b)
		for _, m := range domainInSource.FindAllStringSubmatch(text, -1) {
			if d := m[1]; !notAttendeeDomains[d] && !seenDomain[d] {
				seenDomain[d] = true
				domains = append(domains, d)
			}
		}
		for _, site := range nameSites {
			for _, loc := range site.FindAllStringIndex(text, -1) {
				if re, ok := expressionPattern(text[loc[1]:]); ok && !seenName[re] {
					seenName[re] = true
					names = append(names, re)
				}
			}
		}
	}
	slices.Sort(domains)
	slices.Sort(names)
	if len(domains) == 0 || len(names) == 0 {
		return nil, nil, fmt.Errorf("found no attendee data in the tests under %s", root)
	}
	return domains, names, nil
}

// expressionPattern turns the Go or JavaScript string expression at the
// start of s — literals, fmt.Sprintf and values joined with + — into a
// regular expression: the literal text as it is, what is made at run
// time as a wildcard. An expression without a literal part of at least
// five characters is too unspecific to look for (a test's name "A", the
// " GmbH" after a made-up company name).
func expressionPattern(s string) (string, bool) {
	// Literal text, or what is made at run time: anyWord or aNumber.
	const anyWord, aNumber = "\x00S", "\x00d"
	var parts []string
	longest := 0
	literal := func(t string) {
		parts = append(parts, t)
		longest = max(longest, len(strings.TrimSpace(t)))
	}
	sprintf := strings.HasPrefix(s, "fmt.Sprintf(")
	if sprintf {
		s = s[len("fmt.Sprintf("):]
	}
	for s != "" {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		switch c := s[0]; {
		case c == '"' || c == '`':
			end := strings.IndexByte(s[1:], c)
			if end < 0 {
				return "", false
			}
			lit := s[1 : end+1]
			s = s[end+2:]
			var made *regexp.Regexp // what in the literal is made at run time
			switch {
			case c == '`':
				made = jsTemplateValue
			case sprintf:
				made = fmtVerb
				s = "" // the arguments are made at run time
			}
			if made == nil {
				literal(lit)
				continue
			}
			verbs := made.FindAllString(lit, -1)
			for i, part := range made.Split(lit, -1) {
				if i > 0 {
					if strings.HasSuffix(verbs[i-1], "d") {
						parts = append(parts, aNumber)
					} else {
						parts = append(parts, anyWord)
					}
				}
				literal(part)
			}
		case c == '+': // the expression goes on, maybe on the next line
			s = strings.TrimLeft(s[1:], " \t\r\n")
		default:
			// A value made at run time: an identifier or a call, up to
			// the next + or the end of the expression.
			depth, i := 0, 0
		value:
			for ; i < len(s); i++ {
				switch s[i] {
				case '(', '[', '{':
					depth++
				case ')', ']', '}':
					if depth == 0 {
						break value
					}
					depth--
				case ',', '\n', ';', '+':
					if depth == 0 {
						break value
					}
				}
			}
			if i > 0 {
				parts = append(parts, anyWord)
			}
			if i == 0 || i == len(s) || s[i] != '+' {
				s = ""
			} else {
				s = s[i:]
			}
		}
	}
	for len(parts) > 0 && strings.HasPrefix(parts[0], "\x00") {
		parts = parts[1:]
	}
	for len(parts) > 0 && strings.HasPrefix(parts[len(parts)-1], "\x00") {
		parts = parts[:len(parts)-1]
	}
	var re strings.Builder
	for i, p := range parts {
		switch {
		case p == aNumber:
			re.WriteString(`\d+`)
		case p == anyWord && parts[i-1] != anyWord:
			re.WriteString(`\S*`)
		case p != anyWord:
			re.WriteString(regexp.QuoteMeta(p))
		}
	}
	return re.String(), longest >= 5
}

// matcher finds attendee addresses and names in a line.
func matcher(domains, names []string) *regexp.Regexp {
	quoted := make([]string, len(domains))
	for i, d := range domains {
		quoted[i] = regexp.QuoteMeta(d)
	}
	return regexp.MustCompile(`[A-Za-z0-9._%+-]+@(?:` + strings.Join(quoted, "|") + `)\b|` + strings.Join(names, "|"))
}

type report struct {
	Files, Lines int
	Hits         []string
}

func scan(dirs []string, re *regexp.Regexp) (report, error) {
	var rep report
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			rep.Files++
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 1<<20), 16<<20)
			for n := 1; sc.Scan(); n++ {
				rep.Lines++
				for _, hit := range re.FindAllString(sc.Text(), -1) {
					rep.Hits = append(rep.Hits, fmt.Sprintf("%s:%d: %q", path, n, hit))
				}
			}
			return sc.Err()
		})
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}
