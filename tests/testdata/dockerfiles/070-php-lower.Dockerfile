from php:7.4-fpm-alpine
run set -eux; \
	apk add --no-cache --virtual .build-deps \
		$PHPIZE_DEPS \
		icu-dev \
		libzip-dev \
	; \
	docker-php-ext-install -j"$(nproc)" intl zip opcache; \
	apk del --no-network .build-deps
copy --from=composer:2 /usr/bin/composer /usr/bin/composer
workdir /var/www/html
user www-data
