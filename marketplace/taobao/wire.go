package taobao

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// flexID is a TOP id. The metadata types tid, oid, num_iid and TMC message
// ids as Number (int64, beyond float64's exact range), while some fields
// (refund_id) are String: both decode, kept as decimal text.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	switch {
	case s == "null":
		*f = ""
	case len(s) > 0 && s[0] == '"':
		u, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("id %s: %w", s, err)
		}
		*f = flexID(u)
	default:
		if _, err := strconv.ParseUint(s, 10, 64); err != nil {
			return fmt.Errorf("id %s is neither a whole number nor a string", s)
		}
		*f = flexID(s)
	}
	return nil
}

// topList is a TOP array field. With format=json TOP wraps each array in an
// object named after its element type ({"trade_rates":{"trade_rate":[…]}});
// simplified JSON sends the bare array. Both decode.
type topList[T any] []T

func (l *topList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*l = nil
		return nil
	}
	if b[0] == '[' {
		return json.Unmarshal(b, (*[]T)(l))
	}
	var wrapper map[string]json.RawMessage
	if err := json.Unmarshal(b, &wrapper); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	if len(wrapper) != 1 {
		return fmt.Errorf("list: want one wrapped array, got %d members", len(wrapper))
	}
	for _, inner := range wrapper {
		return json.Unmarshal(inner, (*[]T)(l))
	}
	return nil
}
