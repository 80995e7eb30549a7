//go:build ignore

// Wrong: a carefully decoded cursor with no signature: garbage is refused,
// but an edited cursor decodes to a position Feed never issued, and is served.
//
//dblings:answer failed over=row-value-hmac assertion="an edited cursor is refused" says="from a position nobody was given"
package pagination

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"
)

func encodeCursor(p position) string {
	buf := binary.BigEndian.AppendUint64(nil, uint64(p.at.UnixMicro()))
	return base64.RawURLEncoding.EncodeToString(binary.BigEndian.AppendUint64(buf, uint64(p.id)))
}

func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != 16 {
		return position{}, fmt.Errorf("%w: %q", ErrInvalidCursor, s)
	}
	return position{
		at: time.UnixMicro(int64(binary.BigEndian.Uint64(raw[:8]))),
		id: int64(binary.BigEndian.Uint64(raw[8:])),
	}, nil
}
