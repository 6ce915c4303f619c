## Attachments: the editor's upload control, refusals and sizes.

attachments-empty = { $name } is empty: there is nothing to attach.
attachments-too-large = { $name } is { $mb } MB; a file may be at most { $limit } MB.
attachments-not-allowed = { $name } is not a kind of file that can be attached. Pictures (PNG, JPEG, GIF, WebP), PDF, ZIP, office documents and text files (logs, CSV, JSON, …) can.
attachments-corrupt = { $name } looks like a picture but cannot be read. Save it again as PNG or JPEG and attach that.
attachments-too-many-pixels = { $name } is { $width } × { $height } pixels; a picture may have at most { $limit ->
    [one] { $limit } megapixel
   *[other] { $limit } megapixels
}.
attachments-daily-files = You attached { $count } files in the last 24 hours, as many as a day allows. You can attach more later.
attachments-daily-bytes = You attached { $used } MB in the last 24 hours; a day allows { $limit } MB. You can attach more later.
attachments-not-found = There is no such attachment, or it is not yours to see.
attachments-not-stored = The file could not be stored just now. Please try again in a moment.
attachments-body-broken = The upload broke off before the file arrived. Please try again.

attachments-size-bytes = { $n } bytes
attachments-size-kb = { $n } KB
attachments-size-mb = { $n } MB

# The editor's attach control (the script takes these words from the page).
attachments-button = Attach files
attachments-hint = Drop pictures or files here, paste a screenshot, or choose files. At most { $mb } MB each.
attachments-uploading = Uploading { $name } …
attachments-uploaded = { $name } attached.
attachments-failed = { $name } was not attached:
attachments-no-file-part = The form has no file in it: send the file as a part with a file name (for example curl -F file=@screenshot.png).
