"""The Voila apps and the server that runs them.

Importing any of them first marks ``rfc3987_syntax`` absent (``kit.slow_imports``): every
participant's kernel would otherwise compile its grammar, about a second of CPU each, the moment
anything loads jsonschema, and nothing in the apps or in Voila's server checks the two string
formats it serves.
"""

from kit.slow_imports import skip_unused_slow_imports

skip_unused_slow_imports()
