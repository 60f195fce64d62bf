FROM centos:6

# between instructions
MAINTAINER Jane Doe <jane@example.invalid>

# between instructions
RUN yum install -y httpd && \
    # a comment inside the continuation
    yum clean all

# between instructions
ADD index.html /var/www/html/

# between instructions
EXPOSE 80 443/tcp

# between instructions
CMD /usr/sbin/httpd -D FOREGROUND

# between instructions
