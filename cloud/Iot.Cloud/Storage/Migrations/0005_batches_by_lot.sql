-- A GS1 Digital Link (/01/{gtin}/10/{lot}) finds its batch by product and lot.
CREATE INDEX batches_by_lot ON batches (product_id, lot);
