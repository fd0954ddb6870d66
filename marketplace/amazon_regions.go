package marketplace

// SP-API serves each marketplace from one regional endpoint; a call to the
// wrong region fails. Marketplace ids and regions as Amazon lists them
// (developer-docs.amazon.com/sp-api/docs/marketplace-ids and sp-api-endpoints).
var amazonRegions = map[string]string{
	// North America
	"A2EUQ1WTGCTBG2": "na", "ATVPDKIKX0DER": "na", "A1AM78C64UM0Y8": "na", "A2Q3Y263D00KWC": "na",
	// Europe (with the Middle East, India and South Africa)
	"A28R8C7NBKEWEA": "eu", "A1RKKUPIHCS9HS": "eu", "A1F83G8C2ARO7P": "eu", "A13V1IB3VIYZZH": "eu",
	"AMEN7PMS3EDWL": "eu", "A1805IZSGTT6HS": "eu", "A1PA6795UKMFR9": "eu", "APJ6JRA9NG5V4": "eu",
	"A2NODRKZP88ZB9": "eu", "AE08WJ6YKNBMC": "eu", "A1C3SOZRARQ6R3": "eu", "ARBP9OOSHTCHU": "eu",
	"A33AVAJ2PDY3EV": "eu", "A17E79C6D8DWNP": "eu", "A2VIGQ35RCS4UG": "eu", "A21TJRUUN4KGV": "eu",
	// Far East
	"A19VAU5U5O7RUS": "fe", "A39IBJ37TRP1C6": "fe", "A1VC38T7YXB528": "fe",
}

// AmazonEndpoint returns the SP-API endpoint serving a marketplace id.
func AmazonEndpoint(marketplaceID string) (string, bool) {
	region, ok := amazonRegions[marketplaceID]
	if !ok {
		return "", false
	}
	return "https://sellingpartnerapi-" + region + ".amazon.com", true
}
