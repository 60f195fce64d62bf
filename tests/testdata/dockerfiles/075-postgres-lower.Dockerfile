from debian:trixie-slim
run set -ex; \
	if ! command -v gpg > /dev/null; then \
		apt-get update; \
		apt-get install -y --no-install-recommends gnupg dirmngr; \
		rm -rf /var/lib/apt/lists/*; \
	fi
env GOSU_VERSION 1.17
run groupadd -r postgres --gid=999 && useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres
env PGDATA /var/lib/postgresql/data
volume /var/lib/postgresql/data
copy docker-entrypoint.sh /usr/local/bin/
entrypoint ["docker-entrypoint.sh"]
stopsignal SIGINT
expose 5432
cmd ["postgres"]
