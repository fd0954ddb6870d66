package cases

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in minor units (cents, centavos, fen). JSON carries it as
// a decimal number ("59.90" or 59.9) so callers never see minor units.
type Money int64

// ParseMoney reads a decimal amount with at most two fraction digits.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("amount %q must not be negative", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q has more than two decimals", s)
	}
	if !digitsOnly(whole) || !digitsOnly(frac) || whole == "" {
		return 0, fmt.Errorf("amount %q is not a decimal number", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, fmt.Errorf("amount %q is not a decimal number", s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is not a decimal number", s)
	}
	return Money(w*100 + f), nil
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" {
		*m = 0
		return nil
	}
	var n json.Number = json.Number(s)
	if _, err := n.Float64(); err != nil {
		return fmt.Errorf("amount %s is not a number", b)
	}
	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MulRatio returns m × num / den, rounded half up to the minor unit.
func (m Money) MulRatio(num, den int64) Money {
	return Money((int64(m)*num*2 + den) / (den * 2))
}

func (m Money) Value() (driver.Value, error) { return int64(m), nil }

func (m *Money) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*m = Money(v)
	case nil:
		*m = 0
	default:
		return fmt.Errorf("money: cannot scan %T", src)
	}
	return nil
}
