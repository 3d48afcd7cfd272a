from sikesal.agencies.loaders import load_regions
from sikesal.agencies.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load the city, its kecamatan and kelurahan with their boundaries; "
        "only what is missing is created."
    )
    loader = staticmethod(load_regions)
