"""Reading a generated deck back: the text of each slide, as an official would read it."""

from __future__ import annotations

import io

from pptx import Presentation


def slide_texts(pptx: bytes) -> list[str]:
    """Per slide, the text of its text boxes and its tables' cells, one per line."""
    out = []
    for slide in Presentation(io.BytesIO(pptx)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append("\n".join(parts))
    return out
