"""newsfacts: the pipeline around the pure core in ``extractors``.

This package owns everything with side effects: the warehouse connection (including
the embedded PostgreSQL), migrations, the stages the DAGs call, the fixture server
and the ``newsfacts`` command line. DAG files stay thin by calling into it.
"""
