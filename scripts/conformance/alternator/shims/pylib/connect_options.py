def add_host_option(parser):
    pass
