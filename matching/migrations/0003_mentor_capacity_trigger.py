"""On PostgreSQL, the database itself refuses a match that would put a mentor above capacity.

The trigger locks the mentor's row before counting, so two transactions approving matches
for the same mentor at the same moment are serialised and the second one sees the first.
SQLite (the one-command demo) relies on its single-writer immediate transactions instead.
"""

from django.db import migrations

CAPACITY_STATUSES = "('approved', 'active', 'paused')"

CREATE = f"""
CREATE OR REPLACE FUNCTION matching_enforce_mentor_capacity() RETURNS trigger AS $$
DECLARE
    places integer;
    taken integer;
BEGIN
    IF NEW.status NOT IN {CAPACITY_STATUSES} THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status IN {CAPACITY_STATUSES} AND OLD.mentor_id = NEW.mentor_id THEN
        RETURN NEW;
    END IF;
    SELECT capacity INTO places FROM accounts_mentorprofile WHERE id = NEW.mentor_id FOR UPDATE;
    SELECT count(*) INTO taken FROM matching_match
        WHERE mentor_id = NEW.mentor_id AND status IN {CAPACITY_STATUSES} AND id <> NEW.id;
    IF taken >= places THEN
        RAISE EXCEPTION 'mentor % is at capacity (% of % places taken)', NEW.mentor_id, taken, places
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS matching_mentor_capacity ON matching_match;
CREATE TRIGGER matching_mentor_capacity
    BEFORE INSERT OR UPDATE OF status, mentor_id ON matching_match
    FOR EACH ROW EXECUTE FUNCTION matching_enforce_mentor_capacity();
"""

DROP = """
DROP TRIGGER IF EXISTS matching_mentor_capacity ON matching_match;
DROP FUNCTION IF EXISTS matching_enforce_mentor_capacity();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_checklists_exclusions_cohorts_support")]

    operations = [migrations.RunPython(forwards, backwards)]
