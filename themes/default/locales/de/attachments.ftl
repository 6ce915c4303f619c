## Anhänge: Hochladen im Editor, Ablehnungen und Größen.

attachments-empty = { $name } ist leer – da gibt es nichts anzuhängen.
attachments-too-large = { $name } ist { $mb } MB groß; eine Datei darf höchstens { $limit } MB haben.
attachments-not-allowed = { $name } ist keine Dateiart, die du anhängen kannst. Möglich sind Bilder (PNG, JPEG, GIF, WebP), PDF, ZIP, Office-Dokumente und Textdateien (Logs, CSV, JSON …).
attachments-corrupt = { $name } sieht aus wie ein Bild, lässt sich aber nicht lesen. Speichere es noch einmal als PNG oder JPEG und häng das an.
attachments-too-many-pixels = { $name } hat { $width } × { $height } Pixel; ein Bild darf höchstens { $limit } Megapixel haben.
attachments-daily-files = Du hast in den letzten 24 Stunden { $count } Dateien angehängt – so viele, wie ein Tag erlaubt. Später kannst du wieder welche anhängen.
attachments-daily-bytes = Du hast in den letzten 24 Stunden { $used } MB angehängt; ein Tag erlaubt { $limit } MB. Später kannst du wieder etwas anhängen.
attachments-not-found = Diesen Anhang gibt es nicht, oder du darfst ihn nicht sehen.
attachments-not-stored = Die Datei konnte gerade nicht gespeichert werden. Versuch es bitte gleich noch einmal.
attachments-body-broken = Das Hochladen brach ab, bevor die Datei ankam. Versuch es bitte noch einmal.

attachments-size-bytes = { $n } Byte
attachments-size-kb = { $n } KB
attachments-size-mb = { $n } MB

# Die Anhang-Schaltfläche im Editor (das Skript nimmt diese Wörter aus der Seite).
attachments-button = Dateien anhängen
attachments-hint = Zieh Bilder oder Dateien hierher, füge einen Screenshot ein oder wähle Dateien aus. Höchstens { $mb } MB pro Datei.
attachments-uploading = { $name } wird hochgeladen …
attachments-uploaded = { $name } ist angehängt.
attachments-failed = { $name } wurde nicht angehängt:
attachments-no-file-part = Im Formular ist keine Datei: Schick die Datei als Teil mit Dateinamen (zum Beispiel curl -F file=@screenshot.png).
