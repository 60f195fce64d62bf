from ubuntu:23.10
run <<EOF
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
copy <<-"EOT" /etc/app/config.ini
	[server]
	port = 8080
	EOT
run <<FILE1 cat > /file1 && <<FILE2 cat > /file2
I am
first
FILE1
I am
second
FILE2
run python3 <<'PY'
print('hello $HOME')
PY
run cat <<<"not a heredoc"
cmd ["/bin/bash"]
