package marketplace

import (
	"context"
	"encoding/json"
	"net/http"
)

// RESTClient is the JSON-over-HTTPS plumbing shared by the OAuth platforms
// (Mercado Libre, eBay, Amazon): authorize, send, classify, decode.
type RESTClient struct {
	HTTP   *HTTPCaller
	Tokens *OAuthTokens
	// Authorize puts the access token on a request.
	Authorize func(h map[string][]string, token string)
	// Fail classifies a non-2xx answer in the platform's error envelope.
	Fail func(req Request, resp *Response) error
}

// BearerAuth is the usual Authorization: Bearer header.
func BearerAuth(h map[string][]string, token string) {
	h["Authorization"] = []string{"Bearer " + token}
}

// Call sends an authorized request and decodes a 2xx answer into out (if
// not nil). Read ops should leave Write false; writes set it.
func (c *RESTClient) Call(ctx context.Context, req Request, out any) (*Response, error) {
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if _, set := req.Header["Accept"]; !set { // some operations declare another type (SP-API messaging: application/hal+json)
		req.Header["Accept"] = []string{"application/json"}
	}
	if req.Body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
	}
	resp, err := c.Tokens.AuthorizedDo(ctx, c.HTTP, req, c.Authorize)
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return resp, c.Fail(req, resp)
	}
	if out != nil && len(resp.Body) > 0 {
		if err := c.HTTP.Decode(req, resp, out); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// Get reads url into out.
func (c *RESTClient) Get(ctx context.Context, op, shopID, url string, out any) error {
	_, err := c.Call(ctx, Request{Op: op, ShopID: shopID, Method: http.MethodGet, URL: url}, out)
	return err
}

// Post writes body as JSON to url and decodes the answer into out.
func (c *RESTClient) Post(ctx context.Context, op, shopID, bucket, url string, body any, header http.Header, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return Invalid(c.HTTP.Marketplace, op, "bad_request", "encode body: %v", err)
	}
	_, err = c.Call(ctx, Request{Op: op, ShopID: shopID, Bucket: bucket, Method: http.MethodPost, URL: url, Body: data, Header: header, Write: true}, out)
	return err
}
