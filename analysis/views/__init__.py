"""The analysis screens, one module per screen: the codebook, coding (the workbench and its
exports), themes, patterns (the heatmap, its CSV and the comparison of programs), theme suggestions
and coder agreement. `analysis/urls.py` names every view."""
