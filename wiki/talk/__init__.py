"""Talk pages: an article's discussion is an Article row titled "Talk:<title>", written by the
one write path (`services.article_save`), with topics, replies and signatures (`signatures`)."""
