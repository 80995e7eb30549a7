package redischeck

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker"
)

// Command is one Redis command the traced client sent.
type Command struct {
	// Name is the command in upper case ("GET", "SET").
	Name string
	// Args are the command's arguments, without the name.
	Args []any
	// Pipeline numbers the pipeline (or MULTI/EXEC transaction) that carried
	// the command, from 1; 0 for a command sent on its own.
	Pipeline int
	// Err is the command's error. A GET of a missing key ends with
	// redis.Nil; see [Command.Missed].
	Err        error
	Start, End time.Time
}

// Missed reports whether the command found nothing (a nil reply, such as a
// GET of a key that does not exist).
func (c Command) Missed() bool { return errors.Is(c.Err, redis.Nil) }

// Evidence reduces c to the text form kept in a record's evidence.
func (c Command) Evidence() checker.RedisCommand {
	rc := checker.RedisCommand{Name: c.Name, Args: checker.ArgsText(c.Args), Pipeline: c.Pipeline}
	switch {
	case c.Missed():
		rc.Error = "nil reply (no such key)"
	case c.Err != nil:
		rc.Error = c.Err.Error()
	}
	return rc
}

// Evidence turns commands into a record's evidence, keeping the first 50.
func Evidence(cs []Command) []checker.RedisCommand {
	return checker.EvidenceList(cs, Command.Evidence)
}

// CommandLog records every command sent through the go-redis clients it is
// added to (client.AddHook). It is safe for concurrent use; the zero value
// is ready to use.
//
// go-redis sends its own commands when it opens a connection (HELLO, AUTH,
// SELECT of the logical database, CLIENT SETINFO) through the same hooks.
// The log leaves them out: they depend on how many connections the pool
// opened, not on the learner's code.
type CommandLog struct {
	mu        sync.Mutex
	commands  []*Command
	pipelines int
}

var _ redis.Hook = (*CommandLog)(nil)

// DialHook passes dials through unchanged.
func (l *CommandLog) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook records a command sent on its own.
func (l *CommandLog) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if isSetupCommand(cmd) {
			return next(ctx, cmd)
		}
		c := newCommand(cmd, 0)
		l.add(c)
		err := next(ctx, cmd)
		// The client stores the command's error after the hooks return,
		// so the error returned here is the one to keep.
		l.mu.Lock()
		c.Err, c.End = err, time.Now()
		l.mu.Unlock()
		return err
	}
}

// ProcessPipelineHook records the commands of a pipeline, which share one
// round trip.
func (l *CommandLog) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if allSetup(cmds) {
			return next(ctx, cmds)
		}
		l.mu.Lock()
		l.pipelines++
		recs := make([]*Command, len(cmds))
		for i, cmd := range cmds {
			recs[i] = newCommand(cmd, l.pipelines)
			l.commands = append(l.commands, recs[i])
		}
		l.mu.Unlock()
		err := next(ctx, cmds)
		l.mu.Lock()
		defer l.mu.Unlock()
		now := time.Now()
		for i, c := range recs {
			c.Err, c.End = cmds[i].Err(), now
		}
		return err
	}
}

func newCommand(cmd redis.Cmder, pipeline int) *Command {
	args := cmd.Args()
	if len(args) > 0 {
		args = args[1:]
	}
	return &Command{Name: strings.ToUpper(cmd.Name()), Args: args, Pipeline: pipeline, Start: time.Now()}
}

func (l *CommandLog) add(c *Command) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.commands = append(l.commands, c)
}

// isSetupCommand reports whether go-redis sent cmd to set up a new
// connection rather than on the learner's behalf.
func isSetupCommand(cmd redis.Cmder) bool {
	switch cmd.Name() {
	case "hello", "auth", "select":
		return true
	case "client":
		args := cmd.Args()
		if len(args) < 2 {
			return false
		}
		sub, _ := args[1].(string)
		switch strings.ToLower(sub) {
		case "setinfo", "setname", "tracking", "maint_notifications":
			return true
		}
	}
	return false
}

func allSetup(cmds []redis.Cmder) bool {
	for _, c := range cmds {
		if !isSetupCommand(c) {
			return false
		}
	}
	return len(cmds) > 0
}

// Commands returns a copy of the recorded commands in the order they were
// sent; with names, only the commands with one of those names (any case).
func (l *CommandLog) Commands(names ...string) []Command {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Command
	for _, c := range l.commands {
		if len(names) == 0 || hasName(names, c.Name) {
			out = append(out, *c)
		}
	}
	return out
}

func hasName(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// Count returns how many commands with one of the names were sent
// (Count("GET")); without names, how many commands in all.
func (l *CommandLog) Count(names ...string) int { return len(l.Commands(names...)) }

// RoundTrips returns how many times the learner's code waited on Redis: one
// per command sent on its own, one per pipeline.
func (l *CommandLog) RoundTrips() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.commands {
		if c.Pipeline == 0 {
			n++
		}
	}
	return n + l.pipelines
}

// Reset forgets everything recorded so far.
func (l *CommandLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.commands, l.pipelines = nil, 0
}
