  FROM php:8.0-fpm-alpine

# between instructions
  RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
		$PHPIZE_DEPS \
		icu-dev \
		libzip-dev \
	; \
	docker-php-ext-install -j"$(nproc)" intl zip opcache; \
	apk del --no-network .build-deps

# between instructions
  COPY --from=composer:2 /usr/bin/composer /usr/bin/composer

# between instructions
  WORKDIR /var/www/html

# between instructions
  USER www-data

# between instructions
