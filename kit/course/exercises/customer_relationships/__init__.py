"""Customer-relationship exercises: fair decisions, lean data, and a checklist of habits.

Four exercises for the customer_relationships lessons: a bias audit with the four-fifths rule,
a data-minimisation review, the nine-point ethical automation checklist from
``content/checklists/ethical_automation.yaml``, and a review of one customer journey against
the seven principles of a humanistic automation framework.

Parts: ``data`` (samples in ``content/exercises/customer_relationships.yaml`` and the loans
CSV), ``calc``, ``charts``, ``widgets``; lessons use this package as one name space (see
``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
