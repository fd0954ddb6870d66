package simulator

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// topSignature is how the TOP gateway checks a request, written from TOP's
// signing documentation (not shared with the connector): every parameter but
// sign with a non-blank value, sorted by name, joined as name+value; then
// upper-hex MD5 of secret+joined+secret (sign_method=md5) or HMAC-MD5 of
// joined keyed by the secret (sign_method=hmac). ok is false for other methods.
func topSignature(form url.Values, secret string) (sig string, ok bool) {
	names := make([]string, 0, len(form))
	for name := range form {
		if name != "sign" && form.Get(name) != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var joined strings.Builder
	for _, name := range names {
		joined.WriteString(name + form.Get(name))
	}
	var sum []byte
	switch form.Get("sign_method") {
	case "md5":
		h := md5.Sum([]byte(secret + joined.String() + secret))
		sum = h[:]
	case "hmac":
		mac := hmac.New(md5.New, []byte(secret))
		mac.Write([]byte(joined.String()))
		sum = mac.Sum(nil)
	default:
		return "", false
	}
	return strings.ToUpper(hex.EncodeToString(sum)), true
}
