from django.db import migrations


def forwards(apps, schema_editor):
    from opendvc.vault.seed import setup

    setup(apps.get_model("vault", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("vault", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
