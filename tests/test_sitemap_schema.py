"""The sitemap index and every sitemap page it lists follow the sitemaps.org protocol, checked
with lxml against a schema written here from the protocol's rules (the official XSD is not
ours to ship): urlset holds 1 to 50,000 url, url/loc required, lastmod a W3C datetime, changefreq one of seven words,
priority from 0.0 to 1.0; sitemapindex/sitemap/loc required, lastmod optional."""

from urllib.parse import urlsplit

from lxml import etree

from encyclopedia.models import SitePage
from wiki.models import Portal

SCHEMA = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
           targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
           elementFormDefault="qualified">
  <xs:simpleType name="location">
    <xs:restriction base="xs:anyURI">
      <xs:minLength value="12"/>
      <xs:maxLength value="2048"/>
      <xs:pattern value="https?://.+"/>
    </xs:restriction>
  </xs:simpleType>
  <!-- W3C datetime: a date, or a date and time with its time zone. -->
  <xs:simpleType name="dateTimeWithZone">
    <xs:restriction base="xs:dateTime">
      <xs:pattern value=".+T.+(Z|[+\\-]\\d{2}:\\d{2})"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="w3cDatetime">
    <xs:union memberTypes="xs:date dateTimeWithZone"/>
  </xs:simpleType>
  <xs:simpleType name="frequency">
    <xs:restriction base="xs:string">
      <xs:enumeration value="always"/><xs:enumeration value="hourly"/>
      <xs:enumeration value="daily"/><xs:enumeration value="weekly"/>
      <xs:enumeration value="monthly"/><xs:enumeration value="yearly"/>
      <xs:enumeration value="never"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="share">
    <xs:restriction base="xs:decimal">
      <xs:minInclusive value="0.0"/>
      <xs:maxInclusive value="1.0"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:element name="urlset">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="url" minOccurs="1" maxOccurs="50000">
          <xs:complexType>
            <xs:all>
              <xs:element name="loc" type="location"/>
              <xs:element name="lastmod" type="w3cDatetime" minOccurs="0"/>
              <xs:element name="changefreq" type="frequency" minOccurs="0"/>
              <xs:element name="priority" type="share" minOccurs="0"/>
            </xs:all>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:element name="sitemapindex">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="sitemap" minOccurs="1" maxOccurs="50000">
          <xs:complexType>
            <xs:all>
              <xs:element name="loc" type="location"/>
              <xs:element name="lastmod" type="w3cDatetime" minOccurs="0"/>
            </xs:all>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""
SITEMAP_SCHEMA = etree.XMLSchema(etree.fromstring(SCHEMA.encode()))
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def valid_document(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith(("application/xml", "text/xml")), path
    document = etree.fromstring(response.content)
    if not SITEMAP_SCHEMA.validate(document):
        errors = "\n".join(f"  line {e.line}: {e.message}" for e in SITEMAP_SCHEMA.error_log)
        raise AssertionError(f"{path} breaks the sitemap protocol:\n{errors}")
    return document


def test_the_sitemap_index_and_each_of_its_pages_follow_the_protocol(client, make_article, editor):
    make_article(categories=["Rare diseases"])
    make_article(title="Crohn's disease & colitis", source="Bowels.\n", categories=["Gut"])
    make_article(title="Ménière's disease", source="Ears.\n")
    Portal.objects.create(slug="rare", name="Rare diseases")
    SitePage.objects.update_or_create(
        slug="about", defaults={"title": "About", "body": "About us."}
    )

    index = valid_document(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    pages = [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    ]
    assert {"/sitemap-articles.xml", "/sitemap-categories.xml", "/sitemap-site.xml"} <= set(pages)
    listed = []
    for page in pages:
        urlset = valid_document(client, page)
        assert urlset.tag == f"{{{NS['sm']}}}urlset", page
        listed += urlset.xpath("//sm:url/sm:loc/text()", namespaces=NS)
    assert "http://testserver/wiki/Crohn's_disease_&_colitis" in listed
    assert "http://testserver/wiki/M%C3%A9ni%C3%A8re's_disease" in listed
    assert "http://testserver/portal/rare" in listed


def test_a_new_site_without_categories_has_a_sitemap_that_follows_the_protocol(
    client, make_article
):
    make_article(title="First article", source="Text.\n")
    index = valid_document(client, "/sitemap.xml")
    for loc in index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS):
        valid_document(client, urlsplit(loc).path)
