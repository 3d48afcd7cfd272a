from sikesal.agencies.loaders import load_agencies
from sikesal.agencies.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load the agencies (OPD, Perusahaan Daerah, kecamatan) with default public "
        "information; needs load_regions. Only what is missing is created."
    )
    loader = staticmethod(load_agencies)
