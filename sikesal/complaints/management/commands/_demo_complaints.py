"""The demo complaints of `load_demo_complaints`: who files what, where, and what happens next.

Times are (days before today, "HH:MM" in Asia/Jakarta). The texts are invented but read like
what Kota Jambi's residents write; the places are real kelurahan. Staff steps are taken by
the demo accounts of `load_demo_data`; agencies without a demo account (Perkim, Dishub)
never get past "routed", as in life when nobody picks a case up.
"""

from dataclasses import dataclass, field

from sikesal.complaints.models import Channel, ReportType

# The demo officer who acts for each agency.
AGENCY_OFFICERS = {
    "dpupr": "pupr.petugas",
    "dlh": "dlh.petugas",
    "tirtamayang": "tirta.petugas",
    "kec-telanaipura": "telanaipura.petugas",
}
SECRETARIAT = "sekretariat"
REPORTER = "@reporter"  # the complaint's own reporter
SYSTEM = None  # a background job

# username, full name, mobile: citizens besides load_demo_data's "warga".
DEMO_CITIZENS = [
    ("siti.warga", "Siti Aminah", "081200000013"),
    ("andi.warga", "Andi Pratama", "081200000014"),
    ("rina.warga", "Rina Marlina", "081200000015"),
]
DEMO_REPORTERS = ("warga", *(username for username, *_ in DEMO_CITIZENS))


@dataclass(frozen=True)
class Step:
    """One workflow action on a demo complaint."""

    days_ago: int
    time: str
    action: str
    actor: str | None
    agency: str = ""  # the assignment an agency acts on, or the agencies routed to
    note: str = ""
    payload: dict = field(default_factory=dict)

    @property
    def by_staff(self) -> bool:
        return self.actor not in (REPORTER, SYSTEM)


@dataclass(frozen=True)
class DemoComplaint:
    key: str
    reporter: str
    category: str
    kelurahan: str
    title: str
    description: str
    address: str
    filed: tuple[int, str]
    steps: tuple[Step, ...] = ()
    report_type: str = ReportType.COMPLAINT
    is_confidential: bool = False
    is_anonymous: bool = False
    channel: str = Channel.WEB
    intake_by: str = ""  # the Secretariat officer who typed in a walk-in or phone complaint


# --- step builders: read the scenarios below as the story of each complaint -----------------


def review(days: int, time: str) -> Step:
    return Step(days, time, "review", SECRETARIAT)


def clarify(days: int, time: str, question: str) -> Step:
    return Step(days, time, "request_clarification", SECRETARIAT, note=question)


def answer(days: int, time: str, text: str) -> Step:
    return Step(days, time, "answer_clarification", REPORTER, note=text)


def decline(days: int, time: str, reason: str, message: str = "", **payload) -> Step:
    actor = SYSTEM if payload.pop("by_system", False) else SECRETARIAT
    return Step(days, time, "decline", actor, note=message, payload={"reason": reason, **payload})


def route(days: int, time: str, *agencies: str, note: str = "", instructions: str = "") -> Step:
    return Step(
        days,
        time,
        "route",
        SECRETARIAT,
        agency=",".join(agencies),
        note=note,
        payload={"instructions": instructions},
    )


def accept(days: int, time: str, agency: str) -> Step:
    return Step(days, time, "accept", AGENCY_OFFICERS[agency], agency=agency)


def update(days: int, time: str, agency: str, note: str) -> Step:
    return Step(days, time, "update", AGENCY_OFFICERS[agency], agency=agency, note=note)


def respond(days: int, time: str, agency: str, note: str) -> Step:
    return Step(days, time, "respond", AGENCY_OFFICERS[agency], agency=agency, note=note)


def rate(days: int, time: str, rating: int, comment: str = "") -> Step:
    return Step(days, time, "rate", REPORTER, note=comment, payload={"rating": rating})


def object_(days: int, time: str, reason: str) -> Step:
    return Step(days, time, "object", REPORTER, note=reason)


