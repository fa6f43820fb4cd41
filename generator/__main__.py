import signal
import sys

from generator.cli import main, stopped

signal.signal(signal.SIGTERM, stopped)
sys.exit(main())
