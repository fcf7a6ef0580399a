"""Machine interfaces onto the engine: a REST API with an OpenAPI document (`rest/`, under
/api/v1/, a module per resource) and MediaWiki's Action API (`action/`, at /api.php, a module
per action). Both read through the same models and write through the edit door
(`wiki.services`), with `wiki.permissions`."""
