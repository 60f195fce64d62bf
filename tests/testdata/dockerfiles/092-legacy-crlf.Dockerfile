FROM centos:8
MAINTAINER Jane Doe <jane@example.invalid>
RUN yum install -y httpd && \
    yum clean all
ADD index.html /var/www/html/
EXPOSE 80 443/tcp
CMD /usr/sbin/httpd -D FOREGROUND
