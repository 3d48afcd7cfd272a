"""Move each region's outline out of `Region` into its own one-to-one table.

Every complaint list joins the kelurahan and kecamatan; with the GeoJSON on `Region` each
joined row carried kilobytes of outline. The table is created with no reverse accessor
while `Region.boundary` still exists (the two names would clash), filled, and only then
given the accessor `region.boundary`."""

import django.db.models.deletion
from django.db import migrations, models


def copy_outlines_out(apps, schema_editor):
    Region = apps.get_model("agencies", "Region")
    RegionBoundary = apps.get_model("agencies", "RegionBoundary")
    rows = Region.objects.filter(boundary__isnull=False).values_list("pk", "boundary")
    RegionBoundary.objects.bulk_create(
        RegionBoundary(region_id=pk, geometry=geometry) for pk, geometry in rows.iterator()
    )


def copy_outlines_back(apps, schema_editor):
    Region = apps.get_model("agencies", "Region")
    RegionBoundary = apps.get_model("agencies", "RegionBoundary")
    for region_id, geometry in RegionBoundary.objects.values_list("region_id", "geometry"):
        Region.objects.filter(pk=region_id).update(boundary=geometry)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_standard_texts_follow_the_system"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegionBoundary",
            fields=[
                (
                    "region",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="agencies.region",
                        verbose_name="wilayah",
                    ),
                ),
                ("geometry", models.JSONField(verbose_name="batas wilayah (GeoJSON)")),
            ],
            options={
                "verbose_name": "batas wilayah",
                "verbose_name_plural": "batas wilayah",
            },
        ),
        migrations.RunPython(copy_outlines_out, copy_outlines_back),
        migrations.RemoveField(
            model_name="region",
            name="boundary",
        ),
        migrations.AlterField(
            model_name="regionboundary",
            name="region",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="boundary",
                serialize=False,
                to="agencies.region",
                verbose_name="wilayah",
            ),
        ),
    ]
