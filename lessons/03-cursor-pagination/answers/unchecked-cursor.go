//go:build ignore

// Wrong: a readable cursor decoded without any check: garbage makes it panic.
//
//dblings:answer failed over=row-value-hmac assertion="a garbage cursor is refused" says="Feed panicked: runtime error: index out of range"
package pagination

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

func encodeCursor(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.at.UnixMicro(), 10) + "," + strconv.FormatInt(p.id, 10)))
}

func decodeCursor(s string) (position, error) {
	raw, _ := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(raw), ",")
	micros, _ := strconv.ParseInt(parts[0], 10, 64)
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	return position{at: time.UnixMicro(micros), id: id}, nil
}
