FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=mentoring.settings.production

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY --chown=app:app . .
# collectstatic needs settings to load; a throwaway key is used for this build step only.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var && chown -R app:app /app/var /app/staticfiles

USER app
ENV STATIC_ROOT=/app/staticfiles
EXPOSE 8000
CMD ["gunicorn", "mentoring.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
