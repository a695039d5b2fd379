package mail

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// FileSender writes each message as an RFC 5322 file into a directory
// instead of sending it: for development and for an outbox that a person or
// another program empties (the server's default is var/outbox).
//
// Files are named "20250904T160000.000000000Z-000001-<random>.eml": the UTC
// time of writing, a counter and a random part, so that names sort in the
// order of writing and never collide, not even between processes. Each file
// is written to a temporary name in the same directory and renamed when
// complete, so a reader never sees half a message.
type FileSender struct {
	Dir string
	// Now is the clock for file names; nil: time.Now.
	Now func() time.Time
}

var _ Sender = (*FileSender)(nil)

// NewFileSender writes into dir, creating it when Send first needs it.
func NewFileSender(dir string) *FileSender {
	return &FileSender{Dir: dir}
}

// fileSeq orders files written in the same nanosecond by this process.
var fileSeq atomic.Uint64

// Send writes msgs in order; it stops at the first failure or when ctx ends.
// Safe for concurrent use.
func (s *FileSender) Send(ctx context.Context, msgs ...*gomail.Msg) error {
	const op = "mail.FileSender.Send"
	if len(msgs) == 0 {
		return nil
	}
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, msg := range msgs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if msg == nil {
			continue
		}
		if _, err := s.write(msg); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	return nil
}

// write stores msg and returns the file's path.
func (s *FileSender) write(msg *gomail.Msg) (path string, err error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	name := fmt.Sprintf("%s-%06d-%s.eml",
		now.UTC().Format("20060102T150405.000000000Z"), fileSeq.Add(1)%1_000_000, rand.Text()[:10])
	f, err := os.CreateTemp(s.Dir, ".tmp-*.eml")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = msg.WriteTo(f); err != nil {
		return "", fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	path = filepath.Join(s.Dir, name)
	if err = os.Rename(f.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}
