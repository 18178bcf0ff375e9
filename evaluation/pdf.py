"""The PDF of an evaluation report, drawn by WeasyPrint from the same template parts and SVG
charts as the page in the browser (``evaluation/report_body.html``)."""

from django.template.loader import render_to_string
from django.utils import translation

from evaluation.charts import dashboard_charts
from evaluation.models import EvaluationReport

# Print layout: A4, the figure cards in a grid, tables that do not split a row.
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: sans-serif; font-size: 10pt; color: #212529; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 14pt; } h3 { font-size: 11pt; }
dl.figure-cards { display: flex; flex-wrap: wrap; }
dl.figure-cards > div { width: 24%; margin-bottom: 6pt; }
dl.figure-cards dd { font-size: 14pt; margin: 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
th, td { border-bottom: 0.5pt solid #ced4da; padding: 2pt 4pt; text-align: left; }
tr { page-break-inside: avoid; }
figure { page-break-inside: avoid; margin: 0 0 10pt; }
figcaption { font-weight: bold; }
caption { text-align: left; font-style: italic; }
.visually-hidden { display: none; }
"""


def render_report_pdf(report: EvaluationReport, *, request=None) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(
        "evaluation/report_pdf.html",
        {
            "report": report,
            "figures": report.snapshot,
            "charts": dashboard_charts(report.snapshot),
            "comments": report.comments.select_related("author"),
            "language": translation.get_language(),
        },
        request=request,
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
