package cases

import "testing"

func TestParseMoney(t *testing.T) {
	good := map[string]Money{"0": 0, "59.9": 5990, "59.90": 5990, "12": 1200, "0.05": 5, " 3.5 ": 350}
	for in, want := range good {
		if got, err := ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "+1", "1.-5", "1.+5", "1.234", "abc", ".5", "1e3", "1,5"} {
		if got, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) = %v, want an error", in, got)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	var m Money
	if err := m.UnmarshalJSON([]byte("120.5")); err != nil || m != 12050 {
		t.Fatalf("unmarshal: %v %v", m, err)
	}
	if b, _ := m.MarshalJSON(); string(b) != "120.50" {
		t.Fatalf("marshal: %s", b)
	}
	if err := m.UnmarshalJSON([]byte(`"x"`)); err == nil {
		t.Fatal("a non-number must not decode")
	}
	if got := Money(1000).MulRatio(3, 2); got != 1500 {
		t.Fatalf("1.5 × 10.00 = %v", got)
	}
}
