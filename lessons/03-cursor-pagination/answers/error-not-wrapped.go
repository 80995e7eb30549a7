//go:build ignore

// Wrong: bad cursors are refused, but with an error of its own that does not
// wrap ErrInvalidCursor, so callers cannot tell a bad request from a failure.
//
//dblings:answer failed over=row-value-hmac assertion="a garbage cursor is refused" says="does not wrap ErrInvalidCursor"
package pagination

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"
)

func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != 32 || !hmac.Equal(raw[16:], sign(raw[:16])) {
		return position{}, fmt.Errorf("bad cursor %q", s)
	}
	return position{
		at: time.UnixMicro(int64(binary.BigEndian.Uint64(raw[:8]))),
		id: int64(binary.BigEndian.Uint64(raw[8:16])),
	}, nil
}
