# php's Debian images are already built on debian:<release>-slim: no swap.
FROM php:8.3-cli
COPY . /app
CMD ["php", "/app/index.php"]
FROM php:8.3-apache
COPY . /var/www/html/
