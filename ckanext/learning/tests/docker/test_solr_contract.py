"""The Solr path of docker/: CKAN with ``ckanext.learning.search.backend =
solr`` and core's own pysolr client, talking HTTP to a fake Solr
(``solr_fake.FakeSolr``) that serves the schema docker/solr/ builds.

What is proved: CKAN accepts that schema at start-up; each dataset document
carries the segmented Khmer fields; every field the extension adds (and every
list of any field) is declared in the schema, with an analyser fit for its
language; a Khmer query reaches Solr as the phrase of its tokens, on fields
the schema declares; what Solr answers comes back through ``package_search``
unchanged.
"""
from __future__ import annotations

import copy
import json
import os
import re

import ckan.model as model
import ckan.plugins as plugins
import pytest
import yaml
from ckan.common import config as ckan_global_config
from ckan.lib import search
from ckanapi import LocalCKAN

from ckanext.learning import config, khmer
from ckanext.learning.documents.model import DocumentText
from ckanext.learning.search import seams
from ckanext.learning.search.backend import get_backend
from ckanext.learning.search.fields import (
    DOCUMENT_FIELDS,
    DOCUMENT_TEXT,
    DOCUMENT_TOKENS,
    LIBRARY_FACETS,
    TEXT_TOKENS,
    TITLE_TOKENS,
    TOKEN_FIELDS,
)
from ckanext.learning.tests.docker import ROOT
from ckanext.learning.tests.docker.solr_fake import FakeSolr
from ckanext.learning.tests.docker.solr_schema import (
    CKAN_SCHEMA,
    SOLR_DIR,
    SolrSchema,
    build_schema,
)
from ckanext.learning.tests.resources import learning_resource

SCHEMING = os.path.join(ROOT, "ckanext", "learning", "schemas", "learning_resource.yaml")
TITLE_KM = "សៀវភៅណែនាំការប្រែប្រួលអាកាសធាតុ"
NOTES_KM = "របៀបដែលសហគមន៍បន្សាំខ្លួនទៅនឹងការប្រែប្រួលអាកាសធាតុ។"
KHMER_QUERY = "ការប្រែប្រួលអាកាសធាតុ"
ENGLISH_STEMMERS = {"solr.SnowballPorterFilterFactory", "solr.PorterStemFilterFactory",
                    "solr.KStemFilterFactory", "solr.EnglishMinimalStemFilterFactory"}


def fluent(en: str, km: str) -> dict[str, str]:
    return {"en": en, "km": km}


def complete_record(org: dict, edition_of: str) -> dict:
    """A learning resource with every field of the schema filled."""
    return learning_resource(
        org, "climate-adaptation-handbook",
        title_translated=fluent("Climate change adaptation handbook", TITLE_KM),
        notes_translated=fluent("How communities adapt to climate change.", NOTES_KM),
        resource_type="toolkit", themes=["environment-nrm", "training-materials"],
        language=["km", "en"], edition_of=edition_of,
        marc21_246=fluent("Adaptation handbook", "សៀវភៅបន្សាំ"),
        keywords={"en": ["climate", "adaptation"], "km": ["អាកាសធាតុ", "ការបន្សាំ"]},
        audience=["csos", "communities"], level="introductory", duration_minutes=90,
        accessibility=["captions", "easy_read"], odm_spatial_range="kh",
        provinces=["16", "11"], license_id="CC-BY-4.0", odm_copyright="yes",
        odm_access_and_use_constraints=fluent("Free to share", "ចែករំលែកដោយសេរី"),
        version="2nd edition", odm_contact=fluent("Training team", "ក្រុមបណ្ដុះបណ្ដាល"),
        marc21_100=fluent("Sokha Chan", "ចាន់ សុខា"),
        marc21_110=fluent("Forest Alliance", "សម្ព័ន្ធព្រៃឈើ"),
        marc21_700=fluent("Dara Keo", "កែវ តារា"),
        marc21_710=fluent("River Network", "បណ្ដាញទន្លេ"),
        marc21_020="9789924012344", marc21_022="0317-8471",
        marc21_260a=fluent("Phnom Penh", "ភ្នំពេញ"),
        marc21_260b=fluent("Open Development Cambodia", "អូផិនដេវេឡុបមិនខេមបូឌា"),
        marc21_260c="2023", temporal_start="2019", temporal_end="2023", marc21_300="48 p.",
        marc21_500=fluent("Second edition", "ការបោះពុម្ពលើកទីពីរ"),
        resources=[{"url": "https://example.org/handbook.pdf", "format": "PDF",
                    "name_translated": fluent("Handbook", "សៀវភៅណែនាំ"),
                    "description_translated": fluent("Full text", "អត្ថបទពេញ"),
                    "resource_kind": "document", "language": "both", "size": 1234}])


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory) -> str:
    return build_schema(str(tmp_path_factory.mktemp("solr")))


