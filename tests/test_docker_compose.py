"""Static checks of the production deployment: docker-compose.yml, Dockerfile, .dockerignore.

No Docker engine is needed: the files are parsed and the properties that would otherwise
only show up at `docker compose up` time are asserted directly.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from newsfacts.warehouse import dsn_from_airflow_conn

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
AIRFLOW_COMMANDS = {
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-worker": "celery worker",
    "airflow-triggerer": "triggerer",
}
AIRFLOW_SERVICES = [*AIRFLOW_COMMANDS, "airflow-init"]
APP_DIR = "/opt/newsfacts"

_VAR = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} substitution."""

    def value(match: re.Match) -> str:
        name, op, arg = match.groups()
        if env.get(name):
            return env[name]
        if op and op.endswith("?"):
            raise KeyError(f"{name} is required: {arg}")
        return arg if op else ""

    return _VAR.sub(value, text)


def env_of(service: str) -> dict:
    return SERVICES[service]["environment"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def test_required_services_exist():
    expected = {*AIRFLOW_SERVICES, "postgres", "redis", "warehouse"}
    assert expected <= set(SERVICES)
    assert SERVICES["postgres"]["image"] == "postgres:16"
    assert SERVICES["warehouse"]["image"] == "postgres:16"
    assert SERVICES["redis"]["image"] == "redis:7.2-bookworm"


@pytest.mark.parametrize("service", AIRFLOW_SERVICES)
def test_airflow_services_share_image_and_celery_executor(service):
    spec = SERVICES[service]
    assert spec["image"] == "newsfacts-airflow:latest"
    assert spec["build"] == "."
    env = env_of(service)
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0"
    assert urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).hostname == "postgres"
    assert urlsplit(env["AIRFLOW__CELERY__RESULT_BACKEND"]).hostname == "postgres"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    assert env["NEWSFACTS_SOURCES"] == f"{APP_DIR}/sources.yml"


@pytest.mark.parametrize("service, command", AIRFLOW_COMMANDS.items())
def test_airflow3_commands(service, command):
    assert SERVICES[service]["command"] == command


def test_init_migrates_and_creates_admin():
    script = " ".join(SERVICES["airflow-init"]["command"])
    assert "airflow db migrate" in script
    assert "airflow users create" in script
    assert "FabAuthManager" in env_of("airflow-init")["AIRFLOW__CORE__AUTH_MANAGER"]


@pytest.mark.parametrize("service", AIRFLOW_SERVICES)
def test_shared_secrets_are_required_env_references(service):
    env = env_of(service)
    assert re.fullmatch(r"\$\{AIRFLOW_JWT_SECRET:\?[^}]+\}", env["AIRFLOW__API_AUTH__JWT_SECRET"])
    assert re.fullmatch(r"\$\{AIRFLOW_API_SECRET_KEY:\?[^}]+\}", env["AIRFLOW__API__SECRET_KEY"])
    url = urlsplit(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert (url.hostname, url.port, url.path) == ("airflow-apiserver", 8080, "/execution/")


def test_apiserver_publishes_the_port_the_execution_api_url_uses():
    assert any(str(p).endswith(":8080") for p in SERVICES["airflow-apiserver"]["ports"])


def test_warehouse_is_separate_from_metadata_db():
    def data_volume(service):
        (volume,) = [v.split(":")[0] for v in SERVICES[service]["volumes"]
                     if v.endswith(":/var/lib/postgresql/data")]
        return volume

    assert data_volume("warehouse") != data_volume("postgres")
    assert SERVICES["warehouse"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]


def test_warehouse_connection_points_at_warehouse_service():
    raw = env_of("airflow-worker")["AIRFLOW_CONN_WAREHOUSE"]
    assert "${WAREHOUSE_PASSWORD:?" in raw
    env = {"WAREHOUSE_PASSWORD": "s3cret"}
    dsn = dsn_from_airflow_conn(interpolate(raw, env))  # the project's own parser
    fields = dict(item.split("=", 1) for item in dsn.split())
    warehouse_env = {k: interpolate(v, env) for k, v in env_of("warehouse").items()}
    assert fields == {
        "host": "warehouse",
        "port": "5432",
        "user": warehouse_env["POSTGRES_USER"],
        "password": "s3cret",
        "dbname": warehouse_env["POSTGRES_DB"],
    }
    with pytest.raises(KeyError, match="WAREHOUSE_PASSWORD"):
        interpolate(raw, {})


@pytest.mark.parametrize("service", ["airflow-worker", "airflow-scheduler"])
def test_depends_on_healthy_infrastructure_and_init(service):
    depends_on = SERVICES[service]["depends_on"]
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["airflow-init"]["condition"] == "service_completed_successfully"
    for name in ("redis", "postgres"):
        assert "healthcheck" in SERVICES[name]


def test_named_volumes_are_declared():
    used = {
        volume.split(":")[0]
        for spec in SERVICES.values()
        for volume in spec.get("volumes", [])
        if not volume.startswith((".", "/", "$", "~"))
    }
    assert {"airflow-logs"} <= used
    assert used <= set(COMPOSE["volumes"])


def test_dockerfile_installs_project_with_constraints():
    instructions = dockerfile_instructions()
    pinned = next(
        dep.split("==")[1]
        for dep in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
        if dep.startswith("apache-airflow==")
    )
    assert instructions[0] == ("FROM", f"apache/airflow:{pinned}-python3.11")
    copy = next(args for op, args in instructions if op == "COPY")
    assert copy.split()[-2:] == [".", APP_DIR]
    pip = [i for i, (op, args) in enumerate(instructions) if op == "RUN" and "pip install" in args]
    assert len(pip) == 1
    assert f"-c {APP_DIR}/constraints.txt -e {APP_DIR}" in instructions[pip[0]][1]
    users = [args for op, args in instructions[: pip[0]] if op == "USER"]
    assert users and users[-1] == "airflow"


def test_dockerfile_points_airflow_at_the_project():
    env = " ".join(args for op, args in dockerfile_instructions() if op == "ENV")
    settings = dict(re.findall(r"(\w+)=(\S+)", env))
    assert settings["AIRFLOW__CORE__DAGS_FOLDER"] == f"{APP_DIR}/dags"
    assert settings["AIRFLOW__CORE__PLUGINS_FOLDER"] == f"{APP_DIR}/plugins"
    assert settings["NEWSFACTS_SOURCES"] == f"{APP_DIR}/sources.yml"
    # The folders exist in the checkout that COPY puts at APP_DIR.
    assert (ROOT / "dags" / "news_nightly.py").is_file()
    assert (ROOT / "plugins" / "newsfacts_airflow.py").is_file()


def test_dockerignore_drops_local_state_but_keeps_runtime_files():
    patterns = {
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".newsfacts", ".git", "**/__pycache__", "bench-results"} <= patterns
    assert not patterns & {"sql", "dags", "plugins", "constraints.txt", "pyproject.toml", "*.yml"}
