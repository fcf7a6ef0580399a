"""MediaWiki in and out: XML dumps read as a stream (`dump`), wikitext converted to our
Markdown (`wikitext`), the import onto the write path (`importer`), and export back."""
