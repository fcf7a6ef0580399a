"""Machine interfaces onto the engine: a REST API with an OpenAPI document (`rest.py`, under
/api/v1/) and MediaWiki's Action API (`action.py`, at /api.php). Both read through the same
models and write through the one write path (`wiki.services`), with `wiki.permissions`."""
