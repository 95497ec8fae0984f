"""Hold a foreign lock on a library database, as another program would: ``python locker.py DB``.

It takes ``BEGIN EXCLUSIVE``, prints ``locked`` and holds the lock until a line arrives
on stdin (or stdin closes), then commits and exits: the test decides when, with a pipe.
"""

import sqlite3
import sys

db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
db.close()
