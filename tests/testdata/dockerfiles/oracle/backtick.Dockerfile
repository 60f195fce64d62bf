# escape=`
FROM scratch
COPY rootfs/ /
RUN echo a `
    && echo b
RUN echo back\slash
ENTRYPOINT ["/bin/sh"]
