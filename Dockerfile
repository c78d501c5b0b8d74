# matchmaker: one image for the web app, the rq worker and the cron worker (compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MATCHMAKER_ENV=production \
    MATCHMAKER_INSTANCE=/var/lib/matchmaker \
    PROMETHEUS_MULTIPROC_DIR=/tmp/matchmaker-metrics

WORKDIR /app
COPY requirements.txt requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN useradd --system --home-dir /var/lib/matchmaker --create-home matchmaker \
    && python -c "from search.analysis import segment; segment('产学研对接')" \
    && chown -R matchmaker /var/lib/matchmaker
USER matchmaker

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
