from centos:8.4.2105
maintainer Jane Doe <jane@example.invalid>
run yum install -y httpd && \
    yum clean all
add index.html /var/www/html/
expose 80 443/tcp
cmd /usr/sbin/httpd -D FOREGROUND
