"""Field editors: one class per field kind; ``registry`` lists them all in one place."""
