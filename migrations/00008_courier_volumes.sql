-- +goose Up
-- courier_volumes are monthly shipment counts uploaded by ops, the denominator
-- of a courier's bad-review rate in the weekly report.
CREATE TABLE courier_volumes (
    shop_id   text    NOT NULL,
    courier   text    NOT NULL,
    month     date    NOT NULL CHECK (month = date_trunc('month', month)::date),
    shipments integer NOT NULL CHECK (shipments >= 0),
    PRIMARY KEY (shop_id, courier, month)
);

CREATE INDEX courier_volumes_courier_month_idx ON courier_volumes (courier, month);

-- +goose Down
DROP TABLE courier_volumes;
