FROM debian:12-slim

# between instructions
RUN set -ex; \
    # a comment inside the continuation
	if ! command -v gpg > /dev/null; then \
		apt-get update; \
		apt-get install -y --no-install-recommends gnupg dirmngr; \
		rm -rf /var/lib/apt/lists/*; \
	fi

# between instructions
ENV GOSU_VERSION 1.17

# between instructions
RUN groupadd -r postgres --gid=999 && useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres

# between instructions
ENV PGDATA /var/lib/postgresql/data

# between instructions
VOLUME /var/lib/postgresql/data

# between instructions
COPY docker-entrypoint.sh /usr/local/bin/

# between instructions
ENTRYPOINT ["docker-entrypoint.sh"]

# between instructions
STOPSIGNAL SIGINT

# between instructions
EXPOSE 5432

# between instructions
CMD ["postgres"]

# between instructions
