"""COROS Training Hub: login, the workout library as an upsert, the training calendar.

``api`` is the only code that talks HTTP, ``login`` logs in and keeps the token; ``sync`` and
``schedule`` are its two services.
"""
