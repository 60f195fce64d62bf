ARG TAG=x
FROM scratch AS base
COPY rootfs/ /
ARG TAG
ENV T=${TAG}
RUN echo $T
FROM base
STOPSIGNAL SIGTERM
VOLUME ["/data"]
RUN ["echo", "exec", "form"]
