package testenv

import (
	"context"
	"fmt"
	"net/http"

	"github.com/redress-hq/redress/api/contract"
)

// loadContract reads the running API's own document, so that Do can check
// every answer against it (Options.ValidateResponses).
func (s *Stack) loadContract(ctx context.Context) error {
	r, err := s.Do(ctx, http.MethodGet, "/openapi.json", "", nil)
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK {
		return fmt.Errorf("GET /openapi.json: %d", r.Status)
	}
	s.contract, err = contract.Load(r.Body)
	return err
}

// checkContract is nil unless the stack validates answers and this one
// breaks the document (contract.ErrBroken).
func (s *Stack) checkContract(req *http.Request, reqBody []byte, r Response) error {
	if s.contract == nil {
		return nil
	}
	return s.contract.Check(req, reqBody, r.Status, r.Header, r.Body)
}
