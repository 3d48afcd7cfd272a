"""What the reference endpoints answer (Pasal 11.1 data): categories, regions, agencies."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ReferenceChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ReferenceCategorySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Dikirim sebagai `category`. / Sent as `category`.")
    name = serializers.CharField()
    description = serializers.CharField()
    is_sensitive = serializers.BooleanField(
        help_text="Pengaduan selalu dirahasiakan. / Complaints in it are always confidential."
    )


class ReferenceCategoriesSerializer(serializers.Serializer):
    report_types = ReferenceChoiceSerializer(
        many=True, help_text="Dikirim sebagai `report_type`. / Sent as `report_type`."
    )
    categories = ReferenceCategorySerializer(many=True)


class ReferencePointSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


def _centroid(region) -> dict | None:
    if region.centroid_lat is None or region.centroid_lng is None:
        return None
    return {"lat": region.centroid_lat, "lon": region.centroid_lng}


class ReferenceKelurahanSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Dikirim sebagai `kelurahan`. / Sent as `kelurahan`.")
    name = serializers.CharField()
    centroid = serializers.SerializerMethodField()

    @extend_schema_field(ReferencePointSerializer(allow_null=True))
    def get_centroid(self, region) -> dict | None:
        return _centroid(region)


class ReferenceKecamatanSerializer(ReferenceKelurahanSerializer):
    code = serializers.CharField()
    kelurahan = ReferenceKelurahanSerializer(many=True, source="kelurahan_list")


class ReferenceLocateQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="Lintang. / Latitude.")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Bujur. / Longitude.")


class ReferenceLocationSerializer(serializers.Serializer):
    kelurahan = ReferenceChoiceSerializer()
    kecamatan = ReferenceChoiceSerializer()
    snapped = serializers.BooleanField(
        help_text="Titik di luar semua batas kelurahan; diambil kelurahan terdekat. / The point "
        "lay outside every kelurahan outline; the nearest one was taken."
    )
    distance_m = serializers.FloatField(help_text="Jarak bila snapped. / Distance when snapped.")


class ReferenceAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")


class ReferenceOfficerGroupSerializer(serializers.Serializer):
    role = serializers.CharField()
    count = serializers.IntegerField()
    names = serializers.ListField(
        child=serializers.CharField(),
        help_text="Kosong bila nama tidak diumumkan. / Empty when names are not published.",
    )


class ReferenceFigureSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True,
        help_text="Null bila dasarnya kurang dari min_base. / Null when based on fewer than "
        "min_base complaints.",
    )
    base = serializers.IntegerField()


class ReferenceFiguresSerializer(serializers.Serializer):
    min_base = serializers.IntegerField()
    received = ReferenceFigureSerializer()
    responded = ReferenceFigureSerializer()
    median_working_days_to_first_response = ReferenceFigureSerializer()
    share_within_deadline = ReferenceFigureSerializer(help_text="0..1")
    average_rating = ReferenceFigureSerializer(help_text="1..5")


class ReferenceContactSerializer(serializers.Serializer):
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()


class ReferenceHeadSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()


class ReferenceAgencyDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    parent = ReferenceChoiceSerializer(allow_null=True)
    is_secretariat = serializers.BooleanField()
    officers = ReferenceOfficerGroupSerializer(many=True)
    handling_mechanism = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    contact = ReferenceContactSerializer()
    head = ReferenceHeadSerializer()
    figures = ReferenceFiguresSerializer()
    last_changed_at = serializers.DateTimeField(allow_null=True)
