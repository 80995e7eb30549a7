//go:build ignore

// Wrong: the cursor keeps whole seconds (Unix time): fine on the fixture's
// posts, but posts with microseconds get skipped.
//
//dblings:answer failed over=row-value-hmac assertion="no repeat or skip while new posts arrive" says="keep every microsecond"
package pagination

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"
)

func encodeCursor(p position) string {
	buf := binary.BigEndian.AppendUint64(nil, uint64(p.at.Unix()))
	buf = binary.BigEndian.AppendUint64(buf, uint64(p.id))
	return base64.RawURLEncoding.EncodeToString(append(buf, sign(buf)...))
}

func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != 32 || !hmac.Equal(raw[16:], sign(raw[:16])) {
		return position{}, fmt.Errorf("%w: %q", ErrInvalidCursor, s)
	}
	return position{
		at: time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0),
		id: int64(binary.BigEndian.Uint64(raw[8:16])),
	}, nil
}
