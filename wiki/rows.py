"""Many rows at once, as the database takes them fastest: COPY on PostgreSQL, one
executemany elsewhere, one INSERT for a few. For the batch importer and the revision
recorder."""

from django.db import connection

COPY_FROM = 20  # rows: fewer go in one INSERT


def insert_rows(model, columns: list[str], rows: list) -> None:
    """Insert rows of `model` given as values of `columns` (field or attribute names) as the
    database takes them: no model instances to build and convert. PostgreSQL takes many with
    one COPY (a third of the time of an executemany for the snapshots), others with one
    executemany; a few rows (a single save's) go in one INSERT, where a COPY would wait for
    the server twice."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    row = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        if len(rows) <= COPY_FROM:
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(rows))}",
                [value for values in rows for value in values],
            )
        elif connection.vendor == "postgresql":
            # COPY's errors come as Django's (IntegrityError...), as a query's do: the
            # importer catches a title taken meanwhile.
            with connection.wrap_database_errors:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {row}", rows)


def create_all(objs) -> None:
    """Save new model instances of one model and set their ids: on PostgreSQL with ids taken
    from the table's sequence and one COPY (`bulk_create` is slow for the
    sections: psycopg escapes their long texts into arrays in Python; bench/README.md);
    elsewhere `bulk_create`."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    for obj, value in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = value
        obj._state.adding, obj._state.db = False, connection.alias
    insert_all(objs, with_ids=True)


def insert_all(objs, *, with_ids: bool = False) -> None:
    """Insert model instances of one model through `_insert_rows`, their values converted as
    Django's own INSERT converts them. Ids made by the database are not read back; with
    `with_ids` the instances' own ids are written."""
    if not objs:
        return
    fields = [f for f in type(objs[0])._meta.concrete_fields if with_ids or not f.db_returning]
    insert_rows(
        type(objs[0]),
        [f.attname for f in fields],
        [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs],
    )


def reserve_ids(model, count: int) -> list[int]:
    """`count` new primary keys of `model`, taken from the table's own counter as inserts
    take them, for rows written later in this transaction (or never: a key reserved for a
    row that only history holds stays unused, as a key of a deleted row does).

    PostgreSQL: the table's sequence. SQLite: the AUTOINCREMENT counter in sqlite_sequence,
    which never hands out a key again once it has passed it."""
    if count < 1:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [value for (value,) in cursor.fetchall()]
        quoted = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quoted(column)}), 0) FROM {quoted(table)}")
        (highest,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0)
        if row:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start + count, table]
            )
        else:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start + count]
            )
        return list(range(start + 1, start + count + 1))
