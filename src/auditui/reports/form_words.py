"""The words of the printed blank checklist (`auditui print --lang`) in the languages the
shipped checklists are translated into.

The checklist's own text comes from its translations; these are the form's words around
it (the boxes, the columns, how to fill it in), so that a supervisor handed the paper
reads one language. The terms are those of docs/translation-glossary.md. A language not
listed here prints these words in English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormWords:
    kind: str
    """Above the title: what the sheet is."""
    header: tuple[str, str, str, str]
    """The blanks to fill in: auditors, auditee, date, place."""
    how: str
    """How to fill it in, as HTML (the box letters P, F, N/A in bold)."""
    columns: tuple[str, str, str, str]
    """Item, question, result, note."""
    grades: str
    """The grades to circle beside the boxes."""
    version: str
    scope: str
    questions: str
    """After the number of questions."""
    page_title: str
    """Before the checklist's name, in the page's title."""
    closing: tuple[str, str, str] = ("Conclusion", "Auditor's signature", "Auditee's signature")
    """The last block: the audit's conclusion, then who signs it."""


ENGLISH = FormWords(
    kind="Audit checklist — to fill in by hand",
    header=("Auditor(s)", "Auditee", "Date", "Place / area"),
    how=(
        "Tick one box per question: <strong>P</strong> pass, <strong>F</strong> fail, "
        "<strong>N/A</strong> not applicable. For a fail, circle the grade (major, minor); an "
        "observation or an opportunity for improvement (OFI) may go with a pass too. Note what "
        "you saw: records, people, places."
    ),
    columns=("Item", "Question", "Result", "Note"),
    grades="major · minor · obs · OFI",
    version="version",
    scope="scope",
    questions="questions",
    page_title="Checklist",
)

TRANSLATED = {
    "vi": FormWords(
        kind="Danh mục đánh giá — điền bằng tay",
        header=("Chuyên gia đánh giá", "Bên được đánh giá", "Ngày", "Địa điểm / khu vực"),
        how=(
            "Đánh dấu một ô cho mỗi câu hỏi: <strong>P</strong> đạt, <strong>F</strong> không "
            "đạt, <strong>N/A</strong> không áp dụng. Nếu không đạt, khoanh mức độ (nặng, "
            "nhẹ); một nhận xét hoặc một cơ hội cải tiến (OFI) cũng có thể đi kèm kết quả đạt. "
            "Ghi lại những gì đã thấy: hồ sơ, con người, địa điểm."
        ),
        columns=("Mục", "Câu hỏi", "Kết quả", "Ghi chú"),
        grades="nặng · nhẹ · nhận xét · OFI",
        version="phiên bản",
        scope="phạm vi",
        questions="câu hỏi",
        page_title="Danh mục",
        closing=("Kết luận", "Chữ ký chuyên gia đánh giá", "Chữ ký bên được đánh giá"),
    ),
    "th": FormWords(
        kind="รายการตรวจประเมิน — สำหรับกรอกด้วยมือ",
        header=("ผู้ตรวจประเมิน", "ผู้รับการตรวจประเมิน", "วันที่", "สถานที่ / พื้นที่"),
        how=(
            "ทำเครื่องหมายหนึ่งช่องต่อหนึ่งคำถาม: <strong>P</strong> ผ่าน, <strong>F</strong> "
            "ไม่ผ่าน, <strong>N/A</strong> ไม่สามารถนำมาใช้ได้ หากไม่ผ่าน ให้วงระดับ (ร้ายแรง, "
            "ไม่ร้ายแรง) ข้อสังเกตหรือโอกาสในการปรับปรุง (OFI) ใส่คู่กับผลที่ผ่านได้ "
            "จดสิ่งที่พบ: บันทึก บุคคล สถานที่"
        ),
        columns=("ข้อ", "คำถาม", "ผล", "หมายเหตุ"),
        grades="ร้ายแรง · ไม่ร้ายแรง · ข้อสังเกต · OFI",
        version="ฉบับ",
        scope="ขอบเขต",
        questions="คำถาม",
        page_title="รายการตรวจ",
        closing=("ข้อสรุป", "ลายมือชื่อผู้ตรวจประเมิน", "ลายมือชื่อผู้รับการตรวจประเมิน"),
    ),
    "id": FormWords(
        kind="Daftar periksa audit — diisi dengan tangan",
        header=("Auditor", "Auditi", "Tanggal", "Tempat / area"),
        how=(
            "Centang satu kotak per pertanyaan: <strong>P</strong> lulus, <strong>F</strong> "
            "gagal, <strong>N/A</strong> tidak berlaku. Untuk yang gagal, lingkari tingkatnya "
            "(mayor, minor); observasi atau peluang peningkatan (OFI) boleh menyertai hasil "
            "lulus. Catat apa yang dilihat: rekaman, orang, tempat."
        ),
        columns=("Butir", "Pertanyaan", "Hasil", "Catatan"),
        grades="mayor · minor · observasi · OFI",
        version="versi",
        scope="ruang lingkup",
        questions="pertanyaan",
        page_title="Daftar periksa",
        closing=("Kesimpulan", "Tanda tangan auditor", "Tanda tangan auditi"),
    ),
}


def form_words(lang: str) -> FormWords:
    """The form's words in `lang` (a tag such as `vi`, or `vi-VN`), else in English."""
    return TRANSLATED.get(lang.split("-")[0].lower(), ENGLISH) if lang else ENGLISH
