FROM scratch
COPY rootfs/ /
RUN echo crlf \
  && echo done
ONBUILD RUN echo later
CMD ['sh', '-c']
