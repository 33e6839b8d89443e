"""PDF writers (reportlab) that take plain data: the weekly report and the counter slips."""
