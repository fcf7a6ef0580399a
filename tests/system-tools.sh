#!/usr/bin/env bash
# What `make test` needs from the system besides Python packages, checked before any test runs:
# a missing program is installed with apt-get where that can be done (Debian, as root), else
# the run stops at once with one line naming each missing program and its Debian package.
# TEST_INSTALL=0 only checks. Nothing here is skipped quietly: the suite needs all of them.
set -euo pipefail

missing=()  # "program (package…)"
packages=()
need() {  # need PROGRAM-TEST DESCRIPTION PACKAGE...
  local test=$1 what=$2; shift 2
  if ! eval "$test" >/dev/null 2>&1; then
    missing+=("$what ($*)")
    packages+=("$@")
  fi
}
need "command -v msgfmt" "GNU gettext to compile the translations" gettext
need "command -v chromium" "Chromium for the browser tests" chromium
need "command -v java" "Java for the Nu HTML Checker" default-jre-headless
need "command -v npm" "npm to fetch the Nu HTML Checker" npm
need "command -v varnishd || test -x /usr/sbin/varnishd" "Varnish for the front-cache tests" varnish
need "ls /usr/lib/*/libpango-1.0.so.0 /usr/lib/*/libpangoft2-1.0.so.0" \
  "Pango for WeasyPrint's PDFs" libpango-1.0-0 libpangoft2-1.0-0
need "command -v pdftoppm" "pdftoppm to look at the PDFs in the browser tests" poppler-utils
need "command -v flite" "flite, the captcha's spoken alternative" flite
need "command -v redis-server" "redis-server for the Redis fault tests" redis-server
need "ls /usr/lib/postgresql/*/bin/pg_ctl || command -v pg_ctl" \
  "PostgreSQL's server programs for the fault and replica tests" postgresql
need "command -v patroni && /usr/bin/python3 -c 'import etcd'" \
  "Patroni (with its etcd client) for the failover tests and make cluster" patroni python3-etcd
need "command -v etcd && command -v etcdctl" "etcd, Patroni's consensus store" etcd-server etcd-client
need "command -v haproxy" "haproxy, routing to the Patroni leader" haproxy
need "command -v redis-sentinel" "Redis Sentinel for the Redis failover test" redis-sentinel
need "command -v pgbackrest" "pgBackRest for the point-in-time restore drill" pgbackrest
need "command -v php && test -f /usr/share/mediawiki/maintenance/importDump.php" \
  "MediaWiki for the export round trip" mediawiki php-cli php-sqlite3 php-xml php-mbstring php-intl

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${TEST_INSTALL:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== make test: installing ${packages[*]} =="
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  lean=(); full=()  # MediaWiki without its recommended web server and database
  for p in "${packages[@]}"; do
    case $p in mediawiki|php-*) lean+=("$p") ;; *) full+=("$p") ;; esac
  done
  [ ${#full[@]} -eq 0 ] || apt-get install -y -qq "${full[@]}" >/dev/null
  [ ${#lean[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
  exit 0
fi
printf 'make test needs: %s\n' "$(IFS=';'; echo "${missing[*]}" | sed 's/;/; /g')" >&2
echo "Install them (Debian: apt-get install ${packages[*]}) or run make test as root to have them installed." >&2
exit 1
