package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// postJSON posts body and classifies the answer: 2xx is delivered; 408,
// 429 and 5xx and network errors are worth another attempt; any other
// status is permanent. respBody receives the answer when it is JSON.
func (r *Router) postJSON(ctx context.Context, url string, body any, header http.Header, respBody any) result {
	raw, err := json.Marshal(body)
	if err != nil {
		return result{err: fmt.Errorf("encode: %w", err), permanent: true}
	}
	return r.postRaw(ctx, url, raw, header, respBody)
}

func (r *Router) postRaw(ctx context.Context, url string, raw []byte, header http.Header, respBody any) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return result{err: fmt.Errorf("build request: %w", err), permanent: true}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	client := r.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return result{err: fmt.Errorf("post: %w", err)}
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	res := result{status: resp.StatusCode}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		res.err = fmt.Errorf("receiver answered %s", resp.Status)
	default:
		res.err, res.permanent = fmt.Errorf("receiver answered %s: %s", resp.Status, truncate(string(answer), 200)), true
	}
	if res.err == nil && respBody != nil {
		if err := json.Unmarshal(answer, respBody); err != nil {
			res.err = fmt.Errorf("unreadable answer %q: %w", truncate(string(answer), 200), err)
		}
	}
	return res
}

// robotAnswer is DingTalk's and WeCom's answer: HTTP 200 with errcode 0 on
// success, another errcode (with HTTP 200) when the robot refused.
type robotAnswer struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// check turns a refusal into an error; rate limits are worth another try.
func (ans robotAnswer) check(res result, rateLimited ...int) result {
	if res.err != nil {
		return res
	}
	if ans.ErrCode == nil {
		return result{status: res.status, err: fmt.Errorf("answer has no errcode"), permanent: true}
	}
	if *ans.ErrCode == 0 {
		return res
	}
	res.err = fmt.Errorf("robot refused: errcode %d: %s", *ans.ErrCode, ans.ErrMsg)
	res.permanent = true
	for _, c := range rateLimited {
		if *ans.ErrCode == c {
			res.permanent = false
		}
	}
	return res
}
