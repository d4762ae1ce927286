-- The oblast (or krai) each place lies in, so events can be counted by region as well
-- as by town: "how many strikes in Donetsk Oblast this week" adds up Pokrovsk,
-- Kramatorsk and the rest.
ALTER TABLE core.entities ADD COLUMN region_entity_id text;
COMMENT ON COLUMN core.entities.region_entity_id IS
    'For places: the first-level region (oblast, krai; itself for a region) it lies in, as an entity id; null where unknown.';
