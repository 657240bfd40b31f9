"""The case itself: intake, consent, transitions, the queue, closing, its pages and API."""
