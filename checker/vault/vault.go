// Package vault is the learner's side of a restore lesson's backup vault:
// the base backups the runner took of the check's server while the check
// compiled, and fresh servers restored from them to a moment of your
// choosing with the archived WAL.
//
// The vault itself runs in the dblings process, with the superuser: a
// restore starts a server, which the learner's role may not do. This
// client speaks to it over the Unix socket the runner names in the check's
// contract (contract.Check.Vault), and every URL it hands back connects as
// the check's own role.
package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Backup is one base backup in the vault.
type Backup struct {
	// Name is how Restore refers to it, e.g. "nightly".
	Name string `json:"name"`
	// TakenAt is when the backup was complete: the earliest moment it
	// can restore. Any later moment up to now can be reached by replaying
	// the archived WAL on top of it; an earlier one cannot.
	TakenAt time.Time `json:"taken_at"`
}

// Restored is a fresh server the vault restored.
type Restored struct {
	// URL is the check's database on the restored server, as the check's
	// own role.
	URL string `json:"url"`
	// Backup and Target are what the restore was asked for.
	Backup string    `json:"backup"`
	Target time.Time `json:"target"`
	// Took is what the vault spent on the restore: copying the backup,
	// replaying the archived WAL up to the target and promoting the
	// server. Time spent before asking is not in it.
	Took time.Duration `json:"took"`
}

// Error is what the vault refused, in its own words: an unknown backup, a
// target the backup cannot reach, too many restores.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return "the vault: " + e.Message }

// Client speaks to one check's vault.
type Client struct {
	http *http.Client
}

// Dial returns a client of the vault listening on socket (the check's
// contract names it). Nothing is sent until a method is called.
func Dial(socket string) *Client {
	dialer := &net.Dialer{}
	return &Client{http: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", socket)
		},
	}}}
}

// Backups lists the vault's base backups, oldest first.
func (c *Client) Backups(ctx context.Context) ([]Backup, error) {
	var out []Backup
	return out, c.call(ctx, http.MethodGet, "/backups", nil, &out)
}

// Restore starts a fresh server from the named base backup and the
// archived WAL, recovered up to target (the last transaction committed at
// or before it) and promoted, and returns once it answers. A target
// before the backup was taken, or still to come, is refused.
func (c *Client) Restore(ctx context.Context, backup string, target time.Time) (Restored, error) {
	var out Restored
	err := c.call(ctx, http.MethodPost, "/restore", RestoreRequest{Backup: backup, Target: target}, &out)
	return out, err
}

// Restores lists the restores the vault made in this check, in order.
func (c *Client) Restores(ctx context.Context) ([]Restored, error) {
	var out []Restored
	return out, c.call(ctx, http.MethodGet, "/restores", nil, &out)
}

// Replica returns the URL of the check's database on a streaming replica
// of the check's server, as the check's own role. It is not a backup: it
// applies every change of the primary, mistakes included, within moments.
func (c *Client) Replica(ctx context.Context) (string, error) {
	var out struct {
		URL string `json:"url"`
	}
	return out.URL, c.call(ctx, http.MethodPost, "/replica", nil, &out)
}

// RestoreRequest is the body of POST /restore.
type RestoreRequest struct {
	Backup string    `json:"backup"`
	Target time.Time `json:"target"`
}

// ErrorBody is the body of every refusal.
type ErrorBody struct {
	Error string `json:"error"`
}

// call sends one request and decodes the answer into out.
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://vault"+path, body)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("the vault does not answer: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("the vault's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e ErrorBody
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = resp.Status
		}
		return &Error{Status: resp.StatusCode, Message: e.Error}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return errors.Join(errors.New("the vault's answer cannot be read"), err)
	}
	return nil
}
