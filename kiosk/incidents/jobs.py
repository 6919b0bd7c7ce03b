"""The incidents jobs in the one scheduler (embedded, or `kiosk scheduler`): every 30 s `incidents.run`
evaluates every declared condition, queues the morning digest when due and sends what is due; every
2 s `incidents.deliver` sends what is due, so a test message queued by any server process (or a retry)
goes out within seconds without the request waiting for the receiver."""
from kiosk.incidents.operations import deliver, run
from kiosk.scheduling import job

job("incidents.run", "interval", seconds=30)(run)
job("incidents.deliver", "interval", seconds=2)(deliver)
