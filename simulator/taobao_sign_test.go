package simulator

import (
	"net/url"
	"testing"
)

// Vectors computed independently of the code under test (coreutils md5sum and
// openssl dgst -md5 -hmac over the joined string), so a mistake in either
// the sort, the join or the digest fails here.
func TestTOPSignatureVectors(t *testing.T) {
	form := url.Values{
		"method": {"taobao.traderates.get"}, "app_key": {"12345"}, "session": {"s"}, "timestamp": {"2026-11-22 09:00:00"},
		"format": {"json"}, "v": {"2.0"}, "rate_type": {"get"}, "role": {"buyer"}, "fields": {"tid,oid"},
		"buyer_nick": {""}, "sign": {"whatever"},
	}
	for _, tc := range []struct{ method, want string }{
		{"md5", md5Vector},
		{"hmac", hmacVector},
	} {
		form.Set("sign_method", tc.method)
		got, ok := topSignature(form, "secret")
		if !ok || got != tc.want {
			t.Errorf("%s: got %q (%v), want %q", tc.method, got, ok, tc.want)
		}
	}
	form.Set("sign_method", "sha1")
	if _, ok := topSignature(form, "secret"); ok {
		t.Error("an unknown sign_method must be refused")
	}
}

const (
	md5Vector  = "96EEF732D4E5A8A1275A5F864A66C584"
	hmacVector = "FC99EF1FFA2BAFA1AF044DA7578EE7AA"
)
