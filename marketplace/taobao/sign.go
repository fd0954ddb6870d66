package taobao

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Sign computes a TOP request signature: the parameters other than sign and
// those with blank values (which the SDKs never send), sorted by name and concatenated as name+value, then upper-hex MD5 of
// secret+params+secret (sign_method=md5) or HMAC-MD5 keyed by the secret
// (sign_method=hmac).
func Sign(params url.Values, secret, method string) (string, error) {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "sign" && params.Get(k) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(params.Get(k))
	}
	switch method {
	case "md5":
		sum := md5.Sum([]byte(secret + b.String() + secret))
		return strings.ToUpper(hex.EncodeToString(sum[:])), nil
	case "hmac":
		mac := hmac.New(md5.New, []byte(secret))
		mac.Write([]byte(b.String()))
		return strings.ToUpper(hex.EncodeToString(mac.Sum(nil))), nil
	}
	return "", fmt.Errorf("taobao: unknown sign_method %q", method)
}

// ResponseKey is where TOP puts a method's answer: the method with dots as
// underscores plus _response, without a leading "taobao."
// (taobao.traderates.get → traderates_get_response, but
// tmall.traderate.feeds.get → tmall_traderate_feeds_get_response).
func ResponseKey(method string) string {
	return strings.ReplaceAll(strings.TrimPrefix(method, "taobao."), ".", "_") + "_response"
}
