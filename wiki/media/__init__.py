"""Media files as content: pages with author, license and credit (`MediaFile`), versions and
edits (`MediaRevision`), thumbnails, figures in articles and the file usage."""
