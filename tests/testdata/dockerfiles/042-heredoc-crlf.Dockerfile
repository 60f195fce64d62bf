FROM ubuntu:22.04
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
COPY <<-"EOT" /etc/app/config.ini
	[server]
	port = 8080
	EOT
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
I am
first
FILE1
I am
second
FILE2
RUN python3 <<'PY'
print('hello $HOME')
PY
RUN cat <<<"not a heredoc"
CMD ["/bin/bash"]
