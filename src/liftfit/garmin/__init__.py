"""Garmin Connect: the id tables, the workout shape and the gateway over ``garminconnect``.

Nothing here imports ``garminconnect`` at import time: ``gateway`` does it inside the
functions that talk to Connect, so ``liftfit --help`` stays fast.
"""
