"""The full-text index of notes' words (see interviews/note_search.py for what it holds and why).

SQLite: an FTS5 table and its key table, filled from the notes already there, kept in step by
triggers. PostgreSQL: the unaccent extension, an IMMUTABLE folding function, a stored generated tsvector
column and its GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    # An INTEGER PRIMARY KEY per note id: the FTS rowid, which a VACUUM never renumbers (the
    # notes table's own rowid it may, its primary key being a UUID).
    "CREATE TABLE interviews_note_fts_key (rowid INTEGER PRIMARY KEY, note_id char(32) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE interviews_note_fts USING fts5(note_id UNINDEXED, text, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO interviews_note_fts_key (note_id) SELECT id FROM interviews_note",
    "INSERT INTO interviews_note_fts (rowid, note_id, text) SELECT k.rowid, n.id, n.text "
    "FROM interviews_note n JOIN interviews_note_fts_key k ON k.note_id = n.id",
    """CREATE TRIGGER interviews_note_fts_insert AFTER INSERT ON interviews_note BEGIN
        INSERT INTO interviews_note_fts_key (note_id) VALUES (new.id);
        INSERT INTO interviews_note_fts (rowid, note_id, text) VALUES (last_insert_rowid(), new.id, new.text);
    END""",
    """CREATE TRIGGER interviews_note_fts_update AFTER UPDATE OF text ON interviews_note BEGIN
        UPDATE interviews_note_fts SET text = new.text
        WHERE rowid = (SELECT rowid FROM interviews_note_fts_key WHERE note_id = new.id);
    END""",
    """CREATE TRIGGER interviews_note_fts_delete AFTER DELETE ON interviews_note BEGIN
        DELETE FROM interviews_note_fts WHERE rowid = (SELECT rowid FROM interviews_note_fts_key WHERE note_id = old.id);
        DELETE FROM interviews_note_fts_key WHERE note_id = old.id;
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS interviews_note_fts_delete",
    "DROP TRIGGER IF EXISTS interviews_note_fts_update",
    "DROP TRIGGER IF EXISTS interviews_note_fts_insert",
    "DROP TABLE IF EXISTS interviews_note_fts",
    "DROP TABLE IF EXISTS interviews_note_fts_key",
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS interviews_note_search_gin",
    "ALTER TABLE interviews_note DROP COLUMN IF EXISTS search_document",
    "DROP FUNCTION IF EXISTS interviews_search_fold(text)",
]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    elif connection.vendor == "postgresql":
        # unaccent is a trusted extension: the database's owner may create it (PostgreSQL 13+).
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        with connection.cursor() as cursor:
            cursor.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                           "WHERE e.extname = 'unaccent'")
            schema = _quote(cursor.fetchone()[0])
        # unaccent() itself is only STABLE (it reads its dictionary by name); naming the dictionary
        # with its schema makes the wrapper safe to declare IMMUTABLE and so to index.
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION interviews_search_fold(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
            f"$$ SELECT regexp_replace({schema}.unaccent('{schema}.unaccent'::regdictionary, $1), "
            "'[-./@:_+&]', ' ', 'g') $$")
        # A stored generated column, not only an index on the expression: a query that reads a program's notes
        # and checks each (a word in thousands of notes) then reads the vector instead of computing it per row.
        # Django's model does not know the column; PostgreSQL fills it on every insert and update.
        schema_editor.execute(
            "ALTER TABLE interviews_note ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple'::regconfig, interviews_search_fold(text))) STORED")
        schema_editor.execute("CREATE INDEX interviews_note_search_gin ON interviews_note USING gin (search_document)")


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0014_imports_and_sources"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
