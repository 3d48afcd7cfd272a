"""The handling mechanism and channels that load_agencies used to seed promised an Android
app and intake at every office, which do not exist. Where an agency still has exactly that
seeded text, blank it: a blank field now shows SIKESAL's standard mechanism and the channels
the system really offers (sikesal.complaints.channels). Edited texts are kept."""

from django.db import migrations

# The seeded texts, frozen as they were written (Indonesian, the language of the loaders).
OLD_CHANNELS = "Aplikasi SIKESAL di Android\nSitus web SIKESAL\nDatang langsung ke kantor %(name)s"
OLD_MECHANISM = (
    "Pengaduan tentang layanan %(name)s ditangani melalui SIKESAL menurut Peraturan "
    "Walikota Jambi Nomor 40 Tahun 2017:\n"
    "1. Penerimaan: pengaduan disampaikan melalui aplikasi atau situs web SIKESAL, atau "
    "langsung di kantor; pengaduan yang diterima di kantor dicatat petugas ke SIKESAL.\n"
    "2. Pencatatan: setiap pengaduan dicatat dan pelapor menerima nomor pelacakan.\n"
    "3. Penelaahan: Sekretariat Pengaduan menelaah kelengkapan dan kelayakan pengaduan. "
    "Pengaduan yang tidak etis, berbau SARA atau tidak bertanggung jawab tidak "
    "ditindaklanjuti (Pasal 11 ayat 2).\n"
    "4. Klarifikasi: bila keterangan belum lengkap, pelapor diminta melengkapinya "
    "melalui SIKESAL.\n"
    "5. Penyaluran: Sekretariat Pengaduan menyalurkan pengaduan kepada OPD yang "
    "berwenang.\n"
    "6. Tindak lanjut: petugas %(short_name)s menerima dan mencatat pengaduan dalam "
    "register, menindaklanjutinya, dan menyampaikan hasil penanganan kepada pelapor "
    "melalui SIKESAL.\n"
    "7. Pelaporan: rekapitulasi hasil penanganan pengaduan disampaikan kepada "
    "Sekretariat Pengaduan setiap bulan, paling lambat tanggal 10.\n"
    "8. Pengarsipan: pengaduan yang selesai ditangani diarsipkan."
)


def blank_seeded_texts(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    for agency in Agency.objects.all():
        names = {"name": agency.name, "short_name": agency.short_name}
        changed = []
        if agency.channels == OLD_CHANNELS % names:
            agency.channels = ""
            changed.append("channels")
        if agency.handling_mechanism == OLD_MECHANISM % names:
            agency.handling_mechanism = ""
            changed.append("handling_mechanism")
        if changed:
            agency.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_agency_profile_change")]

    operations = [migrations.RunPython(blank_seeded_texts, migrations.RunPython.noop)]
