# Production image of newsfacts: the official Airflow image, extended with this repository.
#
#   docker build --pull -t newsfacts-airflow:latest .     (or: docker compose build)
#
# The whole checkout goes to /opt/newsfacts because the code reads sql/ and sources.yml from
# it at runtime; .dockerignore keeps local state (.venv, .newsfacts, .git, caches) out.
# Extending follows https://airflow.apache.org/docs/docker-stack/build.html: pip runs as
# the `airflow` user (the image refuses pip as root), and the project pins
# apache-airflow==3.3.2 like the base image, so pip cannot silently up- or downgrade Airflow.
FROM apache/airflow:3.3.2-python3.11

# Owned by airflow (group 0, as the image expects) so the editable install can write its
# metadata next to the sources.
COPY --chown=airflow:0 . /opt/newsfacts

USER airflow
RUN pip install --no-cache-dir -c /opt/newsfacts/constraints.txt -e /opt/newsfacts \
    && pip check

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/newsfacts/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/newsfacts/plugins \
    NEWSFACTS_SOURCES=/opt/newsfacts/sources.yml
