#!/usr/bin/env python3
"""Shows an .eml file the way a mail client does, as an HTML page (headers
decoded, the HTML part, the attachments), for the README's picture:

    python3 scripts/email-preview.py taller-out/mad-2016-01/outbox/X.eml > /tmp/mail.html
    chromium --headless --no-sandbox --disable-gpu --screenshot=docs/email.png \
        --window-size=900,900 /tmp/mail.html
"""
import html
import sys
from email import policy
from email.parser import BytesParser

with open(sys.argv[1], "rb") as f:
    message = BytesParser(policy=policy.default).parse(f)

body = message.get_body(preferencelist=("html", "plain"))
content = body.get_content()
if body.get_content_type() == "text/plain":
    content = "<pre>" + html.escape(content) + "</pre>"
attachments = [
    f"<span class=chip>PDF · {html.escape(part.get_filename() or 'attachment')} "
    f"({len(part.get_payload(decode=True)) // 1024} KB)</span>"
    for part in message.iter_attachments()
]
rows = "".join(
    f"<tr><th>{name}</th><td>{html.escape(str(message[name]))}</td></tr>"
    for name in ("From", "To", "Subject", "Date")
    if message[name]
)
print(f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; background: #eef1f5; }}
.window {{ margin: 16px; background: white; border: 1px solid #c8ced8; border-radius: 6px; }}
table {{ width: 100%; border-collapse: collapse; background: #f7f8fa; border-bottom: 1px solid #dde2ea; }}
th {{ text-align: right; color: #667; font-weight: normal; padding: 4px 10px; width: 70px; font-size: 13px; }}
td {{ padding: 4px 10px; font-size: 13px; }}
.chips {{ padding: 8px 16px; border-bottom: 1px solid #dde2ea; }}
.chip {{ display: inline-block; background: #e8edf5; border-radius: 12px; padding: 3px 10px; font-size: 13px; }}
</style></head><body><div class=window><table>{rows}</table>
<div class=chips>{"".join(attachments)}</div><div style="padding: 4px 16px">{content}</div></div></body></html>""")