@pytest.fixture(scope="module")
def schema(schema_path) -> SolrSchema:
    return SolrSchema(schema_path)


@pytest.fixture
def solr(schema_path, ckan_config, monkeypatch):
    """CKAN in Solr mode against the fake Solr, plugins loaded.  On the way
    out the seams go back to the configured backend, so that other tests
    never meet the fake's URL."""
    with open(schema_path, "rb") as f:
        fake = FakeSolr(f.read())
    with fake, monkeypatch.context() as patch:
        patch.setitem(ckan_config, "solr_url", fake.url)
        patch.setitem(ckan_config, config.SEARCH_BACKEND, "solr")
        plugins.load_all()
        try:
            yield fake
        finally:
            plugins.unload_all()
    seams.install(get_backend(ckan_global_config[config.SEARCH_BACKEND]))


@pytest.fixture
def hook_calls(solr):
    """(document before, document after) for each of our plugins'
    ``before_dataset_index``: what the extension adds to core's document."""
    calls: list[tuple[dict, dict]] = []
    ours = [p for p in plugins.PluginImplementations(plugins.IPackageController)
            if type(p).__module__.startswith("ckanext.learning.")]
    assert ours, "the learning plugins implement IPackageController"
    for plugin in ours:
        def recorded(pkg_dict, original=plugin.before_dataset_index):
            before = copy.deepcopy(pkg_dict)
            after = original(pkg_dict)
            calls.append((before, copy.deepcopy(after)))
            return after
        plugin.before_dataset_index = recorded
    yield calls
    for plugin in ours:
        del plugin.before_dataset_index


@pytest.fixture
def record(solr, hook_calls, org, themes_created):
    """The complete record, created through the action API in Solr mode."""
    site = LocalCKAN()
    english = site.action.package_create(**learning_resource(
        org, "climate-adaptation-handbook-en", language=["en"]))
    created = site.action.package_create(**complete_record(org, english["name"]))
    return created


def document_of(fake: FakeSolr, dataset_id: str) -> dict:
    docs = [d for d in fake.added if d.get("id") == dataset_id]
    assert docs, "CKAN sent the dataset to Solr's /update"
    return docs[-1]


def added_fields(hook_calls, dataset_id: str) -> dict:
    """Fields our hooks added or changed in the dataset's last document."""
    calls = [(b, a) for b, a in hook_calls if a.get("id") == dataset_id]
    first_before, last_after = calls[0][0], calls[-1][1]
    return {k: v for k, v in last_after.items()
            if k not in first_before or first_before[k] != v}


def test_the_record_fills_every_field_of_the_schema(org):
    """Keeps the contract complete: a new schema field must be added above."""
    with open(SCHEMING) as f:
        schema = yaml.safe_load(f)
    record = complete_record(org, "x")
    for field in schema["dataset_fields"]:
        assert field["field_name"] in record, field["field_name"]
    for field in schema["resource_fields"]:
        assert field["field_name"] in record["resources"][0], field["field_name"]


