"""The self-assessment as ipywidgets, for notebooks and the Voila app alike."""

from kit.forms.assessment import AssessmentForm, self_assessment

__all__ = ["AssessmentForm", "self_assessment"]
