"""What search engines read about the site itself: schema.org WebSite with its search."""


def website_structured_data(*, site_name: str, site_url: str, search_url: str) -> dict:
    """schema.org WebSite with its search, for the main page."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_name,
        "url": site_url,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search_url}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }
