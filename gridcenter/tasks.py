from celery import shared_task


@shared_task(name="gridcenter.ping", ignore_result=False, acks_late=False)
def ping_task() -> str:
    """Answers the health check: proves a worker takes tasks and returns results."""
    return "pong"