def test_solr_image_builds_on_the_ckan_release_requirements_pins():
    with open(os.path.join(ROOT, "requirements.txt")) as f:
        pinned = re.search(r"^ckan\[[^\]]*\]==(\S+)$", f.read(), re.M).group(1)
    with open(os.path.join(SOLR_DIR, "Dockerfile")) as f:
        dockerfile = f.read()
    assert re.search(rf"^ARG CKAN_REF=ckan-{re.escape(pinned)}$", dockerfile, re.M)
    assert ("https://raw.githubusercontent.com/ckan/ckan/${CKAN_REF}"
            "/ckan/config/solr/schema.xml") in dockerfile
    assert "add-learning-fields.sh /tmp/ckan-schema.xml" in dockerfile
    import ckan
    assert ckan.__version__ == pinned, "the schema tests read the pinned CKAN's schema.xml"


def test_learning_fields_do_not_redeclare_ckans(schema):
    ckan_schema = SolrSchema(CKAN_SCHEMA)
    with open(os.path.join(SOLR_DIR, "learning-fields.xml")) as f:
        fragment = f.read()
    names = set(re.findall(r'<(?:field|dynamicField|fieldType) name="([^"]+)"', fragment))
    assert names, "learning-fields.xml declares fields"
    clash = names & (set(ckan_schema.fields) | set(ckan_schema.types)
                     | {p for p, _ in ckan_schema.dynamic})
    assert not clash
    assert schema.name == ckan_schema.name == "ckan-2.12"


