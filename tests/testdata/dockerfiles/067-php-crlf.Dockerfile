FROM php:8.2-fpm-alpine
RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
		$PHPIZE_DEPS \
		icu-dev \
		libzip-dev \
	; \
	docker-php-ext-install -j"$(nproc)" intl zip opcache; \
	apk del --no-network .build-deps
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
USER www-data
