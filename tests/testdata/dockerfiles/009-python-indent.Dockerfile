  FROM python:3.9.19-slim-bookworm

# between instructions
  ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# between instructions
  RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        libpq5 \
        tini \
    ; \
    rm -rf /var/lib/apt/lists/*

# between instructions
  WORKDIR /srv

# between instructions
  COPY requirements.txt .

# between instructions
  RUN pip install --no-cache-dir -r requirements.txt

# between instructions
  COPY . .

# between instructions
  RUN useradd --create-home --uid 10001 app

# between instructions
  USER 10001

# between instructions
  ENTRYPOINT ["tini", "--"]

# between instructions
  CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

# between instructions
