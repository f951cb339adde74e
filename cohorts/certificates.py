"""A graduate's Master Mentor certificate as a PDF, drawn with ReportLab (pure Python, no system packages).

The page carries what the public verification page shows (the name, the certificate's title, the date),
the cohort, and the verification link, so whoever receives the PDF can check it is genuine.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .models import Certificate
from .services.graduation import verification_url

BRAND = colors.HexColor("#1f4e79")
NAME_FONT, NAME_SIZE = "Helvetica-Bold", 34


def certificate_filename(certificate: Certificate) -> str:
    return f"master-mentor-certificate-{certificate.pk}.pdf"


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 10 and stringWidth(text, font, size) > width:
        size -= 1
    return size


def certificate_pdf(certificate: Certificate) -> bytes:
    member = certificate.member
    person = member.person
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{certificate.title}: {person.full_name}")
    pdf.setAuthor(settings.SITE_NAME)
    pdf.setSubject(f"{member.cohort.name} cohort")

    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(4)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setLineWidth(1)
    pdf.rect(1.6 * cm, 1.6 * cm, width - 3.2 * cm, height - 3.2 * cm)

    centre, usable = width / 2, width - 6 * cm
    pdf.setFillColor(BRAND)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 4 * cm, settings.SITE_NAME.upper())
    title_size = _fit(certificate.title, "Helvetica-Bold", 30, usable)
    pdf.setFont("Helvetica-Bold", title_size)
    pdf.drawCentredString(centre, height - 6 * cm, certificate.title)

    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 8 * cm, "This certifies that")
    pdf.setFont(NAME_FONT, _fit(person.full_name, NAME_FONT, NAME_SIZE, usable))
    pdf.drawCentredString(centre, height - 10 * cm, person.full_name)
    pdf.setFont("Helvetica", 14)
    cohort_line = f"completed the training of the {member.cohort.name} Master Mentor cohort"
    pdf.setFont("Helvetica", _fit(cohort_line, "Helvetica", 14, usable))
    pdf.drawCentredString(centre, height - 11.5 * cm, cohort_line)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 12.7 * cm, f"on {date_format(certificate.issued_on, 'j F Y')}.")

    pdf.setFillColor(colors.dimgrey)
    pdf.setFont("Helvetica", 9)
    link = verification_url(certificate)
    pdf.drawCentredString(centre, 2.6 * cm, f"Verify this certificate: {link}")
    pdf.linkURL(link, (centre - usable / 2, 2.4 * cm, centre + usable / 2, 3.0 * cm), relative=0)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
