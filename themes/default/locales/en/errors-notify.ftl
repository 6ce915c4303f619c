## Errors about notifications and email.

notify-unknown-level = unknown watch level “{ $level }”
notify-unknown-delivery = unknown email delivery “{ $delivery }”: use instant, daily, weekly or never
notify-unknown-kind = unknown kind of notification “{ $kind }”
notify-digest-hour-invalid = the digest hour is a whole hour from 0 to 23
notify-unsubscribe-invalid = This unsubscribe link is not valid. Open your email settings to change what we send you.
notify-not-found = notification not found
notify-bad-page = the page is a number from 1 to 10000
notify-mark-what = say which notifications to mark as read: ids, a thread or all
notify-too-many-ids = at most 1000 notifications at once
mail-job-not-found = email not found
threads-comment-not-found = comment not found
live-too-many = Too many live pages are open right now; reload the page to see what is new.
