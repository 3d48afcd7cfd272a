from sikesal.agencies.loaders import load_agencies
from sikesal.agencies.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load the agencies (OPD, Perusahaan Daerah, kecamatan); their public information "
        "starts blank (the standard one shows). Needs load_regions; only what is missing "
        "is created."
    )
    loader = staticmethod(load_agencies)
