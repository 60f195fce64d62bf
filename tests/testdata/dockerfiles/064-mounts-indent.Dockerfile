  FROM python:3.9

# between instructions
  RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf \
    --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt

# between instructions
  RUN --mount=type=ssh git clone git@github.com:example/private.git /src

# between instructions
  RUN --mount=type=bind,source=.,target=/ctx,rw make -C /ctx install

# between instructions
  ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.invalid/tool.tar.gz /tmp/

# between instructions
  COPY --link --chmod=755 bin/ /usr/local/bin/

# between instructions
