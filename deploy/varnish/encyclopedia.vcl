vcl 4.1;
# The front cache of Encyclopedia (Varnish 7). Anonymous GETs are cached; a session cookie, or
# any other method, goes to the app servers. Article pages (the responses our page cache
# stores, marked X-Page-Cache) are kept a day and banned by the app when they change
# (wiki/front_cache.py sends BAN with X-Ban-Url, a regex over the URL); other public pages
# keep their own max-age; static files and media a day (their names change with their
# content). `__BACKEND_HOST__`/`__BACKEND_PORT__` are filled in by deploy/cluster.py.

backend app {
    .host = "__BACKEND_HOST__";
    .port = "__BACKEND_PORT__";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
}

acl banners {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ banners) {
            return (synth(403, "Not allowed"));
        }
        if (!req.http.X-Ban-Url) {
            return (synth(400, "X-Ban-Url missing"));
        }
        ban("obj.http.X-Url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(static|media)/") {
        unset req.http.Cookie;
        return (hash);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anonymous: no other cookie changes a page (csrftoken, consent…), and our pages say
    # Vary: Cookie, so one copy serves every anonymous reader.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    set beresp.http.X-Url = bereq.url;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-cache|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (bereq.url ~ "^/(static|media)/") {
        set beresp.ttl = 1d;
        return (deliver);
    }
    if (beresp.http.X-Page-Cache && beresp.status == 200) {
        set beresp.ttl = 1d;  # banned on change, so kept longer than browsers keep it
        set beresp.grace = 0s;
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
