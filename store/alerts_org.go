package store

// orgDefault is the organisation of a single-seller deployment; templates
// and alert channels saved without an owner belong to it.
const orgDefault = "default"

// orgOfShopSQL is the organisation owning the shop named by $1 (marketplace)
// and $2 (shop id): a shop nobody registered belongs to the default one.
const orgOfShopSQL = `COALESCE((SELECT sh.org_id FROM shops sh WHERE sh.marketplace = $1 AND sh.shop_id = $2), 'default')`