@pytest.mark.usefixtures("clean_db")
class TestSolrMode:
    def test_ckan_checks_the_shipped_schema_at_start_up(self, solr):
        assert solr.schema_requests >= 1

    def test_documents_carry_the_segmented_khmer_fields(self, solr, record):
        doc = document_of(solr, record["id"])
        title_tokens = doc[TITLE_TOKENS].split()
        text_tokens = doc[TEXT_TOKENS].split()
        assert set(khmer.index_tokens(TITLE_KM)) <= set(title_tokens)
        assert set(khmer.index_tokens(NOTES_KM)) <= set(text_tokens)
        assert all(khmer.has_khmer(t) for t in title_tokens + text_tokens)
        assert solr.commits >= 1

    def test_every_field_the_extension_adds_is_declared_for_its_language(
            self, solr, hook_calls, record, schema):
        doc = document_of(solr, record["id"])
        added = added_fields(hook_calls, record["id"])
        assert set(TOKEN_FIELDS) <= set(added)
        assert {"title_translated_en", "title_translated_km", "keywords_en",
                "themes", "provinces"} <= set(added)
        problems = []
        for name in added:
            value = doc[name]
            field = schema.field(name)
            if field is None or field.catch_all:
                problems.append(f"{name}: not declared (only CKAN's catch-all '*')")
                continue
            if isinstance(value, list) and not field.multi_valued:
                problems.append(f"{name}: a list into single-valued {field.declared_as}")
            texts = value if isinstance(value, list) else [value]
            if name.startswith("extras_") and name not in TOKEN_FIELDS:
                # core's copy of a scheming field, copied into "text": its
                # strings, never its JSON (whose keys en/km would be words)
                if not isinstance(value, str) or value[:1] in ("{", "["):
                    problems.append(f"{name}: JSON in a text field: {value!r:.60}")
                continue
            if name in TOKEN_FIELDS or name == DOCUMENT_TOKENS:
                if field.tokenizers != ["solr.WhitespaceTokenizerFactory"] or field.filters:
                    problems.append(f"{name}: Khmer tokens need the whitespace analyser "
                                    f"alone, not {field.tokenizers + field.filters}")
            elif any(khmer.has_khmer(str(t)) for t in texts):
                if field.field_class != "solr.StrField":
                    problems.append(f"{name}: raw Khmer must stay exact (string), "
                                    f"not {field.type_name}")
            elif name.endswith("_en"):
                stemmers = [lang for cls, lang in zip(field.filters, field.filter_languages)
                            if cls in ENGLISH_STEMMERS and lang in ("", "English")]
                if field.field_class != "solr.TextField" or not stemmers:
                    problems.append(f"{name}: English needs a stemming analyser, "
                                    f"not {field.type_name}")
        assert not problems, "\n".join(problems)

    def test_document_text_goes_to_fields_of_its_own_weighted_below_the_metadata(
            self, solr, record, schema):
        model.Session.add(DocumentText(
            resource_id=record["resources"][0]["id"], status="ok", page_count=1,
            pages=["Planting mangroves along the coast. ការដាំព្រៃកោងកាង"]))
        model.Session.commit()
        search.rebuild(record["id"])
        doc = document_of(solr, record["id"])
        assert doc[DOCUMENT_TEXT].startswith("Planting mangroves")
        assert "កោងកាង" in doc[DOCUMENT_TOKENS].split()
        assert "កោងកាង" not in doc.get(TEXT_TOKENS, "").split()
        text, tokens = schema.field(DOCUMENT_TEXT), schema.field(DOCUMENT_TOKENS)
        for field in (text, tokens):
            assert not field.catch_all and field.indexed and not field.stored, field.name
        assert text.field_class == "solr.TextField" and text.tokenizers
        assert tokens.tokenizers == ["solr.WhitespaceTokenizerFactory"] and not tokens.filters
        # not copied into "text", which dismax weighs at 1
        assert not any(src in ("*", "learning_*") or src in DOCUMENT_FIELDS
                       for src in schema.copy_field_sources())
        LocalCKAN().action.package_search(q="mangroves")
        boosts = dict((f.split("^") + ["1"])[:2] for f in solr.searches()[-1]["qf"][0].split())
        assert max(float(boosts[name]) for name in DOCUMENT_FIELDS) < min(
            float(b) for name, b in boosts.items() if name not in DOCUMENT_FIELDS)

    def test_json_extras_reach_solr_as_their_strings(self, solr, record):
        doc = document_of(solr, record["id"])
        assert set(doc["extras_marc21_500"].split()) == {"Second", "edition",
                                                         "ការបោះពុម្ពលើកទីពីរ"}
        assert set(doc["extras_audience"].split()) == {"csos", "communities"}

    def test_every_list_goes_to_a_multivalued_field(self, solr, record, schema):
        doc = document_of(solr, record["id"])
        single = [k for k, v in doc.items()
                  if isinstance(v, list) and not schema.field(k).multi_valued]
        assert not single, f"lists Solr would refuse: {single}"

    def test_khmer_query_arrives_as_token_phrase_and_results_come_back_unchanged(
            self, solr, record, schema):
        doc = document_of(solr, record["id"])
        answered = json.loads(doc["validated_data_dict"])
        answered["title"] = "As Solr answered it"
        solr.answer = lambda params: (
            [{"id": doc["id"], "validated_data_dict": json.dumps(answered)}], 7,
            {"resource_type": ["toolkit", 7]})

        result = LocalCKAN().action.package_search(
            q=KHMER_QUERY, **{"facet.field": '["resource_type"]'})

        params = solr.searches()[-1]
        assert params["q"] == ['"' + " ".join(khmer.query_tokens(KHMER_QUERY)) + '"']
        # its own words reach Solr as dismax's boost, on declared fields
        boosted = re.findall(r"termfreq\(([^,]+),'([^']+)'\)", params["bf"][0])
        assert {word for _, word in boosted} == set(khmer.rank_tokens(KHMER_QUERY))
        assert {name for name, _ in boosted} <= set(TOKEN_FIELDS)
        query_fields = [f.split("^")[0] for f in params["qf"][0].split()]
        assert set(TOKEN_FIELDS) <= set(query_fields)
        for name in query_fields:
            field = schema.field(name)
            assert field is not None and not field.catch_all and field.indexed, name
        assert result["results"] == [answered]
        assert result["count"] == 7
        items = result["search_facets"]["resource_type"]["items"]
        assert [(i["name"], i["count"]) for i in items] == [("toolkit", 7)]

    def test_facet_fields_are_exact_and_declared(self, solr, record, schema):
        LocalCKAN().action.package_search(
            q="climate", **{"facet.field": json.dumps(list(LIBRARY_FACETS))})
        requested = solr.searches()[-1]["facet.field"]
        assert set(requested) == set(LIBRARY_FACETS)
        for name in requested:
            field = schema.field(name)
            assert field.field_class == "solr.StrField" and field.indexed, name
