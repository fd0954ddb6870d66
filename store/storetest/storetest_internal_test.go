package storetest

import "testing"

func TestWithDatabase(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
			"postgres://postgres@127.0.0.1:5432/redress_test_x?sslmode=disable"},
		{"postgresql://u:p@db/app", "postgresql://u:p@db/redress_test_x"},
		{"host=127.0.0.1 user=postgres dbname=postgres", "host=127.0.0.1 user=postgres dbname=postgres dbname=redress_test_x"},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.dsn, "redress_test_x")
		if err != nil || got != tt.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tt.dsn, got, err, tt.want)
		}
	}
}

// New must work end to end: a fresh database, migrated, reachable.
func TestNewGivesAMigratedDatabase(t *testing.T) {
	s := New(t)
	var n int
	if err := s.DB().Get(&n, `SELECT count(*) FROM cases`); err != nil {
		t.Fatalf("query the migrated schema: %v", err)
	}
	if n != 0 {
		t.Fatalf("a fresh database has %d cases", n)
	}
}
