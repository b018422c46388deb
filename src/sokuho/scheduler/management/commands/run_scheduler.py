from django.core.management.base import BaseCommand

from sokuho.scheduler.jobs import registered_jobs, run_due_jobs
from sokuho.scheduler.runner import run_forever


class Command(BaseCommand):
    help = "Run sokuho's periodic jobs (the server already does this; for separate worker hosts)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, **options):
        if options["once"]:
            ran = run_due_jobs(force=True)
            self.stdout.write("ran: " + ", ".join(ran))
            return
        names = ", ".join(job.name for job in registered_jobs())
        self.stdout.write(f"Scheduler running: {names}")
        run_forever()
