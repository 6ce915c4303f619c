## Account mail: verifying an address, resetting a password.

title-email-verified = Address verified
title-check-your-email = Check your email
title-forgot-password = Forgot your password?
title-reset-password = Choose a new password

accounts-email-verified = Thanks: { $email } is verified.
accounts-continue = Continue
accounts-verification-sent = We sent a link to { $email }. Open it to verify your address.
accounts-back-to-account = Back to your account
accounts-reset-sent = If an account uses { $email }, we sent it a link to choose a new password. It works for an hour.
accounts-back-to-sign-in = Back to sign in
accounts-email-off = This site sends no email, so this is not available. Ask an administrator for help.
accounts-too-many-emails = too many emails asked for from your address: try again in { $wait }
accounts-link-invalid = This link is not valid. Check that you copied all of it, or ask for a new one.
accounts-link-used = This link was already used. Ask for a new one if you need it.
accounts-link-expired = This link has expired. Ask for a new one.
accounts-link-old-address = This link was sent to an address the account no longer uses.

login-forgot-password = Forgot your password?

account-email-heading = Email address
account-email-verified = Verified
account-email-unverified = Not verified yet
account-email-send-link = Send the verification link again
account-email-new = New email address
account-email-change = Change address
account-notification-settings = Notification and email settings

forgot-intro = Enter the email address of your account and we’ll send you a link to choose a new password.
forgot-email-label = Email address
forgot-send = Send the link

reset-new-password = New password
reset-password-help = At least 10 characters. Every other session and API token of your account stops working.
reset-save = Save the new password

email-verify-subject = Verify your email address for { $site }
email-verify-body = Hello { $name }, please confirm that this is your email address for { $site }:
email-verify-button = Verify my address
email-reset-subject = Choose a new password for { $site }
email-reset-body = Hello { $name }, someone (hopefully you) asked to reset your password on { $site }. Choose a new one here:
email-reset-button = Choose a new password
email-link-expires = The link works for { $time } and only once.
email-not-you = If you didn’t sign up, ignore this email.
email-reset-not-you = If you didn’t ask for this, ignore this email: your password stays as it is.
