# The staff inbox pages an agency's dossiers newest first: an index in that order lets the
# database read one page instead of sorting the agency's every dossier (bench/inbox.py).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_steps_results_keys_import"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["agency", "-submitted_at", "-id"], name="dossier_agency_inbox"
            ),
        ),
    ]
