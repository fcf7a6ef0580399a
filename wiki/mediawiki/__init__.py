"""MediaWiki in and out: XML dumps read as a stream (`dump`), wikitext converted to our
Markdown (`wikitext`), the import onto the write path (`dump_import`) with the wiki's image
files (`file_import`), and the wiki written back as a dump (`dump_export`)."""
