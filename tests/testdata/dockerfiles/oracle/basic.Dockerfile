FROM scratch
COPY rootfs/ /
RUN echo one \
    && echo two
ENV A=1 B="two words"
WORKDIR /work
CMD ["/bin/sh", "-c", "echo hi"]
