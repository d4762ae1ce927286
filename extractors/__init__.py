"""The pure core of newsfacts: feeds, fetching, article extraction, URLs, sources.

Nothing in this package imports Airflow or talks to the warehouse: functions take plain
data (bytes, strings, dataclasses) and return plain data, so the same code runs in an
Airflow task, in the ``newsfacts`` CLI and in a unit test.
"""