def close(days: int, time: str) -> Step:
    return Step(days, time, "close", SYSTEM)


def archive(days: int, time: str) -> Step:
    return Step(days, time, "archive", SYSTEM)


DEMO_COMPLAINTS: tuple[DemoComplaint, ...] = (
    # --- waiting for the Secretariat -------------------------------------------------------
    DemoComplaint(
        key="lampu-pattimura",
        reporter="warga",
        category="lampu-jalan",
        kelurahan="Kenali Besar",
        title="Lampu jalan mati sepanjang Jl. Kapten Pattimura",
        description=(
            "Sudah lima malam lampu penerangan jalan di Jl. Kapten Pattimura dari simpang "
            "Mayang sampai dekat SPBU mati semua. Jalan jadi gelap gulita dan rawan begal, "
            "padahal banyak pengendara motor pulang kerja lewat sini."
        ),
        address="Jl. Kapten Pattimura, dekat SPBU Kenali Besar",
        filed=(0, "07:40"),
    ),
    DemoComplaint(
        key="parkir-sutomo",
        reporter="andi.warga",
        category="parkir-liar",
        kelurahan="Beringin",
        title="Parkir liar memakan badan Jl. Dr. Sutomo",
        description=(
            "Setiap sore mobil parkir berlapis di kedua sisi Jl. Dr. Sutomo dekat pertokoan, "
            "sehingga jalan tinggal satu lajur dan macet sampai simpang. Juru parkir memungut "
            "Rp5.000 tanpa karcis."
        ),
        address="Jl. Dr. Sutomo, depan deretan ruko",
        filed=(1, "16:20"),
    ),
    DemoComplaint(
        key="atap-pasar-talang-banjar",
        reporter="siti.warga",
        category="pasar",
        kelurahan="Talang Banjar",
        title="Atap los ikan Pasar Talang Banjar bocor",
        description=(
            "Atap seng los ikan di Pasar Talang Banjar bocor di banyak titik. Kalau hujan, air "
            "menggenang di lantai los dan pedagang terpaksa menutup lapak. Mohon diperbaiki "
            "sebelum hujan makin sering."
        ),
        address="Pasar Talang Banjar, los ikan bagian belakang",
        filed=(8, "10:05"),  # nobody has looked at it: the review is overdue
    ),
    DemoComplaint(
        key="loket-puskesmas",
        reporter="rina.warga",
        category="kesehatan",
        kelurahan="Paal Merah",
        report_type=ReportType.ASPIRATION,
        title="Usul penambahan loket pendaftaran puskesmas",
        description=(
            "Pasien harus mengambil nomor antrean sejak pukul 06.00 dan baru dilayani menjelang "
            "siang karena loket pendaftaran hanya satu. Kami mengusulkan loket kedua khusus "
            "lansia dan ibu hamil."
        ),
        address="Puskesmas Paal Merah",
        filed=(2, "09:30"),
        steps=(review(1, "08:45"),),
    ),
    DemoComplaint(
        key="parit-payo-lebar",
        reporter="warga",
        category="drainase",
        kelurahan="Payo Lebar",
        title="Parit tersumbat, air meluap ke jalan gang",
        description=(
            "Parit di gang kami tersumbat lumpur dan sampah plastik. Hujan sebentar saja air "
            "sudah meluap ke jalan dan masuk ke halaman rumah warga."
        ),
        address="Gg. Sepakat RT 09",
        filed=(12, "19:10"),
        steps=(
            review(11, "08:30"),
            clarify(
                11,
                "09:00",
                "Mohon sebutkan patokan terdekat dan ke mana parit itu mengalir, agar petugas "
                "dapat menemukan saluran yang dimaksud.",
            ),
            answer(
                9,
                "20:15",
                "Parit di samping musala, mengalir ke saluran besar di Jl. Sunan Kalijaga.",
            ),
        ),
    ),
    DemoComplaint(
        key="jalan-bagan-pete",
        reporter="andi.warga",
        category="jalan",
        kelurahan="Bagan Pete",
        title="Jalan masuk perumahan rusak parah",
        description=(
            "Jalan masuk perumahan kami rusak parah, banyak lubang dan berlumpur kalau hujan. "
            "Anak sekolah sering jatuh dari motor."
        ),
        address="Jalan masuk perumahan, Bagan Pete",
        filed=(6, "13:00"),
        steps=(
            review(5, "09:10"),
            clarify(
                5,
                "09:20",
                "Mohon sebutkan nama jalan atau patokan terdekat dan, bila bisa, lampirkan foto "
                "kerusakannya. Apakah jalan ini sudah diserahkan pengembang kepada Pemerintah "
                "Kota?",
            ),
        ),
    ),
    DemoComplaint(
        key="sampah-budiman",
        reporter="rina.warga",
        category="sampah",
        kelurahan="Budiman",
        title="Tumpukan sampah di pinggir jalan makin tinggi",
        description=(
            "Ada tumpukan sampah rumah tangga di pinggir jalan yang makin lama makin tinggi dan "
            "berbau busuk. Banyak lalat dan anjing liar mengais sampah."
        ),
        address="Dekat simpang jalan masuk Kelurahan Budiman",
        filed=(15, "07:15"),
        steps=(
            review(14, "10:00"),
            clarify(
                13,
                "14:30",
                "Apakah tumpukan sampah itu di TPS resmi atau di lahan kosong? Mohon sebutkan "
                "lokasi persisnya.",
            ),
        ),
    ),
    # --- declined -------------------------------------------------------------------------
    DemoComplaint(
        key="uji-coba",
        reporter="andi.warga",
        category="lainnya",
        kelurahan="Sungai Asam",
        title="tes tes aplikasi",
        description="coba coba apakah aplikasi ini jalan",
        address="",
        filed=(20, "23:40"),
        steps=(
            review(19, "08:15"),
            decline(
                19,
                "08:20",
                "spam",
                "Isinya uji coba aplikasi, bukan keluhan pelayanan publik. Silakan ajukan "
                "pengaduan baru bila ada keluhan.",
            ),
        ),
    ),
    DemoComplaint(
        key="listrik-padam",
        reporter="siti.warga",
        category="lainnya",
        kelurahan="Mayang Mangurai",
        title="Listrik padam berkali-kali setiap malam",
        description=(
            "Seminggu terakhir listrik di perumahan kami padam tiga sampai empat kali setiap "
            "malam, masing-masing sekitar satu jam. Peralatan elektronik warga banyak yang rusak."
        ),
        address="Perumahan di Mayang Mangurai",
        filed=(27, "18:45"),
        steps=(
            review(26, "09:00"),
            decline(
                26,
                "09:30",
                "out_of_scope",
                "Gangguan listrik rumah tangga ditangani PT PLN (Persero), bukan Pemerintah Kota "
                "Jambi. Silakan laporkan melalui aplikasi PLN Mobile atau Call Center PLN 123.",
                referral="pln",
            ),
        ),
    ),
    DemoComplaint(
        key="lubang-hayam-wuruk-lagi",
        reporter="siti.warga",
        category="jalan",
        kelurahan="Talang Jauh",
        title="Lubang di Jl. Hayam Wuruk belum ditambal",
        description="Ada lubang besar di Jl. Hayam Wuruk dekat simpang, sudah ada motor jatuh.",
        address="Jl. Hayam Wuruk dekat simpang lampu merah",
        filed=(22, "07:50"),
        steps=(
            review(21, "08:40"),
            decline(
                21,
                "08:50",
                "duplicate",
                "Lubang ini sudah dilaporkan warga lain ({duplicate_of}) dan sedang ditangani "
                "Dinas PUPR. Perkembangannya dapat dipantau di halaman pengaduan publik.",
                duplicate_of="lubang-hayam-wuruk",
            ),
        ),
    ),
    DemoComplaint(
        key="banjir-tanpa-keterangan",
        reporter="warga",
        category="banjir",
        kelurahan="Rawa Sari",
        title="Banjir lagi",
        description="Banjir lagi, tolong diperhatikan.",
        address="",
        filed=(50, "16:00"),
        steps=(
            review(49, "09:00"),
            clarify(
                49,
                "09:15",
                "Mohon sebutkan lokasi genangan (nama jalan atau patokan) dan sejak kapan banjir "
                "terjadi.",
            ),
            # Nobody answered within 30 days: the nightly job declines it.
            decline(18, "01:00", "incomplete", by_system=True),
        ),
    ),
    # --- routed, waiting for an agency ----------------------------------------------------
    DemoComplaint(
        key="lampu-lingkar-selatan",
        reporter="warga",
        category="lampu-jalan",
        kelurahan="Lingkar Selatan",
        title="Lampu PJU padam di Jl. Lingkar Selatan",
        description=(
            "Sekitar sepuluh tiang lampu penerangan jalan umum di Jl. Lingkar Selatan arah "
            "Talang Bakung padam sejak dua minggu lalu. Jalan ini dilalui truk batu bara dan "
            "sangat gelap pada malam hari."
        ),
        address="Jl. Lingkar Selatan arah Talang Bakung",
        filed=(16, "21:05"),
        steps=(review(15, "08:30"), route(15, "09:00", "perkim")),  # follow-up overdue
    ),
    DemoComplaint(
        key="jukir-minimarket",
        reporter="rina.warga",
        category="parkir-liar",
        kelurahan="Jelutung",
        title="Juru parkir liar di depan minimarket",
        description=(
            "Di depan minimarket di Jl. Hayam Wuruk ada juru parkir tanpa rompi dan karcis yang "
            "memungut Rp3.000 untuk motor, padahal minimarket menulis parkir gratis."
        ),
        address="Jl. Hayam Wuruk, depan minimarket",
        filed=(4, "12:30"),
        steps=(review(3, "08:20"), route(3, "08:40", "dishub")),
    ),
    DemoComplaint(
        key="limbah-tahu",
        reporter="siti.warga",
        category="lingkungan",
        kelurahan="Kasang Jaya",
        title="Limbah pabrik tahu dibuang ke parit",
        description=(
            "Limbah cair usaha pembuatan tahu dibuang langsung ke parit. Airnya putih keruh dan "
            "baunya sangat menyengat terutama sore hari."
        ),
        address="Parit di belakang usaha tahu, Kasang Jaya",
        filed=(3, "17:40"),
        steps=(
            review(2, "08:10"),
            route(2, "08:30", "dlh", instructions="Mohon periksa pengolahan limbah usaha ini."),
        ),
    ),
    # --- with the agencies ----------------------------------------------------------------
    DemoComplaint(
        key="lubang-hayam-wuruk",
        reporter="warga",
        category="jalan",
        kelurahan="Talang Jauh",
        title="Jalan berlubang di Jl. Hayam Wuruk",
        description=(
            "Lubang besar di lajur kiri Jl. Hayam Wuruk, kira-kira 50 meter sebelum simpang "
            "lampu merah. Saat hujan lubang tertutup genangan dan tidak terlihat; beberapa "
            "pengendara motor sudah terjatuh."
        ),
        address="Jl. Hayam Wuruk, lajur kiri sebelum simpang",
        filed=(25, "06:55"),
        steps=(
            review(24, "08:30"),
            route(24, "08:45", "dpupr", instructions="Mohon ditinjau dan dijadwalkan penambalan."),
            accept(23, "10:00", "dpupr"),
            update(
                20,
                "14:00",
                "dpupr",
                "Tim Bidang Bina Marga sudah meninjau lokasi. Lubang berdiameter sekitar 1,5 "
                "meter; penambalan dijadwalkan bersama pemeliharaan rutin pekan depan.",
            ),
        ),
    ),
    DemoComplaint(
        key="air-keruh-kotabaru",
        reporter="andi.warga",
        category="kualitas-air",
        kelurahan="Kenali Asam Bawah",
        title="Air PDAM Tirta Mayang keruh dan berbau",
        description=(
            "Sudah sepekan air PDAM di rumah kami keruh kecokelatan dan berbau kaporit "
            "menyengat, terutama pagi hari. Air tidak bisa dipakai memasak; kami terpaksa "
            "membeli air galon."
        ),
        address="Perumnas Kotabaru Blok F",
        filed=(14, "08:10"),
        steps=(
            review(13, "09:00"),
            route(13, "09:15", "tirtamayang"),
            accept(12, "10:30", "tirtamayang"),  # and nothing since: the follow-up is late
        ),
    ),
    DemoComplaint(
        key="banjir-danau-sipin",
        reporter="warga",
        category="banjir",
        kelurahan="Legok",
        title="Banjir setiap hujan deras di sekitar Danau Sipin",
        description=(
            "Setiap hujan deras lebih dari satu jam, jalan dan rumah warga di sekitar Danau "
            "Sipin tergenang hingga 40 cm. Saluran pembuangan ke danau penuh sampah dan lumpur "
            "sehingga air tidak mengalir."
        ),
        address="Jalan lingkungan di tepi Danau Sipin",
        filed=(18, "15:20"),
        steps=(
            review(17, "08:30"),
            route(
                17,
                "09:00",
                "dpupr",
                "dlh",
                note="Disalurkan kepada PUPR (normalisasi saluran) dan DLH (sampah di saluran).",
            ),
            accept(16, "09:30", "dpupr"),
            accept(16, "10:15", "dlh"),
            respond(
                10,
                "15:00",
                "dlh",
                "Sampah yang menyumbat saluran sepanjang 200 meter sudah diangkut bersama warga "
                "dalam gotong royong hari Minggu. Petugas kebersihan akan memeriksa saluran ini "
                "setiap pekan.",
            ),
            update(
                9,
                "11:00",
                "dpupr",
                "Pengerukan saluran primer masuk jadwal pekerjaan bulan depan; sementara itu "
                "pompa portabel disiagakan di lokasi.",
            ),
        ),
    ),
    DemoComplaint(
        key="surat-pengantar",
        reporter="rina.warga",
        category="pelayanan-kecamatan-kelurahan",
        kelurahan="Pematang Sulur",
        title="Surat pengantar di kantor lurah tidak dilayani",
        description=(
            "Sudah tiga kali saya datang ke kantor lurah pada jam kerja untuk mengurus surat "
            "pengantar, tetapi petugasnya tidak ada dan saya diminta kembali besok."
        ),
        address="Kantor Lurah Pematang Sulur",
        filed=(7, "10:40"),
        channel=Channel.WALK_IN,
        intake_by=SECRETARIAT,
        steps=(
            review(6, "08:30"),
            route(6, "09:00", "kec-telanaipura"),
            accept(5, "09:00", "kec-telanaipura"),
            update(
                4,
                "13:30",
                "kec-telanaipura",
                "Camat telah meminta lurah memastikan loket pelayanan buka sesuai jam kerja dan "
                "menunjuk petugas pengganti bila petugas utama berhalangan.",
            ),
        ),
    ),
    DemoComplaint(
        key="terminal-simpang-rimbo",
        reporter="andi.warga",
        category="jalan",
        kelurahan="Simpang Rimbo",
        title="Jalan berlubang di depan Terminal Simpang Rimbo",
        description=(
            "Jalan di depan pintu keluar Terminal Simpang Rimbo berlubang dalam dan tergenang "
            "air. Bus dan truk harus zig-zag menghindari lubang sehingga sering hampir "
            "bertabrakan."
        ),
        address="Depan pintu keluar Terminal Simpang Rimbo",
        filed=(40, "08:00"),
        steps=(
            review(39, "08:30"),
            route(39, "09:00", "dpupr"),
            accept(38, "10:00", "dpupr"),
            update(35, "11:00", "dpupr", "Lokasi sudah ditinjau; penambalan dijadwalkan."),
            respond(
                31,
                "15:30",
                "dpupr",
                "Lubang di depan Terminal Simpang Rimbo sudah ditambal dengan aspal dingin.",
            ),
            object_(
                29,
                "19:00",
                "Tambalannya sudah terkelupas lagi setelah dua hari hujan. Mohon diperbaiki "
                "dengan benar, bukan ditambal seadanya.",
            ),
            update(
                27,
                "10:00",
                "dpupr",
                "Penambalan ulang dengan aspal panas (hotmix) dijadwalkan begitu cuaca "
                "memungkinkan; rambu peringatan sudah dipasang di sekitar lubang.",
            ),
        ),
    ),
    DemoComplaint(
        key="pungli-sampah",
        reporter="andi.warga",
        category="sampah",
        kelurahan="Tambak Sari",
        is_confidential=True,
        title="Oknum petugas angkut sampah meminta uang",
        description=(
            "Petugas truk sampah yang melayani kompleks kami meminta Rp20.000 per rumah setiap "
            "bulan di luar retribusi resmi. Sampah warga yang tidak membayar tidak diangkut."
        ),
        address="Kompleks perumahan di Tambak Sari",
        filed=(10, "20:00"),
        steps=(
            review(9, "08:30"),
            route(
                9,
                "09:00",
                "dlh",
                instructions="Pengaduan rahasia: jangan sebutkan pelapor kepada petugas lapangan.",
            ),
            accept(8, "11:00", "dlh"),
        ),
    ),
    # --- answered: the citizen's turn to rate ---------------------------------------------
    DemoComplaint(
        key="tps-talang-gulo",
        reporter="warga",
        category="sampah",
        kelurahan="Talang Gulo",
        title="Sampah menumpuk di TPS dekat pasar",
        description=(
            "Sampah di TPS dekat pasar sudah meluber ke badan jalan dan hampir seminggu tidak "
            "diangkut. Baunya sampai ke rumah warga dan air lindi mengalir ke parit."
        ),
        address="TPS dekat pasar, Talang Gulo",
        filed=(12, "06:40"),
        steps=(
            review(11, "08:15"),
            route(11, "08:30", "dlh"),
            accept(11, "10:00", "dlh"),
            update(
                9, "09:30", "dlh", "Armada pengangkut dijadwalkan ulang; TPS diperiksa hari ini."
            ),
            respond(
                5,
                "14:00",
                "dlh",
                "Sampah di TPS sudah diangkut seluruhnya. Pengangkutan di TPS ini ditambah dari "
                "dua kali seminggu menjadi setiap hari, dan papan larangan membuang sampah di "
                "luar jam buang sudah dipasang.",
            ),
        ),
    ),
    DemoComplaint(
        key="pipa-bocor-handil",
        reporter="siti.warga",
        category="kebocoran-pipa-air",
        kelurahan="Handil Jaya",
        title="Pipa PDAM bocor, air muncrat ke jalan",
        description=(
            "Pipa PDAM di pinggir jalan bocor dan airnya muncrat ke badan jalan siang malam. "
            "Sudah tiga hari air terbuang percuma dan aspal di sekitarnya mulai rusak."
        ),
        address="Pinggir jalan depan warung kopi, Handil Jaya",
        filed=(9, "07:30"),
        steps=(
            review(8, "08:20"),
            route(8, "08:35", "tirtamayang"),
            accept(8, "09:40", "tirtamayang"),
            respond(
                3,
                "16:10",
                "tirtamayang",
                "Pipa distribusi 3 inci yang pecah sudah diganti tim teknik dan aliran air sudah "
                "normal kembali. Bekas galian dirapikan dalam dua hari.",
            ),
        ),
    ),
    DemoComplaint(
        key="gorong-gorong-sekolah",
        reporter="rina.warga",
        category="drainase",
        kelurahan="Murni",
        is_anonymous=True,
        title="Gorong-gorong tersumbat, genangan di depan sekolah",
        description=(
            "Gorong-gorong di bawah jalan depan sekolah tersumbat total sehingga setiap hujan "
            "air menggenang setinggi mata kaki dan anak-anak harus melewati genangan."
        ),
        address="Depan SD, Kelurahan Murni",
        filed=(20, "21:30"),
        steps=(
            review(19, "08:30"),
            route(19, "08:50", "dpupr"),
            accept(18, "09:30", "dpupr"),
            update(15, "13:00", "dpupr", "Gorong-gorong perlu dibongkar sebagian; dijadwalkan."),
            respond(
                6,
                "15:00",
                "dpupr",
                "Gorong-gorong sudah dibongkar, dibersihkan dari endapan dan dipasang kembali "
                "dengan buis beton baru berdiameter 80 cm.",
            ),
        ),
    ),
    # --- closed ---------------------------------------------------------------------------
    DemoComplaint(
        key="air-mati-kenali-asam",
        reporter="warga",
        category="kualitas-air",
        kelurahan="Kenali Asam Atas",
        title="Air PDAM tidak mengalir tiga hari",
        description=(
            "Sudah tiga hari air PDAM tidak mengalir sama sekali di lingkungan kami. Warga "
            "terpaksa mengambil air dari sumur tetangga."
        ),
        address="Lingkungan RT 12, Kenali Asam Atas",
        filed=(26, "05:45"),
        steps=(
            review(25, "08:15"),
            route(25, "08:30", "tirtamayang"),
            accept(25, "10:00", "tirtamayang"),
            update(
                24,
                "11:00",
                "tirtamayang",
                "Gangguan karena perbaikan pompa di instalasi; mobil tangki air bersih dikirim ke "
                "lokasi.",
            ),
            respond(
                22,
                "17:00",
                "tirtamayang",
                "Perbaikan pompa selesai dan aliran air ke Kenali Asam Atas normal sejak sore ini.",
            ),
            rate(19, "20:00", 5, "Terima kasih, air sudah lancar dan petugas cepat tanggap."),
        ),
    ),
    DemoComplaint(
        key="tps-angso-duo",
        reporter="siti.warga",
        category="sampah",
        kelurahan="Sungai Asam",
        title="TPS di belakang Pasar Angso Duo penuh",
        description=(
            "TPS di belakang Pasar Angso Duo penuh dan sampah sayur busuk berserakan sampai ke "
            "jalan. Pembeli dan pedagang terganggu baunya."
        ),
        address="Belakang Pasar Angso Duo",
        filed=(30, "07:00"),
        steps=(
            review(29, "08:30"),
            route(29, "08:45", "dlh"),
            accept(28, "09:00", "dlh"),
            respond(23, "15:00", "dlh", "Sampah sudah diangkut dan TPS dibersihkan."),
            rate(20, "19:30", 4, "Sudah bersih, semoga rutin."),
        ),
    ),
    DemoComplaint(
        key="bahu-jalan-amblas",
        reporter="andi.warga",
        category="jalan",
        kelurahan="Paal Lima",
        title="Bahu jalan amblas di tikungan",
        description=(
            "Bahu jalan di tikungan amblas sedalam setengah meter. Mobil yang menepi bisa "
            "terperosok, apalagi malam hari karena tidak ada tanda peringatan."
        ),
        address="Tikungan dekat masjid, Paal Lima",
        filed=(45, "09:00"),
        steps=(
            review(44, "08:30"),
            route(44, "09:00", "dpupr"),
            accept(43, "10:00", "dpupr"),
            update(38, "10:00", "dpupr", "Garis pengaman dan rambu peringatan sudah dipasang."),
            respond(
                22,
                "14:00",
                "dpupr",
                "Bahu jalan yang amblas sudah diurug dan dipadatkan. Pengaspalan masuk usulan "
                "anggaran tahun depan.",
            ),
            rate(16, "21:00", 2, "Hanya diurug tanah, belum diaspal. Kalau hujan becek lagi."),
        ),
    ),
    DemoComplaint(
        key="parit-selamat",
        reporter="warga",
        category="drainase",
        kelurahan="Selamat",
        title="Parit di Jl. Kol. Amir Hamzah dangkal dan berbau",
        description=(
            "Parit di sepanjang Jl. Kol. Amir Hamzah dangkal karena endapan dan berbau, nyamuk "
            "banyak sekali."
        ),
        address="Jl. Kol. Amir Hamzah",
        filed=(42, "18:00"),
        steps=(
            review(41, "08:30"),
            route(41, "09:00", "dpupr"),
            accept(40, "09:30", "dpupr"),
            respond(30, "15:00", "dpupr", "Endapan parit sudah dikeruk sepanjang 300 meter."),
            close(15, "01:00"),  # no rating within ten working days
        ),
    ),
    DemoComplaint(
        key="loket-kelurahan",
        reporter="siti.warga",
        category="pelayanan-kecamatan-kelurahan",
        kelurahan="Simpang IV Sipin",
        title="Loket kelurahan sering kosong saat jam kerja",
        description=(
            "Loket pelayanan di kantor kelurahan sering kosong saat jam kerja, terutama setelah "
            "pukul 11.00. Warga menunggu lama tanpa kepastian."
        ),
        address="Kantor Lurah Simpang IV Sipin",
        filed=(21, "11:00"),
        steps=(
            review(20, "08:30"),
            route(20, "09:00", "kec-telanaipura"),
            accept(19, "09:30", "kec-telanaipura"),
            respond(
                14,
                "14:00",
                "kec-telanaipura",
                "Petugas pelayanan kelurahan sudah ditegur dan jadwal piket loket ditempel di "
                "pintu masuk, lengkap dengan nomor layanan bila loket kosong.",
            ),
            rate(12, "10:00", 3, "Sudah ada jadwal, tapi masih sering kosong saat istirahat."),
        ),
    ),
    # --- archived -------------------------------------------------------------------------
    DemoComplaint(
        key="sampah-eka-jaya",
        reporter="rina.warga",
        category="sampah",
        kelurahan="Eka Jaya",
        title="Pembuangan sampah liar di lahan kosong",
        description=(
            "Lahan kosong di pinggir jalan dijadikan tempat buang sampah liar. Sampah sering "
            "dibakar dan asapnya masuk ke rumah warga."
        ),
        address="Lahan kosong di pinggir jalan, Eka Jaya",
        filed=(88, "07:20"),
        steps=(
            review(87, "08:30"),
            route(87, "09:00", "dlh"),
            accept(86, "10:00", "dlh"),
            respond(
                80,
                "15:00",
                "dlh",
                "Sampah sudah dibersihkan, papan larangan dipasang, dan patroli bersama Satpol PP "
                "dijadwalkan.",
            ),
            rate(78, "19:00", 4, "Terima kasih, sudah bersih."),
            archive(47, "02:00"),
        ),
    ),
    DemoComplaint(
        key="jalan-kebun-handil",
        reporter="warga",
        category="jalan",
        kelurahan="Kebun Handil",
        title="Aspal jalan lingkungan mengelupas",
        description=(
            "Aspal jalan lingkungan mengelupas di banyak titik dan kerikilnya berhamburan, "
            "membuat motor mudah tergelincir."
        ),
        address="Jalan lingkungan RT 05, Kebun Handil",
        filed=(80, "08:30"),
        steps=(
            review(79, "08:30"),
            route(79, "09:00", "dpupr"),
            accept(78, "09:30", "dpupr"),
            update(75, "11:00", "dpupr", "Lokasi sudah diukur untuk pelapisan ulang."),
            respond(66, "15:00", "dpupr", "Jalan sepanjang 150 meter sudah dilapis ulang."),
            close(51, "01:00"),
            archive(20, "02:00"),
        ),
    ),
)
