import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wiki", "0031_translation_sources")]

    operations = [
        migrations.CreateModel(
            name="InterlanguageLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=20)),
                ("title", models.CharField(max_length=255)),
                ("slug", models.CharField(max_length=255)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interlanguage_links",
                        to="wiki.article",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "language"), name="interlanguage_article_language"
                    )
                ],
                "indexes": [models.Index(fields=["language", "slug"], name="interlanguage_target")],
            },
        ),
    ]
