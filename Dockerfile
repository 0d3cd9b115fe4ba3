# Kinerja's Airflow image: the official Airflow image with Kinerja's locked environment (uv.lock)
# installed at build time into /opt/kinerja/.venv, first on PATH. Nothing is installed when a
# container starts. The checkout's .venv, .tools and any home data never enter the image
# (.dockerignore). Built by `docker-compose build`; the versions here follow uv.lock and the
# Makefile (tests/unit/test_compose.py checks it).
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}

ARG UV_VERSION=0.13.9

# the folders the compose file's named volumes mount: a new volume takes their owner (airflow, group 0,
# group-writable, as the official image does for any AIRFLOW_UID)
USER root
RUN install -d -o airflow -g 0 -m 2775 /opt/kinerja /data/inbox /data/kinerja \
        /data/kinerja/landing /data/kinerja/quarantine /data/kinerja/warehouse \
        /data/kinerja/state /opt/airflow/auth
USER airflow

WORKDIR /opt/kinerja
ENV UV_PROJECT_ENVIRONMENT=/opt/kinerja/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1
RUN pip install --no-cache-dir --user "uv==${UV_VERSION}"

# the locked dependencies first: this layer is rebuilt only when pyproject.toml or uv.lock change
COPY --chown=airflow:0 pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python

# then Kinerja itself (editable: dbt_project/, expectations/ and the bundled sample are read from here)
COPY --chown=airflow:0 . .
RUN uv sync --frozen --no-dev --python /usr/local/bin/python \
    && /opt/kinerja/.venv/bin/python -c "from kinerja.dbt import manifest; manifest()" \
    && chmod -R g+w /opt/kinerja/dbt_project

ENV PATH="/opt/kinerja/.venv/bin:${PATH}" \
    VIRTUAL_ENV=/opt/kinerja/.venv \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/kinerja/dags \
    KINERJA_HOME=/data/kinerja \
    KINERJA_INBOX=/data/inbox
