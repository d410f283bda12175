# syntax=docker/dockerfile:1
# Said & Done: the web app (`said serve`, the default) or the background worker (`said worker`).
#
#   docker build -t said-and-done .
#   docker compose up -d          # PostgreSQL, the web process and a worker: see compose.yaml and docs/deploying.md
#
# Two stages: the first builds the project's wheel and collects a wheel for every dependency; the second
# installs only those wheels, so the image carries no compiler, no build tools and no source tree.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY channels ./channels
COPY storage ./storage
COPY prompts ./prompts
# Every dependency ships binary wheels for Linux (x86-64 and ARM), so nothing is compiled here either.
RUN pip wheel --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="Said & Done" \
      org.opencontainers.image.description="An accessible chatbot that hears from the people a service serves and tells them what changed." \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SAID_LOG_FORMAT=json \
    SAID_VAR_DIR=/var/lib/said
# A user of its own with no login shell: the app never needs root, and its only writable place is its home.
RUN groupadd --system --gid 10001 said \
 && useradd --system --uid 10001 --gid said --home-dir /var/lib/said --create-home --shell /usr/sbin/nologin said
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels /wheels/said_and_done-*.whl \
 && said --help > /dev/null
WORKDIR /var/lib/said
USER 10001:10001
EXPOSE 8000
# /healthz says the process is alive (it does not touch the database, so a database blip never marks
# the container unhealthy); load balancers should ask /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# 0.0.0.0 inside the container: publish the port to the host's loopback only and put a TLS proxy in front.
CMD ["said", "serve", "--host", "0.0.0.0", "--port", "8000"]
