"""Shared by the fake servers here: a server outlives no test process, however long a loaded test run
keeps it waiting (a fixed lifetime did not)."""
import os
import threading
import time


def stop_with_parent(server):
    """Shuts `server` down once the process that started this one has exited (checked every second)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        server.shutdown()

    threading.Thread(target=watch, daemon=True).start()
