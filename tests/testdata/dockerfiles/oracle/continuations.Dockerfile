FROM scratch
COPY rootfs/ /
# a comment
RUN echo a \
# comment inside the continuation
    && echo b \

    && echo c
  run echo lower
LABEL a=b \
      c=d
EXPOSE 8080
USER 1000
CMD echo shell form
