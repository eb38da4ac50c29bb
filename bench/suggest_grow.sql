-- Grow the suggestion input (learning_search_index) to :target rows without
-- package_create: copies of the real rows, each with a new name and its
-- English/Khmer titles followed by a copy number.  Permission labels, state
-- and tokens are the original row's.  Bench databases only.
--   psql -h 127.0.0.1 -U ckan_default -d DB -v target=100000 -f bench/suggest_grow.sql
WITH src AS (
    SELECT row_number() OVER (ORDER BY seq) - 1 AS k, *
    FROM learning_search_index WHERE index_id NOT LIKE 'synth-%'),
n AS (SELECT count(*) AS c, (SELECT count(*) FROM learning_search_index) AS have FROM src)
INSERT INTO learning_search_index (index_id, id, metadata_modified, metadata_created,
    title_sort, site_id, state, capacity, dataset_type, permission_labels, fields,
    facet_values, tsv, tsv_rank)
SELECT 'synth-' || g, 'synth-' || g, s.metadata_modified, s.metadata_created,
       s.title_sort, s.site_id, s.state, s.capacity, s.dataset_type, s.permission_labels,
       s.fields || jsonb_build_object(
           'name', 'synth-' || g,
           'title_translated_en', jsonb_build_array(coalesce(
               s.fields->'title_translated_en'->>0, s.fields->>'title_translated_en',
               s.fields->>'title') || ' ' || g),
           'title_translated_km', jsonb_build_array(coalesce(
               s.fields->'title_translated_km'->>0, s.fields->>'title_translated_km',
               '') || ' ' || g)),
       s.facet_values, s.tsv, s.tsv_rank
FROM n, generate_series((SELECT have FROM n) + 1, :target) AS g
JOIN src s ON s.k = g % (SELECT c FROM n);
SELECT count(*) AS rows, count(*) FILTER (WHERE index_id LIKE 'synth-%') AS synthetic
FROM learning_search_index;
