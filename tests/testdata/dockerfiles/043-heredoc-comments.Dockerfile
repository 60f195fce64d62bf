FROM ubuntu:20.04

# between instructions
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF

# between instructions
COPY <<-"EOT" /etc/app/config.ini
	[server]
	port = 8080
	EOT

# between instructions
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
I am
first
FILE1
I am
second
FILE2

# between instructions
RUN python3 <<'PY'
print('hello $HOME')
PY

# between instructions
RUN cat <<<"not a heredoc"

# between instructions
CMD ["/bin/bash"]

# between instructions
