package contracttest

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// The validator itself must be able to fail: a request the spec does not allow is refused.
func TestValidatorRefusesWhatTheSpecDoesNotAllow(t *testing.T) {
	fb := Spec(t, "ebay", "commerce_feedback_v1_beta_oas3.json")
	ok := httptest.NewRequest("GET", "http://127.0.0.1/commerce/feedback/v1/feedback?user_id=seller1&feedback_type=FEEDBACK_RECEIVED", nil)
	if _, err := fb.CheckRequest(ok, nil); err != nil {
		t.Fatalf("a valid getFeedback was refused: %v", err)
	}
	missing := httptest.NewRequest("GET", "http://127.0.0.1/commerce/feedback/v1/feedback", nil)
	if _, err := fb.CheckRequest(missing, nil); err == nil {
		t.Fatal("getFeedback without its required parameters was accepted")
	}
	bogus := httptest.NewRequest("GET", "http://127.0.0.1/commerce/message/v1/conversation_messages", nil)
	if _, err := fb.CheckRequest(bogus, nil); err == nil {
		t.Fatal("a path absent from the spec was accepted")
	}

	msg := Spec(t, "amazon", "messaging.json") // Swagger 2, converted
	body := `{"text":"Sorry about the delay."}`
	r := httptest.NewRequest("POST", "https://sellingpartnerapi-eu.amazon.com/messaging/v1/orders/123-1234567-1234567/messages/unexpectedProblem?marketplaceIds=ATVPDKIKX0DER", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if _, err := msg.CheckRequest(r, []byte(body)); err != nil {
		t.Fatalf("a valid unexpectedProblem was refused: %v", err)
	}
	r2 := httptest.NewRequest("POST", "https://x/messaging/v1/orders/123-1234567-1234567/messages/unexpectedProblem", strings.NewReader(body))
	r2.Header.Set("Content-Type", "application/json")
	if _, err := msg.CheckRequest(r2, []byte(body)); err == nil {
		t.Fatal("unexpectedProblem without marketplaceIds was accepted")
	}
}
