package simulator_test

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

func md5Sign(form url.Values, secret string) string {
	var names []string
	for k := range form {
		if k != "sign" && form.Get(k) != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	s := secret
	for _, k := range names {
		s += k + form.Get(k)
	}
	sum := md5.Sum([]byte(s + secret))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
