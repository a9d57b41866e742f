def safe_driver_shutdown(*args, **kwargs):
    pass
