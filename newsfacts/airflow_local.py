"""Run the project's DAGs in this process, the way ``make demo`` and the tests do.

Airflow keeps its own metadata database (SQLite here, in ``$NEWSFACTS_HOME/airflow``),
separate from the warehouse. ``dag.test()`` executes a DAG run's tasks one after the
other in the current process, which is all a laptop needs; a cluster runs the same DAG
files unchanged (see docker-compose.yml).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from newsfacts import settings

DAGS_FOLDER = settings.PROJECT_ROOT / "dags"
PLUGINS_FOLDER = settings.PROJECT_ROOT / "plugins"


def configure(home: Path | None = None) -> Path:
    """Point Airflow at this project's DAGs and a local metadata DB (before importing it)."""
    airflow_home = (home or settings.home()) / "airflow"
    airflow_home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
        # In-process runs fail fast; a cluster keeps the DAG's retries.
        "NEWSFACTS_TASK_RETRIES": os.environ.get("NEWSFACTS_TASK_RETRIES", "0"),
    }
    os.environ.update(env)
    if str(PLUGINS_FOLDER) not in sys.path:
        sys.path.insert(0, str(PLUGINS_FOLDER))
    return airflow_home


def migrate_metadata_db() -> None:
    """``airflow db migrate``: creates or upgrades Airflow's own tables (idempotent)."""
    subprocess.run(
        [str(Path(sys.executable).with_name("airflow")), "db", "migrate"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def load_dag(dag_id: str):
    """Parse the DAGs folder as the DAG processor would and return one DAG."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.dags[dag_id]


def run_dag(dag_id: str, day: date, conf: dict | None = None) -> str:
    """Run ``dag_id`` for the UTC day ``day`` in-process; return the final run state."""
    dag = load_dag(dag_id)
    logical_date = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    run = dag.test(logical_date=logical_date, run_conf=conf or {})
    return str(run.state)
