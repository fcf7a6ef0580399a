from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from wiki import uploads
from wiki.languages import language_patterns

from . import accounts, health, legacy, signin, sitemaps, two_factor, views

app_name = "encyclopedia"

site_patterns = [
    path("", views.home, name="home"),
    path("index/", views.index, name="index_start"),
    path("index/<str:letter>", views.index, name="index"),
    path("random", views.random_article, name="random"),
    path("promo/<int:pk>/click", views.promotion_click, name="promotion_click"),
    path("promo/<int:pk>/image", views.promotion_image, name="promotion_image"),
    path("<slug:slug>", views.site_page, name="page"),
]

urlpatterns = [
    # Both sign-in forms are throttled (encyclopedia/signin.py); the rest is Django's.
    path("admin/login/", signin.answers_429_when_throttled(admin.site.login)),
    path("admin/health/", admin.site.admin_view(health.site_health), name="site_health"),
    path("admin/", admin.site.urls),
    path("health", health.health, name="health"),  # for load balancers (encyclopedia/health.py)
    path(
        "accounts/login/",
        signin.answers_429_when_throttled(two_factor.SignInView.as_view()),
        name="login",
    ),
    # Two-step sign-in (encyclopedia/two_factor.py): the code page and the set-up page.
    path("accounts/login/code", two_factor.sign_in_code, name="login_code"),
    path("accounts/two-step", two_factor.two_step, name="two_step"),
    # Self-registration with e-mail confirmation (encyclopedia/accounts.py).
    path("accounts/register", accounts.register, name="register"),
    path("accounts/confirm/<str:token>", accounts.confirm_email, name="confirm_email"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=accounts.QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("captcha/", include("captcha.urls")),  # the captcha's pictures and sounds
    path("markdownx/markdownify/", uploads.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", uploads.upload, name="markdownx_upload"),
    # Site area: legacy MediaWiki URLs (before the wiki's own), sitemap, robots.txt.
    re_path(r"^index\.php(?:/(?P<path>.+))?$", legacy.index_php, name="legacy_index_php"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
]

# Every language's pages: the default language's unprefixed, as they always were; the others'
# under their prefix (/es/wiki/Migraña, /es/search, /ar/): wiki/languages.py.
urlpatterns += language_patterns(
    # Special:Export/<Title> is the wiki's own page (wiki.urls), not a redirect.
    re_path(r"^wiki/(?P<namespace>Special):(?!Export/)(?P<name>.*)$", legacy.wiki_namespace),
    re_path(r"^wiki/(?P<namespace>Category):(?P<name>.*)$", legacy.wiki_namespace),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.section,
        name="sitemap_section",
    ),
    # /api/v1/ (REST, OpenAPI) and /api.php (MediaWiki): each language's articles at its own
    # (/es/api/v1/…, /es/api.php), so what caches keep of their answers is per language too.
    path("", include("wiki.api.urls")),
    path("", include("wiki.urls")),
    path("", include((site_patterns, "encyclopedia"))),
)

handler404 = "encyclopedia.errors.not_found"  # the reason a view gave, translated
handler400 = "encyclopedia.errors.bad_request"  # an oversized body named; a lost session 503
handler500 = "encyclopedia.errors.server_error"  # hands back an edit's typed text

if settings.SERVE_MEDIA:  # uploaded images, with DEBUG off too (wiki.uploads.media)
    urlpatterns.insert(0, path("media/<path:path>", uploads.media))
