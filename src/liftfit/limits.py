"""Limits shared by the command line and the library (kept light: imported at start-up)."""

# Garmin Connect's workout editor caps a workout at 50 steps; side-loaded files of 71 steps
# are reported to work on some watches, hence a default that can be raised.
DEFAULT_MAX_STEPS = 50
# The most --max-steps allows; a workout file with more step entries is refused unread.
MAX_STEPS_CAP = 500
