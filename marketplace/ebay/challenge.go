package ebay

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// AnswerChallenge answers eBay's endpoint validation (GET ?challenge_code=):
// hex SHA-256 of challengeCode + verification token + endpoint URL, as eBay's
// event-notification SDKs compute it. eBay only delivers to an endpoint that
// answered it.
func (c *Client) AnswerChallenge(challengeCode string) (string, error) {
	if c.cfg.VerificationToken == "" || c.cfg.EndpointURL == "" {
		return "", marketplace.Invalid(cases.EBay, "answer_challenge", "not_configured", "EBAY_VERIFICATION_TOKEN and EBAY_ENDPOINT_URL are required to validate the endpoint")
	}
	sum := sha256.Sum256([]byte(challengeCode + c.cfg.VerificationToken + c.cfg.EndpointURL))
	return hex.EncodeToString(sum[:]), nil
}
