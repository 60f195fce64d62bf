from python:3.13.0-slim-bookworm
env PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
run set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        libpq5 \
        tini \
    ; \
    rm -rf /var/lib/apt/lists/*
workdir /srv
copy requirements.txt .
run pip install --no-cache-dir -r requirements.txt
copy . .
run useradd --create-home --uid 10001 app
user 10001
entrypoint ["tini", "--"]
cmd ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
