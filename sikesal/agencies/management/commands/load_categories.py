from sikesal.agencies.loaders import load_categories
from sikesal.agencies.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load the complaint categories and their default agencies; needs load_agencies. "
        "Only what is missing is created."
    )
    loader = staticmethod(load_categories)
